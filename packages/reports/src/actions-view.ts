// Reads the report's `actions` section for report.md and report.html: counts by outcome, the money resolved, and the
// most recent audit entries with each one's outcome and, for a failure, its reason. One reader serves both renderings.
import type { ReportAction } from './actions-schema.js';
import type { Report } from './report-schema.js';

/** Rows of the actions table in report.md and report.html; report.json carries every entry. */
export const ACTIONS_TABLE_ROWS = 20;

/**
 * What came of an audit entry:
 * - `applied`: done live (`applied`, `already-applied`);
 * - `partially-applied`: a live action that failed after one of its calls went through (a call with `ok: true`);
 * - `rolled-back`: a rollback that restored the resource, in full or in part;
 * - `failed`: a live action AWS refused, or a rollback that failed or was impossible;
 * - `dry-run`: a dry run's plan (nothing changed);
 * - `other`: skipped, waiting for approval, not allowed, pending, in progress, approved or rejected.
 */
export type ActionOutcome = 'applied' | 'partially-applied' | 'rolled-back' | 'failed' | 'dry-run' | 'other';

export const ACTION_OUTCOME_LABELS: Record<ActionOutcome, string> = {
  applied: 'applied',
  'partially-applied': 'partially applied',
  'rolled-back': 'rolled back',
  failed: 'failed',
  'dry-run': 'dry run',
  other: 'other',
};

export interface ActionRow {
  /** The entry's index in `actions.entries`. */
  index: number;
  at: string;
  actor: string;
  actionType: string;
  accountId: string;
  region: string;
  resourceId: string;
  outcome: ActionOutcome;
  /** The outcome in words: the event, or the rollback's status (`rolled back in part`, `rollback impossible`). */
  outcomeText: string;
  /** Why it failed or was not done; empty for what went through. */
  reason: string;
}

export interface ActionsView {
  /** No audit entry and no applied action in the window. */
  empty: boolean;
  since: string;
  until: string;
  /** Entries by outcome; `partially-applied` and `other` included even at 0 (the renderers leave zeros of them out). */
  counts: Record<ActionOutcome, number>;
  /** Entries of outcome `other` by event (`skipped` 2, `needs-approval` 1). */
  otherEvents: [string, number][];
  /** Live actions applied in the window, and those whose recommendation this scan no longer finds. */
  appliedActions: number;
  resolvedActions: number;
  resolvedMonthlySavingsUsd: number;
  /** The most recent entries, newest first, at most `ACTIONS_TABLE_ROWS`. */
  rows: ActionRow[];
  /** Entries in report.json beyond the rows. */
  more: number;
}

/** The words after `<status>: ` in an entry's result (`failed: UnauthorizedOperation …` → `UnauthorizedOperation …`). */
function reasonOf(entry: ReportAction, status: string): string {
  return entry.result.startsWith(`${status}: `) ? entry.result.slice(status.length + 2) : entry.result === status ? '' : entry.result;
}

function classify(entry: ReportAction): Pick<ActionRow, 'outcome' | 'outcomeText' | 'reason'> {
  if (entry.event === 'rollback') {
    // rollback.ts writes `<rolled-back|partial|impossible|failed>: <message>`.
    const status = /^[a-z-]+/.exec(entry.result)?.[0] ?? '';
    const message = reasonOf(entry, status);
    if (status === 'rolled-back') return { outcome: 'rolled-back', outcomeText: 'rolled back', reason: '' };
    if (status === 'partial') return { outcome: 'rolled-back', outcomeText: 'rolled back in part', reason: message };
    return { outcome: 'failed', outcomeText: status === 'impossible' ? 'rollback impossible' : 'rollback failed', reason: message };
  }
  if (entry.mode === 'dry-run' || entry.event === 'planned') return { outcome: 'dry-run', outcomeText: `dry run (${entry.event})`, reason: '' };
  if (entry.event === 'applied' || entry.event === 'already-applied') return { outcome: 'applied', outcomeText: entry.event, reason: '' };
  if (entry.event === 'failed') {
    const partial = entry.calls?.some((call) => call.ok === true) ?? false;
    return { outcome: partial ? 'partially-applied' : 'failed', outcomeText: partial ? 'partially applied' : 'failed', reason: reasonOf(entry, 'failed') };
  }
  return { outcome: 'other', outcomeText: entry.event, reason: reasonOf(entry, entry.event) };
}

/**
 * The actions section as the renderings show it: counts over every entry, and the `ACTIONS_TABLE_ROWS` most recent
 * entries. Undefined when the report has no `actions` section (reports before 1.3.0, or scans without remediation).
 */
export function readActions(report: Pick<Report, 'actions'>, rows = ACTIONS_TABLE_ROWS): ActionsView | undefined {
  const actions = report.actions;
  if (!actions) return undefined;
  const counts: Record<ActionOutcome, number> = { applied: 0, 'partially-applied': 0, 'rolled-back': 0, failed: 0, 'dry-run': 0, other: 0 };
  const otherEvents = new Map<string, number>();
  const all = actions.entries.map((entry, index) => {
    const row: ActionRow = {
      index,
      at: entry.at,
      actor: entry.actor,
      actionType: entry.actionType ?? '',
      accountId: entry.accountId ?? '',
      region: entry.region ?? '',
      resourceId: entry.resourceId ?? '',
      ...classify(entry),
    };
    counts[row.outcome] += 1;
    if (row.outcome === 'other') otherEvents.set(entry.event, (otherEvents.get(entry.event) ?? 0) + 1);
    return row;
  });
  // The audit trail is written newest first; sorting again keeps the table right for a hand-edited or merged file.
  const recent = [...all].sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || a.index - b.index).slice(0, rows);
  return {
    empty: actions.entries.length === 0 && actions.applied.length === 0,
    since: actions.since,
    until: actions.until,
    counts,
    otherEvents: [...otherEvents.entries()].sort(([a], [b]) => a.localeCompare(b)),
    appliedActions: actions.applied.length,
    resolvedActions: actions.applied.filter((a) => a.recommendationStatus === 'resolved').length,
    resolvedMonthlySavingsUsd: actions.resolvedMonthlySavingsUsd,
    rows: recent,
    more: all.length - recent.length,
  };
}

/** The outcomes to list in the counts: the four main ones always, partially applied and other when there are some. */
export function shownOutcomes(view: ActionsView): ActionOutcome[] {
  return (['applied', 'partially-applied', 'rolled-back', 'failed', 'dry-run', 'other'] as const).filter(
    (o) => (o !== 'partially-applied' && o !== 'other') || view.counts[o] > 0,
  );
}
