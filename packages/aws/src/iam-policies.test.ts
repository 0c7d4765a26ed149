// The IAM policies in docs/iam/ against the code: every AWS call this package makes is allowed by the right policy.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ACTION_EXECUTORS } from './actions/index.js';
import { ACCOUNT_PERMISSIONS, DISCOVERY_PERMISSIONS } from './permissions.js';
import { PERMISSION_PROBES } from './permission-probes.js';

const SOURCE_DIR = fileURLToPath(new URL('.', import.meta.url));
const POLICY_DIR = fileURLToPath(new URL('../../../docs/iam/', import.meta.url));

/** The IAM prefix of each SDK client package: both load balancing APIs authorize as `elasticloadbalancing`. */
const IAM_PREFIX: Record<string, string> = {
  '@aws-sdk/client-ec2': 'ec2',
  '@aws-sdk/client-rds': 'rds',
  '@aws-sdk/client-lambda': 'lambda',
  '@aws-sdk/client-cloudwatch': 'cloudwatch',
  '@aws-sdk/client-sts': 'sts',
  '@aws-sdk/client-organizations': 'organizations',
  '@aws-sdk/client-cost-explorer': 'ce',
  '@aws-sdk/client-pricing': 'pricing',
  '@aws-sdk/client-elastic-load-balancing': 'elasticloadbalancing',
  '@aws-sdk/client-elastic-load-balancing-v2': 'elasticloadbalancing',
  '@aws-sdk/client-sns': 'sns',
};

/** Waiters poll with a read action of their own (the waiters this package uses; a new one fails the test below). */
const WAITER_ACTION: Record<string, string> = {
  waitUntilDBInstanceAvailable: 'DescribeDBInstances',
  waitUntilDBInstanceStopped: 'DescribeDBInstances',
  waitUntilDBSnapshotAvailable: 'DescribeDBSnapshots',
  waitUntilFunctionUpdated: 'GetFunctionConfiguration',
  waitUntilFunctionUpdatedV2: 'GetFunction',
  waitUntilImageAvailable: 'DescribeImages',
  waitUntilInstanceRunning: 'DescribeInstances',
  waitUntilInstanceStopped: 'DescribeInstances',
  waitUntilLoadBalancersDeleted: 'DescribeLoadBalancers',
  waitUntilNatGatewayDeleted: 'DescribeNatGateways',
  waitUntilSnapshotCompleted: 'DescribeSnapshots',
  waitUntilVolumeAvailable: 'DescribeVolumes',
  waitUntilVolumeDeleted: 'DescribeVolumes',
  waitUntilVolumeInUse: 'DescribeVolumes',
};

/** Not mutating: reads, and entering a role. */
function isReadOnly(action: string): boolean {
  const [, name = ''] = action.split(':');
  return /^(Describe|List|Get)[A-Z]/.test(name) || action === 'sts:AssumeRole';
}

interface Use {
  action: string;
  file: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__fixtures__' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/**
 * Every `new <Name>Command(`, `paginate<Name>(` and `waitUntil<Name>(` of an SDK import, as `<prefix>:<Action>`.
 * Imports are resolved per file, so `DeleteLoadBalancerCommand as DeleteClassicCommand` counts as DeleteLoadBalancer.
 */
function awsCalls(): { uses: Use[]; problems: string[] } {
  const uses: Use[] = [];
  const problems: string[] = [];
  for (const path of sourceFiles(SOURCE_DIR)) {
    const text = readFileSync(path, 'utf8');
    const file = relative(SOURCE_DIR, path);
    for (const match of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'(@aws-sdk\/client-[a-z0-9-]+)'/g)) {
      const [, names = '', pkg = ''] = match;
      const prefix = IAM_PREFIX[pkg];
      for (const specifier of names.split(',').map((s) => s.trim()).filter((s) => s && !s.startsWith('type '))) {
        const [original = '', local = original] = specifier.split(/\s+as\s+/);
        let action: string | undefined;
        if (/^[A-Z]\w*Command$/.test(original) && text.includes(`new ${local}(`)) action = original.slice(0, -'Command'.length);
        else if (original.startsWith('paginate') && text.includes(`${local}(`)) action = original.slice('paginate'.length);
        else if (original.startsWith('waitUntil') && text.includes(`${local}(`)) {
          action = WAITER_ACTION[original];
          if (!action) problems.push(`${file}: waiter ${original} polls an action this test does not know: add it to WAITER_ACTION`);
        }
        if (!action) continue;
        if (!prefix) problems.push(`${file}: ${pkg} has no IAM prefix in IAM_PREFIX`);
        else uses.push({ action: `${prefix}:${action}`, file });
      }
    }
  }
  return { uses, problems };
}

interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, unknown>;
}

function policy(name: string): { statements: Statement[]; allowed: Set<string> } {
  const document = JSON.parse(readFileSync(join(POLICY_DIR, name), 'utf8')) as { Version: string; Statement: Statement[] };
  expect(document.Version, name).toBe('2012-10-17');
  const statements = document.Statement;
  const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
  return { statements, allowed: new Set(statements.filter((s) => s.Effect === 'Allow').flatMap(actions)) };
}

describe('IAM policies (docs/iam)', () => {
  const { uses, problems } = awsCalls();
  const readOnly = policy('read-only-policy.json');
  const remediation = policy('remediation-policy.json');
  const notifications = policy('notifications-policy.json');
  const missing = (allowed: Set<string>, wanted: Iterable<string>) => [...new Set(wanted)].filter((action) => !allowed.has(action)).sort();

  it('finds the calls of every part of the package (the scan, costs, prices, remediation, notifications)', () => {
    expect(problems).toEqual([]);
    const actions = new Set(uses.map((use) => use.action));
    for (const action of ['ec2:DescribeNatGateways', 'elasticloadbalancing:DescribeTargetHealth', 'rds:DescribeDBSnapshots', 'lambda:ListTags', 'ce:GetCostAndUsage', 'pricing:GetProducts', 'ec2:DeleteVolume', 'sns:Publish']) {
      expect(actions, action).toContain(action);
    }
    // An alias still counts under its real name: the classic DeleteLoadBalancer is imported as another name.
    expect(actions).toContain('elasticloadbalancing:DeleteLoadBalancer');
  });

  it('allows every read of the scan in the read-only policy, and every call of the remediation executors in the remediation policy', () => {
    const scanReads = uses.filter((use) => !use.file.startsWith('actions') && isReadOnly(use.action)).map((use) => use.action);
    expect(missing(readOnly.allowed, scanReads)).toEqual([]);
    const remediationCalls = uses.filter((use) => use.file.startsWith('actions')).map((use) => use.action);
    expect(missing(remediation.allowed, remediationCalls)).toEqual([]);
    // What the executors declare (waiters and reads included) is what the remediation policy grants.
    expect(missing(remediation.allowed, ACTION_EXECUTORS.flatMap((executor) => executor.permissions))).toEqual([]);
  });

  it('allows each mutating call only where it belongs: remediation, or publishing notifications', () => {
    const mutating = uses.filter((use) => !isReadOnly(use.action));
    const outside = mutating.filter((use) => !use.file.startsWith('actions') && !notifications.allowed.has(use.action));
    expect(outside.map((use) => `${use.file}: ${use.action}`)).toEqual([]);
    expect(missing(new Set([...remediation.allowed, ...notifications.allowed]), mutating.map((use) => use.action))).toEqual([]);
  });

  it('keeps the read-only policy free of mutating actions, and every policy free of wildcards', () => {
    expect([...readOnly.allowed].filter((action) => !isReadOnly(action))).toEqual([]);
    for (const { statements } of [readOnly, remediation, notifications]) {
      for (const statement of statements) {
        for (const action of Array.isArray(statement.Action) ? statement.Action : [statement.Action]) expect(action, statement.Sid).not.toContain('*');
      }
    }
  });

  it('grants what the registries declare: discovery, account look-ups and connection probes', () => {
    expect(missing(readOnly.allowed, Object.values(DISCOVERY_PERMISSIONS).flat())).toEqual([]);
    expect(missing(readOnly.allowed, ACCOUNT_PERMISSIONS)).toEqual([]);
    expect(missing(readOnly.allowed, Object.keys(PERMISSION_PROBES))).toEqual([]);
  });

  it('grants nothing the code does not use', () => {
    const used = new Set([...uses.map((use) => use.action), ...ACTION_EXECUTORS.flatMap((executor) => executor.permissions)]);
    expect([...readOnly.allowed, ...remediation.allowed, ...notifications.allowed].filter((action) => !used.has(action))).toEqual([]);
  });
});
