import type { currencies, LeadPriority } from '@techmarket/contracts';

type Currency = (typeof currencies)[number];
interface TaxRule {
  taxName: string;
  taxRateBps: number;
  pricesIncludeTax: boolean;
}

/**
 * What a shop starts with, by its currency, until it sets its own (GET/PATCH /tenants/{id}/commerce-settings).
 * Consumer prices in these countries are shown with the tax in them, by law, so the catalog's prices are taken
 * as tax-included. Brazil has no single sales tax (ICMS, ISS, PIS and COFINS vary by state and product, and
 * shelf prices already include them), so a Brazilian shop starts at 0 % with tax-included prices: the quote
 * shows the prices as final until the shop sets the rate its accountant gives it. USD shops start at 0 % too.
 */
export const taxDefaults: Record<Currency, TaxRule> = {
  PEN: { taxName: 'IGV', taxRateBps: 1800, pricesIncludeTax: true },
  MXN: { taxName: 'IVA', taxRateBps: 1600, pricesIncludeTax: true },
  COP: { taxName: 'IVA', taxRateBps: 1900, pricesIncludeTax: true },
  ARS: { taxName: 'IVA', taxRateBps: 2100, pricesIncludeTax: true },
  CLP: { taxName: 'IVA', taxRateBps: 1900, pricesIncludeTax: true },
  BRL: { taxName: 'Impostos', taxRateBps: 0, pricesIncludeTax: true },
  USD: { taxName: 'Tax', taxRateBps: 0, pricesIncludeTax: false },
};

/** A currency the table does not know (none today) gets no tax rather than a wrong one. */
export const taxDefaultsFor = (currency: string): TaxRule =>
  taxDefaults[currency as Currency] ?? { taxName: 'Tax', taxRateBps: 0, pricesIncludeTax: true };

export const DEFAULT_QUOTE_VALID_DAYS = 7;

/** Business hours to resolve a ticket: the same day, about three business days, about a week. */
export const defaultSlaHours: Record<LeadPriority, number> = { HIGH: 4, MEDIUM: 24, LOW: 48 };
