import type { LeadStatus } from '@techmarket/contracts';

/**
 * The moves a person may make between lead statuses (DESIGN.md, "Pipeline"): forward skips,
 * LOST or DORMANT from any open stage, DORMANT -> CONTACTED, reopening WON/LOST via CONTACTED,
 * nothing back to NEW. A copy of apps/api/src/modules/leads/pipeline.ts (the API stays the judge): the board uses it to
 * refuse a drop, and the lead view to offer only the moves that can succeed.
 */
export const leadTransitions: Readonly<Record<LeadStatus, readonly LeadStatus[]>> = {
  NEW: ['CONTACTED', 'QUALIFIED', 'QUOTED', 'WON', 'LOST', 'DORMANT'],
  CONTACTED: ['QUALIFIED', 'QUOTED', 'WON', 'LOST', 'DORMANT'],
  QUALIFIED: ['QUOTED', 'WON', 'LOST', 'DORMANT'],
  QUOTED: ['WON', 'LOST', 'DORMANT'],
  WON: ['CONTACTED'],
  LOST: ['CONTACTED'],
  DORMANT: ['CONTACTED', 'LOST'],
};

export const canMoveLead = (from: LeadStatus, to: LeadStatus) => leadTransitions[from].includes(to);

/** What dropping a lead of one stage on another means: nothing, refused, ask why it was lost, or move. */
export type DropDecision = 'same' | 'forbidden' | 'askLostReason' | 'move';
export function decideDrop(from: LeadStatus, to: LeadStatus): DropDecision {
  if (from === to) return 'same';
  if (!canMoveLead(from, to)) return 'forbidden';
  return to === 'LOST' ? 'askLostReason' : 'move';
}

/**
 * The board's cards from its columns' pages, each lead once in its newest version: columns refetch one by
 * one (after a move, on live updates), so a moved lead can sit in two of them for a moment.
 */
export function newestCopies<T extends { id: string; version: number }>(
  pages: readonly (readonly T[])[],
): T[] {
  const newest = new Map<string, T>();
  for (const lead of pages.flat()) {
    const seen = newest.get(lead.id);
    if (!seen || lead.version > seen.version) newest.set(lead.id, lead);
  }
  return [...newest.values()];
}
