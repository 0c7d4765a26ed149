// A report file as its format lays it out: text, and the places where a list's recommendations go, one item each.
import type { Recommendation } from '@finops/core';
import type { ReportListName } from './report-digest.js';

/** Where one of the report's lists goes in a file: each of its recommendations as the format's item renders it. */
export interface ListSlot {
  list: ReportListName;
}

/**
 * A file: text, and at most one slot per list, the lists in report order (`recommendations`, then `suppressed`), so
 * that every file of a report can be written in one pass over its lists.
 */
export type FileLayout = Iterable<string | ListSlot>;

/** How a format writes one recommendation of a list, and what it puts between two of them. */
export interface ListItem {
  render(r: Recommendation): string;
  separator: string;
}

/**
 * The text of a layout with its slots filled from lists in memory.
 * @example renderLayout(jsonLayout(digestOf(report)), jsonItem, report)
 */
export function renderLayout(layout: FileLayout, item: ListItem | undefined, lists: Record<ReportListName, readonly Recommendation[]>): string {
  const pieces: string[] = [];
  for (const part of layout) {
    if (typeof part === 'string') {
      pieces.push(part);
      continue;
    }
    if (!item) throw new Error(`a layout with a ${part.list} slot needs its format's item renderer`);
    const list = lists[part.list];
    for (let i = 0; i < list.length; i++) {
      if (i > 0) pieces.push(item.separator);
      pieces.push(item.render(list[i] as Recommendation));
    }
  }
  return pieces.join('');
}
