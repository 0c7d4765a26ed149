// A failed send, classified once: permanent (fix the channel or the payload) or retryable (try again later).

export interface DeliveryErrorOptions {
  /** True when retrying cannot help: a 4xx other than 408/429, a rejected address, a missing topic. */
  permanent: boolean;
  /** HTTP status (or SMTP reply code) when the endpoint answered. */
  status?: number;
  /** How long the endpoint asked us to wait (Retry-After). */
  retryAfterMs?: number;
  cause?: unknown;
}

export class DeliveryError extends Error {
  readonly permanent: boolean;
  readonly status?: number;
  readonly retryAfterMs?: number;

  constructor(message: string, options: DeliveryErrorOptions) {
    super(message, { cause: options.cause });
    this.name = 'DeliveryError';
    this.permanent = options.permanent;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * What an HTTP status means for a delivery: 2xx delivered; 408, 429 and 5xx worth retrying; anything else (other
 * 4xx, and 3xx, which we do not follow: a moved endpoint needs its URL updated) permanent.
 */
export function classifyHttpStatus(status: number): 'delivered' | 'retryable' | 'permanent' {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 408 || status === 429 || status >= 500) return 'retryable';
  return 'permanent';
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
