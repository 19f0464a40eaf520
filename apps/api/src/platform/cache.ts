import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

/**
 * Small shared values with a time to live: the inbox counts, idempotent answers' fast path.
 * Redis when configured, so every instance sees the same value and the same invalidation;
 * an in-process LRU otherwise.
 */
export interface Cache {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  del(...keys: string[]): Promise<void>;
  /** Atomically increments a counter and returns the new value (used as a cache generation). */
  incr(key: string): Promise<number>;
}

export function createMemoryCache(max = 50_000): Cache {
  const values = new LRUCache<string, string>({ max, ttlAutopurge: false });
  return {
    async get(key) {
      return values.get(key) ?? null;
    },
    async set(key, value, ttlMs) {
      values.set(key, value, { ttl: ttlMs });
    },
    async del(...keys) {
      for (const key of keys) values.delete(key);
    },
    async incr(key) {
      const next = Number(values.get(key) ?? '0') + 1;
      values.set(key, String(next), { ttl: 0 });
      return next;
    },
  };
}

export function createRedisCache(redis: Redis, prefix = 'crm:cache:'): Cache {
  return {
    get: (key) => redis.get(prefix + key),
    async set(key, value, ttlMs) {
      await redis.set(prefix + key, value, 'PX', ttlMs);
    },
    async del(...keys) {
      if (keys.length > 0) await redis.del(...keys.map((k) => prefix + k));
    },
    incr: (key) => redis.incr(prefix + key),
  };
}
