import { type LeadStatus, leadStatuses } from '@techmarket/contracts';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors';
import { assertTransition, canTransition, isClosed, isReopening } from './pipeline';

// The whole 7x7 table, written out so that a change to the rules shows up as a change here.
// Rows are "from", columns are "to"; x = allowed.
const table = `
             NEW  CONTACTED  QUALIFIED  QUOTED  WON  LOST  DORMANT
  NEW         .       x          x        x      x    x      x
  CONTACTED   .       .          x        x      x    x      x
  QUALIFIED   .       .          .        x      x    x      x
  QUOTED      .       .          .        .      x    x      x
  WON         .       x          .        .      .    .      .
  LOST        .       x          .        .      .    .      .
  DORMANT     .       x          .        .      .    x      .
`;

const [header = '', ...rows] = table.trim().split('\n');
const columns = header.trim().split(/\s+/) as LeadStatus[];
const cases = rows.flatMap((row) => {
  const [from, ...marks] = row.trim().split(/\s+/) as [LeadStatus, ...string[]];
  return columns.map((to, i) => ({ from, to, allowed: marks[i] === 'x' }));
});

describe('pipeline', () => {
  it('covers every pair of statuses', () => {
    expect(columns).toEqual([...leadStatuses]);
    expect(rows.map((row) => row.trim().split(/\s+/)[0])).toEqual([...leadStatuses]);
    expect(new Set(cases.map((c) => `${c.from}>${c.to}`)).size).toBe(49);
  });

  it.each(cases)('$from -> $to allowed: $allowed', ({ from, to, allowed }) => {
    expect(canTransition(from, to)).toBe(allowed);
    if (allowed) {
      expect(() => assertTransition(from, to)).not.toThrow();
    } else {
      try {
        assertTransition(from, to);
        expect.unreachable('assertTransition should have thrown');
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        const appError = error as AppError;
        expect(appError.code).toBe('INVALID_TRANSITION');
        expect(appError.status).toBe(422);
        expect(appError.errors?.[0]?.path).toBe('status');
      }
    }
  });

  it('never goes back to NEW and never "moves" to the same status', () => {
    for (const from of leadStatuses) {
      expect(canTransition(from, 'NEW')).toBe(false);
      expect(canTransition(from, from)).toBe(false);
    }
  });

  it('lets every open stage go LOST or DORMANT, but not closed ones', () => {
    for (const from of leadStatuses) {
      if (isClosed(from)) {
        expect(canTransition(from, 'LOST')).toBe(false);
        expect(canTransition(from, 'DORMANT')).toBe(false);
      } else {
        expect(canTransition(from, 'LOST')).toBe(true);
        expect(canTransition(from, 'DORMANT') || from === 'DORMANT').toBe(true);
      }
    }
  });

  it('allows skipping forward along the funnel but never back', () => {
    const funnel: LeadStatus[] = ['NEW', 'CONTACTED', 'QUALIFIED', 'QUOTED', 'WON'];
    funnel.forEach((from, i) => {
      funnel.forEach((to, j) => {
        expect(canTransition(from, to)).toBe(j > i || (from === 'WON' && to === 'CONTACTED'));
      });
    });
  });

  it('marks reopening a closed lead', () => {
    expect(isReopening('WON', 'CONTACTED')).toBe(true);
    expect(isReopening('LOST', 'CONTACTED')).toBe(true);
    expect(isReopening('DORMANT', 'CONTACTED')).toBe(false);
    expect(isReopening('NEW', 'CONTACTED')).toBe(false);
  });

  it('explains the refusal', () => {
    expect(() => assertTransition('WON', 'QUOTED')).toThrow(
      /a WON lead cannot move to QUOTED; allowed: CONTACTED/,
    );
    expect(() => assertTransition('QUOTED', 'QUOTED')).toThrow(/already QUOTED/);
  });
});
