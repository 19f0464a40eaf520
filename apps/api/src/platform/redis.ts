import { Redis, ReplyError } from 'ioredis';
import { redisFallbacksTotal, redisOutagesTotal } from './metrics';

/** How long a command may wait for Redis (queued while reconnecting, or sent to a server that does not answer). */
export const DEFAULT_COMMAND_TIMEOUT_MS = 1000;
/** While Redis is away, how often a PING asks whether it is back. */
const PROBE_MS = 500;

/**
 * A Redis connection that fails fast instead of waiting for the server: every command, sent or queued while
 * reconnecting, is rejected after `commandTimeoutMs`.
 */
export function connectRedis(
  url: string,
  name: string,
  commandTimeoutMs = DEFAULT_COMMAND_TIMEOUT_MS,
): Redis {
  return new Redis(url, {
    connectionName: `techmarket-${name}`,
    maxRetriesPerRequest: 2,
    // Commands sent before the first connection wait for it (start-up), but never longer than the timeout.
    enableOfflineQueue: true,
    commandTimeout: commandTimeoutMs,
    lazyConnect: false,
  });
}

/**
 * A Redis connection with its availability. What Redis backs (limits, caches, counters, the live feed) has an
 * in-process stand-in: `run` uses Redis while it answers, and the stand-in at once while it does not. The first
 * failed command (refused, timed out, connection lost) marks Redis away; a PING every PROBE_MS then finds it back,
 * and the `onRecovered` listeners hand over what was kept in-process meanwhile.
 */
export interface RedisLink {
  readonly client: Redis;
  readonly available: boolean;
  run<T>(command: (redis: Redis) => Promise<T>, fallback: () => T | Promise<T>): Promise<T>;
  /** Marks Redis away after a failure seen outside `run` (e.g. by a library that talks to the client itself). */
  failed(error: unknown): void;
  onRecovered(listener: () => void | Promise<void>): void;
  onAway(listener: () => void): void;
  close(): Promise<void>;
}

/** A reply error (a wrong type, a script error) is the command's fault, not Redis being away. */
const isOutage = (error: unknown) => !(error instanceof ReplyError);

export function linkRedis(client: Redis, onError: (error: unknown) => void = () => undefined): RedisLink {
  const labels = { connection: (client.options.connectionName ?? 'redis').replace(/^techmarket-/, '') };
  let away = false;
  let closing = false;
  let probe: NodeJS.Timeout | null = null;
  const recovered: (() => void | Promise<void>)[] = [];
  const awayListeners: (() => void)[] = [];

  function markAway(error: unknown) {
    if (closing || away) return;
    away = true;
    redisOutagesTotal.inc(labels);
    onError(error);
    for (const listener of awayListeners) listener();
    probe = setInterval(() => {
      client.ping().then(
        () => {
          if (!away || closing) return;
          away = false;
          if (probe) clearInterval(probe);
          probe = null;
          // One after another, in the order they were registered: a later one sees the earlier ones' hand-over done.
          void (async () => {
            for (const listener of recovered) await Promise.resolve(listener()).catch(onError);
          })();
        },
        () => undefined,
      );
    }, PROBE_MS);
    probe.unref();
  }

  // A lost connection is known at once: no need to wait for a command to time out.
  let connected = false;
  client.on('ready', () => {
    connected = true;
  });
  client.on('close', () => {
    if (connected) markAway(new Error('Redis connection closed'));
    connected = false;
  });
  // ioredis reports connection errors as events too; they are handled by marking Redis away, not thrown.
  client.on('error', () => undefined);

  return {
    client,
    get available() {
      return !away;
    },
    async run(command, fallback) {
      if (away) {
        redisFallbacksTotal.inc(labels);
        return fallback();
      }
      try {
        return await command(client);
      } catch (error) {
        if (!isOutage(error)) throw error;
        markAway(error);
        redisFallbacksTotal.inc(labels);
        return fallback();
      }
    },
    failed(error) {
      if (isOutage(error)) markAway(error);
    },
    onRecovered(listener) {
      recovered.push(listener);
    },
    onAway(listener) {
      awayListeners.push(listener);
    },
    async close() {
      closing = true;
      if (probe) clearInterval(probe);
      await client.quit().catch(() => client.disconnect());
    },
  };
}
