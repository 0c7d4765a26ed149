// The notifications this package raises itself: a stalled scan, new high-savings recommendations, the weekly summary.
// (Critical anomalies and budget thresholds are raised by their own packages with `notificationSchema`.)
import { createHash } from 'node:crypto';
import { roundCents, type Recommendation } from '@finops/core';
import { formatUsd, type Report, type ReportDiff } from '@finops/reports';
import { notificationSchema, type Notification } from './notification.js';

/** `<base>/api/scans/<id>/report.html`, when the API's public URL is configured. */
export function reportLink(baseUrl: string | undefined, scanId: string): string | undefined {
  return baseUrl ? `${baseUrl.replace(/\/+$/, '')}/api/scans/${encodeURIComponent(scanId)}/report.html` : undefined;
}

export interface ScanFailureInput {
  scanId: string;
  jobId: string;
  jobName: string;
  queue: string;
  reason: string;
  attemptsMade: number;
  failedAt: Date;
  /** Where an operator retries it (Bull Board), when the API's URL is known. */
  link?: string;
}

/**
 * A scan stopped: one of its jobs used all its attempts and the scan waits for an operator. One per scan (the key
 * is the scan id): a second failing partition of the same scan does not page twice.
 */
export function scanFailureNotification(input: ScanFailureInput): Notification {
  return notificationSchema.parse({
    event: 'scan-failure',
    dedupKey: `scan-failure:${input.scanId}`,
    severity: 'critical',
    title: `Scan ${input.scanId} is stalled: a ${input.jobName} job failed`,
    text:
      `Job ${input.jobId} on queue ${input.queue} failed after ${input.attemptsMade} attempt(s): ${input.reason.slice(0, 1000)}. ` +
      'The scan waits: fix the cause, then retry the job in Bull Board (/admin/queues) and the scan resumes.',
    fields: [
      { label: 'Scan', value: input.scanId },
      { label: 'Job', value: input.jobId },
      { label: 'Queue', value: input.queue },
      { label: 'Attempts', value: String(input.attemptsMade) },
    ],
    link: input.link,
    scanId: input.scanId,
    occurredAt: input.failedAt.toISOString(),
    data: { jobId: input.jobId, jobName: input.jobName, queue: input.queue, reason: input.reason, attemptsMade: input.attemptsMade },
  });
}

const label = (r: Recommendation) => `${r.checkId} · ${r.resourceName ? `${r.resourceId} (${r.resourceName})` : r.resourceId}`;

/**
 * New recommendations saving at least `thresholdUsd` a month (new: absent from the previous scan, see
 * diffReports). The key is the set of their ids, so a re-run of the same report raises the same notification and a
 * later scan, which compares with this one, raises none for them. Undefined when there is nothing to say.
 */
export function highSavingsNotification(input: {
  report: Pick<Report, 'scanId' | 'finishedAt'>;
  /** The new recommendations (diff.new, or every open one on a first scan). */
  candidates: readonly Recommendation[];
  thresholdUsd: number;
  baseUrl?: string;
}): Notification | undefined {
  const high = input.candidates.filter((r) => r.status === 'open' && r.monthlySavingsUsd >= input.thresholdUsd);
  if (!high.length) return undefined;
  const total = roundCents(high.reduce((sum, r) => sum + r.monthlySavingsUsd, 0));
  const ids = high.map((r) => r.id).sort();
  const digest = createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 24);
  return notificationSchema.parse({
    event: 'high-savings',
    dedupKey: `high-savings:${digest}`,
    severity: 'warning',
    title: `${high.length} new recommendation(s) could save ${formatUsd(total)}/month`,
    text:
      `Scan ${input.report.scanId} found ${high.length} new recommendation(s) saving at least ${formatUsd(input.thresholdUsd)}/month each, ` +
      `${formatUsd(total)}/month in all. The largest are listed; every recommendation is in the report.`,
    fields: high.slice(0, 8).map((r) => ({ label: label(r).slice(0, 60), value: `${formatUsd(r.monthlySavingsUsd)}/month · ${r.accountId} ${r.region} · ${r.risk} risk` })),
    link: reportLink(input.baseUrl, input.report.scanId),
    scanId: input.report.scanId,
    occurredAt: input.report.finishedAt,
    data: {
      thresholdUsd: input.thresholdUsd,
      monthlySavingsUsd: total,
      recommendations: high.map((r) => ({ id: r.id, checkId: r.checkId, resourceId: r.resourceId, accountId: r.accountId, region: r.region, monthlySavingsUsd: r.monthlySavingsUsd, risk: r.risk })),
    },
  });
}

/** ISO 8601 week of a date, e.g. `2026-W48` (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeek(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/**
 * The weekly summary: savings, recommendations, anomalies, budgets and errors of the latest report, and what moved
 * since the scan a week earlier. One per ISO week (the key), however often the schedule fires.
 */
export function weeklySummaryNotification(input: { report: Report; diff?: ReportDiff; now: Date; baseUrl?: string }): Notification {
  const { report, diff } = input;
  const week = isoWeek(input.now);
  const moved = diff
    ? ` Since scan ${diff.previous.scanId}: ${diff.new.length} new, ${diff.resolved.length} resolved, ${diff.changed.length} changed (${diff.savings.deltaUsd >= 0 ? '+' : '−'}${formatUsd(Math.abs(diff.savings.deltaUsd))}/month).`
    : '';
  return notificationSchema.parse({
    event: 'weekly-summary',
    dedupKey: `weekly-summary:${week}`,
    severity: 'info',
    title: `FinOps weekly summary ${week}: ${formatUsd(report.totals.monthlySavingsUsd)}/month to save`,
    text:
      `Latest scan ${report.scanId} (${report.finishedAt}): ${report.totals.recommendations} open recommendation(s) worth ` +
      `${formatUsd(report.totals.monthlySavingsUsd)}/month over ${report.inventory.total} resources.${moved}`,
    fields: [
      { label: 'Savings per month', value: formatUsd(report.totals.monthlySavingsUsd) },
      { label: 'Open recommendations', value: String(report.totals.recommendations) },
      { label: 'Anomalies', value: String(report.anomalies.length) },
      { label: 'Budgets', value: String(report.budgets.length) },
      { label: 'Errors', value: String(report.errors.length) },
      ...(diff
        ? [
            { label: 'New', value: `${diff.new.length} (${formatUsd(diff.savings.newUsd)}/month)` },
            { label: 'Resolved', value: `${diff.resolved.length} (${formatUsd(diff.savings.resolvedUsd)}/month)` },
          ]
        : []),
    ],
    link: reportLink(input.baseUrl, report.scanId),
    scanId: report.scanId,
    occurredAt: input.now.toISOString(),
    data: {
      week,
      totals: { monthlySavingsUsd: report.totals.monthlySavingsUsd, recommendations: report.totals.recommendations },
      ...(diff ? { diff: { previousScanId: diff.previous.scanId, new: diff.new.length, resolved: diff.resolved.length, changed: diff.changed.length, savings: diff.savings } } : {}),
    },
  });
}
