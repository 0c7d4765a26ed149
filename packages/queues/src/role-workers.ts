// BullMQ workers for one role: payloads validated at the edge, handlers looked up in a registry checked at boot.
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '@finops/core';
import { z } from 'zod';
import type { JobProgress } from './job-progress.js';
import { JOBS, JOB_NAMES, roleQueueNames, type JobName, type JobPayload, type Role } from './jobs.js';

export interface HandlerContext {
  job: Job;
  logger: Logger;
  /** The worker's lock token of the job: needed to move it back to delayed (`job.moveToDelayed(at, token)`). */
  token?: string;
  /**
   * Reports how far the job got (`job.updateProgress`): watchers follow it through QueueEvents. Best effort: a
   * progress write that fails is logged at debug level and never fails the job.
   */
  progress(progress: JobProgress): Promise<void>;
}

export type JobHandler<N extends JobName> = (payload: JobPayload<N>, context: HandlerContext) => Promise<unknown>;
export type JobHandlers = { [N in JobName]?: JobHandler<N> };

export interface RoleWorkersOptions {
  role: Role;
  handlers: JobHandlers;
  connection: Redis;
  prefix: string;
  concurrency: number;
  /** Regions to serve (regional roles only). */
  regions: string[];
  /** Concurrency of particular queues (e.g. `notifications`), over `concurrency`. */
  queueConcurrency?: Record<string, number>;
  logger: Logger;
  /** How long in-flight jobs may run on shutdown before the workers are closed forcibly. */
  shutdownTimeoutMs: number;
  /** BullMQ's lockDuration (default 30 s): a killed worker's job is recovered once its lock expires. */
  lockDurationMs?: number;
  /** BullMQ's stalledInterval (default 30 s): how often expired locks are looked for. */
  stalledIntervalMs?: number;
}

/** Refuses to start when a job of this role has no handler, or a handler is registered for another role's job. */
export function assertHandlers(role: Role, handlers: JobHandlers): void {
  const problems: string[] = [];
  for (const name of JOB_NAMES) {
    const expected = JOBS[name].role === role;
    if (expected && !handlers[name]) problems.push(`job "${name}" has no handler in the ${role} service`);
    if (!expected && handlers[name]) problems.push(`job "${name}" belongs to the ${JOBS[name].role} service, not ${role}`);
  }
  if (problems.length) throw new Error(`${problems.join('; ')}: register exactly one handler per job in @finops/pipeline`);
}

/** One line per schema problem: `kind: expected one of …`. */
function describeZodError(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'payload'}: ${i.message}`).join('; ');
}

/** Workers of one role, one per queue it serves. `close()` lets in-flight jobs finish, then forces. Idempotent. */
export class RoleWorkers {
  readonly workers: Worker[];
  private closing?: Promise<void>;

  constructor(private readonly options: RoleWorkersOptions) {
    const { role, handlers, logger } = options;
    assertHandlers(role, handlers);
    const names = roleQueueNames(role, options.regions);
    this.workers = names.map((name) => {
      const worker = new Worker(name, (job, token) => this.process(job, token), {
        connection: options.connection,
        prefix: options.prefix,
        concurrency: options.queueConcurrency?.[name] ?? options.concurrency,
        ...(options.lockDurationMs ? { lockDuration: options.lockDurationMs } : {}),
        ...(options.stalledIntervalMs ? { stalledInterval: options.stalledIntervalMs } : {}),
      });
      worker.on('error', (error) => logger.error({ err: error, queue: name }, 'worker error'));
      worker.on('failed', (job, error) =>
        logger.warn({ jobId: job?.id, queue: name, attemptsMade: job?.attemptsMade, err: error.message }, 'job failed'),
      );
      return worker;
    });
  }

  private async process(job: Job, token?: string): Promise<unknown> {
    const name = job.name as JobName;
    const spec = JOBS[name];
    if (!spec || spec.role !== this.options.role) {
      throw new UnrecoverableError(
        `job "${job.name}" cannot run on queue ${job.queueName}: the ${this.options.role} service runs ${JOB_NAMES.filter((n) => JOBS[n].role === this.options.role).join(', ')}`,
      );
    }
    const parsed = spec.payload.safeParse(job.data);
    if (!parsed.success) {
      throw new UnrecoverableError(`invalid ${name} payload in job ${job.id}: ${describeZodError(parsed.error)}`);
    }
    const handler = this.options.handlers[name] as JobHandler<typeof name>;
    const logger = this.options.logger.child({ jobId: job.id, queue: job.queueName, ...parsed.data });
    const progress = async (value: JobProgress) => {
      try {
        await job.updateProgress(value);
      } catch (error) {
        logger.debug({ err: (error as Error).message }, 'job progress not recorded');
      }
    };
    return handler(parsed.data as never, { job, logger, token, progress });
  }

  /** Waits for the workers to connect. */
  async ready(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
  }

  isRunning(): boolean {
    return this.workers.every((w) => w.isRunning());
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      const graceful = Promise.all(this.workers.map((w) => w.close()));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        graceful.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), this.options.shutdownTimeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) {
        // BullMQ cannot turn a graceful close into a forced one; the caller exits, the unfinished jobs' locks
        // expire and another worker's stalled-job check hands them back to the queue.
        this.options.logger.warn(
          { timeoutMs: this.options.shutdownTimeoutMs },
          'in-flight jobs did not finish in time; exiting, they return to the queue when their locks expire',
        );
      }
    })();
    return this.closing;
  }
}
