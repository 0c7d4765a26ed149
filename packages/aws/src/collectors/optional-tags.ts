// Tag look-ups that may fail without failing discovery: one warning, then the rest of the partition goes untagged.
import { toAwsAccessError } from '../errors.js';
import type { AwsLogger, AwsScope } from '../types.js';

export interface OptionalTagReader {
  /** The call's result, or undefined when it (or an earlier call of this reader) failed. */
  read<T>(call: () => Promise<T>): Promise<T | undefined>;
}

/**
 * Tags only refine reports and suppressions, so a refused tag call (`lambda:ListTags`, `elasticloadbalancing:
 * DescribeTags`) must not cost the inventory: the first failure is logged once with its fix, and no further tag
 * calls are spent in this partition.
 *
 * @example
 * const tags = optionalTagReader(scope, 'lambda:ListTags', 'Lambda functions', logger);
 * const output = await tags.read(() => lambda.send(new ListTagsCommand({ Resource: arn })));
 */
export function optionalTagReader(scope: AwsScope, action: string, what: string, logger: AwsLogger): OptionalTagReader {
  let failed = false;
  return {
    async read(call) {
      if (failed) return undefined;
      try {
        return await call();
      } catch (error) {
        if (!failed) {
          failed = true;
          const accessError = toAwsAccessError(error, scope, action);
          logger.warn(
            { accountId: scope.accountId, region: scope.region, code: accessError.code, hint: accessError.hint },
            `${action} failed: ${what} of this partition are listed without tags: ${accessError.message}`,
          );
        }
        return undefined;
      }
    },
  };
}
