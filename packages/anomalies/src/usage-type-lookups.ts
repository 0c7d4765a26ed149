// Which Cost Explorer USAGE_TYPE breakdowns to ask for, so root causes name the usage type, and applying them.
import type { UsageTypeCosts } from '@finops/core';
import { addDays } from './dates.js';
import { refineWithUsageTypes } from './root-causes.js';
import type { AnomalySettings } from './severity.js';
import type { TrackedAnomaly } from './track-anomalies.js';

/** One Cost Explorer request (plus pages): daily cost by usage type of one (service, region, account). */
export interface UsageTypeLookup {
  service: string;
  region: string;
  accountId: string;
  /** First day (inclusive) and last day (exclusive): the baseline window before the anomalies and their days. */
  start: string;
  end: string;
  /** Anomalies whose root causes this lookup refines. */
  anomalyIds: string[];
}

const needsLookup = (a: TrackedAnomaly) => a.rootCauses.length > 0 && a.rootCauses[0].usageType === undefined;

/**
 * The lookups this evaluation should make: for every touched anomaly whose top root cause has no usage type yet,
 * one per (service, region, account) cell, open anomalies first, then by impact; at most
 * `anomalyDetection.usageTypeLookups` of them. Anomalies left out are looked up in a later evaluation.
 */
export function planUsageTypeLookups(
  tracked: readonly TrackedAnomaly[],
  touched: readonly string[],
  settings: Pick<AnomalySettings, 'usageTypeLookups' | 'baselineDays'>,
): UsageTypeLookup[] {
  const ids = new Set(touched);
  const candidates = tracked
    .filter((a) => ids.has(a.id) && needsLookup(a))
    .sort((a, b) => Number(b.status === 'open') - Number(a.status === 'open') || b.impactUsdToDate - a.impactUsdToDate);
  const byCell = new Map<string, UsageTypeLookup>();
  for (const a of candidates) {
    const { service, region, accountId } = a.rootCauses[0];
    const key = `${accountId}/${region}/${service}`;
    const start = addDays(a.startDate, -settings.baselineDays);
    const end = addDays(a.latestDate, 1);
    const lookup = byCell.get(key);
    if (lookup) {
      lookup.start = start < lookup.start ? start : lookup.start;
      lookup.end = end > lookup.end ? end : lookup.end;
      lookup.anomalyIds.push(a.id);
    } else if (byCell.size < settings.usageTypeLookups) {
      byCell.set(key, { service, region, accountId, start, end, anomalyIds: [a.id] });
    }
  }
  return [...byCell.values()];
}

/** Refines the root causes of each lookup's anomalies with the usage-type costs fetched for it. */
export function applyUsageTypes(
  tracked: readonly TrackedAnomaly[],
  results: readonly { lookup: UsageTypeLookup; costs: UsageTypeCosts }[],
  settings: Pick<AnomalySettings, 'baselineDays'>,
): TrackedAnomaly[] {
  const byId = new Map(tracked.map((a) => [a.id, a]));
  for (const { lookup, costs } of results) {
    for (const id of lookup.anomalyIds) {
      const a = byId.get(id);
      if (a) byId.set(id, { ...a, rootCauses: refineWithUsageTypes(a.rootCauses, costs, a, settings.baselineDays) });
    }
  }
  return tracked.map((a) => byId.get(a.id) ?? a);
}
