// Notifications through the real queue and reporter workers against local HTTP endpoints: message shapes, signatures,
// retries on 5xx and 429, permanent 4xx, one delivery per key under retries and two replicas, rate limits.
import { randomUUID } from 'node:crypto';
import {
  DeliveryLedger,
  NOTIFY_SCOPE,
  createChannelSender,
  idempotencyKey,
  sendNotification,
  verifyWebhookSignature,
  type NotificationInput,
  ChannelRateLimiter,
  ChannelStatusStore,
  notificationSchema,
} from '@finops/notifications';
import { enqueueNotification } from '@finops/pipeline';
import { jobId, type JobPayload } from '@finops/queues';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, eventually, startEndpoint, type Endpoint, type Harness } from './support.js';

const SECRET = 'a-webhook-secret-of-32-characters!';

function event(overrides: Partial<NotificationInput> = {}): NotificationInput {
  return {
    event: 'critical-anomaly',
    dedupKey: `critical-anomaly:anom_${randomUUID().slice(0, 8)}`,
    title: 'EC2 cost is 3× its baseline',
    text: 'Amazon EC2 in eu-west-1 cost $1,320.00 on 2026-11-25 against a baseline of $440.00 <&> per day.',
    severity: 'critical',
    fields: [
      { label: 'Impact', value: '$880.00/day' },
      { label: 'Series', value: 'service:Amazon EC2' },
    ],
    link: 'https://finops.example.com/api/scans/scan-1/report.html',
    scanId: 'scan-1',
    occurredAt: '2026-11-26T12:00:00.000Z',
    data: { anomalyId: 'anom_1' },
    ...overrides,
  };
}

describe('notifications through the queue', () => {
  let harness: Harness | undefined;
  const endpoints: Endpoint[] = [];
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    await Promise.all(endpoints.splice(0).map((e) => e.close()));
  });

  async function setUp(respond?: Endpoint['respond'], channel: Record<string, unknown> = {}, settings: Record<string, unknown> = {}) {
    const endpoint = await startEndpoint(respond);
    endpoints.push(endpoint);
    harness = await createHarness('notify', {
      notifications: {
        enabled: true,
        attempts: 4,
        backoffMs: 50,
        timeoutMs: 2000,
        channels: [{ id: 'ops', type: 'webhook', url: `${endpoint.url}/hook`, secret: SECRET, events: ['critical-anomaly', 'scan-failure', 'high-savings', 'weekly-summary'], ...channel }],
        ...settings,
      },
    });
    return { endpoint, harness };
  }

  const jobOf = async (h: Harness, channelId: string, input: NotificationInput) => {
    const data = { channelId, notification: input } as JobPayload<'notify'>;
    return h.queues.get('notifications').getJob(jobId.notify(data));
  };

  it('posts a Slack Block Kit message', async () => {
    const { endpoint, harness: h } = await setUp(undefined, { id: 'slack', type: 'slack', secret: undefined });
    await h.startReplica();
    const input = event();
    expect(await enqueueNotification(h.deps, input)).toEqual(['slack']);
    await eventually(() => expect(endpoint.received).toHaveLength(1));
    const [request] = endpoint.received;
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['idempotency-key']).toBe(idempotencyKey('slack', input.dedupKey));
    const body = JSON.parse(request.body);
    expect(body.text).toBe('[critical] EC2 cost is 3× its baseline');
    expect(body.blocks.map((b: { type: string }) => b.type)).toEqual(['header', 'section', 'section', 'context', 'actions']);
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'EC2 cost is 3× its baseline', emoji: true } });
    expect(body.blocks[1].text).toEqual({ type: 'mrkdwn', text: expect.stringContaining('$440.00 &lt;&amp;&gt; per day') });
    expect(body.blocks[2].fields[0]).toEqual({ type: 'mrkdwn', text: '*Impact*\n$880.00/day' });
    expect(body.blocks[3].elements[0].text).toContain('`critical-anomaly`');
    expect(body.blocks[4].elements[0]).toMatchObject({ type: 'button', url: input.link });
  });

  it('posts a signed JSON body to a webhook: the documented verification accepts it and rejects a tampered one', async () => {
    const { endpoint, harness: h } = await setUp();
    await h.startReplica();
    const input = event();
    await enqueueNotification(h.deps, input);
    await eventually(() => expect(endpoint.received).toHaveLength(1));
    const [request] = endpoint.received;
    const signed = { secret: SECRET, signature: request.headers['x-finops-signature'] as string, timestamp: request.headers['x-finops-timestamp'] as string };
    expect(signed.signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature({ ...signed, rawBody: request.body })).toBe(true);
    expect(verifyWebhookSignature({ ...signed, rawBody: request.body.replace('880', '881') })).toBe(false);
    expect(verifyWebhookSignature({ ...signed, secret: 'another-secret-of-enough-length', rawBody: request.body })).toBe(false);
    expect(verifyWebhookSignature({ ...signed, rawBody: request.body, now: new Date(Date.now() + 600_000) })).toBe(false);
    const body = JSON.parse(request.body);
    expect(body).toMatchObject({ type: 'finops.notification', version: 1, id: request.headers['idempotency-key'], event: 'critical-anomaly', dedupKey: input.dedupKey, data: { anomalyId: 'anom_1' } });
    expect(request.headers['x-finops-event']).toBe('critical-anomaly');
  });

  it('retries 5xx and 429 (honouring Retry-After) and delivers once, with one idempotency key', async () => {
    const replies = [{ status: 503 }, { status: 429, headers: { 'retry-after': '1' } }, { status: 200 }];
    const { endpoint, harness: h } = await setUp((_r, n) => replies[Math.min(n, replies.length) - 1]);
    await h.startReplica();
    const input = event();
    await enqueueNotification(h.deps, input);
    await eventually(() => expect(endpoint.received).toHaveLength(3), 15_000);
    expect(new Set(endpoint.received.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    // The third try waited for the 429's Retry-After (1 s), held by the channel's pause.
    expect(endpoint.received[2].at - endpoint.received[1].at).toBeGreaterThanOrEqual(900);
    const job = await jobOf(h, 'ops', input);
    await eventually(async () => expect(await job?.getState()).toBe('completed'));
    expect(await new DeliveryLedger(h.redis, { prefix: h.config.redis.prefix, ttlSeconds: 60 }).sent(NOTIFY_SCOPE, `ops:${input.dedupKey}`)).toBeDefined();
    await new Promise((r) => setTimeout(r, 300));
    expect(endpoint.received).toHaveLength(3);
  });

  it('reports a channel that fails permanently (4xx other than 429) instead of retrying it', async () => {
    const { endpoint, harness: h } = await setUp(() => ({ status: 404, body: 'no_such_hook' }));
    await h.startReplica();
    const input = event();
    await enqueueNotification(h.deps, input);
    const job = await jobOf(h, 'ops', input);
    await eventually(async () => expect(await job?.getState()).toBe('failed'));
    const failed = await jobOf(h, 'ops', input);
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toMatch(/answered 404: no_such_hook — fix: check notifications\.channels "ops"/);
    expect(endpoint.received).toHaveLength(1);
    const status = await new ChannelStatusStore(h.redis, h.config.redis.prefix).status('ops');
    expect(status).toMatchObject({ failedCount: 1, lastFailure: { kind: 'permanent', status: 404, dedupKey: input.dedupKey } });
  });

  it('sends one message per key across retries, repeated enqueues and two replicas racing on copies of the job', async () => {
    // The first try fails (a retry of the same job follows); every copy races the others on two replicas.
    const { endpoint, harness: h } = await setUp((_r, n) => (n === 1 ? { status: 500 } : { status: 200 }));
    await Promise.all([h.startReplica(), h.startReplica()]);
    const input = event();
    // The producer runs three times (a retried anomaly job, a re-scan, a second api replica): one job.
    await Promise.all([enqueueNotification(h.deps, input), enqueueNotification(h.deps, input), enqueueNotification(h.deps, input)]);
    // Copies under other job ids, as if retention had removed the first job and a producer raised it again.
    const queue = h.queues.get('notifications');
    const notification = (await jobOf(h, 'ops', input))!.data.notification;
    await Promise.all(Array.from({ length: 5 }, (_, i) => queue.add('notify', { channelId: 'ops', notification }, { jobId: `copy-${i}`, attempts: 4, backoff: { type: 'fixed', delay: 50 } })));
    await eventually(async () => {
      const counts = await queue.getJobCounts('completed', 'failed', 'waiting', 'active', 'delayed');
      expect(counts).toMatchObject({ completed: 6, failed: 0 });
    }, 15_000);
    const delivered = endpoint.received.filter((_r, i) => i > 0);
    expect(delivered).toHaveLength(1);
    expect(endpoint.received).toHaveLength(2);
    const results = await Promise.all((await queue.getJobs(['completed'])).map((j) => j.returnvalue?.status));
    expect(results.filter((s) => s === 'sent')).toHaveLength(1);
    expect(results.filter((s) => s === 'duplicate')).toHaveLength(5);
  });

  it('rate-limits per channel across replicas: the rest wait, delayed, without using attempts', async () => {
    const { endpoint, harness: h } = await setUp(undefined, { ratePerMinute: 2 });
    await Promise.all([h.startReplica(), h.startReplica()]);
    const inputs = Array.from({ length: 5 }, () => event());
    for (const input of inputs) await enqueueNotification(h.deps, input);
    await eventually(() => expect(endpoint.received).toHaveLength(2));
    const queue = h.queues.get('notifications');
    await eventually(async () => expect(await queue.getJobCounts('delayed', 'completed', 'failed')).toEqual({ delayed: 3, completed: 2, failed: 0 }));
    await new Promise((r) => setTimeout(r, 500));
    expect(endpoint.received).toHaveLength(2);
    for (const job of await queue.getJobs(['delayed'])) expect(job.attemptsMade).toBe(0);
  });

  it('sends nothing when notifications are disabled or no channel takes the event', async () => {
    const { endpoint, harness: h } = await setUp(undefined, { events: ['weekly-summary'] });
    expect(await enqueueNotification(h.deps, event())).toEqual([]);
    expect(await h.queues.get('notifications').count()).toBe(0);
    const off = { ...h.deps, config: { ...h.config, notifications: { ...h.config.notifications, enabled: false } } };
    expect(await enqueueNotification(off, event({ event: 'weekly-summary' }))).toEqual([]);
    expect(endpoint.received).toEqual([]);
  });
});

describe('the crash window between a send and its record', () => {
  it('sends again with the same idempotency key, and records the notification exactly once', async () => {
    const endpoint = await startEndpoint();
    const harness = await createHarness('crash');
    try {
      const ledger = new DeliveryLedger(harness.redis, { prefix: harness.config.redis.prefix, ttlSeconds: 60 });
      let crash = true;
      // The worker "dies" after the endpoint accepted the message and before the record was written.
      const crashingLedger = Object.assign(Object.create(ledger) as DeliveryLedger, {
        markSent: async (...args: Parameters<DeliveryLedger['markSent']>) => {
          if (crash) {
            crash = false;
            throw new Error('process killed');
          }
          return ledger.markSent(...args);
        },
      });
      const channel = { id: 'ops', type: 'webhook' as const, url: `${endpoint.url}/hook`, events: ['critical-anomaly' as const], ratePerMinute: 100 };
      const deps = {
        sender: createChannelSender(channel, { timeoutMs: 2000 }),
        ledger: crashingLedger,
        limiter: new ChannelRateLimiter(harness.redis, harness.config.redis.prefix),
        lockMs: 50,
        now: () => new Date(),
      };
      const notification = notificationSchema.parse(event());
      await expect(sendNotification(notification, deps)).rejects.toThrow('process killed');
      // BullMQ runs the stalled job again once its lock expires.
      await new Promise((r) => setTimeout(r, 60));
      expect(await sendNotification(notification, deps)).toMatchObject({ status: 'sent' });
      expect(await sendNotification(notification, deps)).toMatchObject({ status: 'duplicate' });
      expect(endpoint.received).toHaveLength(2);
      expect(new Set(endpoint.received.map((r) => r.headers['idempotency-key'])).size).toBe(1);
      expect(new Set(endpoint.received.map((r) => JSON.parse(r.body).id)).size).toBe(1);
      const keys = await harness.redis.keys(`${harness.config.redis.prefix}:notify:sent:*`);
      expect(keys).toEqual([`${harness.config.redis.prefix}:notify:sent:ops:${notification.dedupKey}`]);
    } finally {
      await harness.close();
      await endpoint.close();
    }
  });
});
