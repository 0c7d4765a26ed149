// A report's totals: the savings of its open recommendations by check, account and region, each counted once.
import { roundCents, type Recommendation } from '@finops/core';
import { compareReportOrder } from './report-order.js';
import type { Report, SavingsBucket } from './report-schema.js';


/** The savings of one bucket, and the recommendation of it that comes first in the report. */
interface Bucket {
  savings: number[];
  first: Recommendation;
}

/** Largest first: the order of the report, whose ties have equal savings (and so add up the same in any order). */
function descending(savings: readonly number[]): Float64Array {
  return Float64Array.from(savings).sort().reverse();
}

/**
 * Adds up a report's open recommendations, given in any order, to the totals the report states. Every sum runs over
 * savings largest first, as the recommendations stand in the report: the buckets round to cents after each addition,
 * so the order of additions matters, and this one does not depend on how the recommendations arrived (a partition at
 * a time, or sorted already). Holds a number per counted recommendation and bucket, not the recommendations.
 *
 * @example const tally = new TotalsTally(); for (const r of open) tally.add(r); report.totals = tally.totals();
 */
export class TotalsTally {
  private open = 0;
  private readonly counted: number[] = [];
  private readonly folded: number[] = [];
  private readonly byCheck = new Map<string, Bucket>();
  private readonly byAccount = new Map<string, Bucket>();
  private readonly byRegion = new Map<string, Bucket>();

  /** One open recommendation: counted, or (with `foldedInto`) only in `folded`. */
  add(r: Recommendation): void {
    this.open += 1;
    if (r.foldedInto !== undefined) {
      this.folded.push(r.monthlySavingsUsd);
      return;
    }
    this.counted.push(r.monthlySavingsUsd);
    addTo(this.byCheck, r.checkId, r);
    addTo(this.byAccount, r.accountId, r);
    addTo(this.byRegion, r.region, r);
  }

  totals(): Report['totals'] {
    return {
      monthlySavingsUsd: roundCents(sum(this.counted)),
      recommendations: this.open,
      byCheck: buckets(this.byCheck, 'savings'),
      byAccount: buckets(this.byAccount, 'key'),
      byRegion: buckets(this.byRegion, 'key'),
      folded: { count: this.folded.length, monthlySavingsUsd: roundCents(sum(this.folded)) },
    };
  }
}

function addTo(buckets: Map<string, Bucket>, key: string, r: Recommendation): void {
  const bucket = buckets.get(key);
  if (!bucket) {
    buckets.set(key, { savings: [r.monthlySavingsUsd], first: r });
    return;
  }
  bucket.savings.push(r.monthlySavingsUsd);
  if (compareReportOrder(r, bucket.first) < 0) bucket.first = r;
}

function sum(savings: readonly number[]): number {
  let total = 0;
  for (const usd of descending(savings)) total += usd;
  return total;
}

/**
 * The buckets as the report lists them: by savings (then key) or by key. Taken in the order the report first meets
 * each key before sorting, so that keys a locale comparison finds equal stay in that order.
 */
function buckets(all: Map<string, Bucket>, order: 'savings' | 'key'): Record<string, SavingsBucket> {
  const entries = [...all.entries()]
    .sort(([, a], [, b]) => compareReportOrder(a.first, b.first))
    .map(([key, bucket]): [string, SavingsBucket] => {
      let usd = 0;
      for (const savings of descending(bucket.savings)) usd = roundCents(usd + savings);
      return [key, { count: bucket.savings.length, monthlySavingsUsd: usd }];
    })
    .sort(([keyA, a], [keyB, b]) =>
      order === 'savings' && b.monthlySavingsUsd !== a.monthlySavingsUsd ? b.monthlySavingsUsd - a.monthlySavingsUsd : keyA.localeCompare(keyB),
    );
  return Object.fromEntries(entries);
}
