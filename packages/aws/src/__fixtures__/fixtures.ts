// Loads recorded AWS responses (`<service>.<Operation>_<n>.json`) for tests.
import { readFileSync } from 'node:fs';

/** The parsed fixture, e.g. `fixture('ec2.DescribeInstances_1')`. */
export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./${name}.json`, import.meta.url), 'utf8')) as T;
}
