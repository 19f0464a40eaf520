import type { AssignmentStrategy, BusinessHours } from '@techmarket/contracts';
import { isOpenAt } from '../../platform/business-hours';
import type { Tx } from '../../platform/db';
import { createAssignmentRepository } from './assignment.repository';

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

/** The ASSIGNED event a new lead's assignment writes; none when nobody got it and there is nobody to tell. */
export function assignedPayload(assignment: Assignment): Record<string, unknown> | null {
  if (assignment.userId === null && !assignment.offShift) return null;
  return {
    fromUserId: null,
    toUserId: assignment.userId,
    strategy: assignment.strategy,
    ...(assignment.offShift ? { offShift: true } : {}),
  };
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

const repo = createAssignmentRepository();

export async function assignNewLead(
  tx: Tx,
  tenantId: string,
  branchId: string,
  at: Date,
  /** A seller to pass over: the one an unanswered lead is taken from. */
  options: { exclude?: string | null } = {},
): Promise<Assignment> {
  const turn = await repo.lockTurn(tx, tenantId, branchId);
  if (!turn) throw new Error(`branch ${branchId} vanished during assignment`);

  const sellers: Seller[] = await repo.sellers(tx, tenantId, branchId);

  const open = isOpenAt(turn.hours as BusinessHours, turn.timezone, at);
  const onShift = open ? sellers.filter((s) => s.available) : [];
  const offShift = onShift.length === 0;
  const pool = (offShift ? sellers : onShift).map((s) => s.id).filter((id) => id !== options.exclude);

  let userId: string | undefined;
  if (turn.strategy === 'FEWEST_OPEN' && pool.length > 1) {
    const load = await repo.openLeadsPerSeller(tx, tenantId, pool);
    const fewest = Math.min(...pool.map((id) => load.get(id) ?? 0));
    userId = nextInTurn(
      pool.filter((id) => (load.get(id) ?? 0) === fewest),
      turn.last,
    );
  } else {
    userId = nextInTurn(pool, turn.last);
  }

  if (userId !== undefined) await repo.saveTurn(tx, tenantId, branchId, userId);
  return { userId: userId ?? null, offShift, strategy: turn.strategy };
}
