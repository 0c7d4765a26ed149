// Prometheus metrics of one process (prom-client): job durations and failures, AWS calls, throttles and API spend.
import { estimateApiCostUsd, observeApiCalls, type ApiCallEvent } from '@finops/aws';
import type { Job, Worker } from 'bullmq';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ProcessMetricsOptions {
  /** The `role` label on every metric: `api`, `discovery`, `discovery+analysis`, … (`service` names the AWS service). */
  service: string;
  /** Node.js process metrics (memory, event loop lag, GC). Default: true. */
  defaultMetrics?: boolean;
}

/** Seconds, from a 50 ms page to a 10 min report of a very large estate. */
const JOB_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/** What the AWS APIs cost, in the same terms as the report's apiUsage. */
function spendOf(event: ApiCallEvent): { api: string; usd: number } | undefined {
  if (event.metricsRequested) {
    return { api: 'cloudwatch', usd: estimateApiCostUsd({ calls: {}, throttled: 0, metricsRequested: event.metricsRequested, costExplorerRequests: 0 }) };
  }
  if (event.costExplorerRequests) {
    return { api: 'cost-explorer', usd: estimateApiCostUsd({ calls: {}, throttled: 0, metricsRequested: 0, costExplorerRequests: event.costExplorerRequests }) };
  }
  return undefined;
}

/**
 * One registry per process. Worker processes feed it from their workers' events and from every SDK attempt;
 * the API adds queue depths and scan totals at scrape time (see metricsText).
 */
export class ProcessMetrics {
  readonly registry = new Registry();
  private readonly jobDuration: Histogram<'queue' | 'name' | 'status'>;
  private readonly jobFailures: Counter<'queue' | 'name' | 'final'>;
  private readonly awsCalls: Counter<'service' | 'operation' | 'region' | 'outcome'>;
  private readonly awsThrottles: Counter<'service' | 'operation' | 'region'>;
  private readonly cloudwatchMetrics: Counter<'region'>;
  private readonly apiSpend: Counter<'api'>;
  private readonly stops: (() => void)[] = [];

  constructor(options: ProcessMetricsOptions) {
    this.registry.setDefaultLabels({ role: options.service });
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'finops_' });
    const registers = [this.registry];
    this.jobDuration = new Histogram({
      name: 'finops_job_duration_seconds',
      help: 'Time from a job becoming active to it finishing, by queue, job name and outcome',
      labelNames: ['queue', 'name', 'status'],
      buckets: JOB_BUCKETS,
      registers,
    });
    this.jobFailures = new Counter({
      name: 'finops_job_failures_total',
      help: 'Failed job attempts by queue and job name; final="true" when no attempt is left (an operator must retry)',
      labelNames: ['queue', 'name', 'final'],
      registers,
    });
    this.awsCalls = new Counter({
      name: 'finops_aws_calls_total',
      help: 'AWS API attempts (retries included) by service, operation, region and outcome',
      labelNames: ['service', 'operation', 'region', 'outcome'],
      registers,
    });
    this.awsThrottles = new Counter({
      name: 'finops_aws_throttles_total',
      help: 'AWS API attempts answered with a throttling error',
      labelNames: ['service', 'operation', 'region'],
      registers,
    });
    this.cloudwatchMetrics = new Counter({
      name: 'finops_cloudwatch_metrics_requested_total',
      help: 'Metric queries of successful GetMetricData calls (what CloudWatch bills)',
      labelNames: ['region'],
      registers,
    });
    this.apiSpend = new Counter({
      name: 'finops_aws_api_spend_usd_total',
      help: 'Estimated spend on billed AWS APIs (CloudWatch GetMetricData, Cost Explorer), USD',
      labelNames: ['api'],
      registers,
    });
  }

  /** Counts every SDK attempt made in this process. */
  observeAwsCalls(): this {
    this.stops.push(observeApiCalls((event) => this.recordAwsCall(event)));
    return this;
  }

  recordAwsCall(event: ApiCallEvent): void {
    const region = event.region ?? 'global';
    this.awsCalls.inc({ service: event.service, operation: event.operation, region, outcome: event.ok ? 'ok' : 'error' });
    if (event.throttled) this.awsThrottles.inc({ service: event.service, operation: event.operation, region });
    if (event.metricsRequested) this.cloudwatchMetrics.inc({ region }, event.metricsRequested);
    const spend = spendOf(event);
    if (spend) this.apiSpend.inc({ api: spend.api }, spend.usd);
  }

  /** Job durations and failures from BullMQ worker events. */
  observeWorkers(workers: readonly Worker[]): this {
    for (const worker of workers) {
      const onCompleted = (job: Job) => this.recordJob(job, 'completed');
      const onFailed = (job: Job | undefined, error: Error) => {
        if (!job) return;
        this.recordJob(job, 'failed');
        // UnrecoverableError ends the job at once, whatever attempts are left.
        const final = job.attemptsMade >= (job.opts.attempts ?? 1) || error.name === 'UnrecoverableError';
        this.jobFailures.inc({ queue: worker.name, name: job.name, final: String(final) });
      };
      worker.on('completed', onCompleted);
      worker.on('failed', onFailed);
      this.stops.push(() => {
        worker.off('completed', onCompleted);
        worker.off('failed', onFailed);
      });
    }
    return this;
  }

  private recordJob(job: Job, status: 'completed' | 'failed'): void {
    if (!job.processedOn) return;
    const seconds = Math.max(0, ((job.finishedOn ?? Date.now()) - job.processedOn) / 1000);
    this.jobDuration.observe({ queue: job.queueName, name: job.name, status }, seconds);
  }

  /** Stops observing (workers and AWS calls). Idempotent. */
  stop(): void {
    for (const stop of this.stops.splice(0)) stop();
  }
}
