// Stable recommendation ids: the same waste keeps the same id from one scan to the next.
import { createHash } from 'node:crypto';

/** `rec_` + the first 16 hex digits of sha256(`accountId|region|resourceId|checkId`). */
export function recommendationId(parts: { accountId: string; region: string; resourceId: string; checkId: string }): string {
  const digest = createHash('sha256')
    .update(`${parts.accountId}|${parts.region}|${parts.resourceId}|${parts.checkId}`)
    .digest('hex');
  return `rec_${digest.slice(0, 16)}`;
}
