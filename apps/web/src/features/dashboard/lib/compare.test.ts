import { describe, expect, it } from 'vitest';
import { arrowOf, changeOf, signOf } from './compare';

describe('changeOf', () => {
  it('says the direction, the amount and whether it is good news', () => {
    expect(changeOf(40, 32)).toEqual({ direction: 'up', better: true, amount: 8 });
    expect(changeOf(12, 15, { lowerIsBetter: true })).toEqual({
      direction: 'down',
      better: true,
      amount: -3,
    });
    expect(changeOf(4, 2, { lowerIsBetter: true })).toEqual({ direction: 'up', better: false, amount: 2 });
  });

  it('compares rates in whole percentage points, and nothing with a period without the figure', () => {
    expect(changeOf(0.25, 0.3, { rate: true })).toEqual({ direction: 'down', better: false, amount: -5 });
    expect(changeOf(0.25, 0.246, { rate: true })).toEqual({ direction: 'same', better: null, amount: 0 });
    expect(changeOf(0.5, null, { rate: true })).toBeNull();
    expect(changeOf(null, 12)).toBeNull();
  });

  it('writes the arrow and a true minus sign', () => {
    const down = changeOf(1, 4);
    const same = changeOf(2, 2);
    if (!down || !same) throw new Error('no change');
    expect(`${arrowOf(down)} ${signOf(down)}3`).toBe('↓ −3');
    expect(arrowOf(same)).toBe('→');
    expect(signOf(same)).toBe('');
  });
});
