import {
  type Listing,
  MAX_QUOTE_LINE_AMOUNT,
  type PricingLine,
  parseMoney,
  priceQuote,
  type QuoteTotals,
  type TaxRule,
} from '@techmarket/contracts';

import type { QuoteItemInput } from '../api/quotes';

/** What the builder knows of a listing; `stock` null when not known here (an assistant's alternative). */
export type QuoteListing = Pick<Listing, 'id' | 'title' | 'price' | 'currency'> & { stock: number | null };

/** A line being built. The money a manager types stays text until saved, so "2499." can be typed. */
export interface Line {
  listing: QuoteListing;
  quantity: number;
  /** A unit price other than the catalog's, in major units; '' keeps the catalog price. */
  price: string;
  /** An amount off the line, in major units; '' is none. */
  discount: string;
  /** The listing is no longer active in the catalog: the server takes no new line of it. */
  inactive?: boolean;
  /** A free-text line (labour, a part ordered in): `listing` holds its title and price, no catalog listing. */
  free?: boolean;
}

export const newLine = (listing: QuoteListing): Line => ({ listing, quantity: 1, price: '', discount: '' });

export type LineProblem = 'price' | 'discount' | 'discountTooLarge' | 'tooLarge';

/** A line's amounts in minor units as the server will take them, or what is wrong with what was typed. */
export function lineAmounts(line: Line): { amounts: PricingLine; problem: LineProblem | null } {
  const currency = line.listing.currency;
  const price = line.price.trim() ? parseMoney(line.price, currency) : line.listing.price;
  const discount = line.discount.trim() ? parseMoney(line.discount, currency) : 0;
  const amounts = { quantity: line.quantity, unitPrice: price ?? 0, discount: discount ?? 0 };
  if (price === null) return { amounts, problem: 'price' };
  if (discount === null) return { amounts, problem: 'discount' };
  // The API's own limits (quotes.service priceItems), checked here so the seller sees which line.
  const amount = line.quantity * price;
  if (amount > MAX_QUOTE_LINE_AMOUNT) return { amounts, problem: 'tooLarge' };
  if (discount > amount) return { amounts, problem: 'discountTooLarge' };
  return { amounts, problem: null };
}

/**
 * The quote the server will price from these lines: the same arithmetic (quote-math in the contracts), so the
 * totals shown are the ones the quote will have. Null totals while the rule is unknown or a line is wrong.
 */
export function priceDraft(lines: Line[], rule: TaxRule | null) {
  const checked = lines.map(lineAmounts);
  const valid = checked.every((line) => line.problem === null);
  const totals: QuoteTotals | null =
    rule && valid && lines.length > 0
      ? priceQuote(
          checked.map((line) => line.amounts),
          rule,
        )
      : null;
  return { problems: checked.map((line) => line.problem), totals };
}

/**
 * The lines as the API takes them. A seller's carry only listing and quantity (the catalog price, no discount:
 * the API refuses anything else from a seller); a manager's carry the typed price and discount when there are.
 */
export function itemsOf(lines: Line[], canSetPrices: boolean): QuoteItemInput[] {
  return lines.map((line) => {
    const { amounts } = lineAmounts(line);
    if (line.free) {
      // No catalog price to keep: whoever quotes prices it, and a discount stays a manager's.
      return {
        title: line.listing.title,
        quantity: line.quantity,
        unitPrice: amounts.unitPrice,
        ...(canSetPrices && amounts.discount > 0 ? { discount: amounts.discount } : {}),
      };
    }
    const item: QuoteItemInput = { listingId: line.listing.id, quantity: line.quantity };
    if (!canSetPrices) return item;
    if (line.price.trim()) item.unitPrice = amounts.unitPrice;
    if (amounts.discount > 0) item.discount = amounts.discount;
    return item;
  });
}
