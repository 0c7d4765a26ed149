// A realistic scan's worth of recommendations and counts for the report tests (not part of the API).
import type { Recommendation } from '@finops/core';
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
