// GetMetricData answers kept between the pages of one request, so a later page does not compute the series again.
import type { Partition } from './estate-types.js';

/**
 * Computed answers of requests with pages still to come, per partition: a partition seen through a newer mutation
 * overlay is another object, so it never sees an answer computed before the change. An answer is dropped when its
 * last page is served; requests abandoned mid-way are evicted oldest first beyond `capacity` per partition.
 */
export class PagedAnswers<T> {
  readonly #byPartition = new WeakMap<Partition, Map<string, T>>();
  readonly #capacity: number;

  /** `capacity`: answers kept per partition (default 8: more than a scan has in flight at once). */
  constructor(capacity = 8) {
    if (!(capacity >= 1)) throw new Error(`PagedAnswers capacity must be at least 1 (got ${capacity})`);
    this.#capacity = capacity;
  }

  get(partition: Partition, key: string): T | undefined {
    return this.#byPartition.get(partition)?.get(key);
  }

  /** Keeps (or refreshes) an answer whose later pages may be asked for. */
  keep(partition: Partition, key: string, answer: T): void {
    let answers = this.#byPartition.get(partition);
    if (!answers) {
      answers = new Map();
      this.#byPartition.set(partition, answers);
    }
    answers.delete(key);
    answers.set(key, answer);
    for (const oldest of answers.keys()) {
      if (answers.size <= this.#capacity) break;
      answers.delete(oldest);
    }
  }

  drop(partition: Partition, key: string): void {
    this.#byPartition.get(partition)?.delete(key);
  }
}
