import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { connectRedis } from './redis';

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
  const kept = new Map<string, RealtimeEvent[]>();
  let lastMs = 0;
  let seq = 0;
  const nextId = () => {
    const ms = Date.now();
    seq = ms === lastMs ? seq + 1 : 0;
    lastMs = ms;
    return `${ms}-${seq}`;
  };
  return {
    async publish(tenantId, event) {
      const full = { ...event, id: nextId() };
      const list = kept.get(tenantId) ?? [];
      const horizon = Date.now() - REPLAY_MS;
      const fresh = list.filter((e) => Number(e.id.split('-')[0]) >= horizon).slice(-MAX_KEPT + 1);
      fresh.push(full);
      kept.set(tenantId, fresh);
      emitter.emit(tenantId, full);
    },
    async subscribe(tenantId, listener) {
      emitter.on(tenantId, listener);
      return async () => {
        emitter.off(tenantId, listener);
      };
    },
    async replay(tenantId, lastEventId) {
      return (kept.get(tenantId) ?? []).filter((e) => compareEventIds(e.id, lastEventId) > 0);
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}

const streamKey = (tenantId: string) => `crm:rt:stream:${tenantId}`;
const channel = (tenantId: string) => `crm:rt:${tenantId}`;

export function createRedisRealtime(url: string): RealtimeBus {
  const command: Redis = connectRedis(url, 'realtime');
  const subscriber: Redis = connectRedis(url, 'realtime-sub');
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  subscriber.on('message', (ch: string, message: string) => {
    emitter.emit(ch, JSON.parse(message) as RealtimeEvent);
  });
  const fields = (event: Omit<RealtimeEvent, 'id'>) => ['e', JSON.stringify(event)];

  return {
    async publish(tenantId, event) {
      const minId = `${Date.now() - REPLAY_MS}-0`;
      const id = await command.xadd(streamKey(tenantId), 'MINID', '~', minId, '*', ...fields(event));
      if (!id) return;
      await command.pexpire(streamKey(tenantId), REPLAY_MS * 2);
      await command.publish(channel(tenantId), JSON.stringify({ ...event, id }));
    },
    async subscribe(tenantId, listener) {
      const ch = channel(tenantId);
      if (emitter.listenerCount(ch) === 0) await subscriber.subscribe(ch);
      emitter.on(ch, listener);
      return async () => {
        emitter.off(ch, listener);
        if (emitter.listenerCount(ch) === 0) await subscriber.unsubscribe(ch).catch(() => undefined);
      };
    },
    async replay(tenantId, lastEventId) {
      const entries = await command.xrange(streamKey(tenantId), `(${lastEventId}`, '+', 'COUNT', MAX_KEPT);
      return entries.flatMap(([id, values]) => {
        const raw = values[1];
        if (!raw) return [];
        return [{ ...(JSON.parse(raw) as Omit<RealtimeEvent, 'id'>), id }];
      });
    },
    async close() {
      emitter.removeAllListeners();
      await Promise.allSettled([command.quit(), subscriber.quit()]);
    },
  };
}
