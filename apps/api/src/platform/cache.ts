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

/**
 * Per-day counters that every instance adds to and a worker folds into the database: a burst of events costs
 * Redis increments, not database writes. Each (key, day) holds its running total, never reset, so a fold writes
 * absolute values and repeating one is harmless. Redis only: without it, counts go straight to the database.
 */
export interface DayCounters {
  add(key: string, day: string, fields: Record<string, number>): Promise<void>;
  /** The totals so far of every key counted on the given days (YYYY-MM-DD). */
  snapshot(days: string[]): Promise<{ key: string; day: string; values: Record<string, number> }[]>;
  /** The totals so far of one key on the given days (missing days are left out). */
  read(key: string, days: string[]): Promise<Map<string, Record<string, number>>>;
}

/** Counters and their per-day index live eight days: folded many times over by then, and then forgotten. */
const DAY_COUNTER_TTL_S = 8 * 86_400;

export function createRedisDayCounters(redis: Redis, prefix = 'crm:counters:'): DayCounters {
  const indexKey = (day: string) => `${prefix}index:${day}`;
  const hashKey = (key: string, day: string) => `${prefix}${key}|${day}`;
  const numbers = (raw: Record<string, string>) =>
    Object.fromEntries(Object.entries(raw).map(([field, value]) => [field, Number(value)]));
  return {
    async add(key, day, fields) {
      const multi = redis.multi();
      for (const [field, by] of Object.entries(fields)) multi.hincrby(hashKey(key, day), field, by);
      multi.expire(hashKey(key, day), DAY_COUNTER_TTL_S);
      multi.sadd(indexKey(day), key);
      multi.expire(indexKey(day), DAY_COUNTER_TTL_S);
      await multi.exec();
    },
    async snapshot(days) {
      const entries: { key: string; day: string; values: Record<string, number> }[] = [];
      for (const day of days) {
        const keys = await redis.smembers(indexKey(day));
        if (keys.length === 0) continue;
        const pipeline = redis.pipeline();
        for (const key of keys) pipeline.hgetall(hashKey(key, day));
        const results = (await pipeline.exec()) ?? [];
        keys.forEach((key, i) => {
          const raw = (results[i]?.[1] ?? {}) as Record<string, string>;
          entries.push({ key, day, values: numbers(raw) });
        });
      }
      return entries;
    },
    async read(key, days) {
      const found = new Map<string, Record<string, number>>();
      if (days.length === 0) return found;
      const pipeline = redis.pipeline();
      for (const day of days) pipeline.hgetall(hashKey(key, day));
      const results = (await pipeline.exec()) ?? [];
      days.forEach((day, i) => {
        const raw = (results[i]?.[1] ?? {}) as Record<string, string>;
        if (Object.keys(raw).length > 0) found.set(day, numbers(raw));
      });
      return found;
    },
  };
}
