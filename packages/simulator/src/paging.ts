// AWS-style pagination over a list: page-size limits, opaque tokens bound to the request, occasional empty pages.
import { invalidTokenError } from './aws-error.js';
import type { CallContext } from './call-context.js';
import type { InputReader } from './input-reader.js';
import { hashString } from './prng.js';

export interface PageOptions {
  /** Input field holding the token (`NextToken`, `Marker`). */
  tokenField: string;
  /** Input field holding the page size (`MaxResults`, `MaxRecords`, `MaxItems`). */
  sizeField: string;
  /** Accepted page sizes; outside them the service answers with its bad-parameter error. */
  range: { min: number; max: number };
  /** Page size when the caller sets none (Infinity: everything in one answer). */
  defaultSize: number;
  /** The largest page the service really returns, whatever was asked (Lambda: 50). */
  maxServed?: number;
  /**
   * Serve an empty page with a token now and then, as EC2 does: a caller that stops at the first empty page
   * loses the rest. Decided per (request, offset), so a retried call sees the same thing.
   */
  emptyPages?: boolean;
}

interface TokenBody {
  /** Offset of the next item. */
  o: number;
  /** Fingerprint of the request the token belongs to. */
  f: number;
  /** The empty page at this offset was already served. */
  e?: 1;
}

/** The request without its paging fields: a token is valid only for the request that produced it. */
function fingerprintOf(call: CallContext, options: PageOptions): number {
  const rest = Object.fromEntries(Object.entries(call.input).filter(([key]) => key !== options.tokenField && key !== options.sizeField));
  return hashString(`${call.service}.${call.operation}|${call.accountId}|${call.region}|${JSON.stringify(rest)}`);
}

function encode(body: TokenBody): string {
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

function decode(token: string): TokenBody | undefined {
  try {
    const body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<TokenBody>;
    if (typeof body.o !== 'number' || !Number.isInteger(body.o) || body.o < 0 || typeof body.f !== 'number') return undefined;
    return { o: body.o, f: body.f, e: body.e === 1 ? 1 : undefined };
  } catch {
    return undefined;
  }
}

/** One page of `items` for this call, and the token of the next page when there is one. */
export function paginate<T>(call: CallContext, reader: InputReader, items: readonly T[], options: PageOptions): { page: T[]; nextToken?: string } {
  const size = Math.min(reader.integer(options.sizeField, options.range) ?? options.defaultSize, options.maxServed ?? Infinity);
  const fingerprint = fingerprintOf(call, options);
  const token = reader.string(options.tokenField);
  let offset = 0;
  let emptyServed = false;
  if (token !== undefined && token !== '') {
    const body = decode(token);
    if (!body || body.f !== fingerprint || body.o > items.length) {
      throw invalidTokenError(call.service, `The ${options.tokenField} '${token.slice(0, 40)}' is not valid for this request`, call.requestId);
    }
    offset = body.o;
    emptyServed = body.e === 1;
  }
  if (Number.isFinite(size) && options.emptyPages && !emptyServed && offset < items.length) {
    if (hashString(`${fingerprint}|empty|${offset}`) % 6 === 0) return { page: [], nextToken: encode({ o: offset, f: fingerprint, e: 1 }) };
  }
  const end = Math.min(items.length, offset + size);
  const page = items.slice(offset, end);
  return { page, nextToken: end < items.length ? encode({ o: end, f: fingerprint }) : undefined };
}
