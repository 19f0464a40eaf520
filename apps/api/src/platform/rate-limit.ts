import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from './errors';

/**
 * Fixed-window limits for the public endpoints, keyed by whatever the caller names (client IP, tenant).
 * With Redis every instance counts in one place, so N instances do not multiply the limit; without it
 * each process counts alone.
 */
export interface RateLimits {
  /** Spends `cost` of `key`'s budget of `limit` per window; throws RATE_LIMITED when it is spent. */
  consume(key: string, limit: number, cost?: number): Promise<void>;
}

const WINDOW_SECONDS = 60;

export function createRateLimits(redis: Redis | null, prefix = 'crm:rl'): RateLimits {
  // The limiter's points are set per call by scaling the cost: one limiter per distinct limit value.
  const limiters = new Map<number, RateLimiterMemory | RateLimiterRedis>();
  const limiterFor = (limit: number) => {
    let limiter = limiters.get(limit);
    if (!limiter) {
      const options = { points: limit, duration: WINDOW_SECONDS, keyPrefix: `${prefix}:${limit}` };
      // Should Redis fail, each process goes on counting alone rather than refusing or waving everyone through.
      limiter = redis
        ? new RateLimiterRedis({
            ...options,
            storeClient: redis,
            insuranceLimiter: new RateLimiterMemory(options),
          })
        : new RateLimiterMemory(options);
      limiters.set(limit, limiter);
    }
    return limiter;
  };

  return {
    async consume(key, limit, cost = 1) {
      try {
        await limiterFor(limit).consume(key, cost);
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
        throw new AppError('RATE_LIMITED', `Too many requests; try again in ${seconds} s`, {
          headers: { 'retry-after': String(seconds) },
        });
      }
    },
  };
}
