import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { RedisLink } from './redis';

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

/**
 * Redis, with this process's LRU standing in while Redis is away. Invalidations made meanwhile (a bumped
 * generation, a deleted key) are replayed on Redis when it is back, so no instance keeps reading a value the
 * outage should have retired.
 */
export function createRedisCache(link: RedisLink, prefix = 'crm:cache:'): Cache {
  const redis = link.client;
  const local = createMemoryCache(10_000);
  const bumped = new Set<string>();
  const deleted = new Set<string>();
  const remember = (set: Set<string>, key: string) => {
    if (set.size < PENDING_MAX) set.add(key);
  };
  link.onRecovered(async () => {
    const incr = [...bumped];
    const del = [...deleted];
    bumped.clear();
    deleted.clear();
    const multi = redis.multi();
    for (const key of incr) multi.incr(prefix + key);
    if (del.length > 0) multi.del(...del.map((k) => prefix + k));
    await multi.exec();
    // What was cached here meanwhile is not read again: Redis answers from now on.
    await local.del(...incr, ...del);
  });
  return {
    get: (key) =>
      link.run(
        () => redis.get(prefix + key),
        () => local.get(key),
      ),
    set: (key, value, ttlMs) =>
      link.run(
        async () => {
          await redis.set(prefix + key, value, 'PX', ttlMs);
        },
        () => local.set(key, value, ttlMs),
      ),
    async del(...keys) {
      if (keys.length === 0) return;
      await link.run(
        async () => {
          await redis.del(...keys.map((k) => prefix + k));
        },
        () => {
          for (const key of keys) remember(deleted, key);
          return local.del(...keys);
        },
      );
    },
    incr: (key) =>
      link.run(
        () => redis.incr(prefix + key),
        () => {
          remember(bumped, key);
          return local.incr(key);
        },
      ),
  };
}

/** Invalidations (or counter keys) kept for Redis's return: enough for any outage, bounded all the same. */
const PENDING_MAX = 100_000;

/**
 * Per-day counters that every instance adds to and a worker folds into the database: a burst of events costs
 * Redis increments, not database writes. Each (key, day) holds its running total, never reset, so a fold writes
 * absolute values and repeating one is harmless. Redis only: without it, counts go straight to the database.
 */
export interface DayCounters {
  /** Counts an event of time `at` (ms; now when left out): the running total, and its second's recent bucket. */
  add(key: string, day: string, fields: Record<string, number>, at?: number): Promise<void>;
  /**
   * Every (key, day) counted since the last fold, with its running total, however long ago the last fold ran
   * (within the counters' life). Call `settle` once they are written, with those that failed: they come back in
   * the next fold. A fold that crashes before settling leaves them for the next one.
   */
  changed(): Promise<{ entries: CounterEntry[]; settle(failed: CounterEntry[]): Promise<void> }>;
  /** The totals so far of one key on the given days (missing days are left out). */
  read(key: string, days: string[]): Promise<Map<string, Record<string, number>>>;
  /**
   * Lifts a (key, day)'s totals to at least `values`: after a rebuild from the stored rows, so that counts added
   * later go on from there (a Redis that lost its memory starts again from zero). A no-op while Redis is away.
   */
  raise(key: string, day: string, values: Record<string, number>): Promise<void>;
  /**
   * Sets a (key, day)'s totals, atomically, to `counted` (what the stored rows of events before `since` count) plus
   * what was added here for events of `since` or later (the recent buckets, kept a few minutes): exact, whatever
   * is counted while the rows are read, as long as every event before `since` was committed and counted by then.
   * Answers the totals set. Throws while Redis is away.
   */
  rebuild(
    key: string,
    day: string,
    counted: Record<string, number>,
    since: number,
    until: number,
  ): Promise<Record<string, number>>;
  /** Since when (ms) the recent buckets are surely complete: the first rebuild this Redis saw (since it last lost its memory). */
  coveredSince(): Promise<number>;
  /**
   * True once after Redis lost what it held (a restart without persistence, a flush), and the first time it is
   * asked at all: the totals since then start from zero, so the folded figures need a rebuild from the rows.
   */
  forgotten(): Promise<boolean>;
}

export interface CounterEntry {
  key: string;
  day: string;
  values: Record<string, number>;
}

/** Counters live eight days: folded many times over by then, and then forgotten. */
export const DAY_COUNTER_DAYS = 8;
const DAY_COUNTER_TTL_S = DAY_COUNTER_DAYS * 86_400;
/** Each count is also kept by its event's second, this long: what a rebuild adds on top of the rows it read. */
const RECENT_TTL_S = 10 * 60;
const minuteOf = (at: number) => Math.floor(at / 60_000);

/**
 * How long Redis remembers that it applied a count. A count whose command timed out may still have been applied
 * (a hung server answers late); the count is then also held here, and handed over when Redis is back carrying the
 * same id, which Redis skips if it has it. Only the counts in flight when Redis went away are in doubt (later ones
 * are held without being sent), so this needs to cover an outage, not a day.
 */
const COUNT_ID_TTL_S = 30 * 60;

/** One count: applied at most once, whatever the retries (its id), and its key's day marked for the next fold. */
const COUNT_ONCE = `
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
  for i = 6, #ARGV, 2 do
    redis.call('HINCRBY', KEYS[2], ARGV[i], ARGV[i + 1])
    redis.call('HINCRBY', KEYS[4], ARGV[i] .. '@' .. ARGV[5], ARGV[i + 1])
  end
  redis.call('EXPIRE', KEYS[2], ARGV[2])
  redis.call('EXPIRE', KEYS[4], ARGV[4])
  redis.call('SADD', KEYS[3], ARGV[3])
  return 1
end
return 0`;

/**
 * A rebuilt total: the rows' count (ARGV pairs from 4) plus the recent buckets' counts of events from second
 * ARGV[3] on (KEYS from 3: the minute buckets), in one step, so that no count made meanwhile is lost or counted
 * twice. The (key, day) is marked (ARGV[2] into KEYS[2]) for the next fold. Answers the fields and totals set.
 */
const REBUILD = `
local since = tonumber(ARGV[3])
local recent = {}
for k = 3, #KEYS do
  local raw = redis.call('HGETALL', KEYS[k])
  for i = 1, #raw, 2 do
    local field, second = string.match(raw[i], '^(.*)@(%d+)$')
    if field and tonumber(second) >= since then recent[field] = (recent[field] or 0) + tonumber(raw[i + 1]) end
  end
end
local out = {}
for i = 4, #ARGV, 2 do
  local total = tonumber(ARGV[i + 1]) + (recent[ARGV[i]] or 0)
  redis.call('HSET', KEYS[1], ARGV[i], total)
  table.insert(out, ARGV[i])
  table.insert(out, tostring(total))
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[2])
return out`;

/** Each field of a counter lifted to at least the given value; the counter lives on as a counted one does. */
const RAISE = `
for i = 2, #ARGV, 2 do
  if tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '0') < tonumber(ARGV[i + 1]) then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  end
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1`;

/** Counts kept in-process while Redis is away, each with the id it is (or will be) applied under. */
interface HeldCount extends CounterEntry {
  id: string;
  /** The event's time (ms): its recent bucket. */
  at: number;
  /** Sent once already (it timed out): its values are final, later counts go to another entry. */
  sent: boolean;
}

/** A rebuild needs Redis (the counts made meanwhile are there): it fails, to be retried, while Redis is away. */
const awayForRebuild = (): never => {
  throw new Error('Redis is not answering: the counters are rebuilt once it is back');
};

export function createRedisDayCounters(link: RedisLink, prefix = 'crm:counters:'): DayCounters {
  const redis = link.client;
  const hashKey = (key: string, day: string) => `${prefix}${key}|${day}`;
  const recentKey = (key: string, day: string, minute: number) => `${prefix}recent:${key}|${day}|${minute}`;
  // What changed since the last fold, and what a fold has taken but not yet settled.
  const dirty = `${prefix}dirty`;
  const folding = `${prefix}dirty:folding`;
  const numbers = (raw: Record<string, string>) =>
    Object.fromEntries(Object.entries(raw).map(([field, value]) => [field, Number(value)]));
  async function countOnce(count: HeldCount) {
    await redis.eval(
      COUNT_ONCE,
      4,
      `${prefix}applied:${count.id}`,
      hashKey(count.key, count.day),
      dirty,
      recentKey(count.key, count.day, minuteOf(count.at)),
      COUNT_ID_TTL_S,
      DAY_COUNTER_TTL_S,
      `${count.key}|${count.day}`,
      RECENT_TTL_S,
      Math.floor(count.at / 1000),
      ...Object.entries(count.values).flat(),
    );
  }
  // While Redis is away, counts add up here and are added to Redis when it is back (lost only with the process).
  const held: HeldCount[] = [];
  /** The entry of each (key, day) that still takes counts: not yet sent. */
  const open = new Map<string, HeldCount>();
  function hold(count: HeldCount) {
    if (count.sent) {
      if (held.length < PENDING_MAX) held.push(count);
      return;
    }
    // One entry per (key, day, second): a rebuild tells counts apart by their second.
    const id = `${count.key}|${count.day}|${Math.floor(count.at / 1000)}`;
    const entry = open.get(id);
    if (!entry) {
      if (held.length >= PENDING_MAX) return;
      const fresh = { ...count, values: { ...count.values } };
      open.set(id, fresh);
      held.push(fresh);
      return;
    }
    for (const [field, by] of Object.entries(count.values))
      entry.values[field] = (entry.values[field] ?? 0) + by;
  }
  link.onRecovered(async () => {
    const entries = held.splice(0);
    open.clear();
    for (const [i, entry] of entries.entries()) {
      try {
        await countOnce(entry);
      } catch (error) {
        // Away again: what is not yet added waits for the next return, under the same ids.
        for (const rest of entries.slice(i)) hold({ ...rest, sent: true });
        link.failed(error);
        return;
      }
    }
  });

  return {
    async add(key, day, fields, at = Date.now()) {
      const count: HeldCount = { id: randomUUID(), key, day, values: fields, sent: false, at };
      await link.run(
        () => {
          count.sent = true;
          return countOnce(count);
        },
        // Sent and not answered, it may have been applied: held apart, under its id. Not sent (Redis known to be
        // away): added to the (key, day)'s open entry.
        () => hold(count),
      );
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
    async raise(key, day, values) {
      const fields = Object.entries(values).flatMap(([field, value]) => [field, String(value)]);
      if (fields.length === 0) return;
      await link.run(
        async () => {
          await redis.eval(RAISE, 1, hashKey(key, day), DAY_COUNTER_TTL_S, ...fields);
        },
        () => undefined,
      );
    },
    async forgotten() {
      // A marker that only a Redis which kept its memory still has.
      return link.run(
        async () => (await redis.set(`${prefix}remembered`, '1', 'NX')) === 'OK',
        () => false,
      );
    },
    async coveredSince() {
      // A marker of its own (not `remembered`, whose first answer the fold must see): set by the first rebuild a
      // Redis sees, later than its first count, so the buckets are complete at least since then.
      return link.run(async () => {
        await redis.set(`${prefix}covered-since`, String(Date.now()), 'NX');
        return Number(await redis.get(`${prefix}covered-since`)) || Date.now();
      }, awayForRebuild);
    },
    async rebuild(key, day, counted, since, until) {
      const minutes: string[] = [];
      for (let minute = minuteOf(since); minute <= minuteOf(until); minute++)
        minutes.push(recentKey(key, day, minute));
      const set = (await link.run(
        () =>
          redis.eval(
            REBUILD,
            2 + minutes.length,
            hashKey(key, day),
            dirty,
            ...minutes,
            DAY_COUNTER_TTL_S,
            `${key}|${day}`,
            Math.floor(since / 1000),
            ...Object.entries(counted).flatMap(([field, value]) => [field, String(value)]),
          ),
        awayForRebuild,
      )) as string[];
      const totals: Record<string, number> = {};
      for (let i = 0; i + 1 < set.length; i += 2) totals[set[i] as string] = Number(set[i + 1]);
      return totals;
    },
    async read(key, days) {
      const found = new Map<string, Record<string, number>>();
      if (days.length === 0) return found;
      return link.run(
        async () => {
          const pipeline = redis.pipeline();
          for (const day of days) pipeline.hgetall(hashKey(key, day));
          const results = (await pipeline.exec()) ?? [];
          days.forEach((day, i) => {
            const raw = (results[i]?.[1] ?? {}) as Record<string, string>;
            if (Object.keys(raw).length > 0) found.set(day, numbers(raw));
          });
          return found;
        },
        // Redis away: only what this process holds for it (the folded days come from the database anyway).
        () => {
          const wanted = new Set(days);
          for (const entry of held) {
            if (entry.key !== key || !wanted.has(entry.day)) continue;
            const sum = found.get(entry.day) ?? {};
            for (const [field, by] of Object.entries(entry.values)) sum[field] = (sum[field] ?? 0) + by;
            found.set(entry.day, sum);
          }
          return found;
        },
      );
    },
  };
}
