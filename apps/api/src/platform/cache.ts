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
  /**
   * Every (key, day) counted since the last fold, with its running total, however long ago the last fold ran
   * (within the counters' life). Call `settle` once they are written, with those that failed: they come back in
   * the next fold. A fold that crashes before settling leaves them for the next one.
   */
  changed(): Promise<{ entries: CounterEntry[]; settle(failed: CounterEntry[]): Promise<void> }>;
  /** The totals so far of one key on the given days (missing days are left out). */
  read(key: string, days: string[]): Promise<Map<string, Record<string, number>>>;
}

export interface CounterEntry {
  key: string;
  day: string;
  values: Record<string, number>;
}

/** Counters live eight days: folded many times over by then, and then forgotten. */
export const DAY_COUNTER_DAYS = 8;
const DAY_COUNTER_TTL_S = DAY_COUNTER_DAYS * 86_400;

export function createRedisDayCounters(redis: Redis, prefix = 'crm:counters:'): DayCounters {
  const hashKey = (key: string, day: string) => `${prefix}${key}|${day}`;
  // What changed since the last fold, and what a fold has taken but not yet settled.
  const dirty = `${prefix}dirty`;
  const folding = `${prefix}dirty:folding`;
  const numbers = (raw: Record<string, string>) =>
    Object.fromEntries(Object.entries(raw).map(([field, value]) => [field, Number(value)]));
  return {
    async add(key, day, fields) {
      const multi = redis.multi();
      for (const [field, by] of Object.entries(fields)) multi.hincrby(hashKey(key, day), field, by);
      multi.expire(hashKey(key, day), DAY_COUNTER_TTL_S);
      multi.sadd(dirty, `${key}|${day}`);
      await multi.exec();
    },
    async changed() {
      // Atomically: what an unsettled (crashed) fold took, plus everything marked since; new marks start afresh.
      await redis.multi().sunionstore(folding, folding, dirty).del(dirty).exec();
      const members = await redis.smembers(folding);
      const pipeline = redis.pipeline();
      for (const member of members) pipeline.hgetall(`${prefix}${member}`);
      const results = members.length > 0 ? ((await pipeline.exec()) ?? []) : [];
      const entries: CounterEntry[] = [];
      members.forEach((member, i) => {
        const cut = member.lastIndexOf('|');
        const raw = (results[i]?.[1] ?? {}) as Record<string, string>;
        // A counter that outlived its life is gone: nothing left to fold.
        if (cut > 0 && Object.keys(raw).length > 0)
          entries.push({ key: member.slice(0, cut), day: member.slice(cut + 1), values: numbers(raw) });
      });
      return {
        entries,
        async settle(failed) {
          const multi = redis.multi();
          if (failed.length > 0) multi.sadd(dirty, ...failed.map((e) => `${e.key}|${e.day}`));
          multi.del(folding);
          await multi.exec();
        },
      };
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
