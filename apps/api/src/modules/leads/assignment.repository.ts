import { and, asc, eq, inArray, isNotNull, notInArray, sql } from 'drizzle-orm';
import { appUser, branch, lead, tenant, userBranch } from '../../db/schema';
import type { Tx } from '../../platform/db';

/**
 * The statements of assignment.ts. They read the branch, its sellers and the tenant's strategy (identity's
 * tables) here rather than through identity because the turn is a row lock on the branch held until the lead is
 * written: assignment owns `branch.last_assigned_user_id`, and the lock must be in the same transaction.
 * Every function takes the tenant first.
 */
export function createAssignmentRepository() {
  return {
    /** The branch's hours and last turn, and the tenant's strategy; the branch row locked for the turn. */
    async lockTurn(tx: Tx, tenantId: string, branchId: string) {
      const [turn] = await tx
        .select({
          hours: branch.businessHours,
          timezone: branch.timezone,
          last: branch.lastAssignedUserId,
          strategy: tenant.assignmentStrategy,
        })
        .from(branch)
        .innerJoin(tenant, eq(tenant.id, branch.tenantId))
        .where(and(eq(branch.tenantId, tenantId), eq(branch.id, branchId)))
        .for('update', { of: branch });
      return turn ?? null;
    },

    /** The branch's active sellers who can sign in, in id order, with their availability toggle. */
    async sellers(tx: Tx, tenantId: string, branchId: string) {
      return tx
        .select({ id: appUser.id, available: appUser.available })
        .from(userBranch)
        .innerJoin(appUser, and(eq(appUser.tenantId, userBranch.tenantId), eq(appUser.id, userBranch.userId)))
        .where(
          and(
            eq(userBranch.tenantId, tenantId),
            eq(userBranch.branchId, branchId),
            eq(appUser.role, 'SELLER'),
            eq(appUser.active, true),
            // An invited seller who never set a password cannot open the lead yet.
            isNotNull(appUser.passwordHash),
          ),
        )
        .orderBy(asc(appUser.id));
    },

    /** How many open leads each of these users holds; one with none is absent. */
    async openLeadsPerSeller(tx: Tx, tenantId: string, userIds: string[]) {
      const rows = await tx
        .select({ userId: lead.assignedToUserId, open: sql<number>`count(*)::int` })
        .from(lead)
        .where(
          and(
            eq(lead.tenantId, tenantId),
            inArray(lead.assignedToUserId, userIds),
            notInArray(lead.status, ['WON', 'LOST', 'DORMANT']),
          ),
        )
        .groupBy(lead.assignedToUserId);
      return new Map(rows.map((r) => [r.userId ?? '', r.open]));
    },

    /** The branch's turn moves to this seller. */
    async saveTurn(tx: Tx, tenantId: string, branchId: string, userId: string) {
      await tx
        .update(branch)
        .set({ lastAssignedUserId: userId })
        .where(and(eq(branch.tenantId, tenantId), eq(branch.id, branchId)));
    },
  };
}

export type AssignmentRepository = ReturnType<typeof createAssignmentRepository>;
