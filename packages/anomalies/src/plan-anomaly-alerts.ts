// Which anomalies raise a `critical-anomaly` alert now: once when one opens, once per level it escalates to, and
// one alert for the several series (total, service, region, account) that the same root cause moves together.
import { addDays, daysBetween } from './dates.js';
import { describeRootCause, usd, usdPerDay } from './format.js';
import { IMPACT_UNIT, MERGE_GAP_DAYS } from './detect-anomalies.js';
import type { InsightAlert } from './insight-alert.js';
import { compareSeverity, SEVERITIES, type AnomalySettings, type Severity } from './severity.js';
import type { TrackedAnomaly } from './track-anomalies.js';

export interface AnomalyAlertPlan {
  alerts: InsightAlert[];
  /** The anomalies with `alertedSeverity` raised where an alert was planned. */
  tracked: TrackedAnomaly[];
}

/**
 * The group an anomaly alerts under: its top root cause cell (`account/region/service`), or its own series when
 * it has no root cause. Usage types are left out so the key does not change when they are looked up later.
 */
export function alertGroupKey(anomaly: Pick<TrackedAnomaly, 'rootCauses' | 'series'>): string {
  const top = anomaly.rootCauses[0];
  return top ? `${top.accountId}/${top.region}/${top.service}` : `series:${anomaly.series}`;
}

function maxSeverity(values: readonly (Severity | undefined)[]): Severity | undefined {
  let best: Severity | undefined;
  for (const v of values) if (v && (!best || compareSeverity(v, best) > 0)) best = v;
  return best;
}

/** Anomalies with the same group key whose days overlap (or nearly touch) form one incident. */
function incidents(anomalies: readonly TrackedAnomaly[]): TrackedAnomaly[][] {
  const byGroup = new Map<string, TrackedAnomaly[]>();
  for (const a of anomalies) byGroup.set(alertGroupKey(a), [...(byGroup.get(alertGroupKey(a)) ?? []), a]);
  const out: TrackedAnomaly[][] = [];
  for (const members of byGroup.values()) {
    members.sort((a, b) => a.startDate.localeCompare(b.startDate) || a.series.localeCompare(b.series));
    let current: TrackedAnomaly[] = [];
    let currentEnd = '';
    for (const a of members) {
      if (current.length > 0 && a.startDate > addDays(currentEnd, MERGE_GAP_DAYS + 1)) {
        out.push(current);
        current = [];
      }
      current.push(a);
      currentEnd = current.length === 1 || a.latestDate > currentEnd ? a.latestDate : currentEnd;
    }
    if (current.length > 0) out.push(current);
  }
  return out;
}

/**
 * Plans the alerts of one evaluation over the anomalies it touched. An incident alerts when its severity reaches
 * `alertMinSeverity`: `opened` the first time, `escalated` when it reaches a level above the last one alerted.
 * An anomaly first seen after it ended more than `alertEndedWithinDays` before the latest day is history (a first
 * scan over old data) and never alerts.
 */
export function planAnomalyAlerts(
  tracked: readonly TrackedAnomaly[],
  context: { touched: readonly string[]; latestDay: string; now: Date },
  settings: Pick<AnomalySettings, 'alertMinSeverity' | 'alertEndedWithinDays'>,
): AnomalyAlertPlan {
  const touched = new Set(context.touched);
  const eligible = tracked.filter(
    (a) =>
      touched.has(a.id) &&
      compareSeverity(a.severity, settings.alertMinSeverity) >= 0 &&
      !(a.alertedSeverity === undefined && a.status === 'closed' && daysBetween(a.latestDate, context.latestDay) > settings.alertEndedWithinDays),
  );
  const raised = new Map<string, Severity>();
  const alerts: InsightAlert[] = [];
  for (const members of incidents(eligible)) {
    const severity = maxSeverity(members.map((m) => m.severity)) as Severity;
    const alerted = maxSeverity(members.map((m) => m.alertedSeverity));
    if (alerted !== undefined && compareSeverity(severity, alerted) <= 0) continue;
    alerts.push(anomalyAlert(members, severity, alerted === undefined ? 'opened' : 'escalated', context.now));
    for (const m of members) raised.set(m.id, severity);
  }
  return {
    alerts,
    tracked: tracked.map((a) => (raised.has(a.id) ? { ...a, alertedSeverity: raised.get(a.id) } : a)),
  };
}

function anomalyAlert(members: readonly TrackedAnomaly[], severity: Severity, kind: 'opened' | 'escalated', now: Date): InsightAlert {
  // The most severe, then largest, member speaks for the incident.
  const lead = [...members].sort((a, b) => compareSeverity(b.severity, a.severity) || b.impactUsdToDate - a.impactUsdToDate)[0];
  const group = alertGroupKey(lead);
  const start = members.reduce((min, m) => (m.startDate < min ? m.startDate : min), lead.startDate);
  const top = lead.rootCauses[0];
  const where = top ? describeRootCause(top) : `${lead.series}, ${usdPerDay(lead.impactUsdPerDay)}`;
  const status = members.some((m) => m.status === 'open') ? 'ongoing' : `ended ${lead.latestDate}`;
  const deviation = lead.deviationPercent === null ? 'new spend with no baseline' : `+${lead.deviationPercent}%`;
  const verb = kind === 'opened' ? 'Cost anomaly' : `Cost anomaly escalated to ${severity}`;
  return {
    event: 'critical-anomaly',
    dedupKey: `critical-anomaly:${group}:${start}:${kind === 'opened' ? 'opened' : `escalated-${severity}`}`,
    severity,
    title: `${verb} (${severity}): ${where}`,
    message:
      `Since ${start} (${status}): ${where}. ` +
      `${lead.series} is ${usdPerDay(lead.impactUsdPerDay)} over its baseline of ${usd(lead.baselineUsdPerDay)}/day (${deviation}), ` +
      `${usd(lead.impactUsdToDate)} to date. Series: ${members.map((m) => m.series).join(', ')}. Amounts in ${IMPACT_UNIT} unless stated.`,
    raisedAt: now.toISOString(),
    details: {
      kind,
      anomalyIds: members.map((m) => m.id).join(','),
      series: members.map((m) => m.series).join(','),
      startDate: start,
      latestDate: lead.latestDate,
      status: members.some((m) => m.status === 'open') ? 'open' : 'closed',
      severity,
      severityRank: SEVERITIES.indexOf(severity),
      unit: IMPACT_UNIT,
      impactUsdPerDay: lead.impactUsdPerDay,
      impactUsdToDate: lead.impactUsdToDate,
      baselineUsdPerDay: lead.baselineUsdPerDay,
      deviationPercent: lead.deviationPercent,
      rootCause: top ? describeRootCause(top) : null,
      service: top?.service ?? null,
      region: top?.region ?? null,
      accountId: top?.accountId ?? null,
      usageType: top?.usageType ?? null,
    },
  };
}
