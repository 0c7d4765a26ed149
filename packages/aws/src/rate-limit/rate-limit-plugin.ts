// The SDK middleware that makes every request of a client, each retry included, wait for a rate-limit token.
import type { FinalizeHandler, FinalizeHandlerArguments, FinalizeRequestMiddleware, HandlerExecutionContext, MetadataBearer, Pluggable } from '@smithy/types';
import type { RateLimiter } from './rate-limiter.js';

export const RATE_LIMIT_MIDDLEWARE_NAME = 'finopsRateLimitMiddleware';
/** The SDK's retry middleware (`retryMiddlewareOptions.name` in @smithy/core/retry), at finalizeRequest in every client. */
const RETRY_MIDDLEWARE_NAME = 'retryMiddleware';

/**
 * A plugin for one client of (account, region, service). AWS counts every request against its bucket, retries
 * included, so the token is taken per attempt: the middleware sits right after the SDK's retry middleware, inside
 * its loop, and before signing, so a request that waited for its token is signed when it leaves. Each page of a
 * paginator is a command of its own and takes its own token too.
 */
export function rateLimitPlugin(limiter: RateLimiter, scope: { accountId: string; region: string; service: string }): Pluggable<object, MetadataBearer> {
  const middleware: FinalizeRequestMiddleware<object, MetadataBearer> =
    (next: FinalizeHandler<object, MetadataBearer>, context: HandlerExecutionContext) =>
    async (args: FinalizeHandlerArguments<object>) => {
      const commandName = context.commandName ?? 'Unknown';
      const operation = commandName.endsWith('Command') ? commandName.slice(0, -'Command'.length) : commandName;
      await limiter.acquire({ ...scope, operation, input: args.input as Record<string, unknown> });
      return next(args);
    };
  return {
    applyToStack(stack) {
      stack.addRelativeTo(middleware, { relation: 'after', toMiddleware: RETRY_MIDDLEWARE_NAME, name: RATE_LIMIT_MIDDLEWARE_NAME, override: true });
    },
  };
}
