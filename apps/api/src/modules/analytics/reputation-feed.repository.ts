import { sql } from 'drizzle-orm';
import { branchReputation } from '../../db/schema';
import type { Tx } from '../../platform/db';

/** The stored reputation rows: written per shop by the hourly refresh, read across shops by the feed. */

export type BranchReputationRow = typeof branchReputation.$inferInsert;

export function createReputationFeedRepository() {
  return {
    async upsert(tx: Tx, rows: BranchReputationRow[]) {
      if (rows.length === 0) return;
      await tx
        .insert(branchReputation)
        .values(rows)
        .onConflictDoUpdate({
          target: [branchReputation.tenantId, branchReputation.branchId],
          set: {
            score: sql`excluded.score`,
            leads: sql`excluded.leads`,
            answered: sql`excluded.answered`,
            answeredOnTime: sql`excluded.answered_on_time`,
            onTimeRate: sql`excluded.on_time_rate`,
            medianMinutes: sql`excluded.median_minutes`,
            p90Minutes: sql`excluded.p90_minutes`,
            targetMinutes: sql`excluded.target_minutes`,
            businessHoursOnly: sql`excluded.business_hours_only`,
            periodFrom: sql`excluded.period_from`,
            periodTo: sql`excluded.period_to`,
            computedAt: sql`excluded.computed_at`,
          },
        });
    },

    /**
     * One page of every shop's rows after (tenant, branch), `limit + 1` of them. Through the SECURITY DEFINER
     * function branch_reputation_page (migration 0023): the feed names no tenant, so row-level security would
     * show it nothing.
     */
    async page(tx: Tx, after: { tenantId: string; branchId: string } | null, limit: number) {
      const rows = await tx.execute<{
        tenant_id: string;
        branch_id: string;
        score: number | null;
        leads: number;
        answered: number;
        answered_on_time: number;
        on_time_rate: number | null;
        median_minutes: number | null;
        p90_minutes: number | null;
        target_minutes: number;
        business_hours_only: boolean;
        period_from: string;
        period_to: string;
        computed_at: string;
      }>(
        sql`select * from branch_reputation_page(${after?.tenantId ?? null}::uuid, ${after?.branchId ?? null}::uuid, ${limit + 1})`,
      );
      return rows.rows;
    },
  };
}
