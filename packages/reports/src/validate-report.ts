// Checks a report against the report.json contract without the deep copy a full parse makes of every recommendation.
import { reportSchema } from './report-schema.js';
import type { Report } from './report-schema.js';

const openItem = reportSchema.shape.recommendations.element;
const suppressedItem = reportSchema.shape.suppressed.element;

/** Every element valid; an index loop, since `every` would skip the holes of a sparse array. */
function allValid(list: readonly unknown[], schema: { safeParse(value: unknown): { success: boolean } }): boolean {
  for (let i = 0; i < list.length; i++) if (!schema.safeParse(list[i]).success) return false;
  return true;
}

/**
 * Throws when `report` breaks the report schema: the same verdict and the same ZodError as `reportSchema.parse`.
 * The report is checked in parts (everything but the two recommendation lists, then each recommendation), so the
 * parsed copy of one recommendation at a time is garbage at once instead of a second copy of the whole report.
 *
 * @example assertValidReport(report); await writeFile('report.json', JSON.stringify(report));
 */
export function assertValidReport(report: Report): void {
  const valid =
    typeof report === 'object' &&
    report !== null &&
    Array.isArray(report.recommendations) &&
    Array.isArray(report.suppressed) &&
    reportSchema.safeParse({ ...report, recommendations: [], suppressed: [] }).success &&
    allValid(report.recommendations, openItem) &&
    allValid(report.suppressed, suppressedItem);
  // The whole parse names every problem with its path in the report, as callers have always seen it.
  if (!valid) reportSchema.parse(report);
}
