// What remediation reads from a scan: its open recommendations and the resources as the scan saw them.
import { UsageError, type Recommendation, type Resource } from '@finops/core';
import { partitions, type ScanRecord, type ScanStore } from '@finops/queues';

/** The scan to act on: the one named, or the newest completed one. */
export async function resolveScan(scans: ScanStore, scanId?: string): Promise<ScanRecord> {
  if (scanId) {
    const scan = await scans.getScan(scanId);
    if (!scan) throw new UsageError(`scan ${scanId} not found`, { hint: 'its data may have expired (workers.retention.scanDataDays); `finops scan --wait` runs a new one' });
    if (scan.status !== 'completed') throw new UsageError(`scan ${scanId} is ${scan.status}, not completed`, { hint: 'act on a completed scan' });
    return scan;
  }
  const latest = (await scans.listScans(50)).find((scan) => scan.status === 'completed');
  if (!latest) throw new UsageError('no completed scan to act on', { hint: 'run one first: finops scan --wait' });
  return latest;
}

/** Largest saving first, ties by id: a run's limit keeps the most valuable actions. */
export function bySavings(a: Recommendation, b: Recommendation): number {
  return b.monthlySavingsUsd - a.monthlySavingsUsd || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Open recommendations of one partition, optionally only those named, largest saving first. */
export async function openRecommendations(scans: ScanStore, scanId: string, accountId: string, region: string, only?: readonly string[]): Promise<Recommendation[]> {
  const recommendations = await scans.loadRecommendations(scanId, accountId, region);
  return recommendations.filter((r) => r.status === 'open' && (!only || only.includes(r.id))).sort(bySavings);
}

/** Every open recommendation of the scan, by id. */
export async function scanRecommendations(scans: ScanStore, scan: ScanRecord): Promise<Map<string, Recommendation>> {
  const lists = await Promise.all(partitions(scan.plan).map((p) => openRecommendations(scans, scan.plan.scanId, p.accountId, p.region)));
  return new Map(lists.flat().map((r) => [r.id, r]));
}

/** The resources of one partition as the scan inventoried them, by `<kind>/<id>`. */
export async function scannedResources(scans: ScanStore, scan: ScanRecord, accountId: string, region: string): Promise<Map<string, Resource>> {
  const resources = await scans.loadInventory(scan.plan.scanId, accountId, region, scan.plan.kinds);
  return new Map(resources.map((r) => [`${r.kind}/${r.id}`, r]));
}
