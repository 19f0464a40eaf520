import { canMoveLead } from '@techmarket/contracts';
import { describe, expect, it } from 'vitest';
import { leadStatusList } from './domain';
import { decideDrop, newestCopies } from './pipeline';

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
