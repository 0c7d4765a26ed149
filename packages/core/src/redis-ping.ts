// Asks a Redis URL for PONG with a short deadline, without retries: "is anything usable there?"
import { Redis } from 'ioredis';

/** Why a Redis did not answer, or that it did. */
export type RedisProbe = { ok: true } | { ok: false; reason: string };

/** Connects once, sends PING, disconnects. Never throws; the reason says what went wrong (refused, NOAUTH, timeout). */
export async function probeRedis(url: string, timeoutMs = 1000): Promise<RedisProbe> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // The failure is reported through the returned value; without a listener ioredis prints it.
  redis.on('error', () => {});
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const reply = await Promise.race([redis.connect().then(() => redis.ping()), deadline]);
    return reply === 'PONG' ? { ok: true } : { ok: false, reason: `unexpected reply to PING: ${String(reply)}` };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  } finally {
    clearTimeout(timer);
    redis.disconnect();
  }
}

/** Whether `url` answers PING within `timeoutMs`. */
export async function pingRedis(url: string, timeoutMs = 1000): Promise<boolean> {
  return (await probeRedis(url, timeoutMs)).ok;
}
