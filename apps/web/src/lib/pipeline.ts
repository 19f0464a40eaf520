import { canMoveLead, type LeadCounts, type LeadStatus } from '@techmarket/contracts';

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

/** A card on its way to another column: where it was, where it goes, and what it is worth (the lead's value). */
export interface PendingMove {
  from: LeadStatus;
  to: LeadStatus;
  value: { amount: number; currency: string } | null;
}

/**
 * The columns' heads as they will be once the moves in flight land: the server's counts and amounts with each
 * moved lead taken out of its old column and put in its new one, so a drop does not wait for the refetch.
 */
export function headsAfterMoves(heads: LeadCounts, moves: readonly PendingMove[]): LeadCounts {
  const counts = { ...heads.counts };
  const amounts = Object.fromEntries(
    Object.entries(heads.amounts).map(([status, totals]) => [status, totals.map((t) => ({ ...t }))]),
  ) as LeadCounts['amounts'];
  const add = (status: LeadStatus, sign: 1 | -1, value: PendingMove['value']) => {
    counts[status] = Math.max(0, (counts[status] ?? 0) + sign);
    if (!value) return;
    const totals = amounts[status] ?? [];
    const entry = totals.find((t) => t.currency === value.currency);
    if (entry) entry.total = Math.max(0, entry.total + sign * value.amount);
    else if (sign === 1) totals.push({ currency: value.currency, total: value.amount });
    amounts[status] = totals.sort((a, b) => a.currency.localeCompare(b.currency));
  };
  for (const move of moves) {
    if (move.from === move.to) continue;
    add(move.from, -1, move.value);
    add(move.to, 1, move.value);
  }
  return { ...heads, counts, amounts };
}
