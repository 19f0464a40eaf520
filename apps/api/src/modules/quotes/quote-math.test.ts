import { divideHalfUp, priceLine, priceQuote } from '@techmarket/contracts';
import { describe, expect, it } from 'vitest';

const igvIncluded = { taxRateBps: 1800, pricesIncludeTax: true };
const ivaAdded = { taxRateBps: 1600, pricesIncludeTax: false };

describe('quote arithmetic', () => {
  it('rounds half up, and only half up', () => {
    expect(divideHalfUp(5n, 2n)).toBe(3n); // 2.5 -> 3
    expect(divideHalfUp(7n, 4n)).toBe(2n); // 1.75 -> 2
    expect(divideHalfUp(5n, 4n)).toBe(1n); // 1.25 -> 1
    expect(divideHalfUp(0n, 3n)).toBe(0n);
  });

  it('takes the tax out of a tax-included price without changing the price (IGV 18 %)', () => {
    // S/ 2,499.00 incl. IGV: base 249900 / 1.18 = 211779.66… -> 211780; IGV = 38120.
    expect(priceLine({ quantity: 1, unitPrice: 249900, discount: 0 }, igvIncluded)).toMatchObject({
      subtotal: 211780,
      tax: 38120,
      total: 249900,
    });
  });

  it('adds the tax to a price without it, rounding the line (IVA 16 %)', () => {
    // 3 × $33.33 = 99.99; IVA 15.9984 -> 16.00.
    expect(priceLine({ quantity: 3, unitPrice: 3333, discount: 0 }, ivaAdded)).toMatchObject({
      subtotal: 9999,
      tax: 1600,
      total: 11599,
    });
    // Exactly half a cent rounds up: 0.03125 × 16 % = 0.005 -> 0.01.
    expect(
      priceLine({ quantity: 1, unitPrice: 3125, discount: 0 }, { taxRateBps: 16, pricesIncludeTax: false })
        .tax,
    ).toBe(5);
  });

  it('applies the discount to the line before the tax', () => {
    expect(priceLine({ quantity: 2, unitPrice: 10000, discount: 2000 }, ivaAdded)).toMatchObject({
      subtotal: 18000,
      tax: 2880,
      total: 20880,
    });
    expect(() => priceLine({ quantity: 1, unitPrice: 100, discount: 101 }, ivaAdded)).toThrow(RangeError);
  });

  it('rounds per line, so the quote is the sum of its lines and subtotal + tax = total everywhere', () => {
    // Three lines of S/ 0.10 incl. IGV: each base 8.47… -> 8, IGV 2; rounding the sum instead would give 25/5.
    const quote = priceQuote(
      [
        { quantity: 1, unitPrice: 10, discount: 0 },
        { quantity: 1, unitPrice: 10, discount: 0 },
        { quantity: 1, unitPrice: 10, discount: 0 },
      ],
      igvIncluded,
    );
    expect(quote).toMatchObject({ subtotal: 24, tax: 6, total: 30, discount: 0 });
    for (const line of quote.lines) expect(line.subtotal + line.tax).toBe(line.total);
  });

  it('keeps every digit of large amounts (CLP and COP run to the billions)', () => {
    // 9,999 × 9,999,999.99: amount × rate is past 2^53, where a double would already have dropped digits.
    const line = priceLine(
      { quantity: 9999, unitPrice: 999_999_999, discount: 0 },
      { taxRateBps: 1900, pricesIncludeTax: false },
    );
    expect(line.subtotal).toBe(9_998_999_990_001);
    expect(line.tax).toBe(1_899_809_998_100); // × 0.19 = 1,899,809,998,100.19
    expect(line.total).toBe(11_898_809_988_101);
  });

  it('charges no tax at a rate of zero', () => {
    expect(
      priceLine({ quantity: 2, unitPrice: 5000, discount: 0 }, { taxRateBps: 0, pricesIncludeTax: true }),
    ).toMatchObject({
      subtotal: 10000,
      tax: 0,
      total: 10000,
    });
  });
});
