// Helpers that run SDK calls for collectors and turn their failures into AwsAccessError naming the IAM action.
import type { AwsScope } from '../types.js';
import { toAwsAccessError } from '../errors.js';

/** Runs one SDK call; any failure becomes an AwsAccessError for `action` (e.g. `ec2:DescribeAddresses`). */
export async function callAws<T>(scope: AwsScope, action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toAwsAccessError(error, scope, action);
  }
}

/** Reads every page of an SDK paginator and concatenates the items `pick` takes from each page. */
export async function collectPages<Page, Item>(
  scope: AwsScope,
  action: string,
  pages: AsyncIterable<Page>,
  pick: (page: Page) => readonly Item[] | undefined,
): Promise<Item[]> {
  const items: Item[] = [];
  await forEachPage(scope, action, pages, (page) => {
    items.push(...(pick(page) ?? []));
  });
  return items;
}

/**
 * Reads every page of an SDK paginator, handing each to `onPage` as it arrives (before the next is asked for), so
 * that calls about a page's items can start while later pages are read.
 */
export async function forEachPage<Page>(scope: AwsScope, action: string, pages: AsyncIterable<Page>, onPage: (page: Page) => void): Promise<void> {
  try {
    for await (const page of pages) onPage(page);
  } catch (error) {
    throw toAwsAccessError(error, scope, action);
  }
}
