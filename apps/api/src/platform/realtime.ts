import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { connectRedis, linkRedis } from './redis';

/**
 * Live updates for the board. Events are kept for REPLAY_MS so a browser that reconnects with
 * Last-Event-ID misses nothing; with Redis they cross instances (a stream per tenant for replay,
 * pub/sub for the live push), without it they stay in this process.
 */
export interface RealtimeEvent {
  id: string;
  type: string;
  branchId: string | null;
  data: Record<string, unknown>;
}

export type RealtimeListener = (event: RealtimeEvent) => void;

export interface RealtimeBus {
  publish(tenantId: string, event: Omit<RealtimeEvent, 'id'>): Promise<void>;
  subscribe(tenantId: string, listener: RealtimeListener): Promise<() => Promise<void>>;
  /** Events after lastEventId, oldest first, within the replay window. */
  replay(tenantId: string, lastEventId: string): Promise<RealtimeEvent[]>;
  close(): Promise<void>;
}

export const REPLAY_MS = 10 * 60_000;
const MAX_KEPT = 2000;

/** Stream ids ("<ms>-<seq>") compare as pairs of numbers. */
export function compareEventIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am === bm ? as - bs : am - bm;
}

export function createMemoryRealtime(): RealtimeBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const kept = new Map<string, { ms: number; event: RealtimeEvent }[]>();
  let lastMs = 0;
  let seq = 0;
  const nextId = (ms: number) => {
    seq = ms === lastMs ? seq + 1 : 0;
    lastMs = ms;
    return `${ms}-${seq}`;
  };
  /** What replay may still answer: within REPLAY_MS and the last MAX_KEPT. */
  const live = (tenantId: string) => {
    const list = kept.get(tenantId) ?? [];
    const horizon = Date.now() - REPLAY_MS;
    const fresh = list.findIndex((entry) => entry.ms >= horizon);
    return list.slice(Math.max(fresh === -1 ? list.length : fresh, list.length - MAX_KEPT));
  };
  return {
    async publish(tenantId, event) {
      const ms = Date.now();
      const full = { ...event, id: nextId(ms) };
      const list = kept.get(tenantId) ?? [];
      list.push({ ms, event: full });
      // Trimmed in bulk once it holds twice what replay answers: a publish costs O(1), not a pass over the kept.
      if (list.length >= 2 * MAX_KEPT) kept.set(tenantId, live(tenantId));
      else kept.set(tenantId, list);
      emitter.emit(tenantId, full);
    },
    async subscribe(tenantId, listener) {
      emitter.on(tenantId, listener);
      return async () => {
        emitter.off(tenantId, listener);
      };
    },
    async replay(tenantId, lastEventId) {
      return live(tenantId)
        .map((entry) => entry.event)
        .filter((e) => compareEventIds(e.id, lastEventId) > 0);
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}

const streamKey = (tenantId: string) => `crm:rt:stream:${tenantId}`;
const channel = (tenantId: string) => `crm:rt:${tenantId}`;

/**
 * Redis streams and pub/sub; while Redis is away, this process's bus stands in (its own boards still hear of
 * changes, and replay what they missed from it), and the channels it listens to are subscribed again on return.
 */
export function createRedisRealtime(
  url: string,
  options: { commandTimeoutMs?: number; onError?: (error: unknown) => void } = {},
): RealtimeBus {
  const link = linkRedis(connectRedis(url, 'realtime', options.commandTimeoutMs), options.onError);
  const command: Redis = link.client;
  const subscriber: Redis = connectRedis(url, 'realtime-sub', options.commandTimeoutMs);
  subscriber.on('error', () => undefined);
  const local = createMemoryRealtime();
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  subscriber.on('message', (ch: string, message: string) => {
    emitter.emit(ch, JSON.parse(message) as RealtimeEvent);
  });
  const fields = (event: Omit<RealtimeEvent, 'id'>) => ['e', JSON.stringify(event)];
  const listened = () => (emitter.eventNames() as string[]).filter((ch) => emitter.listenerCount(ch) > 0);
  link.onRecovered(async () => {
    const channels = listened();
    if (channels.length > 0) await subscriber.subscribe(...channels);
  });

  return {
    publish: (tenantId, event) =>
      link.run(
        async () => {
          const minId = `${Date.now() - REPLAY_MS}-0`;
          const id = await command.xadd(streamKey(tenantId), 'MINID', '~', minId, '*', ...fields(event));
          if (!id) return;
          await command.pexpire(streamKey(tenantId), REPLAY_MS * 2);
          await command.publish(channel(tenantId), JSON.stringify({ ...event, id }));
        },
        () => local.publish(tenantId, event),
      ),
    async subscribe(tenantId, listener) {
      const ch = channel(tenantId);
      const leaveLocal = await local.subscribe(tenantId, listener);
      if (emitter.listenerCount(ch) === 0 && link.available) {
        // Away now: the channel is subscribed when Redis is back.
        await subscriber.subscribe(ch).catch((error: unknown) => link.failed(error));
      }
      emitter.on(ch, listener);
      return async () => {
        await leaveLocal();
        emitter.off(ch, listener);
        if (emitter.listenerCount(ch) === 0) await subscriber.unsubscribe(ch).catch(() => undefined);
      };
    },
    replay: (tenantId, lastEventId) =>
      link.run(
        async () => {
          const entries = await command.xrange(
            streamKey(tenantId),
            `(${lastEventId}`,
            '+',
            'COUNT',
            MAX_KEPT,
          );
          return entries.flatMap(([id, values]) => {
            const raw = values[1];
            if (!raw) return [];
            return [{ ...(JSON.parse(raw) as Omit<RealtimeEvent, 'id'>), id }];
          });
        },
        () => local.replay(tenantId, lastEventId),
      ),
    async close() {
      emitter.removeAllListeners();
      await local.close();
      await Promise.allSettled([link.close(), subscriber.quit()]);
    },
  };
}

/**
 * The bus, also telling listeners in this process of every event this process publishes: work that follows the same
 * committed changes as the live stream (push alerts) hooks in here instead of into each module. A listener runs once
 * per event, on the instance that made the change, even when the bus itself could not publish.
 */
export function withPublishListeners(bus: RealtimeBus) {
  const listeners: ((tenantId: string, event: Omit<RealtimeEvent, 'id'>) => Promise<void>)[] = [];
  return {
    async publish(tenantId: string, event: Omit<RealtimeEvent, 'id'>) {
      try {
        await bus.publish(tenantId, event);
      } finally {
        for (const listener of listeners) await listener(tenantId, event).catch(() => undefined);
      }
    },
    subscribe: (tenantId: string, listener: RealtimeListener) => bus.subscribe(tenantId, listener),
    replay: (tenantId: string, lastEventId: string) => bus.replay(tenantId, lastEventId),
    close: () => bus.close(),
    /** Listeners report their own failures; none fails the publish. */
    onPublished(listener: (tenantId: string, event: Omit<RealtimeEvent, 'id'>) => Promise<void>) {
      listeners.push(listener);
    },
  } satisfies RealtimeBus & { onPublished: unknown };
}

export type ObservedRealtime = ReturnType<typeof withPublishListeners>;
