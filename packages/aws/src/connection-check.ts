// Proves what a scan needs, per account and region: the identity, the assumed role, and each IAM permission.
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsAccessError, ResourceKind } from '@finops/core';
import type { ServiceClient, ServiceId } from './clients.js';
import { costExplorerRegion } from './costs/cost-explorer-region.js';
import { errorCodeOf, isAccessDeniedCode, toAwsAccessError } from './errors.js';
import { mapLimit } from './map-limit.js';
import { DISCOVERY_PERMISSIONS } from './permissions.js';
import { PERMISSION_PROBES, type ProbeContext } from './permission-probes.js';
import type { AwsScope } from './types.js';

/** (account, region) partitions probed at once: each runs its probes one after the other. */
const PARTITION_CONCURRENCY = 4;

export type ProbeStatus = 'ok' | 'denied' | 'error';

export interface ProbeResult {
  accountId: string;
  region: string;
  /** The IAM action, e.g. `ec2:DescribeVolumes`. */
  action: string;
  status: ProbeStatus;
  /** Whether a scan fails without it (tag look-ups only degrade the inventory). */
  required: boolean;
  /** The AWS error code when not ok. */
  code?: string;
  message?: string;
  /** How to fix it. */
  hint?: string;
}

/** A fixed list, or how to find it (the organization's accounts, the enabled regions): a refused look-up is reported. */
export type TargetList = readonly string[] | (() => Promise<readonly string[]>);

export interface ConnectionCheckOptions {
  accounts: TargetList;
  regions: TargetList;
  /** Resource kinds of the enabled services: their discovery and metric permissions are probed. */
  kinds: readonly ResourceKind[];
  /** Probe ce:GetCostAndUsage, once per run: one Cost Explorer request, which AWS bills at $0.01. */
  costExplorer: boolean;
  /** Probe organizations:ListAccounts (aws.organization). */
  organization: boolean;
  /** Probe ec2:DescribeRegions (aws.regions: all). */
  describeRegions: boolean;
  /** Region of the account-level calls (aws.defaultRegion). */
  homeRegion: string;
  now?: Date;
}

/** What the check needs of the adapter (AwsAccess has both). */
export interface ProbeAccess {
  callerIdentity(): Promise<{ accountId: string; partition: string }>;
  client<S extends ServiceId>(service: S, scope: AwsScope): Promise<ServiceClient<S>>;
}

export interface ConnectionReport {
  /** Every required probe passed. */
  ok: boolean;
  results: ProbeResult[];
}

/**
 * Runs one cheap call per permission in every account and region and reports each outcome. An account whose role
 * cannot be assumed is reported once (`sts:AssumeRole`) and not probed further. Nothing is changed in any account.
 *
 * @example
 * const report = await checkConnection(access, { accounts: ['111111111111'], regions: ['eu-west-1'], kinds: ['ebs-volume'],
 *   costExplorer: false, organization: false, describeRegions: false, homeRegion: 'us-east-1' });
 */
export async function checkConnection(access: ProbeAccess, options: ConnectionCheckOptions): Promise<ConnectionReport> {
  const now = options.now ?? new Date();
  const results: ProbeResult[] = [];
  let caller: { accountId: string; partition: string };
  try {
    caller = await access.callerIdentity();
  } catch (error) {
    // No usable credentials at all: nothing else can be probed.
    return { ok: false, results: [failureOf(toAwsAccessError(error, { accountId: 'unknown', region: options.homeRegion }, 'sts:GetCallerIdentity'), true)] };
  }
  const callerHome: AwsScope = { accountId: caller.accountId, region: options.homeRegion };
  const probe = (action: string, context: ProbeContext) => runProbe(access, action, context);

  // Once per run, with the caller's own credentials.
  if (options.organization) results.push(await probe('organizations:ListAccounts', { scope: callerHome, partition: caller.partition, now }));
  if (options.costExplorer) {
    const scope = { accountId: caller.accountId, region: costExplorerRegion(caller.partition) };
    results.push(await probe('ce:GetCostAndUsage', { scope, partition: caller.partition, now }));
  }

  const targets = await resolveTargets(options, callerHome);
  if ('failed' in targets) {
    // A refused organization listing was already reported by its own probe.
    const reported = results.some((result) => result.action === targets.failed.action && result.status !== 'ok');
    return { ok: false, results: reported ? results : [...results, targets.failed] };
  }
  const regional = [...new Set(options.kinds.flatMap((kind) => DISCOVERY_PERMISSIONS[kind]))].sort();
  const reachable: string[] = [];
  for (const accountId of unique(targets.accounts)) {
    const identity = await identityOf(access, { accountId, region: options.homeRegion }, caller.accountId);
    results.push(...identity);
    if (identity.every((result) => result.status === 'ok')) reachable.push(accountId);
  }
  for (const accountId of reachable) {
    if (options.describeRegions) results.push(await probe('ec2:DescribeRegions', { scope: { accountId, region: options.homeRegion }, partition: caller.partition, now }));
  }
  const partitions = reachable.flatMap((accountId) => unique(targets.regions).map((region) => ({ accountId, region })));
  const perPartition = await mapLimit(partitions, PARTITION_CONCURRENCY, async (scope) => {
    const out: ProbeResult[] = [];
    for (const action of regional) out.push(await probe(action, { scope, partition: caller.partition, now }));
    return out;
  });
  results.push(...perPartition.flat());
  return { ok: results.every((result) => result.status === 'ok' || !result.required), results };
}

async function resolveTargets(
  options: ConnectionCheckOptions,
  callerHome: AwsScope,
): Promise<{ accounts: readonly string[]; regions: readonly string[] } | { failed: ProbeResult }> {
  try {
    const accounts = typeof options.accounts === 'function' ? await options.accounts() : options.accounts;
    const regions = typeof options.regions === 'function' ? await options.regions() : options.regions;
    return { accounts, regions };
  } catch (error) {
    return { failed: failureOf(toAwsAccessError(error, callerHome, 'resolve accounts and regions'), true) };
  }
}

function failureOf(error: AwsAccessError, required: boolean): ProbeResult {
  return {
    accountId: error.accountId,
    region: error.region,
    action: error.action,
    status: isAccessDeniedCode(error.code) ? 'denied' : 'error',
    required,
    code: error.code,
    message: error.message,
    hint: error.hint,
  };
}

/**
 * GetCallerIdentity with the account's own credentials: for a member account this assumes its role first, so a
 * refused AssumeRole shows up here, as `sts:AssumeRole`.
 */
async function identityOf(access: ProbeAccess, scope: AwsScope, callerAccountId: string): Promise<ProbeResult[]> {
  const viaRole = scope.accountId !== callerAccountId;
  const row = (action: string, fields: Partial<ProbeResult> & { status: ProbeStatus }): ProbeResult => ({
    accountId: scope.accountId,
    region: scope.region,
    action,
    required: true,
    ...fields,
  });
  try {
    const sts = await access.client('sts', scope);
    const output = await sts.send(new GetCallerIdentityCommand({}));
    const rows = viaRole ? [row('sts:AssumeRole', { status: 'ok' })] : [];
    if (output.Account !== scope.accountId) {
      return [
        ...rows,
        row('sts:GetCallerIdentity', {
          status: 'error',
          code: 'WrongAccount',
          message: `the credentials belong to account ${output.Account ?? 'unknown'}, not ${scope.accountId}`,
          hint: 'check the role name and account id under aws.accounts',
        }),
      ];
    }
    return [...rows, row('sts:GetCallerIdentity', { status: 'ok' })];
  } catch (error) {
    return [failureOf(toAwsAccessError(error, scope, 'sts:GetCallerIdentity'), true)];
  }
}

async function runProbe(access: ProbeAccess, action: string, context: ProbeContext): Promise<ProbeResult> {
  const definition = PERMISSION_PROBES[action];
  const base = { accountId: context.scope.accountId, region: context.scope.region, action };
  if (!definition) {
    return { ...base, status: 'error', required: true, code: 'NoProbe', message: `no probe is defined for ${action}`, hint: 'add one to packages/aws/src/permission-probes.ts' };
  }
  try {
    const client = await access.client(definition.service, context.scope);
    await definition.call(client, context);
    return { ...base, status: 'ok', required: definition.required };
  } catch (error) {
    const code = errorCodeOf(error);
    if (definition.allowedErrors?.includes(code)) return { ...base, status: 'ok', required: definition.required };
    const explained = definition.explain?.(error, context.scope) ?? toAwsAccessError(error, context.scope, action);
    return { ...failureOf(explained, definition.required), ...base };
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
