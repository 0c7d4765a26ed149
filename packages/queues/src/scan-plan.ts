// What one scan covers: stored with the scan so every worker reads the same accounts, regions and kinds.
import { z } from 'zod';
import { RESOURCE_KINDS } from '@finops/core';

export const scanPlanSchema = z.strictObject({
  scanId: z.string(),
  startedAt: z.string(),
  provider: z.enum(['aws', 'simulated']),
  dryRun: z.boolean(),
  accounts: z.array(z.string()).min(1),
  regions: z.array(z.string()).min(1),
  kinds: z.array(z.enum(RESOURCE_KINDS)).min(1),
  /** Who or what started it: `cli`, `api`, `schedule:<id>`, `demo`. */
  trigger: z.string(),
  /** Why, when a schedule started it: `monitor`, `report` (weekly summary), `budget-review`; absent for a plain scan. */
  purpose: z.enum(['scan', 'monitor', 'report', 'budget-review']).optional(),
  /**
   * How the partition's checks are split into check jobs: groups of `kinds` that checks read together (checkGroups of
   * @finops/checks), each a job of its own that runs when its kinds are analysed. Absent in plans of an earlier
   * version, whose flows have no check jobs: their optimize jobs run every check themselves.
   */
  checkGroups: z.array(z.array(z.enum(RESOURCE_KINDS)).min(1)).optional(),
  /**
   * Set when each discovery job queues its kind's analysis job itself, as a child of the kind's check job, once the
   * kind is listed: Lambda's metrics are then fetched while its ListTags calls go on. Absent in plans of an earlier
   * version, whose flows hold each analysis job as the parent of its kind's discovery job. Needs `checkGroups`.
   */
  analysisQueuedByDiscovery: z.literal(true).optional(),
  /**
   * With analysisQueuedByDiscovery: the kinds whose discovery queues an analysis job, those whose metrics an enabled
   * check read when the scan was planned. The others (snapshots, Elastic IPs) have no analysis job: their check jobs
   * wait for their listing alone. Absent: every kind has one.
   */
  analyzedKinds: z.array(z.enum(RESOURCE_KINDS)).optional(),
  /**
   * Set when each check job tracks the findings of its group (each resource kind a tracking scope of its own), so
   * that only the last group's tracking is left when a partition's slowest listing ends; the optimize job then joins
   * what its check jobs tracked. Absent in plans of an earlier version: the optimize job tracks the partition as one
   * scope. Needs `checkGroups`.
   */
  trackedByKind: z.literal(true).optional(),
  /** Home region (aws.defaultRegion) whose analysis queue runs the scan's `costs` job; absent: costs not fetched. */
  costsRegion: z.string().optional(),
});
export type ScanPlan = z.infer<typeof scanPlanSchema>;

/** A new scan id: sortable by time, unique, safe in BullMQ job ids and file names (`scan-20261126T193000Z-k3f9`). */
export function newScanId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const random = Math.random().toString(36).slice(2, 6).padEnd(4, '0');
  return `scan-${stamp}-${random}`;
}

/** Every (account, region) partition of a plan. */
export function partitions(plan: Pick<ScanPlan, 'accounts' | 'regions'>): { accountId: string; region: string }[] {
  return plan.accounts.flatMap((accountId) => plan.regions.map((region) => ({ accountId, region })));
}
