// A report built a group of recommendations at a time (a scan partition's), holding only its totals and first few.
import type { Recommendation } from '@finops/core';
import { reportShape, type ReportFieldsInput } from './build-report.js';
import { RecommendationRuns, type RenderedRecommendation } from './recommendation-runs.js';
import { DIGEST_FIRST, REPORT_LISTS, type ReportListName } from './report-digest.js';
import { REPORT_FORMATS, formatsToWrite, itemOf, type ReportFormat } from './report-formats.js';
import { compareReportOrder, sortedBySavings } from './report-order.js';
import { TotalsTally } from './report-totals.js';
import { assertValidRecommendation } from './validate-report.js';
import type { StreamedReport } from './write-report-files.js';

/** The first `DIGEST_FIRST` of a list in report order, from two parts of it each in report order. */
function firstOfBoth(held: readonly Recommendation[], group: readonly Recommendation[]): Recommendation[] {
  const out: Recommendation[] = [];
  let i = 0;
  let j = 0;
  while (out.length < DIGEST_FIRST && (i < held.length || j < group.length)) {
    const a = held[i];
    const b = group[j];
    if (b === undefined || (a !== undefined && compareReportOrder(a, b) <= 0)) {
      out.push(a as Recommendation);
      i += 1;
    } else {
      out.push(b);
      j += 1;
    }
  }
  return out;
}

/**
 * Builds a report whose recommendations are never all in memory: each group given to `add` (a scan partition's) is
 * checked against the contract, split into open and other, sorted, rendered as the report's list-carrying formats
 * write it (report.json, recommendations.csv) and written to disk as a run (RecommendationRuns); only the totals'
 * figures (TotalsTally) and the first few of each list are kept. `report()` then gives the digest and the lists,
 * merged back in report order while writeStreamedReport writes the files: the same files assembleReport and
 * writeReportFiles write from the same recommendations.
 *
 * @example
 * const builder = await StreamedReportBuilder.create(reportDir, config.reporting.formats);
 * try {
 *   for (const partition of partitions) await builder.add(await load(partition));
 *   await writeStreamedReport(builder.report(fields), reportDir, config.reporting.formats);
 * } finally {
 *   await builder.close();
 * }
 */
export class StreamedReportBuilder {
  private readonly tally = new TotalsTally();
  private readonly first: Record<ReportListName, Recommendation[]> = { recommendations: [], suppressed: [] };

  private constructor(
    private readonly runs: Record<ReportListName, RecommendationRuns>,
    /** The formats whose items the runs hold, in the order of their pieces. */
    private readonly rendered: readonly ReportFormat[],
  ) {}

  /**
   * A builder for a report written in `formats` (report.json always), whose runs live under `workDir` (the report's
   * directory will do) until close().
   */
  static async create(workDir: string, formats: readonly ReportFormat[]): Promise<StreamedReportBuilder> {
    const rendered = formatsToWrite(formats).filter((format) => REPORT_FORMATS[format].item);
    const renderers = rendered.map((format) => itemOf(format).render);
    const recommendations = await RecommendationRuns.create(workDir, renderers);
    try {
      return new StreamedReportBuilder({ recommendations, suppressed: await RecommendationRuns.create(workDir, renderers) }, rendered);
    } catch (error) {
      await recommendations.close();
      throw error;
    }
  }

  /**
   * Adds recommendations of any status: open ones to `recommendations`, the others to `suppressed`. Throws, naming
   * the first that breaks the report schema, before writing any. Recommendations must be unique across the groups
   * (by id), as a report's are.
   */
  async add(recommendations: readonly Recommendation[]): Promise<void> {
    const lists: Record<ReportListName, Recommendation[]> = { recommendations: [], suppressed: [] };
    for (const r of recommendations) {
      const list = r.status === 'open' ? 'recommendations' : 'suppressed';
      assertValidRecommendation(r, list);
      lists[list].push(r);
    }
    for (const list of REPORT_LISTS) {
      const run = sortedBySavings(lists[list]);
      if (list === 'recommendations') for (const r of run) this.tally.add(r);
      this.first[list] = firstOfBoth(this.first[list], run);
      await this.runs[list].add(run);
    }
  }

  /** The report of what was added, with `input`'s other fields. Each of its lists can be read once. */
  report(input: ReportFieldsInput): StreamedReport {
    const digest = reportShape(
      input,
      {
        recommendations: { count: this.runs.recommendations.count, first: this.first.recommendations },
        suppressed: { count: this.runs.suppressed.count, first: this.first.suppressed },
      },
      this.tally.totals(),
    );
    const { runs, rendered } = this;
    // The runs hold a piece per format they were built for; a writer of fewer formats gets its own.
    async function* list(name: ReportListName, formats: readonly ReportFormat[]): AsyncGenerator<RenderedRecommendation[]> {
      const at = formats.map((format) => rendered.indexOf(format));
      if (at.some((i) => i < 0)) throw new Error(`the report was built for ${rendered.join(', ')}: it cannot write ${formats.join(', ')} (give the builder every format to write)`);
      for await (const batch of runs[name].merged()) yield batch.map((pieces) => at.map((i) => pieces[i] as string | Uint8Array));
    }
    return { digest, list };
  }

  /** Removes the runs from disk; safe to call twice. */
  async close(): Promise<void> {
    await Promise.all(REPORT_LISTS.map((list) => this.runs[list].close()));
  }
}
