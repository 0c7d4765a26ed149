// Live job events of several queues (BullMQ QueueEvents), for watchers such as a scan's progress display.
import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';

/** A job changed state or reported progress on one of the watched queues. */
export type JobEvent =
  | { type: 'active' | 'waiting' | 'delayed' | 'waiting-children' | 'completed'; queue: string; jobId: string }
  | { type: 'progress'; queue: string; jobId: string; data: unknown }
  | { type: 'failed'; queue: string; jobId: string; failedReason: string };

export interface JobEventStreamsOptions {
  /**
   * The process's connection: each queue's QueueEvents reads its stream with a blocking XREAD on a duplicate of it
   * (BullMQ duplicates a given client for blocking readers and closes the duplicate on close()).
   */
  connection: Redis;
  prefix: string;
  queues: readonly string[];
  onEvent: (event: JobEvent) => void;
  /** Connection problems of a stream; it reconnects by itself. Default: ignored. */
  onError?: (error: Error, queue: string) => void;
}

const STATE_EVENTS = ['active', 'waiting', 'delayed', 'waiting-children', 'completed'] as const;

/**
 * One QueueEvents per queue, forwarding typed events. `close()` is idempotent and closes every stream.
 *
 * @example
 * const streams = await JobEventStreams.open({ connection, prefix, queues: ['optimizer'], onEvent: (e) => seen.push(e) });
 * const snapshot = await readJobStates(); // anything after this is in the events
 * await streams.close();
 */
export class JobEventStreams {
  private readonly streams: QueueEvents[];
  private closing?: Promise<void>;

  /**
   * Starts following the queues from the moment of the call, by the Redis server's clock: a snapshot of job states
   * read after this resolves, plus the events, misses nothing (a stream's blocking read may start a little later,
   * but it reads from that moment on).
   */
  static async open(options: JobEventStreamsOptions): Promise<JobEventStreams> {
    if (options.connection.options.maxRetriesPerRequest !== null) {
      throw new Error('job events need a connection with maxRetriesPerRequest: null (a worker connection), as every BullMQ blocking reader does');
    }
    const [seconds, micros] = await options.connection.time();
    // XREAD returns entries after the id given: one millisecond back also keeps the events of this very millisecond.
    const fromMs = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - 1;
    return new JobEventStreams(options, `${fromMs}-0`);
  }

  private constructor(options: JobEventStreamsOptions, lastEventId: string) {
    const { onEvent } = options;
    this.streams = [...new Set(options.queues)].map((queue) => {
      const events = new QueueEvents(queue, {
        connection: options.connection,
        prefix: options.prefix,
        lastEventId,
      });
      events.on('error', (error) => options.onError?.(error, queue));
      for (const type of STATE_EVENTS) events.on(type, ({ jobId }: { jobId: string }) => onEvent({ type, queue, jobId }));
      events.on('progress', ({ jobId, data }) => onEvent({ type: 'progress', queue, jobId, data }));
      events.on('failed', ({ jobId, failedReason }) => onEvent({ type: 'failed', queue, jobId, failedReason }));
      return events;
    });
  }

  /** Resolves once every stream is connected. */
  async ready(): Promise<void> {
    await Promise.all(this.streams.map((s) => s.waitUntilReady()));
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      // Closing interrupts each stream's blocking read; a stream that fails to close leaves nothing to clean up.
      await Promise.all(this.streams.map((stream) => stream.close().catch(() => undefined)));
    })();
    return this.closing;
  }
}
