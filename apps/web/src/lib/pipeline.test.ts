import { canMoveLead } from '@techmarket/contracts';
import { describe, expect, it } from 'vitest';
import { leadStatusList } from './domain';
import { decideDrop, headsAfterMoves, newestCopies } from './pipeline';

describe('the pipeline as the board applies it', () => {
  it('allows forward skips and LOST/DORMANT from open stages, never back to NEW', () => {
    expect(canMoveLead('NEW', 'WON')).toBe(true);
    expect(canMoveLead('CONTACTED', 'DORMANT')).toBe(true);
    expect(canMoveLead('QUOTED', 'CONTACTED')).toBe(false);
    for (const from of leadStatusList) expect(canMoveLead(from, 'NEW')).toBe(false);
  });

  it('reopens closed leads and wakes dormant ones only through CONTACTED', () => {
    expect(canMoveLead('WON', 'CONTACTED')).toBe(true);
    expect(canMoveLead('LOST', 'QUALIFIED')).toBe(false);
    expect(canMoveLead('DORMANT', 'CONTACTED')).toBe(true);
    expect(canMoveLead('DORMANT', 'QUOTED')).toBe(false);
  });

  it('decides what a drop means', () => {
    expect(decideDrop('NEW', 'NEW')).toBe('same');
    expect(decideDrop('NEW', 'CONTACTED')).toBe('move');
    expect(decideDrop('QUOTED', 'LOST')).toBe('askLostReason');
    expect(decideDrop('WON', 'QUOTED')).toBe('forbidden');
  });
});

describe("the board's cards", () => {
  it('show a lead once, in its newest version, when two columns hold it during a move', () => {
    const stale = { id: 'a', version: 3, status: 'NEW' };
    const moved = { id: 'a', version: 4, status: 'CONTACTED' };
    const other = { id: 'b', version: 1, status: 'CONTACTED' };
    expect(newestCopies([[stale], [moved, other]])).toEqual([moved, other]);
    expect(newestCopies([[moved, other], [stale]])).toEqual([moved, other]);
  });
});

describe("the board's column heads during a move", () => {
  const zero = { NEW: 0, CONTACTED: 0, QUALIFIED: 0, QUOTED: 0, WON: 0, LOST: 0, DORMANT: 0 };
  const none = { NEW: [], CONTACTED: [], QUALIFIED: [], QUOTED: [], WON: [], LOST: [], DORMANT: [] };
  const heads = {
    counts: { ...zero, NEW: 57, CONTACTED: 3 },
    total: 60,
    amounts: {
      ...none,
      NEW: [{ currency: 'PEN', total: 500000 }],
      CONTACTED: [{ currency: 'USD', total: 1000 }],
    },
  };

  it("takes a moved lead, and its product's price, from its old column to its new one", () => {
    const after = headsAfterMoves(heads, [
      { from: 'NEW', to: 'CONTACTED', value: { amount: 249900, currency: 'PEN' } },
      { from: 'NEW', to: 'WON', value: null },
    ]);
    expect(after.counts).toEqual({ ...zero, NEW: 55, CONTACTED: 4, WON: 1 });
    expect(after.total).toBe(60);
    expect(after.amounts).toEqual({
      ...none,
      NEW: [{ currency: 'PEN', total: 250100 }],
      CONTACTED: [
        { currency: 'PEN', total: 249900 },
        { currency: 'USD', total: 1000 },
      ],
    });
    expect(heads.counts.NEW).toBe(57);
    expect(heads.amounts.CONTACTED).toEqual([{ currency: 'USD', total: 1000 }]);
  });

  it('leaves the heads as they are without a move', () => {
    expect(headsAfterMoves(heads, [{ from: 'NEW', to: 'NEW', value: null }])).toEqual(heads);
  });
});
