// recommendations.csv: one row per recommendation (open, then suppressed), RFC 4180, safe to open in a spreadsheet.
import type { Recommendation } from '@finops/core';
import { renderLayout, type FileLayout, type ListItem } from './file-layout.js';
import type { Report } from './report-schema.js';

const COLUMNS: readonly [string, (r: Recommendation) => string | number][] = [
  ['id', (r) => r.id],
  ['status', (r) => r.status],
  ['checkId', (r) => r.checkId],
  ['accountId', (r) => r.accountId],
  ['region', (r) => r.region],
  ['resourceKind', (r) => r.resourceKind],
  ['resourceId', (r) => r.resourceId],
  ['resourceName', (r) => r.resourceName ?? ''],
  ['monthlySavingsUsd', (r) => r.monthlySavingsUsd],
  ['priceConfidence', (r) => r.priceConfidence],
  ['risk', (r) => r.risk],
  ['confidence', (r) => r.confidence],
  ['actionType', (r) => r.action.type],
  ['action', (r) => r.action.description],
  ['reason', (r) => r.reason],
  ['tags', (r) => JSON.stringify(r.tags)],
  // Since report schema 1.4.0, appended so existing column positions hold.
  ['foldedInto', (r) => r.foldedInto ?? ''],
  ['suppressedBy', (r) => (r.suppression ? `${r.suppression.by}: ${r.suppression.reason}` : '')],
  ['firstSeenAt', (r) => r.tracking?.firstSeenAt ?? ''],
  ['seenCount', (r) => r.tracking?.seenCount ?? ''],
];

/**
 * One CSV field. Text starting with = + - @ (or tab/CR) is prefixed with `'` so a spreadsheet shows it instead of
 * running it as a formula (tag values and names come from whoever can tag resources). Then RFC 4180 quoting.
 */
export function csvField(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const header = `${COLUMNS.map(([name]) => name).join(',')}\r\n`;

/** One recommendation's line. */
export const csvItem: ListItem = { render: (r) => `${COLUMNS.map(([, value]) => csvField(value(r))).join(',')}\r\n`, separator: '' };

/** recommendations.csv (CRLF ends): the header, then a line per recommendation (csvItem), open then suppressed. */
export function csvLayout(): FileLayout {
  return [header, { list: 'recommendations' }, { list: 'suppressed' }];
}

/** Renders every recommendation as CSV with a header row and CRLF line ends. */
export function renderCsv(report: Report): string {
  return renderLayout(csvLayout(), csvItem, report);
}
