// The audit trail on a real Redis stream: newest first, filters by resource, account, run and time across pages,
// and trimming by retention as entries are added.
import { createRedisConnection } from '@finops/core';
import { AuditTrail, type AuditEntry } from '@finops/remediation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '../support/redis.js';

const entry = (n: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  at: new Date().toISOString(),
  event: 'planned',
  actor: 'tester@host',
  accountId: n % 2 ? '111111111111' : '222222222222',
  resourceId: `i-${n}`,
  runId: n < 600 ? 'run-a' : 'run-b',
  result: `entry ${n}`,
  ...extra,
});

describe('the audit trail', () => {
  const prefix = uniquePrefix('audit');
  const redis = createRedisConnection(testRedisUrl(), { role: 'producer', name: 'audit-test' });
  const trail = new AuditTrail(redis, { prefix, retentionDays: 30 });

  beforeAll(async () => {
    for (let n = 0; n < 620; n++) await trail.append(entry(n));
  });
  afterAll(async () => {
    await cleanupPrefix(redis, prefix);
    await redis.quit();
  });

  it('lists newest first and filters by resource, account and run, reading past one page', async () => {
    const latest = await trail.list({ limit: 3 });
    expect(latest.map((e) => e.result)).toEqual(['entry 619', 'entry 618', 'entry 617']);
    expect(latest[0]!.id).toMatch(/^\d+-\d+$/);
    // i-3 is near the start of the stream: its entry is found after more than one page of newer ones.
    expect((await trail.list({ resourceId: 'i-3' })).map((e) => e.result)).toEqual(['entry 3']);
    const account = await trail.list({ accountId: '222222222222', runId: 'run-a', limit: 1000 });
    expect(account).toHaveLength(300);
    expect(account.every((e) => e.accountId === '222222222222' && e.runId === 'run-a')).toBe(true);
  });

  it('bounds a time range by the stream ids', async () => {
    const [newest] = await trail.list({ limit: 1 });
    const at = Number(newest!.id!.split('-')[0]);
    expect(await trail.list({ since: new Date(at + 1) })).toEqual([]);
    expect((await trail.list({ until: new Date(at - 60_000), limit: 5 })).length).toBe(0);
    expect((await trail.list({ since: new Date(at - 60_000), until: new Date(at), limit: 2 })).length).toBe(2);
  });

  it('trims entries older than the retention when a new one is added', async () => {
    // A retention of half a second: the first entry is out of it by the time the second is added.
    const short = new AuditTrail(redis, { prefix: `${prefix}-short`, retentionDays: 0.5 / 86_400 });
    await short.append(entry(1, { result: 'old' }));
    await new Promise((resolve) => setTimeout(resolve, 700));
    await short.append(entry(2, { result: 'new' }));
    expect((await short.list()).map((e) => e.result)).toEqual(['new']);
  });
});
