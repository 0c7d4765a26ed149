// PagedAnswers: kept per partition, refreshed on keep, dropped on the last page, oldest evicted beyond capacity.
import { describe, expect, it } from 'vitest';
import type { Partition } from './estate-types.js';
import { PagedAnswers } from './paged-answers.js';

/** Only the identity of a partition matters to the store. */
const partition = () => ({}) as Partition;

describe('PagedAnswers', () => {
  it('keeps answers per partition until dropped', () => {
    const answers = new PagedAnswers<string>();
    const a = partition();
    const b = partition();
    answers.keep(a, 'request', 'answer of a');
    expect(answers.get(a, 'request')).toBe('answer of a');
    // The same request against another partition (another overlay version) is another answer.
    expect(answers.get(b, 'request')).toBeUndefined();
    answers.drop(a, 'request');
    expect(answers.get(a, 'request')).toBeUndefined();
    answers.drop(b, 'never kept');
  });

  it('evicts the least recently kept answer beyond its capacity', () => {
    const answers = new PagedAnswers<number>(2);
    const p = partition();
    answers.keep(p, 'one', 1);
    answers.keep(p, 'two', 2);
    // Serving another page of "one" refreshes it: "two" is now the oldest.
    answers.keep(p, 'one', 1);
    answers.keep(p, 'three', 3);
    expect(answers.get(p, 'two')).toBeUndefined();
    expect(answers.get(p, 'one')).toBe(1);
    expect(answers.get(p, 'three')).toBe(3);
  });

  it('rejects a capacity below one', () => {
    expect(() => new PagedAnswers(0)).toThrow('PagedAnswers capacity must be at least 1 (got 0)');
  });
});
