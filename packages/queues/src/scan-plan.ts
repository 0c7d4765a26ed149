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
