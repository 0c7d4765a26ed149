// Maps over items with at most `limit` calls in flight, keeping the results in input order.

/**
 * Like `Promise.all(items.map(fn))`, but never more than `limit` calls at once. The first rejection rejects, and no
 * new call starts after it (calls already in flight finish on their own).
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}

/**
 * A counting semaphore: `run(fn)` waits until fewer than `limit` runs are in flight. Shared by callers that must
 * stay under one bound together (e.g. every partition's GetMetricData calls in one process).
 */
export class Semaphore {
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  async run<R>(fn: () => Promise<R>): Promise<R> {
    if (this.#active >= this.limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#active += 1;
    try {
      return await fn();
    } finally {
      const next = this.#waiting.shift();
      // The slot passes straight to the next waiter, so a newcomer cannot overtake it.
      if (next) next();
      else this.#active -= 1;
    }
  }
}
