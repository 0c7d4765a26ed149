// What was delivered, kept in Redis: a "sent" record per key, written after a confirmed send, and a short lock so
// two workers never send the same key at the same time.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface DeliveryLedgerOptions {
  /** The hash-tagged prefix shared with the queues (`{finops}`). */
  prefix: string;
  /** How long a sent record is kept: a producer re-raising the same key within it is ignored. */
  ttlSeconds: number;
}

export interface SentRecord {
  sentAt: string;
  /** The job that sent it, for tracing. */
  by?: string;
}

/** Deletes the lock only if it is still ours (a lock that expired may belong to another worker by now). */
const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * Keys: `<prefix>:<scope>:sent:<key>` and `<prefix>:<scope>:sending:<key>`, e.g.
 * `{finops}:notify:sent:ops-slack:budget-threshold:platform:2026-11:80` or `{finops}:deliver:sent:<scanId>`.
 */
export class DeliveryLedger {
  constructor(
    private readonly redis: Redis,
    private readonly options: DeliveryLedgerOptions,
  ) {}

  private key(scope: string, kind: 'sent' | 'sending', key: string): string {
    return `${this.options.prefix}:${scope}:${kind}:${key}`;
  }

  async sent(scope: string, key: string): Promise<SentRecord | undefined> {
    const raw = await this.redis.get(this.key(scope, 'sent', key));
    return raw ? (JSON.parse(raw) as SentRecord) : undefined;
  }

  /** Records a confirmed send. Returns false when it was already recorded (by this or another worker). */
  async markSent(scope: string, key: string, record: SentRecord): Promise<boolean> {
    const result = await this.redis.set(this.key(scope, 'sent', key), JSON.stringify(record), 'EX', this.options.ttlSeconds, 'NX');
    return result === 'OK';
  }

  /** Takes the send lock for `ttlMs`; returns its token, or undefined when another worker holds it. */
  async lock(scope: string, key: string, ttlMs: number): Promise<string | undefined> {
    const token = randomUUID();
    const result = await this.redis.set(this.key(scope, 'sending', key), token, 'PX', ttlMs, 'NX');
    return result === 'OK' ? token : undefined;
  }

  async unlock(scope: string, key: string, token: string): Promise<void> {
    await this.redis.eval(UNLOCK, 1, this.key(scope, 'sending', key), token);
  }
}
