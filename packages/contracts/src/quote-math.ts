/**
 * Quote arithmetic, in integer minor units only (no floating point touches money). One implementation for both
 * sides: the API prices quotes with it, and the web's quote builder shows the same figures before saving.
 *
 * The rule, per line, rounding half up to the minor unit:
 * - amount   = quantity × unitPrice − discount                       (in the basis of the shop's prices)
 * - prices without tax: tax = round(amount × rate), subtotal = amount, total = amount + tax
 * - prices with tax:    subtotal = round(amount ÷ (1 + rate)), tax = amount − subtotal, total = amount
 * The quote adds its lines: subtotal = Σ subtotal, tax = Σ tax, total = Σ total; so on every line and on the
 * quote, subtotal + tax = total exactly, and a tax-included price is never changed by the tax.
 * Rates are basis points (1800 = 18 %); the products are computed in BigInt, so no amount loses a digit.
 */

export interface PricingLine {
  quantity: number;
  unitPrice: number;
  discount: number;
}

export interface PricedLine extends PricingLine {
  subtotal: number;
  tax: number;
  total: number;
}

export interface TaxRule {
  taxRateBps: number;
  pricesIncludeTax: boolean;
}

/** numerator ÷ denominator rounded half up, for non-negative integers. */
export function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

const BPS = 10_000n;

/** No line (and so no quote of 50 lines) gets near the range where a JavaScript number loses cents. */
export const MAX_QUOTE_LINE_AMOUNT = 1_000_000_000_000;

export function priceLine(line: PricingLine, rule: TaxRule): PricedLine {
  const amount = BigInt(line.quantity) * BigInt(line.unitPrice) - BigInt(line.discount);
  if (amount < 0n) throw new RangeError('the discount exceeds the line');
  const rate = BigInt(rule.taxRateBps);
  if (rule.pricesIncludeTax) {
    const subtotal = divideHalfUp(amount * BPS, BPS + rate);
    return { ...line, subtotal: Number(subtotal), tax: Number(amount - subtotal), total: Number(amount) };
  }
  const tax = divideHalfUp(amount * rate, BPS);
  return { ...line, subtotal: Number(amount), tax: Number(tax), total: Number(amount + tax) };
}

export interface QuoteTotals {
  lines: PricedLine[];
  subtotal: number;
  discount: number;
  tax: number;
  total: number;
}

export function priceQuote(lines: PricingLine[], rule: TaxRule): QuoteTotals {
  const priced = lines.map((line) => priceLine(line, rule));
  const sum = (pick: (line: PricedLine) => number) => priced.reduce((acc, line) => acc + pick(line), 0);
  return {
    lines: priced,
    subtotal: sum((l) => l.subtotal),
    discount: sum((l) => l.discount),
    tax: sum((l) => l.tax),
    total: sum((l) => l.total),
  };
}
