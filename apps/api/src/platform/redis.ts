import { Redis } from 'ioredis';

/** A Redis connection that fails fast instead of queueing commands forever while the server is away. */
export function connectRedis(url: string, name: string): Redis {
  return new Redis(url, {
    connectionName: `techmarket-${name}`,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    lazyConnect: false,
  });
}
