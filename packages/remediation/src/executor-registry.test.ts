// Contract: every action type a registered check can emit has an executor (or is declared advice only), and every
// executor is complete — unique type, known resource kind, IAM permissions, a rollback note.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACTION_EXECUTORS, ACTION_TYPES, ADVISORY_ACTION_TYPES, executorFor } from '@finops/aws';
import { CHECKS } from '@finops/checks';
import { RESOURCE_KINDS } from '@finops/core';
import { describe, expect, it } from 'vitest';

const CHECKS_SRC = join(dirname(fileURLToPath(import.meta.url)), '../../checks/src');

/** `type: 'ec2.stop-instance'` in the check sources: the checks declare no action-type metadata, so their code is read. */
function emittedActionTypes(): Map<string, string[]> {
  const files = [
    ...readdirSync(join(CHECKS_SRC, 'checks')).map((f) => join('checks', f)),
    ...readdirSync(CHECKS_SRC).filter((f) => f.endsWith('.ts')),
  ].filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'test-fixtures.ts');
  const found = new Map<string, string[]>();
  for (const file of files) {
    for (const match of readFileSync(join(CHECKS_SRC, file), 'utf8').matchAll(/\btype:\s*'([a-z0-9]+\.[a-z0-9]+(?:-[a-z0-9]+)*)'/g)) {
      found.set(match[1]!, [...(found.get(match[1]!) ?? []), file]);
    }
  }
  return found;
}

describe('the executor registry', () => {
  it('has an executor (or an advice-only entry) for every action type the registered checks emit', () => {
    const emitted = emittedActionTypes();
    // The scan must not be vacuous: the registry's first checks emit these.
    expect([...emitted.keys()]).toEqual(expect.arrayContaining(['ec2.stop-instance', 'ebs.delete-volume', 'ec2.release-address']));
    expect(CHECKS.length).toBeGreaterThan(3);
    const missing = [...emitted.entries()].filter(([type]) => !executorFor(type) && !(type in ADVISORY_ACTION_TYPES)).map(([type, files]) => `${type} (${files.join(', ')})`);
    expect(missing, 'add an executor in packages/aws/src/actions (or an ADVISORY_ACTION_TYPES entry) for each').toEqual([]);
  });

  it('keeps no advice-only entry that an executor also handles', () => {
    for (const type of Object.keys(ADVISORY_ACTION_TYPES)) expect(executorFor(type), type).toBeUndefined();
  });

  it('lists each type once, named <service>.<verb>-<noun>, on a known resource kind', () => {
    expect(new Set(ACTION_TYPES).size).toBe(ACTION_TYPES.length);
    for (const executor of ACTION_EXECUTORS) {
      expect(executor.type).toMatch(/^(ec2|ebs|elb|rds|lambda)\.[a-z]+(-[a-z0-9]+)+$/);
      expect(RESOURCE_KINDS).toContain(executor.resourceKind);
    }
  });

  it('declares IAM permissions and what a rollback restores', () => {
    for (const executor of ACTION_EXECUTORS) {
      expect(executor.permissions.length, executor.type).toBeGreaterThan(0);
      for (const permission of executor.permissions) expect(permission, executor.type).toMatch(/^[a-z0-9-]+:[A-Z][A-Za-z0-9]+$/);
      expect(['all', 'part', 'nothing']).toContain(executor.rollback.restores);
      expect(executor.rollback.note.length, executor.type).toBeGreaterThan(10);
    }
  });

  it('refuses params that do not fit, naming the param', () => {
    expect(() => executorFor('ec2.stop-instance')!.parseParams({ instanceId: 'i-other' }, 'i-0123')).toThrow(/params\.instanceId: names i-other, but the recommendation is about i-0123/);
    expect(() => executorFor('ec2.resize-instance')!.parseParams({ instanceId: 'i-1', toType: 'not a type' }, 'i-1')).toThrow(/params\.toType: expected an instance type/);
    expect(() => executorFor('rds.modify-db-instance')!.parseParams({ dbInstanceIdentifier: 'db' }, 'db')).toThrow(/nothing to change/);
    expect(() => executorFor('rds.modify-db-instance')!.parseParams({ dbInstanceIdentifier: 'db', multiAZ: true }, 'db')).toThrow(/only false/);
    expect(executorFor('ebs.delete-snapshot')!.parseParams({ snapshotId: 'snap-1', deregisterImages: 'ami-1, ami-2' }, 'snap-1')).toEqual({
      snapshotId: 'snap-1',
      archive: false,
      deregisterImages: ['ami-1', 'ami-2'],
    });
  });
});
