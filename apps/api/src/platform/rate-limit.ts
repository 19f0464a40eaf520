import type { FastifyRateLimitOptions, FastifyRateLimitStore } from '@fastify/rate-limit';
import {
  type IRateLimiterOptions,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { AppError } from './errors';
import type { RedisLink } from './redis';

/**
 * Fixed-window limits for the public endpoints, keyed by whatever the caller names (client IP, tenant).
 * With Redis every instance counts in one place, so N instances do not multiply the limit; without it, and
 * while Redis is away, each process counts alone: never refusing everyone, never waving everyone through.
 */
export interface RateLimits {
  /** Spends `cost` of `key`'s budget of `limit` per window; throws RATE_LIMITED when it is spent. */
  consume(key: string, limit: number, cost?: number, windowSeconds?: number): Promise<void>;
  /**
   * consume() of each budget in turn, as one call to Redis (one round trip): each is spent only while those
   * before it were not already spent, and the first one spent throws RATE_LIMITED with its own Retry-After.
   */
  consumeEach(budgets: readonly Budget[], windowSeconds?: number): Promise<void>;
  /** Spends one of `key`'s budget; when it was already spent, answers how long until the window ends instead. */
  take(
    key: string,
    limit: number,
    windowSeconds?: number,
  ): Promise<{ allowed: boolean; retryAfterMs: number }>;
  /** Gives `key` its whole budget back (a login that succeeded spends none of the failures' budget). */
  reset(key: string, limit: number, windowSeconds?: number): Promise<void>;
}

export interface Budget {
  key: string;
  limit: number;
  cost?: number;
}

const WINDOW_SECONDS = 60;

type Limiter = RateLimiterMemory | RateLimiterRedis;
type Spent = { res: RateLimiterRes; limited: boolean };

/** A limiter's answer either way: rate-limiter-flexible rejects with the result when the budget is spent. */
const spent = (attempt: Promise<RateLimiterRes>): Promise<Spent> =>
  attempt.then(
    (res) => ({ res, limited: false }),
    (error: unknown) => {
      if (error instanceof RateLimiterRes) return { res: error, limited: true };
      throw error;
    },
  );

/** The same limit on Redis and in this process: Redis while it answers, this process while it does not. */
function limiterPair(link: RedisLink | null, options: IRateLimiterOptions) {
  const memory = new RateLimiterMemory(options);
  const shared = link ? new RateLimiterRedis({ ...options, storeClient: link.client }) : null;
  const use = <T>(run: (limiter: Limiter) => Promise<T>): Promise<T> =>
    link && shared
      ? link.run(
          () => run(shared),
          () => run(memory),
        )
      : run(memory);
  return Object.assign(use, { memory, keyPrefix: options.keyPrefix ?? '' });
}

const secondsOf = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

const rateLimited = (res: RateLimiterRes) => {
  const seconds = secondsOf(res);
  return new AppError('RATE_LIMITED', `Too many requests; try again in ${seconds} s`, {
    headers: { 'retry-after': String(seconds) },
  });
};

/**
 * rate-limiter-flexible's own step (RateLimiterRedis's incrTtlLuaScript: the window opened if none is, the cost
 * added, its time left) for each key in turn, stopping at the first key over its limit. KEYS: the limiters' keys;
 * ARGV: the window in seconds, then each key's cost and limit. Answers [index of the key over its limit (1-based),
 * its points consumed, its ms left], or [0] when every key was within its limit.
 */
const CONSUME_EACH_SCRIPT = `
local window = tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  redis.call('set', key, 0, 'EX', window, 'NX')
  local consumed = redis.call('incrby', key, ARGV[2 * i])
  local ttl = redis.call('pttl', key)
  if ttl == -1 then
    redis.call('expire', key, window)
    ttl = 1000 * window
  end
  if consumed > tonumber(ARGV[2 * i + 1]) then return {i, consumed, ttl} end
end
return {0}
`;

type ConsumeEachClient = {
  crmRlConsumeEach(...args: (string | number)[]): Promise<[number, number?, number?]>;
};

export function createRateLimits(link: RedisLink | null, prefix = 'crm:rl'): RateLimits {
  // The limiter's points are fixed: one limiter per distinct limit and window.
  const limiters = new Map<string, ReturnType<typeof limiterPair>>();
  const limiterFor = (limit: number, windowSeconds: number) => {
    const name = windowSeconds === WINDOW_SECONDS ? `${limit}` : `${limit}:${windowSeconds}s`;
    let limiter = limiters.get(name);
    if (!limiter) {
      limiter = limiterPair(link, { points: limit, duration: windowSeconds, keyPrefix: `${prefix}:${name}` });
      limiters.set(name, limiter);
    }
    return limiter;
  };

  if (link) link.client.defineCommand('crmRlConsumeEach', { lua: CONSUME_EACH_SCRIPT });

  /** Each budget in this process's limiters, in turn: without Redis, or while it is away. */
  async function consumeEachHere(budgets: readonly Budget[], windowSeconds: number) {
    for (const { key, limit, cost = 1 } of budgets) {
      const { res, limited } = await spent(limiterFor(limit, windowSeconds).memory.consume(key, cost));
      if (limited) throw rateLimited(res);
    }
  }

  return {
    async consume(key, limit, cost = 1, windowSeconds = WINDOW_SECONDS) {
      const { res, limited } = await limiterFor(
        limit,
        windowSeconds,
      )((limiter) => spent(limiter.consume(key, cost)));
      if (limited) throw rateLimited(res);
    },
    async consumeEach(budgets, windowSeconds = WINDOW_SECONDS) {
      if (!link) return consumeEachHere(budgets, windowSeconds);
      const keys = budgets.map(({ key, limit }) => `${limiterFor(limit, windowSeconds).keyPrefix}:${key}`);
      const args = budgets.flatMap(({ limit, cost = 1 }) => [cost, limit]);
      const answer = await link.run(
        () =>
          (link.client as unknown as ConsumeEachClient).crmRlConsumeEach(
            keys.length,
            ...keys,
            windowSeconds,
            ...args,
          ),
        async () => {
          await consumeEachHere(budgets, windowSeconds);
          return [0] as [number];
        },
      );
      const [over, consumed = 0, msLeft = 0] = answer;
      if (over === 0) return;
      const budget = budgets[over - 1];
      const res = new RateLimiterRes(Math.max((budget?.limit ?? 0) - consumed, 0), msLeft, consumed);
      throw rateLimited(res);
    },
    async take(key, limit, windowSeconds = WINDOW_SECONDS) {
      const { res, limited } = await limiterFor(
        limit,
        windowSeconds,
      )((limiter) => spent(limiter.consume(key, 1)));
      return { allowed: !limited, retryAfterMs: limited ? Math.max(1, res.msBeforeNext) : 0 };
    },
    async reset(key, limit, windowSeconds = WINDOW_SECONDS) {
      await limiterFor(limit, windowSeconds)((limiter) => limiter.delete(key));
    },
  };
}

/**
 * Wrong passwords per account, whatever address they come from: after `failures` of them within `lockSeconds`
 * the account's login is locked until that window ends, the right password included, and the answer says so.
 */
export interface LoginLock {
  /** Throws ACCOUNT_LOCKED while the account is locked. */
  assertOpen(account: string): Promise<void>;
  failed(account: string): Promise<void>;
  succeeded(account: string): Promise<void>;
}

export function createLoginLock(
  link: RedisLink | null,
  options: { failures: number; lockSeconds: number; prefix: string },
): LoginLock {
  const { failures, lockSeconds, prefix } = options;
  const limiter = limiterPair(link, { points: failures, duration: lockSeconds, keyPrefix: prefix });
  return {
    async assertOpen(account) {
      const res = await limiter((l) => l.get(account));
      if (!res || res.consumedPoints < failures) return;
      const seconds = secondsOf(res);
      const minutes = Math.ceil(seconds / 60);
      throw new AppError(
        'ACCOUNT_LOCKED',
        `This account is temporarily locked after too many failed sign-in attempts; try again in ${minutes} min`,
        { headers: { 'retry-after': String(seconds) }, extensions: { retryAfter: seconds } },
      );
    },
    async failed(account) {
      await limiter((l) => spent(l.consume(account)));
    },
    async succeeded(account) {
      await limiter((l) => l.delete(account));
    },
  };
}

/**
 * The store of @fastify/rate-limit (the login, signup and public quote link limits) on the same footing: Redis
 * while it answers, this process while it does not. The plugin's own Redis store can only fail the request or let
 * it through (`skipOnError`) when Redis errs.
 */
export function routeLimitStore(link: RedisLink | null, nameSpace: string) {
  const limitersOf = (prefix: string) => {
    const byWindow = new Map<number, ReturnType<typeof limiterPair>>();
    return (timeWindowMs: number) => {
      let limiter = byWindow.get(timeWindowMs);
      if (!limiter) {
        // The plugin compares the count with its max itself: the limiter only counts.
        const duration = Math.max(1, Math.ceil(timeWindowMs / 1000));
        limiter = limiterPair(link, { points: Number.MAX_SAFE_INTEGER, duration, keyPrefix: prefix });
        byWindow.set(timeWindowMs, limiter);
      }
      return limiter;
    };
  };

  return class RouteLimitStore implements FastifyRateLimitStore {
    private readonly limiterFor: ReturnType<typeof limitersOf>;
    constructor(_options?: FastifyRateLimitOptions, prefix = nameSpace) {
      this.limiterFor = limitersOf(prefix);
    }
    incr(key: string, callback: Parameters<FastifyRateLimitStore['incr']>[1], timeWindow: number) {
      this.limiterFor(timeWindow)((limiter) => spent(limiter.consume(key))).then(
        ({ res }) => callback(null, { current: res.consumedPoints, ttl: res.msBeforeNext }),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }
    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]) {
      // Each route counts apart, as the plugin's own stores do.
      const route = (routeOptions as { routeInfo?: { method?: unknown; url?: unknown } }).routeInfo;
      return new RouteLimitStore(
        undefined,
        `${nameSpace}${String(route?.method ?? '')}${String(route?.url ?? '')}`,
      );
    }
  };
}
