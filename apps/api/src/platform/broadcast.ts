import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { connectRedis, linkRedis } from './redis';

/**
 * Fire-and-forget messages to every instance (Redis pub/sub), or to this process alone without Redis:
 * for what each instance keeps in memory and must drop when another changes it (cached principals).
 */
export interface Broadcast {
  publish(channel: string, message: Record<string, unknown>): Promise<void>;
  subscribe(channel: string, listener: (message: Record<string, unknown>) => void): Promise<void>;
  close(): Promise<void>;
}

export function createMemoryBroadcast(): Broadcast {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    async publish(channel, message) {
      emitter.emit(channel, message);
    },
    async subscribe(channel, listener) {
      emitter.on(channel, listener);
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}

/** Redis pub/sub; while Redis is away, messages reach this process only (other instances' entries still expire). */
export function createRedisBroadcast(
  url: string,
  options: { prefix?: string; commandTimeoutMs?: number; onError?: (error: unknown) => void } = {},
): Broadcast {
  const prefix = options.prefix ?? 'crm:bc:';
  const link = linkRedis(connectRedis(url, 'broadcast', options.commandTimeoutMs), options.onError);
  const subscriber: Redis = connectRedis(url, 'broadcast-sub', options.commandTimeoutMs);
  subscriber.on('error', () => undefined);
  const local = createMemoryBroadcast();
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  subscriber.on('message', (channel: string, raw: string) => {
    emitter.emit(channel.slice(prefix.length), JSON.parse(raw) as Record<string, unknown>);
  });
  link.onRecovered(async () => {
    const channels = emitter.eventNames() as string[];
    if (channels.length > 0) await subscriber.subscribe(...channels.map((c) => prefix + c));
  });
  return {
    publish: (channel, message) =>
      link.run(
        async () => {
          await link.client.publish(prefix + channel, JSON.stringify(message));
        },
        () => local.publish(channel, message),
      ),
    async subscribe(channel, listener) {
      await local.subscribe(channel, listener);
      if (emitter.listenerCount(channel) === 0 && link.available) {
        await subscriber.subscribe(prefix + channel).catch((error: unknown) => link.failed(error));
      }
      emitter.on(channel, listener);
    },
    async close() {
      emitter.removeAllListeners();
      await local.close();
      await Promise.allSettled([link.close(), subscriber.quit()]);
    },
  };
}
