import type pg from 'pg';
import { type Clock, systemClock } from './clock';
import type { JobDefinition } from './jobs';

/**
 * The tables partitioned by month of created_at (migration 0028), by family: each has its month partitions
 * (<table>_pYYYYMM) and a DEFAULT partition for rows outside them. The SQL that makes and drops partitions is the
 * migration's (create_month_partition, drop_old_partitions); this job says when.
 */
export const PARTITIONED_TABLES = {
  leadEvents: 'lead_event',
  listingViews: 'listing_view',
} as const;

export type PartitionFamily = keyof typeof PARTITIONED_TABLES;

/** Months to keep per family; a family left out keeps everything. */
export type PartitionRetention = Partial<Record<PartitionFamily, number>>;

/** How many months past the current one have their partition made in advance. */
export const MONTHS_AHEAD = 3;

export const PARTITION_MAINTENANCE = 'platform.partitions';

/**
 * Daily, on the owner connection: each partitioned table gets its partitions for this month and the next
 * MONTHS_AHEAD (rows of those months that waited in the DEFAULT partition move in), and, where the family has a
 * retention, loses the months older than it (detached and dropped: no row-by-row delete). Idempotent.
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
      }
    }
  },
});
