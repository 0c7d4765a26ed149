// A realistic scan's worth of recommendations and counts for the report tests (not part of the API).
import type { Recommendation } from '@finops/core';
import type { ReportAction, ReportActions } from './actions-schema.js';
import type { BuildReportInput } from './build-report.js';

let sequence = 0;

export function recommendation(overrides: Partial<Recommendation> = {}): Recommendation {
  sequence += 1;
  return {
    id: `rec_${sequence.toString(16).padStart(16, '0')}`,
    checkId: 'ebs-unattached-volume',
    resourceId: `vol-${sequence.toString().padStart(17, '0')}`,
    resourceKind: 'ebs-volume',
    resourceName: `scratch-${sequence}`,
    tags: { Name: `scratch-${sequence}` },
    accountId: '111111111111',
    region: 'us-east-1',
    monthlySavingsUsd: 5,
    risk: 'low',
    confidence: 1,
    action: { type: 'ebs.delete-volume', description: 'Snapshot the volume, then delete it.', params: { snapshotFirst: true } },
    status: 'open',
    reason: 'Volume is attached to nothing: 100 GiB gp2 created 45 days ago, billed $10.00/month',
    evidence: { sizeGiB: 100, volumeType: 'gp2' },
    priceConfidence: 'exact',
    ...overrides,
  };
}

export function reportInput(overrides: Partial<BuildReportInput> = {}): BuildReportInput {
  return {
    scanId: 'scan-20261126-abc123',
    startedAt: '2026-11-26T12:00:00.000Z',
    finishedAt: '2026-11-26T12:03:10.000Z',
    dryRun: true,
    provider: 'simulated',
    accounts: ['111111111111', '222222222222'],
    regions: ['us-east-1', 'eu-west-1'],
    inventoryCounts: [
      { accountId: '222222222222', region: 'us-east-1', kind: 'ec2-instance', count: 4 },
      { accountId: '111111111111', region: 'us-east-1', kind: 'ebs-volume', count: 10 },
      { accountId: '111111111111', region: 'us-east-1', kind: 'ec2-instance', count: 6 },
      { accountId: '111111111111', region: 'eu-west-1', kind: 'elastic-ip', count: 0 },
    ],
    recommendations: [
      recommendation({ monthlySavingsUsd: 5 }),
      recommendation({
        checkId: 'ec2-idle-instance',
        resourceKind: 'ec2-instance',
        resourceId: 'i-0123456789abcdef0',
        accountId: '222222222222',
        monthlySavingsUsd: 70.08,
        risk: 'medium',
        action: { type: 'ec2.stop-instance', description: 'Stop the instance.', params: { instanceId: 'i-0123456789abcdef0' } },
        reason: 'CPU p99 was 1.8% and network at most 0.4 MB/day over 14 days',
      }),
      recommendation({ region: 'eu-west-1', monthlySavingsUsd: 0.1 }),
      recommendation({ region: 'eu-west-1', monthlySavingsUsd: 0.2 }),
      recommendation({ status: 'suppressed', monthlySavingsUsd: 1000, tags: { 'finops:ignore': 'true' } }),
    ],
    errors: [
      {
        stage: 'discovery',
        accountId: '222222222222',
        region: 'eu-west-1',
        kind: 'ebs-volume',
        action: 'ec2:DescribeVolumes',
        code: 'UnauthorizedOperation',
        message: 'You are not authorized to perform this operation.',
        hint: 'grant ec2:DescribeVolumes to the FinOpsReadOnly role',
        at: '2026-11-26T12:01:00.000Z',
      },
    ],
    apiUsage: {
      calls: { 'ec2.DescribeInstances': 4, 'cloudwatch.GetMetricData': 4 },
      throttled: 1,
      metricsRequested: 30,
      costExplorerRequests: 0,
      estimatedCostUsd: 0.0003,
    },
    ...overrides,
  };
}

/** A resource name an attacker could give a volume: markup and a table pipe, to prove both renderings escape it. */
export const HOSTILE_RESOURCE_ID = 'vol-<img src=x onerror=alert(1)>|x';

/** An audit entry of a live action, as remediation writes it. */
export function actionEntry(overrides: Partial<ReportAction> = {}): ReportAction {
  return {
    at: '2026-11-26T09:00:00.000Z',
    event: 'applied',
    actor: 'alice@laptop',
    trigger: 'cli',
    mode: 'live',
    actionType: 'ebs.delete-volume',
    accountId: '111111111111',
    region: 'us-east-1',
    resourceId: 'vol-00000000000000001',
    resourceKind: 'ebs-volume',
    result: 'applied',
    monthlySavingsUsd: 10,
    ...overrides,
  };
}

/**
 * Remediation since the previous scan: one entry of every outcome, newest first (a failure on a hostile resource id,
 * a resize stopped after its StopInstances went through, rollbacks, a dry run, an approval and a skip), and two live
 * actions applied, one of which this scan shows resolved.
 */
export function sampleActions(overrides: Partial<ReportActions> = {}): ReportActions {
  return {
    since: '2026-11-25T12:00:00.000Z',
    until: '2026-11-26T12:03:10.000Z',
    entries: [
      actionEntry({
        at: '2026-11-26T11:00:00.000Z',
        event: 'failed',
        actor: 'schedule:nightly',
        trigger: 'schedule:nightly',
        resourceId: HOSTILE_RESOURCE_ID,
        result: 'failed: UnauthorizedOperation: <b>not authorized</b> to perform ec2:DeleteVolume',
      }),
      actionEntry({
        at: '2026-11-26T10:30:00.000Z',
        event: 'failed',
        actionType: 'ec2.resize-instance',
        resourceId: 'i-0aaaaaaaaaaaaaaa1',
        resourceKind: 'ec2-instance',
        calls: [
          { api: 'ec2.StopInstances', input: { InstanceIds: ['i-0aaaaaaaaaaaaaaa1'] }, at: '2026-11-26T10:29:00.000Z', ok: true, requestId: 'req-1' },
          { api: 'ec2.ModifyInstanceAttribute', input: { InstanceId: 'i-0aaaaaaaaaaaaaaa1' }, at: '2026-11-26T10:29:30.000Z', ok: false, errorCode: 'InsufficientInstanceCapacity' },
        ],
        result: 'failed: InsufficientInstanceCapacity: no m6i.large capacity in us-east-1a',
      }),
      actionEntry({ at: '2026-11-26T10:00:00.000Z', event: 'rollback', actor: 'bob@ops', actionType: 'ec2.stop-instance', resourceId: 'i-0bbbbbbbbbbbbbbb2', result: 'rolled-back: started the instance again' }),
      actionEntry({ at: '2026-11-26T09:45:00.000Z', event: 'rollback', actor: 'bob@ops', resourceId: 'vol-00000000000000003', result: 'impossible: the volume was deleted; its snapshot snap-1 remains' }),
      actionEntry({ at: '2026-11-26T09:30:00.000Z', event: 'planned', mode: 'dry-run', resourceId: 'vol-00000000000000004', result: 'planned' }),
      actionEntry({ at: '2026-11-26T09:20:00.000Z', event: 'skipped', resourceId: 'vol-00000000000000005', result: 'skipped: changed since the scan (now attached)' }),
      actionEntry({ at: '2026-11-26T09:10:00.000Z', event: 'approved', actor: 'carol@ops', resourceId: 'vol-00000000000000006', result: 'approved' }),
      actionEntry({ at: '2026-11-26T09:00:00.000Z', resourceId: 'vol-00000000000000006', monthlySavingsUsd: 12.5 }),
      actionEntry({ at: '2026-11-26T08:00:00.000Z', event: 'already-applied', actionType: 'ec2.stop-instance', accountId: '222222222222', resourceId: 'i-0ccccccccccccccc3', result: 'already-applied: confirmed on retry' }),
    ],
    applied: [
      {
        actionId: 'act_0000000000000006',
        recommendationId: 'rec_00000000000000a6',
        actionType: 'ebs.delete-volume',
        checkId: 'ebs-unattached-volume',
        accountId: '111111111111',
        region: 'us-east-1',
        resourceId: 'vol-00000000000000006',
        monthlySavingsUsd: 12.5,
        appliedAt: '2026-11-26T09:00:00.000Z',
        appliedBy: 'alice@laptop',
        recommendationStatus: 'resolved',
      },
      {
        actionId: 'act_0000000000000007',
        recommendationId: 'rec_00000000000000a7',
        actionType: 'ec2.stop-instance',
        checkId: 'ec2-idle-instance',
        accountId: '222222222222',
        region: 'us-east-1',
        resourceId: 'i-0ccccccccccccccc3',
        monthlySavingsUsd: 70.08,
        appliedAt: '2026-11-26T08:00:00.000Z',
        appliedBy: 'alice@laptop',
        recommendationStatus: 'open',
      },
    ],
    resolvedMonthlySavingsUsd: 12.5,
    ...overrides,
  };
}

/** `count` applied entries a minute apart, newest first, ending at 2026-11-26T11:59 (for the table's bound). */
export function manyActionEntries(count: number): ReportAction[] {
  return Array.from({ length: count }, (_, i) =>
    actionEntry({ at: new Date(Date.UTC(2026, 10, 26, 11, 59 - i)).toISOString(), resourceId: `vol-${String(i).padStart(17, '0')}` }),
  );
}
