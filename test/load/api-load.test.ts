// A short, bounded run of the API load test (bench/load/api-load.ts; `pnpm load-test` runs the full one): status,
// list and report requests from concurrent connections on loopback while two scans run. It asserts that no request
// failed; the latency figures are printed, not asserted (they measure the machine as much as the code).
import { describe, expect, it } from 'vitest';
import { formatLoadResult, runApiLoad } from '../../bench/load/api-load.js';
import { testRedisUrl } from '../support/redis.js';

describe('the API under load while two scans run', () => {
  it('answers every request, and prints its latency figures', async () => {
    const result = await runApiLoad({ connections: 8, requests: 400, maxDurationMs: 20_000, resourcesPerRegion: 40, redisUrl: testRedisUrl() });
    console.log(formatLoadResult(result));
    expect(result.errorSamples).toEqual([]);
    expect(result.errors).toBe(0);
    expect(result.requests).toBeGreaterThan(0);
    expect(result.routes.every((r) => r.requests > 0)).toBe(true);
  }, 90_000);
});
