// Prometheus metrics: one valid exposition for many queues, AWS calls and spend counted, job durations and failures.
import { Queue, Worker } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { opsContext, type OpsContext } from '../../../../test/ops/ops-context.js';
import { ProcessMetrics } from './process-metrics.js';
import { mergeExpositions, queueMetricsText } from './queue-metrics.js';

describe('mergeExpositions', () => {
  it('declares each metric once and keeps every sample', () => {
    const a = '# HELP m Help\n# TYPE m gauge\nm{queue="a"} 1\n# HELP t T\n# TYPE t counter\nt{queue="a"} 5';
    const b = '# HELP m Help\n# TYPE m gauge\nm{queue="b"} 2\n# HELP t T\n# TYPE t counter\nt{queue="b"} 6';
    expect(mergeExpositions([a, b])).toBe('# HELP m Help\n# TYPE m gauge\nm{queue="a"} 1\nm{queue="b"} 2\n# HELP t T\n# TYPE t counter\nt{queue="a"} 5\nt{queue="b"} 6\n');
  });
});

describe('ProcessMetrics', () => {
  let ops: OpsContext | undefined;
  afterEach(async () => {
    await ops?.cleanup();
    ops = undefined;
  });

  it('counts AWS calls, throttles and the spend on billed APIs by service, operation and region', async () => {
    const metrics = new ProcessMetrics({ service: 'test', defaultMetrics: false });
    const base = { service: 'ec2', operation: 'DescribeVolumes', accountId: '111111111111', region: 'eu-west-1', metricsRequested: 0, costExplorerRequests: 0 };
    metrics.recordAwsCall({ ...base, ok: true, throttled: false });
    metrics.recordAwsCall({ ...base, ok: false, throttled: true, errorCode: 'RequestLimitExceeded' });
    metrics.recordAwsCall({ ...base, service: 'cloudwatch', operation: 'GetMetricData', ok: true, throttled: false, metricsRequested: 500 });
    metrics.recordAwsCall({ ...base, service: 'ce', operation: 'GetCostAndUsage', region: undefined, ok: true, throttled: false, costExplorerRequests: 1 });
    const text = await metrics.registry.metrics();
    expect(text).toContain('finops_aws_calls_total{service="ec2",operation="DescribeVolumes",region="eu-west-1",outcome="ok",role="test"} 1');
    expect(text).toContain('finops_aws_calls_total{service="ec2",operation="DescribeVolumes",region="eu-west-1",outcome="error",role="test"} 1');
    expect(text).toContain('finops_aws_throttles_total{service="ec2",operation="DescribeVolumes",region="eu-west-1",role="test"} 1');
    expect(text).toContain('finops_aws_calls_total{service="ce",operation="GetCostAndUsage",region="global",outcome="ok",role="test"} 1');
    expect(text).toContain('finops_cloudwatch_metrics_requested_total{region="eu-west-1",role="test"} 500');
    // $0.01 per 1,000 metrics; $0.01 per Cost Explorer request.
    expect(text).toContain('finops_aws_api_spend_usd_total{api="cloudwatch",role="test"} 0.005');
    expect(text).toContain('finops_aws_api_spend_usd_total{api="cost-explorer",role="test"} 0.01');
  });

  it('records job durations and failures from worker events, and queue depths by state', async () => {
    ops = await opsContext('metrics');
    const connection = ops.ctx.redis;
    const queue = new Queue('metrics-test', { connection, prefix: ops.prefix });
    const worker = new Worker(
      'metrics-test',
      async (job) => {
        if (job.data.fail) throw new Error('boom');
        return 'ok';
      },
      { connection, prefix: ops.prefix },
    );
    const metrics = new ProcessMetrics({ service: 'test', defaultMetrics: false }).observeWorkers([worker]);
    const settled = new Promise<void>((resolve) => {
      let n = 0;
      const done = () => ++n === 2 && resolve();
      worker.on('completed', done);
      worker.on('failed', done);
    });
    await queue.add('work', { fail: false });
    await queue.add('work', { fail: true }, { attempts: 1 });
    await settled;
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/finops_job_duration_seconds_count\{[^}]*queue="metrics-test",name="work",status="completed"[^}]*\} 1/);
    expect(text).toMatch(/finops_job_failures_total\{[^}]*queue="metrics-test",name="work",final="true"[^}]*\} 1/);
    metrics.stop();
    await worker.close();
    const depths = await queueMetricsText([queue], { prefix: ops.prefix });
    expect(depths).toContain(`bullmq_job_count{queue="metrics-test", state="failed", prefix="${ops.prefix}"} 1`);
    expect(depths.match(/# TYPE bullmq_job_count gauge/g)).toHaveLength(1);
    await queue.obliterate({ force: true });
    await queue.close();
  });
});
