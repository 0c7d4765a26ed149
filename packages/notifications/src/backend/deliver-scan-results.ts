// Posts one scan's results to the backend sink: health check first, an idempotency key, recorded once delivered.
import type { Config } from '@finops/core';
import type { Report } from '@finops/reports';
import { DeliveryError } from '../delivery-error.js';
import type { DeliveryLedger } from '../delivery-ledger.js';
import { httpRequest } from '../http-post.js';
import { backendPayload } from './backend-payload.js';

export const DELIVER_SCOPE = 'deliver';

export type BackendSettings = Config['backend'] & { url: string };

export type DeliveryOutcome =
  | { status: 'delivered'; httpStatus: number }
  /** Delivered earlier (by a previous attempt or another replica). */
  | { status: 'duplicate'; sentAt: string }
  /** The backend is down or answered 5xx/429, or another worker is delivering this scan: try again later. */
  | { status: 'unavailable'; reason: string };

/** `<url>/<path>` with exactly one slash between them. */
function join(url: string, path: string): string {
  return `${url.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** GET <url><healthPath>: up when it answers 2xx within the timeout. */
export async function checkBackendHealth(backend: BackendSettings): Promise<{ up: true } | { up: false; reason: string }> {
  try {
    await httpRequest({
      method: 'GET',
      url: join(backend.url, backend.healthPath),
      timeoutMs: backend.timeoutMs,
      headers: backend.token ? { authorization: `Bearer ${backend.token}` } : {},
    });
    return { up: true };
  } catch (error) {
    return { up: false, reason: `health check failed: ${(error as Error).message}` };
  }
}

export interface DeliverScanDeps {
  backend: BackendSettings;
  ledger: DeliveryLedger;
  now: () => Date;
  by?: string;
}

/**
 * Delivers a scan's results once: skipped when already recorded; otherwise under a lock, after a health check,
 * `POST <url>/scans` with `Idempotency-Key`. 2xx and 409 (the backend already has it) count as delivered and are
 * recorded; 5xx, 429, timeouts and a failed health check leave it undelivered (`unavailable`); any other 4xx throws a
 * permanent DeliveryError (the backend rejects the payload or the token: retrying cannot help).
 *
 * As for notifications, a crash between the backend's 2xx and the record makes the next attempt post again with
 * the same key: the backend must treat a repeated Idempotency-Key as a success (2xx or 409), then every scan is
 * stored exactly once.
 */
export async function deliverScanResults(report: Report, deps: DeliverScanDeps): Promise<DeliveryOutcome> {
  const { backend, ledger } = deps;
  const earlier = await ledger.sent(DELIVER_SCOPE, report.scanId);
  if (earlier) return { status: 'duplicate', sentAt: earlier.sentAt };
  const token = await ledger.lock(DELIVER_SCOPE, report.scanId, backend.timeoutMs * 3 + 5000);
  if (!token) return { status: 'unavailable', reason: 'another worker is delivering this scan' };
  try {
    const raced = await ledger.sent(DELIVER_SCOPE, report.scanId);
    if (raced) return { status: 'duplicate', sentAt: raced.sentAt };
    const health = await checkBackendHealth(backend);
    if (!health.up) return { status: 'unavailable', reason: health.reason };
    const payload = backendPayload(report);
    let httpStatus: number;
    try {
      ({ status: httpStatus } = await httpRequest({
        url: join(backend.url, 'scans'),
        timeoutMs: backend.timeoutMs,
        alsoDelivered: [409],
        headers: {
          'content-type': 'application/json',
          'user-agent': 'advanced-finops-backend-sink/1',
          'idempotency-key': payload.idempotencyKey,
          ...(backend.token ? { authorization: `Bearer ${backend.token}` } : {}),
        },
        body: JSON.stringify(payload),
      }));
    } catch (error) {
      if (error instanceof DeliveryError && !error.permanent) return { status: 'unavailable', reason: error.message };
      throw error;
    }
    await ledger.markSent(DELIVER_SCOPE, report.scanId, { sentAt: deps.now().toISOString(), by: deps.by });
    return { status: 'delivered', httpStatus };
  } finally {
    await ledger.unlock(DELIVER_SCOPE, report.scanId, token);
  }
}
