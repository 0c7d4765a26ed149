// One HTTP request for a channel or the backend: a timeout, no redirects, and the answer classified.
import { DeliveryError, classifyHttpStatus, parseRetryAfter } from './delivery-error.js';

export interface HttpRequest {
  method?: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** Statuses that count as delivered besides 2xx (the backend's 409: "already have it"). */
  alsoDelivered?: readonly number[];
}

export interface HttpResponse {
  status: number;
  body: string;
}

/** Never logs or returns the URL's query string or credentials: a Slack URL is itself a secret. */
export function describeEndpoint(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname.length > 24 ? `${parsed.pathname.slice(0, 12)}…` : parsed.pathname}`;
  } catch {
    return 'an invalid URL';
  }
}

/**
 * Sends the request and returns the response when it counts as delivered; otherwise throws a DeliveryError that
 * says whether a retry can help. Network errors and timeouts are retryable.
 */
export async function httpRequest(request: HttpRequest): Promise<HttpResponse> {
  const where = describeEndpoint(request.url);
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method ?? 'POST',
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${request.timeoutMs} ms` : describeCause(error);
    throw new DeliveryError(`${where}: ${reason}`, { permanent: false, cause: error });
  }
  const body = await response.text().catch(() => '');
  if (request.alsoDelivered?.includes(response.status)) return { status: response.status, body };
  const verdict = classifyHttpStatus(response.status);
  if (verdict === 'delivered') return { status: response.status, body };
  const detail = body.trim().slice(0, 200);
  throw new DeliveryError(`${where} answered ${response.status}${detail ? `: ${detail}` : ''}`, {
    permanent: verdict === 'permanent',
    status: response.status,
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
  });
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
