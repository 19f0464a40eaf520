import { z } from 'zod';
import { currency, id, isoInstant, minorUnits, textField } from './common';
import { leadContactSchema, leadPriority, lostReason } from './leads';

export const quoteStatuses = ['DRAFT', 'SENT', 'ACCEPTED', 'REJECTED', 'EXPIRED'] as const;
export const quoteStatus = z.enum(quoteStatuses);
export type QuoteStatus = z.infer<typeof quoteStatus>;

/** A tax rate in basis points: 1800 is 18 %. */
export const taxRateBps = z.number().int().min(0).max(10_000);

/**
 * A line from the catalog (`listingId`), or a free-text line no listing backs (`title` and `unitPrice`: labour,
 * a part ordered in), priced by whoever makes the quote.
 */
export const quoteItemInput = z
  .object({
    listingId: id.optional(),
    /** A free-text line's description (not with `listingId`). */
    title: textField().trim().min(1).max(200).optional(),
    quantity: z.number().int().min(1).max(100_000),
    /** The catalog price applies unless a MANAGER or OWNER sets another (minor units, same tax basis as the shop's prices); required on a free-text line. */
    unitPrice: minorUnits.optional(),
    /** An amount off the whole line, in minor units (MANAGER or OWNER). */
    discount: minorUnits.optional(),
  })
  .superRefine((item, ctx) => {
    if (item.listingId !== undefined && item.title !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['title'],
        message: 'a catalog line takes its title from the listing',
      });
    }
    if (item.listingId === undefined && item.title === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['listingId'],
        message: 'a listing, or a title for a free-text line',
      });
    }
    if (item.title !== undefined && item.unitPrice === undefined) {
      ctx.addIssue({ code: 'custom', path: ['unitPrice'], message: 'a free-text line needs its price' });
    }
  });
export type QuoteItemInput = z.output<typeof quoteItemInput>;

export const createQuoteBody = z.object({
  items: z.array(quoteItemInput).min(1).max(50),
  /** Days the quote stays valid; the shop's default when absent. */
  validDays: z.number().int().min(1).max(365).optional(),
  notes: textField().trim().min(1).max(2000).optional(),
  /** For a quote of free-text lines only; a quote with catalog lines is in their currency. The shop's when absent. */
  currency: currency.optional(),
});
export type CreateQuoteInput = z.output<typeof createQuoteBody>;

export const quoteItemSchema = z
  .object({
    id,
    position: z.number().int(),
    /** Null on a free-text line. */
    listingId: id.nullable(),
    title: z.string(),
    sku: z.string().nullable(),
    quantity: z.number().int(),
    unitPrice: z.number().int(),
    discount: z.number().int(),
    /** The line before tax, after its discount. */
    subtotal: z.number().int(),
    tax: z.number().int(),
    /** subtotal + tax, exactly. */
    total: z.number().int(),
    /** The listing's stock when the line was priced; null on a free-text line. */
    stockAtQuote: z.number().int().nullable(),
  })
  .meta({ id: 'QuoteItem' });

export const quoteWarningSchema = z
  .object({ path: z.string(), code: z.enum(['EXCEEDS_STOCK']), message: z.string() })
  .meta({ id: 'QuoteWarning' });

export const quoteSchema = z
  .object({
    id,
    tenantId: id,
    branchId: id,
    leadId: id,
    /** The ticket it was made from, if any. */
    ticketId: id.nullable(),
    contact: leadContactSchema,
    /** Sequential per shop, with no gaps: shown as N.º 000123. */
    number: z.number().int(),
    status: quoteStatus,
    currency: z.string(),
    taxName: z.string(),
    taxRateBps,
    pricesIncludeTax: z.boolean(),
    subtotal: z.number().int(),
    discount: z.number().int(),
    tax: z.number().int(),
    total: z.number().int(),
    validUntil: isoInstant,
    notes: z.string().nullable(),
    createdByUserId: id.nullable(),
    sentAt: isoInstant.nullable(),
    decidedAt: isoInstant.nullable(),
    rejectionReason: lostReason.nullable(),
    /** When the public links were last revoked; a link sent after this works again. */
    linksRevokedAt: isoInstant.nullable(),
    items: z.array(quoteItemSchema),
    warnings: z.array(quoteWarningSchema),
    createdAt: isoInstant,
    updatedAt: isoInstant,
    version: z.number().int(),
  })
  .meta({ id: 'Quote' });
export type Quote = z.infer<typeof quoteSchema>;

export const updateQuoteBody = z
  .object({
    /** ACCEPTED moves the lead to WON; REJECTED to LOST with `lostReason`. */
    status: z.enum(['ACCEPTED', 'REJECTED']).optional(),
    lostReason: lostReason.optional(),
    /** A DRAFT's lines, priced again (replaces them all). */
    items: z.array(quoteItemInput).min(1).max(50).optional(),
    validDays: z.number().int().min(1).max(365).optional(),
    notes: textField().trim().min(1).max(2000).nullable().optional(),
    version: z.number().int().min(1),
  })
  .refine((body) => Object.keys(body).length > 1, { message: 'nothing to change', path: ['status'] });
export type UpdateQuoteInput = z.output<typeof updateQuoteBody>;

export const sentQuoteSchema = z
  .object({
    quote: quoteSchema,
    /** The public PDF: signed, works without login until `pdfUrlExpiresAt`. */
    pdfUrl: z.string(),
    pdfUrlExpiresAt: isoInstant,
    /** wa.me to the customer's phone (or to a contact picker when the lead has none) with `message`. */
    whatsappUrl: z.string(),
    message: z.string(),
  })
  .meta({ id: 'SentQuote' });

export const quotesQuery = z.object({
  status: quoteStatus.optional(),
  leadId: id.optional(),
  branchId: id.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: textField().min(1).max(500).optional(),
});
export type QuotesQuery = z.infer<typeof quotesQuery>;

/** Tax, quote validity and ticket SLAs of a shop. Defaults follow its currency until someone sets them. */
export const commerceSettingsSchema = z
  .object({
    currency,
    taxName: z.string(),
    taxRateBps,
    pricesIncludeTax: z.boolean(),
    quoteValidDays: z.number().int(),
    /** Business hours to resolve a ticket, per priority. */
    slaHours: z.record(leadPriority, z.number().int()),
    /** False while the shop runs on the defaults of its currency. */
    customized: z.boolean(),
  })
  .meta({ id: 'CommerceSettings' });
export type CommerceSettings = z.infer<typeof commerceSettingsSchema>;

export const updateCommerceSettingsBody = z
  .object({
    taxName: textField().trim().min(1).max(40).optional(),
    taxRateBps: taxRateBps.optional(),
    pricesIncludeTax: z.boolean().optional(),
    quoteValidDays: z.number().int().min(1).max(365).optional(),
    slaHours: z
      .object({
        HIGH: z.number().int().min(1).max(2000).optional(),
        MEDIUM: z.number().int().min(1).max(2000).optional(),
        LOW: z.number().int().min(1).max(2000).optional(),
      })
      .optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change', path: ['taxRateBps'] });
export type UpdateCommerceSettingsInput = z.output<typeof updateCommerceSettingsBody>;
