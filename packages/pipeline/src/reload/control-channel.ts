// A Redis pub/sub channel that tells every process of the platform to reload its configuration.
import type { Logger } from '@finops/core';
import type { Redis } from 'ioredis';

export interface ControlMessage {
  action: 'reload';
  /** Who asked: `api`, `cli`. */
  origin: string;
  at: string;
}

export function controlChannel(prefix: string): string {
  return `${prefix}:control`;
}

/** Publishes a reload request; resolves with the number of processes subscribed that received it. */
export async function publishReload(redis: Redis, prefix: string, origin: string): Promise<number> {
  const message: ControlMessage = { action: 'reload', origin, at: new Date().toISOString() };
  return redis.publish(controlChannel(prefix), JSON.stringify(message));
}

/**
 * Subscribes on a duplicate of `redis` (a subscribed connection can do nothing else) and calls `onReload` for
 * each reload message. Returns the function that unsubscribes and closes that connection; idempotent.
 */
export async function subscribeControl(redis: Redis, prefix: string, logger: Logger, onReload: (message: ControlMessage) => void): Promise<() => Promise<void>> {
  const subscriber = redis.duplicate({ connectionName: undefined });
  subscriber.on('error', (error) => logger.warn({ err: error.message }, 'control channel connection error'));
  const channel = controlChannel(prefix);
  subscriber.on('message', (received: string, raw: string) => {
    if (received !== channel) return;
    try {
      const message = JSON.parse(raw) as ControlMessage;
      if (message.action === 'reload') onReload(message);
    } catch {
      logger.warn({ raw: raw.slice(0, 200) }, 'ignored a malformed control message');
    }
  });
  await subscriber.subscribe(channel);
  let closing: Promise<void> | undefined;
  return () =>
    (closing ??= (async () => {
      await subscriber.unsubscribe(channel).catch(() => undefined);
      await subscriber.quit().catch(() => subscriber.disconnect());
    })());
}
