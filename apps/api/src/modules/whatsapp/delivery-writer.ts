import type { Database } from '../../platform/db';
import { createWhatsappRepository, type NewDelivery } from './whatsapp.repository';

/**
 * Group commit for the webhook: the deliveries of one tenant that arrive while its previous insert is on its way
 * (or in the same turn of the event loop) go to the database together, one multi-row insert in one transaction,
 * so a burst costs one round trip and one WAL flush per group instead of one per call. Each caller is answered
 * only once the commit that holds its row is done: nothing is acknowledged before it is stored.
 *
 * A group that fails (one payload PostgreSQL refuses, say) is written again one delivery per transaction, so one
 * bad delivery fails alone.
 */

/** The most deliveries one insert carries: a few hundred parameters, and one flush never waits for many. */
const MAX_GROUP = 100;

interface Waiting {
  row: NewDelivery;
  resolve(id: string | null): void;
  reject(error: unknown): void;
}

export function createDeliveryWriter(database: Pick<Database, 'writeWithTenant'>) {
  const repo = createWhatsappRepository();
  const waiting = new Map<string, Waiting[]>();
  const flushing = new Set<string>();

  const insert = (tenantId: string, rows: NewDelivery[]) =>
    database.writeWithTenant(tenantId, (tx) => repo.insertDeliveries(tx, rows));

  async function write(tenantId: string, group: Waiting[]) {
    try {
      const stored = await insert(
        tenantId,
        group.map((w) => w.row),
      );
      // A body repeated inside one group is stored once: the first caller has it, the others had a repeat.
      const answered = new Set<string>();
      for (const w of group) {
        const key = `${w.row.channelId}:${w.row.bodySha256}`;
        const id = answered.has(key) ? null : (stored.get(key) ?? null);
        answered.add(key);
        w.resolve(id);
      }
    } catch (error) {
      if (group.length === 1) {
        group[0]?.reject(error);
        return;
      }
      for (const w of group) await write(tenantId, [w]);
    }
  }

  async function flush(tenantId: string) {
    flushing.add(tenantId);
    try {
      for (;;) {
        const queue = waiting.get(tenantId) ?? [];
        if (queue.length === 0) break;
        const group = queue.splice(0, MAX_GROUP);
        await write(tenantId, group);
      }
    } finally {
      waiting.delete(tenantId);
      flushing.delete(tenantId);
    }
  }

  return {
    /** Stores one delivery with the others of its group; answers its id, or null when it was already stored. */
    store(row: NewDelivery): Promise<string | null> {
      return new Promise((resolve, reject) => {
        const queue = waiting.get(row.tenantId);
        if (queue) queue.push({ row, resolve, reject });
        else waiting.set(row.tenantId, [{ row, resolve, reject }]);
        // The calls parsed in this turn join the group; a flush under way takes them when its insert is done.
        if (!flushing.has(row.tenantId)) {
          flushing.add(row.tenantId);
          setImmediate(() => void flush(row.tenantId));
        }
      });
    },
  };
}

export type DeliveryWriter = ReturnType<typeof createDeliveryWriter>;
