import { MAX_QUOTE_LINE_AMOUNT, priceQuote, type quoteItemInput, type TaxRule } from '@techmarket/contracts';
import type { z } from 'zod';
import type { UserPrincipal } from '../../platform/auth';
import type { Tx } from '../../platform/db';
import { AppError, invalidField } from '../../platform/errors';
import type { QuotesRepository } from './quotes.repository';

/**
 * A quote's lines priced from the shop's active listings, at their catalog price unless a MANAGER or OWNER sets
 * another or a discount (a seller who tries gets a 403 naming the field), and free-text lines (labour) at the price
 * given; one currency per quote; the totals by the contracts' quote arithmetic, which the web's builder runs too.
 */

type ItemInput = z.output<typeof quoteItemInput>;
type Listed = Awaited<ReturnType<QuotesRepository['listingsByIds']>>[number];

const sellerMayNot = (path: string, what: string) =>
  new AppError('FORBIDDEN', `${path}: ${what}`, { errors: [{ path, message: what }] });

/** Prices the lines from the catalog under the rule; throws naming the item field that is wrong. */
export async function priceItems(
  repo: Pick<QuotesRepository, 'listingsByIds'>,
  tx: Tx,
  actor: UserPrincipal,
  items: ItemInput[],
  rule: TaxRule,
  /** The currency of a quote of free-text lines only: the one asked for, else the shop's. */
  fallbackCurrency: { code: string; given: boolean },
) {
  const { tenantId } = actor;
  const listingIds = items.flatMap((i) => (i.listingId === undefined ? [] : [i.listingId]));
  const found = await repo.listingsByIds(tx, tenantId, [...new Set(listingIds)]);
  const byId = new Map(found.map((l) => [l.id, l]));
  const mayOverride = actor.role !== 'SELLER';
  let currency: string | null = null;
  const lines = items.map((item, i) => {
    const discount = item.discount ?? 0;
    if (!mayOverride && discount > 0) {
      throw sellerMayNot(`items.${i}.discount`, 'only a manager or the owner can give a discount');
    }
    let line: { listing: Listed | null; title: string; unitPrice: number };
    if (item.listingId === undefined) {
      // A free-text line (labour, a part ordered in): no catalog price to keep, so whoever quotes prices it.
      if (item.title === undefined || item.unitPrice === undefined) {
        throw invalidField(
          `items.${i}.title`,
          'a free-text line needs a title and a unit price',
          'LINE_INCOMPLETE',
        );
      }
      line = { listing: null, title: item.title, unitPrice: item.unitPrice };
    } else {
      const listed = byId.get(item.listingId);
      if (!listed?.active)
        throw invalidField(
          `items.${i}.listingId`,
          'no active listing of this shop has this id',
          'NOT_FOUND_IN_SHOP',
        );
      currency ??= listed.currency;
      if (listed.currency !== currency) {
        throw invalidField(
          `items.${i}.listingId`,
          `priced in ${listed.currency}; a quote has one currency (${currency})`,
          'CURRENCY_MISMATCH',
        );
      }
      const unitPrice = item.unitPrice ?? listed.price;
      if (!mayOverride && unitPrice !== listed.price) {
        throw sellerMayNot(`items.${i}.unitPrice`, 'only a manager or the owner can change a catalog price');
      }
      line = { listing: listed, title: listed.title, unitPrice };
    }
    const amount = item.quantity * line.unitPrice;
    if (amount > MAX_QUOTE_LINE_AMOUNT)
      throw invalidField(`items.${i}.quantity`, 'the line is too large', 'AMOUNT_TOO_LARGE');
    if (discount > amount)
      throw invalidField(`items.${i}.discount`, 'larger than the line', 'DISCOUNT_TOO_LARGE');
    return { ...line, quantity: item.quantity, discount };
  });
  if (currency !== null && fallbackCurrency.given && fallbackCurrency.code !== currency) {
    throw invalidField('currency', `the catalog lines are priced in ${currency}`, 'CURRENCY_MISMATCH');
  }
  const totals = priceQuote(lines, rule);
  return {
    currency: currency ?? fallbackCurrency.code,
    totals,
    rows: lines.map((line, position) => {
      const priced = totals.lines[position];
      if (!priced) throw new Error('priced line missing');
      return {
        position,
        listingId: line.listing?.id ?? null,
        title: line.title,
        sku: line.listing?.sku ?? null,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        discount: line.discount,
        subtotal: priced.subtotal,
        tax: priced.tax,
        total: priced.total,
        stockAtQuote: line.listing?.stock ?? null,
      };
    }),
  };
}

export type PricedItems = Awaited<ReturnType<typeof priceItems>>;
