// Contract test over the whole registry: a check that breaks the contract fails here, whoever wrote it.
import { existsSync } from 'node:fs';
import { METRIC_NAMES, RESOURCE_KINDS } from '@finops/core';
import type { ResourceKind } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CHECKS, CHECK_IDS, findCheck } from './registry.js';

/** How check ids name each kind's resource: `<resource>-<condition>`. */
const RESOURCE_PREFIXES: Record<ResourceKind, string[]> = {
  'ec2-instance': ['ec2'],
  'ebs-volume': ['ebs'],
  'ebs-snapshot': ['ebs'],
  'elastic-ip': ['eip'],
  'rds-instance': ['rds'],
  'lambda-function': ['lambda'],
  'nat-gateway': ['nat'],
  'load-balancer': ['elb'],
  'rds-snapshot': ['rds'],
};

describe('check registry contract', () => {
  it('has unique ids', () => {
    expect(new Set(CHECK_IDS).size).toBe(CHECKS.length);
    expect(CHECKS.length).toBeGreaterThan(0);
  });

  describe.each(CHECKS.map((check) => [check.id, check] as const))('%s', (id, check) => {
    it('is kebab-case <resource>-<condition> for its resource kind', () => {
      expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
      expect(RESOURCE_KINDS).toContain(check.resourceKind);
      const prefix = RESOURCE_PREFIXES[check.resourceKind].find((p) => id.startsWith(`${p}-`));
      expect(prefix, `${id} should start with one of ${RESOURCE_PREFIXES[check.resourceKind].join(', ')}`).toBeDefined();
      expect(id.length).toBeGreaterThan((prefix ?? '').length + 1);
    });

    it('has a title and a one-line description', () => {
      expect(check.title.trim()).not.toBe('');
      expect(check.description.trim()).not.toBe('');
      expect(check.description).not.toContain('\n');
    });

    it('declares service:Action permissions', () => {
      expect(check.permissions.length).toBeGreaterThan(0);
      for (const permission of check.permissions) expect(permission).toMatch(/^[a-z0-9-]+:[A-Z][A-Za-z0-9]+$/);
    });

    it('declares known metrics, and a lookback exactly when it reads metrics', () => {
      for (const metric of check.metrics) expect(METRIC_NAMES).toContain(metric);
      expect(check.lookback === 'none').toBe(check.metrics.length === 0);
    });

    it('has a strict options schema', () => {
      const result = check.options.safeParse({ notAnOption: 1 });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.code).toBe('unrecognized_keys');
    });

    it('has a default and a description on every option', () => {
      expect(() => check.options.parse({})).not.toThrow();
      for (const [name, field] of Object.entries(check.options.shape)) {
        expect(field, `${id}.${name} needs .default()`).toBeInstanceOf(z.ZodDefault);
        expect((field as z.ZodType).description, `${id}.${name} needs .describe()`).toBeTruthy();
      }
    });

    it('lives in its own file with a fixture test beside it', () => {
      expect(existsSync(new URL(`./checks/${id}.ts`, import.meta.url))).toBe(true);
      expect(existsSync(new URL(`./checks/${id}.test.ts`, import.meta.url))).toBe(true);
    });
  });

  it('finds checks by id', () => {
    expect(findCheck('ebs-unattached-volume')?.resourceKind).toBe('ebs-volume');
    expect(findCheck('no-such-check')).toBeUndefined();
  });
});
