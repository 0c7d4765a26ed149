// A report without its two recommendation lists held: their lengths and first few, and every other field.
import type { Recommendation } from '@finops/core';
import type { Report } from './report-schema.js';

/** The two lists of a report, in the order its files carry them. */
export const REPORT_LISTS = ['recommendations', 'suppressed'] as const;
export type ReportListName = (typeof REPORT_LISTS)[number];

/** Every field of a report but its two lists. */
export type ReportFields = Omit<Report, ReportListName>;

/** Of one list: how many recommendations it has, and the first ones in report order. */
export interface ListDigest {
  count: number;
  first: readonly Recommendation[];
}

/**
 * What report.md and report.html show of a report, and what report.json and recommendations.csv carry besides the
 * lists: every field, and of each list its length and first few. A report job builds it without ever holding the
 * lists (StreamedReportBuilder); {@link digestOf} makes it from a report in memory. Its keys keep the report's order.
 */
export type ReportDigest = ReportFields & Record<ReportListName, ListDigest>;

/** How many of each list a digest holds unless told: the most report.md and report.html show by default. */
export const DIGEST_FIRST = 25;

/** A report's digest, holding the first `first` recommendations of each list. */
export function digestOf(report: Report, first = DIGEST_FIRST): ReportDigest {
  return {
    ...report,
    recommendations: { count: report.recommendations.length, first: report.recommendations.slice(0, first) },
    suppressed: { count: report.suppressed.length, first: report.suppressed.slice(0, first) },
  };
}

/** A whole report or its digest: what the Markdown and HTML renderings accept. */
export function isDigest(report: Report | ReportDigest): report is ReportDigest {
  return !Array.isArray(report.recommendations);
}

/**
 * The first `n` recommendations of a list, which the digest must hold (or all of the list, when it is shorter).
 * @example firstOf(digest.recommendations, 25)
 */
export function firstOf(list: ListDigest, n: number): readonly Recommendation[] {
  if (list.first.length < Math.min(n, list.count)) {
    throw new Error(`a report digest holding the first ${list.first.length} of ${list.count} recommendations cannot show ${n}: make it with digestOf(report, ${n})`);
  }
  return list.first.slice(0, n);
}
