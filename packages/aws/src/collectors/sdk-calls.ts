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
  try {
    for await (const page of pages) items.push(...(pick(page) ?? []));
  } catch (error) {
    throw toAwsAccessError(error, scope, action);
  }
  return items;
}
