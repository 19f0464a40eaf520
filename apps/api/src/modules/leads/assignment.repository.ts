import type { AssignmentStrategy } from '@techmarket/contracts';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db';

/**
 * The statement of assignment.ts: assign_next_seller (drizzle/0025_one_capture.sql) reads the branch, its sellers and
 * the tenant's strategy (identity's tables) itself rather than through identity because the turn is a row lock on the
 * branch held until the lead is written: assignment owns `branch.last_assigned_user_id`, and the lock must be in the
 * same transaction. Every function takes the tenant first.
 */
export function createAssignmentRepository() {
  return {
    /** The next seller's turn at the branch, taken and saved; `exclude` is passed over. */
    async nextSeller(tx: Tx, tenantId: string, branchId: string, at: string, exclude: string | null) {
      const result = await tx.execute<{
        user_id: string | null;
        off_shift: boolean;
        strategy: AssignmentStrategy;
        assigned: Record<string, unknown> | null;
      }>(sql`select a.user_id, a.off_shift, a.strategy, a.assigned
               from assign_next_seller(${tenantId}::uuid, ${branchId}::uuid, ${at}::timestamptz, ${exclude}::uuid) a`);
      const row = result.rows[0];
      if (!row) throw new Error('assign_next_seller answered no row');
      return { userId: row.user_id, offShift: row.off_shift, strategy: row.strategy, assigned: row.assigned };
    },
  };
}

export type AssignmentRepository = ReturnType<typeof createAssignmentRepository>;
