import { describe, expect, it } from 'vitest';
import { leadStatusList } from './domain';
import { canMoveLead, decideDrop } from './pipeline';

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
