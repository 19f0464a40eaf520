import type { AssignmentStrategy } from '@techmarket/contracts';
import type { Tx } from '../../platform/db';
import { createAssignmentRepository } from './assignment.repository';

/**
 * Who gets a lead. Among the branch's active sellers who are on shift (the branch is open and the seller's
 * availability toggle is on): round-robin by default, or the one with the fewest open leads. With nobody on shift
 * the lead still goes to the next seller in turn, and is flagged so the manager sees it; with no seller at all it
 * stays unassigned.
 *
 * The rule is assign_next_seller's, in the database (drizzle/0025_one_capture.sql), the one a tracked click's and a
 * WhatsApp message's new lead take inside capture_lead; manual entry and the follow-up engine's reassignment take
 * the same turn through here. The branch's row is locked for the turn, so concurrent leads (on any number of
 * instances) take consecutive turns and never the same one twice.
 */
export interface Assignment {
  userId: string | null;
  /** True when nobody was on shift: the manager is told. */
  offShift: boolean;
  strategy: AssignmentStrategy;
  /** The ASSIGNED event a new lead writes; null when nobody got it and there is nobody to tell. */
  assigned: Record<string, unknown> | null;
}

const repo = createAssignmentRepository();

export function assignNewLead(
  tx: Tx,
  tenantId: string,
  branchId: string,
  at: Date,
  /** A seller to pass over: the one an unanswered lead is taken from. */
  options: { exclude?: string | null } = {},
): Promise<Assignment> {
  return repo.nextSeller(tx, tenantId, branchId, at.toISOString(), options.exclude ?? null);
}
