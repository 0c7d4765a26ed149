// Scan-over-scan diff: which recommendations are new, resolved or changed, and how the savings moved.
import { roundCents, type Recommendation, type ResourceKind } from '@finops/core';
import { formatUsd } from './format-usd.js';
import type { Report } from './report-schema.js';
import { selectReport } from './select-report.js';

/** Version of the diff's JSON shape; bumped like REPORT_SCHEMA_VERSION. */
export const REPORT_DIFF_VERSION = '1.0.0';

export interface RecommendationChange {
  id: string;
  checkId: string;
  resourceId: string;
  accountId: string;
  region: string;
  /** Which of monthlySavingsUsd, risk and action changed. */
  fields: ('monthlySavingsUsd' | 'risk' | 'action')[];
  before: { monthlySavingsUsd: number; risk: Recommendation['risk']; action: string };
  after: { monthlySavingsUsd: number; risk: Recommendation['risk']; action: string };
  savingsDeltaUsd: number;
}

export interface ReportDiff {
  diffVersion: typeof REPORT_DIFF_VERSION;
  previous: { scanId: string; finishedAt: string };
  current: { scanId: string; finishedAt: string };
  /** What both scans covered; recommendations outside it are not compared (a narrower scan resolves nothing). */
  scope: { accounts: string[]; regions: string[]; kinds: ResourceKind[] };
  /** Open now, not open in the previous scan; largest saving first. */
  new: Recommendation[];
  /** Open in the previous scan, not open now (fixed, gone, suppressed or dismissed); largest saving first. */
  resolved: Recommendation[];
  /** Open in both with a different saving, risk or action; largest change first. */
  changed: RecommendationChange[];
  unchanged: number;
  savings: {
    /** Open savings in the compared scope, USD per month. */
    previousUsd: number;
    currentUsd: number;
    deltaUsd: number;
    newUsd: number;
    resolvedUsd: number;
    changedDeltaUsd: number;
  };
}

const sum = (recs: readonly Recommendation[]) => roundCents(recs.reduce((total, r) => total + r.monthlySavingsUsd, 0));
const bySavings = (a: Recommendation, b: Recommendation) => b.monthlySavingsUsd - a.monthlySavingsUsd || a.id.localeCompare(b.id);

/** Kinds a report inventoried: present in byKind, zero counts included. */
function kindsOf(report: Report): ResourceKind[] {
  return Object.keys(report.inventory.byKind) as ResourceKind[];
}

/**
 * Compares two reports by recommendation id (a fingerprint of account, region, resource and check, so the same
 * waste keeps its id from scan to scan). Only the accounts, regions and resource kinds both scans covered are
 * compared.
 *
 * @example const diff = diffReports(previousReport, report); diff.new.length; diff.savings.deltaUsd
 */
export function diffReports(previous: Report, current: Report): ReportDiff {
  const scope = {
    accounts: current.accounts.filter((a) => previous.accounts.includes(a)),
    regions: current.regions.filter((r) => previous.regions.includes(r)),
    kinds: kindsOf(current).filter((k) => kindsOf(previous).includes(k)),
  };
  const before = selectReport(previous, scope).recommendations;
  const after = selectReport(current, scope).recommendations;
  const beforeById = new Map(before.map((r) => [r.id, r]));
  const afterIds = new Set(after.map((r) => r.id));

  const added = after.filter((r) => !beforeById.has(r.id)).sort(bySavings);
  const resolved = before.filter((r) => !afterIds.has(r.id)).sort(bySavings);
  const changed: RecommendationChange[] = [];
  let unchanged = 0;
  for (const now of after) {
    const then = beforeById.get(now.id);
    if (!then) continue;
    const fields: RecommendationChange['fields'] = [];
    if (roundCents(then.monthlySavingsUsd) !== roundCents(now.monthlySavingsUsd)) fields.push('monthlySavingsUsd');
    if (then.risk !== now.risk) fields.push('risk');
    if (then.action.type !== now.action.type) fields.push('action');
    if (!fields.length) {
      unchanged += 1;
      continue;
    }
    changed.push({
      id: now.id,
      checkId: now.checkId,
      resourceId: now.resourceId,
      accountId: now.accountId,
      region: now.region,
      fields,
      before: { monthlySavingsUsd: then.monthlySavingsUsd, risk: then.risk, action: then.action.type },
      after: { monthlySavingsUsd: now.monthlySavingsUsd, risk: now.risk, action: now.action.type },
      savingsDeltaUsd: roundCents(now.monthlySavingsUsd - then.monthlySavingsUsd),
    });
  }
  changed.sort((a, b) => Math.abs(b.savingsDeltaUsd) - Math.abs(a.savingsDeltaUsd) || a.id.localeCompare(b.id));

  const previousUsd = sum(before);
  const currentUsd = sum(after);
  return {
    diffVersion: REPORT_DIFF_VERSION,
    previous: { scanId: previous.scanId, finishedAt: previous.finishedAt },
    current: { scanId: current.scanId, finishedAt: current.finishedAt },
    scope,
    new: added,
    resolved,
    changed,
    unchanged,
    savings: {
      previousUsd,
      currentUsd,
      deltaUsd: roundCents(currentUsd - previousUsd),
      newUsd: sum(added),
      resolvedUsd: sum(resolved),
      changedDeltaUsd: roundCents(changed.reduce((total, c) => total + c.savingsDeltaUsd, 0)),
    },
  };
}

function signedUsd(usd: number): string {
  return `${usd < 0 ? '−' : '+'}${formatUsd(Math.abs(usd))}`;
}

/** The diff for people: a summary and one list per kind of change. */
export function renderDiffMarkdown(diff: ReportDiff, { top = 25 }: { top?: number } = {}): string {
  const line = (r: Recommendation) =>
    `- ${formatUsd(r.monthlySavingsUsd)}/month · ${r.checkId} · ${r.resourceName ? `${r.resourceId} (${r.resourceName})` : r.resourceId} · ${r.accountId} ${r.region}`;
  const more = (n: number) => (n > top ? [`- …and ${n - top} more`] : []);
  const { savings } = diff;
  return [
    `# Changes since scan ${diff.previous.scanId}`,
    '',
    `Scan ${diff.current.scanId} (${diff.current.finishedAt}) against ${diff.previous.scanId} (${diff.previous.finishedAt}),`,
    `over ${diff.scope.accounts.length} account(s), ${diff.scope.regions.length} region(s) and ${diff.scope.kinds.length} resource kind(s) both covered.`,
    '',
    `- **Savings: ${formatUsd(savings.previousUsd)} → ${formatUsd(savings.currentUsd)}/month (${signedUsd(savings.deltaUsd)})**`,
    `- New: ${diff.new.length} (${signedUsd(savings.newUsd)})`,
    `- Resolved: ${diff.resolved.length} (${signedUsd(-savings.resolvedUsd)})`,
    `- Changed: ${diff.changed.length} (${signedUsd(savings.changedDeltaUsd)})`,
    `- Unchanged: ${diff.unchanged}`,
    '',
    '## New recommendations',
    '',
    ...(diff.new.length ? [...diff.new.slice(0, top).map(line), ...more(diff.new.length)] : ['None.']),
    '',
    '## Resolved recommendations',
    '',
    ...(diff.resolved.length ? [...diff.resolved.slice(0, top).map(line), ...more(diff.resolved.length)] : ['None.']),
    '',
    '## Changed recommendations',
    '',
    ...(diff.changed.length
      ? [
          ...diff.changed
            .slice(0, top)
            .map(
              (c) =>
                `- ${c.checkId} · ${c.resourceId} · ${c.accountId} ${c.region}: ${formatUsd(c.before.monthlySavingsUsd)} → ${formatUsd(c.after.monthlySavingsUsd)}/month` +
                (c.fields.includes('risk') ? `, risk ${c.before.risk} → ${c.after.risk}` : '') +
                (c.fields.includes('action') ? `, action ${c.before.action} → ${c.after.action}` : ''),
            ),
          ...more(diff.changed.length),
        ]
      : ['None.']),
    '',
  ].join('\n');
}
