import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { connectRedis } from './redis';

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

export function createRedisBroadcast(url: string, prefix = 'crm:bc:'): Broadcast {
  const command: Redis = connectRedis(url, 'broadcast');
  const subscriber: Redis = connectRedis(url, 'broadcast-sub');
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  subscriber.on('message', (channel: string, raw: string) => {
    emitter.emit(channel.slice(prefix.length), JSON.parse(raw) as Record<string, unknown>);
  });
  return {
    async publish(channel, message) {
      await command.publish(prefix + channel, JSON.stringify(message));
    },
    async subscribe(channel, listener) {
      if (emitter.listenerCount(channel) === 0) await subscriber.subscribe(prefix + channel);
      emitter.on(channel, listener);
    },
    async close() {
      emitter.removeAllListeners();
      await Promise.allSettled([command.quit(), subscriber.quit()]);
    },
  };
}
