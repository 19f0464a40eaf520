import { canMoveLead, type LeadStatus } from '@techmarket/contracts';

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
