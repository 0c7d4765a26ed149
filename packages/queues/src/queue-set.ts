// Constructs every BullMQ Queue and the FlowProducer of the platform; the only place queues are built.
import { FlowProducer, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { JobEventStreams, type JobEventStreamsOptions } from './job-events.js';
import { ROLES, queueName, roleQueueNames, type Role } from './jobs.js';

export interface QueueSetOptions {
  connection: Redis;
  /** Key prefix, hash-tagged for Redis Cluster: `{finops}`. */
  prefix: string;
  /** Regions whose regional queues exist. */
  regions: string[];
  onError?: (error: Error, queue: string) => void;
}

/** Every queue name for these regions, in a stable order: per role, its own queues then its standalone ones. */
export function allQueueNames(regions: string[]): string[] {
  return ROLES.flatMap((role) => roleQueueNames(role, regions));
}

/** The platform's queues (created lazily, one per name) and its flow producer. `close()` is idempotent. */
export class QueueSet {
  private readonly queues = new Map<string, Queue>();
  private flowProducer?: FlowProducer;
  private closing?: Promise<void>;

  constructor(private readonly options: QueueSetOptions) {
    for (const name of allQueueNames(options.regions)) this.get(name);
  }

  get prefix(): string {
    return this.options.prefix;
  }

  /** The queue with this name, created on first use. */
  get(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.options.connection, prefix: this.options.prefix });
      queue.on('error', (error) => this.options.onError?.(error, name));
      this.queues.set(name, queue);
    }
    return queue;
  }

  forRole(role: Role, region?: string): Queue {
    return this.get(queueName(role, region));
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }

  /** Follows job events of these queues from now on, on connections of their own (see JobEventStreams); close it when done. */
  jobEvents(options: Omit<JobEventStreamsOptions, 'connection' | 'prefix'>): Promise<JobEventStreams> {
    return JobEventStreams.open({ ...options, connection: this.options.connection, prefix: this.options.prefix });
  }

  flows(): FlowProducer {
    if (!this.flowProducer) {
      this.flowProducer = new FlowProducer({ connection: this.options.connection, prefix: this.options.prefix });
      this.flowProducer.on('error', (error) => this.options.onError?.(error, 'flow-producer'));
    }
    return this.flowProducer;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const queue of this.queues.values()) {
        try {
          await queue.close();
        } catch (error) {
          this.options.onError?.(error as Error, queue.name);
        }
      }
      try {
        await this.flowProducer?.close();
      } catch (error) {
        this.options.onError?.(error as Error, 'flow-producer');
      }
    })();
    return this.closing;
  }
}
