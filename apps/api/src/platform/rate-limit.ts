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
  /** Spends one of `key`'s budget; when it was already spent, answers how long until the window ends instead. */
  take(
    key: string,
    limit: number,
    windowSeconds?: number,
  ): Promise<{ allowed: boolean; retryAfterMs: number }>;
  /** Gives `key` its whole budget back (a login that succeeded spends none of the failures' budget). */
  reset(key: string, limit: number, windowSeconds?: number): Promise<void>;
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
  return <T>(use: (limiter: Limiter) => Promise<T>): Promise<T> =>
    link && shared
      ? link.run(
          () => use(shared),
          () => use(memory),
        )
      : use(memory);
}

const secondsOf = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

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

  return {
    async consume(key, limit, cost = 1, windowSeconds = WINDOW_SECONDS) {
      const { res, limited } = await limiterFor(
        limit,
        windowSeconds,
      )((limiter) => spent(limiter.consume(key, cost)));
      if (!limited) return;
      const seconds = secondsOf(res);
      throw new AppError('RATE_LIMITED', `Too many requests; try again in ${seconds} s`, {
        headers: { 'retry-after': String(seconds) },
      });
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
