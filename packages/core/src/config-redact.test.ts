// redactConfig hides every secret of a configuration and leaves the rest readable.
import { describe, expect, it } from 'vitest';
import { configSchema } from './config-schema.js';
import { redactConfig, redactUrl } from './config-redact.js';

describe('redactConfig', () => {
  it('masks API credentials, the Redis password, notification URLs and secrets, and external ids', () => {
    const config = configSchema.parse({
      aws: { externalId: 'ext-default', accounts: [{ id: '123456789012', externalId: 'ext-1' }, { id: '210987654321' }] },
      api: { auth: { type: 'basic', username: 'admin', password: 'correct horse' } },
      redis: { url: 'redis://app:s3cret@cache.internal:6379/0' },
      notifications: {
        channels: [
          { id: 'ops', type: 'slack', url: 'https://hooks.slack.com/services/T0/B0/xyz' },
          { id: 'hook', type: 'webhook', url: 'https://example.com/hook', secret: 'hmac-key-0123456789abcdef' },
          { id: 'mail', type: 'email', to: ['ops@example.com'] },
        ],
      },
    });
    const redacted = redactConfig(config) as typeof config;

    expect(redacted.api.auth).toEqual({ type: 'basic', username: 'admin', password: '***' });
    expect(redacted.redis.url).toBe('redis://app:***@cache.internal:6379/0');
    expect(redacted.notifications.channels.map((channel) => [channel.url, channel.secret])).toEqual([
      ['***', undefined],
      ['***', '***'],
      [undefined, undefined],
    ]);
    expect(redacted.aws.externalId).toBe('***');
    expect(redacted.aws.accounts.map((account) => account.externalId)).toEqual(['***', undefined]);
    expect(JSON.stringify(redacted)).not.toMatch(/s3cret|correct horse|xyz|hmac-key|ext-/);
    // The original is untouched.
    expect(config.redis.url).toBe('redis://app:s3cret@cache.internal:6379/0');
  });

  it('masks a bearer token', () => {
    const config = configSchema.parse({ api: { auth: { type: 'bearer', token: 'sixteen-chars-or-more' } } });
    expect((redactConfig(config) as typeof config).api.auth).toEqual({ type: 'bearer', token: '***' });
  });
});

describe('redactUrl', () => {
  it.each([
    ['redis://:pw@host:6379', 'redis://:***@host:6379'],
    ['rediss://user:pw@host:6380/1', 'rediss://user:***@host:6380/1'],
    ['redis://tokenonly@host', 'redis://***@host'],
    ['redis://127.0.0.1:6379', 'redis://127.0.0.1:6379'],
    ['not a url', 'not a url'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});
