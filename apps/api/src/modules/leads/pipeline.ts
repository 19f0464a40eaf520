/**
 * The lead pipeline: which status changes a person may make.
 *
 *   NEW -> CONTACTED -> QUALIFIED -> QUOTED -> WON        (the sales funnel, left to right)
 *   any open stage -> LOST | DORMANT                     (lost, or gone cold)
 *
 * - A lead may skip forward: a walk-in sale goes CONTACTED -> WON in one step.
 * - It never moves back, with one exception: DORMANT -> CONTACTED, when the customer comes back.
 *   A dormant lead leaves through CONTACTED (or is declared LOST), never straight to a later stage,
 *   so that every reactivation is visible as such in the history and in the reactivation metrics.
 * - WON and LOST are closed. Reopening one is an explicit move to CONTACTED; it is recorded like any
 *   other change (the STATUS_CHANGED event marks it `reopened`).
 * - Nothing goes back to NEW: NEW means "nobody has answered yet", and the response-time figures
 *   that feed the shop's reputation depend on it staying true.
 * - Keeping the same status is not a transition: callers treat it as "no change".
 *
 * The table itself is in the contracts (`leadTransitions`), shared with the web. Pure: no I/O, so the whole table
 * is unit-tested (pipeline.test.ts).
 */
import { canMoveLead, type LeadStatus, leadTransitions } from '@techmarket/contracts';
import { AppError } from '../../platform/errors';

export const isClosed = (status: LeadStatus) => status === 'WON' || status === 'LOST';

export const canTransition = canMoveLead;

/** A closed lead brought back to life: recorded so reports can tell a reopening from a normal step. */
export const isReopening = (from: LeadStatus, to: LeadStatus) => isClosed(from) && to === 'CONTACTED';

/** Throws a 422 INVALID_TRANSITION naming `status`, with the moves that are allowed from here. */
export function assertTransition(from: LeadStatus, to: LeadStatus): void {
  if (canTransition(from, to)) return;
  const allowed = leadTransitions[from];
  const message =
    from === to
      ? `the lead is already ${to}`
      : `a ${from} lead cannot move to ${to}; allowed: ${allowed.length > 0 ? allowed.join(', ') : 'none'}`;
  throw new AppError('INVALID_TRANSITION', message, { errors: [{ path: 'status', message }] });
}
