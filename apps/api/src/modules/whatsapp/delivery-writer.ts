import type { Database } from '../../platform/db';
import { webhookDeliveriesTotal } from '../../platform/metrics';
import { createWhatsappRepository, type NewDelivery } from './whatsapp.repository';

/**
 * Group commit for the webhook: the deliveries of one tenant that arrive in the same turn of the event loop, or
 * while all of its inserts on their way are busy, go to the database together, one multi-row insert in one
 * transaction, so a burst costs one round trip and one WAL flush per group instead of one per call. Each caller is answered
 * only once the commit that holds its row is done: nothing is acknowledged before it is stored.
 *
 * A group that fails (one payload PostgreSQL refuses, say) is written again one delivery per transaction, so one
 * bad delivery fails alone.
 */

/** The most deliveries one insert carries: a few hundred parameters, and one flush never waits for many. */
const MAX_GROUP = 100;
/**
 * Inserts of one tenant on their way at once. More than one, so a slow commit does not hold every call behind it;
 * a few, so a burst still forms groups once they are all busy.
 */
const MAX_IN_FLIGHT = 4;

interface Waiting {
  row: NewDelivery;
  resolve(id: string | null): void;
  reject(error: unknown): void;
}

interface TenantQueue {
  waiting: Waiting[];
  inFlight: number;
  scheduled: boolean;
}

export function createDeliveryWriter(database: Pick<Database, 'writeSqlWithTenant'>) {
  const repo = createWhatsappRepository();
  const tenants = new Map<string, TenantQueue>();

  /** The new rows' ids by `${channelId}:${bodySha256}`. */
  const insert = async (tenantId: string, rows: NewDelivery[]) => {
    const inserted = await database.writeSqlWithTenant<{
      id: string;
      channel_id: string;
      body_sha256: string;
    }>(tenantId, repo.insertDeliveriesSql(rows));
    webhookDeliveriesTotal.inc(inserted.length);
    return new Map(inserted.map((row) => [`${row.channel_id}:${row.body_sha256}`, row.id]));
  };

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

  /** Starts inserts for what waits, while fewer than MAX_IN_FLIGHT are on their way. */
  function pump(tenantId: string, queue: TenantQueue) {
    while (queue.inFlight < MAX_IN_FLIGHT && queue.waiting.length > 0) {
      const group = queue.waiting.splice(0, MAX_GROUP);
      queue.inFlight++;
      void write(tenantId, group).finally(() => {
        queue.inFlight--;
        if (queue.waiting.length > 0) pump(tenantId, queue);
        else if (queue.inFlight === 0 && !queue.scheduled) tenants.delete(tenantId);
      });
    }
  }

  return {
    /** Stores one delivery with the others of its group; answers its id, or null when it was already stored. */
    store(row: NewDelivery): Promise<string | null> {
      return new Promise((resolve, reject) => {
        const queue = tenants.get(row.tenantId) ?? { waiting: [], inFlight: 0, scheduled: false };
        tenants.set(row.tenantId, queue);
        queue.waiting.push({ row, resolve, reject });
        // The calls parsed in this turn join the group; with every insert busy, the next one to finish takes them.
        if (!queue.scheduled && queue.inFlight < MAX_IN_FLIGHT) {
          queue.scheduled = true;
          setImmediate(() => {
            queue.scheduled = false;
            pump(row.tenantId, queue);
          });
        }
      });
    },
  };
}

export type DeliveryWriter = ReturnType<typeof createDeliveryWriter>;
