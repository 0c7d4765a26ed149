// What a scan job reports while it runs (BullMQ job progress), and how a watcher reads it back.
import { z } from 'zod';
import type { JobName } from './jobs.js';

/** The jobs of a scan's flow, in stage order. */
export const SCAN_STAGES = ['discover', 'analyze', 'check', 'optimize', 'costs', 'report'] as const satisfies readonly JobName[];
export type ScanStage = (typeof SCAN_STAGES)[number];

const count = z.number().int().min(0);

/**
 * One job's progress, as `job.updateProgress` stores it and QueueEvents' `progress` event carries it. `done` of
 * `total` are the job's own units of work (resource kinds listed, metric batches fetched, report steps): a watcher
 * only reads their ratio. `resourcesFound` is what a discovery job has listed so far, before its inventory is stored.
 */
export const jobProgressSchema = z
  .strictObject({
    stage: z.enum(SCAN_STAGES),
    done: count,
    total: count,
    resourcesFound: count.optional(),
  })
  .refine((p) => p.done <= p.total, { message: 'done must not exceed total', path: ['done'] });
export type JobProgress = z.infer<typeof jobProgressSchema>;

/**
 * The progress a job reported, or undefined when it reported none or something else: BullMQ's default progress is
 * the number 0, and a job of an older or newer release may report another shape. Never throws.
 */
export function readJobProgress(value: unknown): JobProgress | undefined {
  const parsed = jobProgressSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** How far a job got: `done / total`, 0 when it reported nothing measurable. */
export function progressFraction(progress: JobProgress | undefined): number {
  return progress && progress.total > 0 ? progress.done / progress.total : 0;
}
