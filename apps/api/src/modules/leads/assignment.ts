import type { AssignmentStrategy, BusinessHours } from '@techmarket/contracts';
import { and, asc, eq, inArray, isNotNull, notInArray, sql } from 'drizzle-orm';
import { appUser, branch, lead, tenant, userBranch } from '../../db/schema';
import { isOpenAt } from '../../platform/business-hours';
import type { Tx } from '../../platform/db';

/**
 * Who gets a new lead. Among the branch's active sellers who are on shift (the branch is open and the
 * seller's availability toggle is on): round-robin by default, or the one with the fewest open leads.
 * With nobody on shift the lead still goes to the next seller in turn, and is flagged so the manager
 * sees it; with no seller at all it stays unassigned.
 *
 * The branch row is locked for the turn, so concurrent leads (on any number of instances) take
 * consecutive turns and never the same one twice.
 */
export interface Assignment {
  userId: string | null;
  /** True when nobody was on shift: the manager is told. */
  offShift: boolean;
  strategy: AssignmentStrategy;
}

interface Seller {
  id: string;
  available: boolean;
}

/** The candidate after `last` in id order, wrapping round; the first when `last` is unknown. */
export function nextInTurn(candidates: readonly string[], last: string | null): string | undefined {
  if (candidates.length === 0) return undefined;
  const after = last === null ? undefined : candidates.find((id) => id > last);
  return after ?? candidates[0];
}

export async function assignNewLead(
  tx: Tx,
  tenantId: string,
  branchId: string,
  at: Date,
  /** A seller to pass over: the one an unanswered lead is taken from. */
  options: { exclude?: string | null } = {},
): Promise<Assignment> {
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
  if (!turn) throw new Error(`branch ${branchId} vanished during assignment`);

  const sellers: Seller[] = await tx
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

  const open = isOpenAt(turn.hours as BusinessHours, turn.timezone, at);
  const onShift = open ? sellers.filter((s) => s.available) : [];
  const offShift = onShift.length === 0;
  const pool = (offShift ? sellers : onShift).map((s) => s.id).filter((id) => id !== options.exclude);

  let userId: string | undefined;
  if (turn.strategy === 'FEWEST_OPEN' && pool.length > 1) {
    const load = await openLeadsPerSeller(tx, tenantId, pool);
    const fewest = Math.min(...pool.map((id) => load.get(id) ?? 0));
    userId = nextInTurn(
      pool.filter((id) => (load.get(id) ?? 0) === fewest),
      turn.last,
    );
  } else {
    userId = nextInTurn(pool, turn.last);
  }

  if (userId !== undefined) {
    await tx
      .update(branch)
      .set({ lastAssignedUserId: userId })
      .where(and(eq(branch.tenantId, tenantId), eq(branch.id, branchId)));
  }
  return { userId: userId ?? null, offShift, strategy: turn.strategy };
}

async function openLeadsPerSeller(tx: Tx, tenantId: string, userIds: string[]) {
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
}
