// Hides secrets in a configuration (and in URLs) before it is printed, logged or served by the API.
import type { Config } from './config-schema.js';

const MASK = '***';

/**
 * A copy of the configuration with every secret replaced by `***`: API credentials, the password in the Redis URL,
 * notification URLs (a Slack or webhook URL is itself the credential) and secrets, and AWS external ids.
 */
export function redactConfig(config: Config): unknown {
  const copy = structuredClone(config);
  if (typeof copy.api.auth === 'object') {
    if (copy.api.auth.type === 'basic') copy.api.auth.password = MASK;
    else copy.api.auth.token = MASK;
  }
  if (copy.redis.url) copy.redis.url = redactUrl(copy.redis.url);
  for (const channel of copy.notifications.channels) {
    if (channel.url !== undefined) channel.url = MASK;
    if (channel.secret !== undefined) channel.secret = MASK;
  }
  if (copy.notifications.smtp?.password !== undefined) copy.notifications.smtp.password = MASK;
  if (copy.backend.token !== undefined) copy.backend.token = MASK;
  if (copy.aws.externalId !== undefined) copy.aws.externalId = MASK;
  for (const account of copy.aws.accounts) {
    if (account.externalId !== undefined) account.externalId = MASK;
  }
  return copy;
}

/**
 * The URL with its password (or a lone username, which Redis ACLs can use as a token) masked; other text unchanged.
 *
 * @example redactUrl('redis://app:s3cret@cache:6379/0') // 'redis://app:***@cache:6379/0'
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (!parsed.password && !parsed.username) return url;
  if (parsed.password) parsed.password = MASK;
  else parsed.username = MASK;
  // URL encodes "*" in credentials as-is, so the mask stays readable.
  return parsed.toString();
}
