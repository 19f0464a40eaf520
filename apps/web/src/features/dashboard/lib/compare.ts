/** Which way a figure moved since the previous period, and whether that is good news for the shop. */
export interface Change {
  direction: 'up' | 'down' | 'same';
  /** Null when neither way is better (none of the dashboard's figures today, kept for a neutral figure). */
  better: boolean | null;
  /** The difference, in the figure's own unit: a count, minutes, or percentage points for a rate. */
  amount: number;
}

/**
 * The change from `previous` to `current`, or null when either period has no figure (no answered lead, no task
 * due): a rate or a median of nothing is not a zero to compare with. `lowerIsBetter` for times and backlogs.
 * Rates (0..1) are compared in whole percentage points, so 25 % against 24.6 % is the same figure shown twice.
 */
export function changeOf(
  current: number | null,
  previous: number | null,
  { lowerIsBetter = false, rate = false }: { lowerIsBetter?: boolean; rate?: boolean } = {},
): Change | null {
  if (current === null || previous === null) return null;
  const amount = rate ? Math.round(current * 100) - Math.round(previous * 100) : current - previous;
  if (amount === 0) return { direction: 'same', better: null, amount: 0 };
  const direction = amount > 0 ? 'up' : 'down';
  return { direction, better: (direction === 'down') === lowerIsBetter, amount };
}

/** The arrow shown before a change. */
export const arrowOf = (change: Change) =>
  change.direction === 'up' ? '↑' : change.direction === 'down' ? '↓' : '→';

/** The sign written before a change's amount ("+8", "−3"); a true minus sign, as typeset. */
export const signOf = (change: Change) => (change.amount > 0 ? '+' : change.amount < 0 ? '−' : '');
