// Channel renderings and failure classification: Slack limits, webhook signatures, SNS subjects and FIFO ids.
import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../delivery-error.js';
import { notificationSchema } from '../notification.js';
import { createChannelSender } from './create-sender.js';
import { slackMessage } from './slack.js';
import { snsPublishInput, snsSubject, type SnsPublishInput } from './sns.js';
import { signWebhook, verifyWebhookSignature } from './webhook.js';

const base = notificationSchema.parse({
  event: 'high-savings',
  dedupKey: 'high-savings:abc',
  title: 'x'.repeat(150),
  text: `Savings found. ${'&'.repeat(2900)}`,
  fields: Array.from({ length: 10 }, (_, i) => ({ label: `L${i}`, value: 'v'.repeat(500) })),
  occurredAt: '2026-11-26T12:00:00.000Z',
});

describe('slackMessage', () => {
  it('keeps within Block Kit limits and leaves out what is absent', () => {
    const message = slackMessage(base);
    const [header, section, fields] = message.blocks as { text?: { text: string }; fields?: unknown[] }[];
    expect(header.text!.text).toHaveLength(150);
    // Escaping (& → &amp;) lengthens the text: it is clipped to Slack's 3000 characters.
    expect(section.text!.text).toHaveLength(3000);
    expect(section.text!.text.endsWith('…')).toBe(true);
    expect(fields.fields).toHaveLength(10);
    expect(message.blocks.some((b) => b.type === 'actions')).toBe(false);
  });
});

describe('webhook signatures', () => {
  it('signs "<timestamp>.<body>" with HMAC-SHA256, hex, as documented', () => {
    // echo -n '1700000000.{"a":1}' | openssl dgst -sha256 -hmac 'secret-secret-secret'
    expect(signWebhook('secret-secret-secret', 1_700_000_000, '{"a":1}')).toBe('sha256=fa345d5b654e6667128855e14a4938c54b5b813699e6b72c5c4f501aa493ba92');
    const now = new Date(1_700_000_100_000);
    const signature = signWebhook('secret-secret-secret', 1_700_000_000, '{"a":1}');
    expect(verifyWebhookSignature({ secret: 'secret-secret-secret', signature, timestamp: '1700000000', rawBody: '{"a":1}', now })).toBe(true);
    expect(verifyWebhookSignature({ secret: 'secret-secret-secret', signature, timestamp: '1700000001', rawBody: '{"a":1}', now })).toBe(false);
    expect(verifyWebhookSignature({ secret: 'secret-secret-secret', signature: undefined, timestamp: '1700000000', rawBody: '{"a":1}', now })).toBe(false);
  });
});

describe('SNS', () => {
  it('makes subjects SNS accepts: ASCII, one line, under 100 characters', () => {
    expect(snsSubject('Budget “platform” at 80% — €')).toBe('Budget ?platform? at 80% ? ?');
    expect(snsSubject('y'.repeat(120))).toHaveLength(99);
  });

  it('sends text to people and JSON to machines, and a deduplication id to FIFO topics', () => {
    const input = snsPublishInput('arn:aws:sns:eu-west-1:123456789012:alerts.fifo', base, 'finops-key');
    const messages = JSON.parse(input.message);
    expect(messages.default).toContain('Savings found.');
    expect(JSON.parse(messages.sqs)).toMatchObject({ type: 'finops.notification', id: 'finops-key', dedupKey: 'high-savings:abc' });
    expect(input).toMatchObject({ messageStructure: 'json', deduplicationId: 'finops-key', groupId: 'high-savings' });
    expect(snsPublishInput('arn:aws:sns:eu-west-1:123456789012:alerts', base, 'k').deduplicationId).toBeUndefined();
  });

  it('classifies publisher failures: retryable when AWS says so, permanent otherwise', async () => {
    const channel = { id: 'sns', type: 'sns' as const, topicArn: 'arn:aws:sns:eu-west-1:123456789012:alerts', events: [], ratePerMinute: 10 };
    const sent: SnsPublishInput[] = [];
    let failure: unknown;
    const sender = createChannelSender(channel, {
      timeoutMs: 1000,
      publishSns: async (input) => {
        if (failure) throw failure;
        sent.push(input);
        return { messageId: '1' };
      },
    });
    await sender.send(base, { idempotencyKey: 'k' });
    expect(sent[0].topicArn).toBe(channel.topicArn);
    const attempt = () => sender.send(base, { idempotencyKey: 'k' }).catch((e: DeliveryError) => e);
    failure = Object.assign(new Error('denied'), { name: 'AuthorizationError', retryable: false });
    expect(await attempt()).toMatchObject({ permanent: true });
    failure = Object.assign(new Error('internal'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } });
    expect(await attempt()).toMatchObject({ permanent: false, status: 500 });
    expect(() => createChannelSender(channel, { timeoutMs: 1000 })).toThrow(/no SNS publisher/);
  });
});
