import type pg from 'pg';
import { type Clock, systemClock } from './clock';
import type { JobDefinition } from './jobs';

/**
 * The tables partitioned by month (migrations 0028 and 0030: of created_at, whatsapp_delivery of received_at), by
 * family: each has its month partitions (<table>_pYYYYMM) and a DEFAULT partition for rows outside them. The SQL
 * that makes and drops partitions is the migration's (create_month_partition, drop_old_partitions); this job says
 * when.
 */
export const PARTITIONED_TABLES = {
  leadEvents: 'lead_event',
  listingViews: 'listing_view',
  whatsappMessages: 'whatsapp_message',
  whatsappDeliveries: 'whatsapp_delivery',
} as const;

export type PartitionFamily = keyof typeof PARTITIONED_TABLES;

/** Months to keep per family; a family left out keeps everything. */
export type PartitionRetention = Partial<Record<PartitionFamily, number>>;

/**
 * What goes with a family's dropped months, each statement given the cutoff (the first instant kept): the
 * de-duplication keys of the rows dropped (migration 0030's side tables), and the media of the messages dropped.
 */
const FORGET_BEFORE: Partial<Record<PartitionFamily, string[]>> = {
  whatsappMessages: [
    'delete from whatsapp_message_key where created_at < $1',
    'delete from whatsapp_media where created_at < $1',
  ],
  whatsappDeliveries: ['delete from whatsapp_delivery_key where received_at < $1'],
};

/** The first instant a retention of `keep` months keeps at `now`: the start of the month `keep` months back. */
export const retentionCutoff = (now: Date, keep: number) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - keep, 1));

/** How many months past the current one have their partition made in advance. */
export const MONTHS_AHEAD = 3;

export const PARTITION_MAINTENANCE = 'platform.partitions';

/**
 * Daily, on the owner connection: each partitioned table gets its partitions for this month and the next
 * MONTHS_AHEAD (rows of those months that waited in the DEFAULT partition move in), and, where the family has a
 * retention, loses the months older than it (detached and dropped: no row-by-row delete; the WhatsApp families'
 * de-duplication keys and media of those months are deleted with them). Idempotent.
 */
export const partitionMaintenanceJob = (
  ownerPool: pg.Pool,
  retention: PartitionRetention = {},
  clock: Clock = systemClock,
): JobDefinition => ({
  name: PARTITION_MAINTENANCE,
  cron: '41 2 * * *',
  async handle() {
    const now = clock.now();
    for (const [family, table] of Object.entries(PARTITIONED_TABLES) as [PartitionFamily, string][]) {
      for (let ahead = 0; ahead <= MONTHS_AHEAD; ahead++) {
        const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + ahead, 1));
        await ownerPool.query('select create_month_partition($1::regclass, $2::date)', [
          table,
          month.toISOString().slice(0, 10),
        ]);
      }
      const keep = retention[family];
      if (keep !== undefined) {
        await ownerPool.query('select drop_old_partitions($1::regclass, $2, $3)', [
          table,
          keep,
          now.toISOString(),
        ]);
        const cutoff = retentionCutoff(now, keep).toISOString();
        for (const statement of FORGET_BEFORE[family] ?? []) await ownerPool.query(statement, [cutoff]);
      }
    }
  },
});
