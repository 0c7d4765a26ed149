// The operator's status: the newest AWS call of each kind per partition across processes, and the problems list.
import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { opsContext, type OpsContext } from '../../../../test/ops/ops-context.js';
import { AwsCallStatusRecorder, readAwsCallStatus } from './aws-call-status.js';
import { recordChannelDelivery } from './channel-health.js';
import { getOperatorStatus } from './operator-status.js';

const silent = pino({ level: 'silent' });
const call = { service: 'ec2', operation: 'DescribeInstances', accountId: '111111111111', region: 'eu-west-1', metricsRequested: 0, costExplorerRequests: 0 };

describe('operator status', () => {
  let ops: OpsContext | undefined;
  afterEach(async () => {
    await ops?.cleanup();
    ops = undefined;
  });

  it('keeps the newest success, failure and throttle per account and region, whatever order processes flush in', async () => {
    ops = await opsContext('status-aws');
    const { redis } = ops.ctx;
    const early = new AwsCallStatusRecorder(redis, ops.prefix, silent);
    const late = new AwsCallStatusRecorder(redis, ops.prefix, silent);
    const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, s));
    late.record({ ...call, ok: true, throttled: false }, t(30));
    late.record({ ...call, ok: false, throttled: true, errorCode: 'RequestLimitExceeded', errorMessage: 'Rate exceeded' }, t(40));
    early.record({ ...call, operation: 'DescribeVolumes', ok: true, throttled: false }, t(10));
    early.record({ ...call, region: 'us-east-1', ok: false, throttled: false, errorCode: 'UnauthorizedOperation', errorMessage: 'denied' }, t(20));
    await late.flush();
    await early.flush();

    const status = await readAwsCallStatus(redis, ops.prefix, t(50));
    expect(status).toEqual([
      {
        accountId: '111111111111',
        region: 'eu-west-1',
        lastSuccess: { at: t(30).toISOString(), operation: 'ec2.DescribeInstances' },
        lastFailure: { at: t(40).toISOString(), operation: 'ec2.DescribeInstances', code: 'RequestLimitExceeded', message: 'Rate exceeded' },
        lastThrottle: { at: t(40).toISOString(), operation: 'ec2.DescribeInstances', code: 'RequestLimitExceeded', message: 'Rate exceeded', count: 1 },
        throttlingOpen: true,
      },
      {
        accountId: '111111111111',
        region: 'us-east-1',
        lastFailure: { at: t(20).toISOString(), operation: 'ec2.DescribeInstances', code: 'UnauthorizedOperation', message: 'denied' },
        throttlingOpen: false,
      },
    ]);
    // Ten minutes later the throttling is no longer open.
    expect((await readAwsCallStatus(redis, ops.prefix, new Date(t(40).getTime() + 10 * 60_000)))[0].throttlingOpen).toBe(false);
  });

  it('lists queues, the sink, channel health and the problems an operator should look at first', async () => {
    ops = await opsContext('status-all', {
      notifications: { enabled: true, channels: [{ id: 'ops-slack', type: 'slack', url: 'https://hooks.example/x' }, { id: 'audit', type: 'webhook', url: 'https://example/h' }] },
    });
    const { ctx } = ops;
    const recorder = new AwsCallStatusRecorder(ctx.redis, ops.prefix, silent);
    recorder.record({ ...call, ok: false, throttled: false, errorCode: 'UnauthorizedOperation', errorMessage: 'denied' });
    await recorder.close();
    await recordChannelDelivery(ctx.redis, ops.prefix, 'ops-slack', { at: new Date(Date.now() - 1000).toISOString(), ok: true });
    await recordChannelDelivery(ctx.redis, ops.prefix, 'ops-slack', { at: new Date().toISOString(), ok: false, error: 'HTTP 404' });
    const failed = await ctx.queues.forRole('reporter').add('report', { scanId: 'scan-x' }, { jobId: 'scan-x.report', attempts: 1 });
    await failed.moveToFailed(new Error('EACCES: /reports not writable — fix: mount the reports volume read-write'), '0', false).catch(() => undefined);
    await ctx.queues.forRole('optimizer').pause();

    const status = await getOperatorStatus({ ...ctx });
    expect(status.sink).toMatchObject({ type: 'files', outputDir: ctx.config.reporting.outputDir });
    expect(status.notifications.channels).toEqual([
      expect.objectContaining({ id: 'ops-slack', healthy: false, lastFailure: expect.objectContaining({ error: 'HTTP 404' }) }),
      expect.objectContaining({ id: 'audit', healthy: null }),
    ]);
    expect(status.queues.find((q) => q.name === 'optimizer')).toMatchObject({ paused: true });
    expect(status.problems).toEqual(
      expect.arrayContaining([
        'AWS 111111111111 eu-west-1: last call failed (ec2.DescribeInstances: UnauthorizedOperation)',
        'queue optimizer is paused',
        'notification channel ops-slack: last delivery failed (HTTP 404)',
      ]),
    );
    expect(JSON.stringify(status)).not.toContain('hooks.example');
  });
});
