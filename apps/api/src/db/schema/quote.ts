import { quoteStatuses } from '@techmarket/contracts';
import {
  bigint,
  boolean,
  foreignKey,
  index,
  integer,
  pgEnum,
  pgTable,
  smallint,
  text,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { instant, primaryId, tenantIdColumn, timestamps, versionColumn } from '../columns';
import { branch } from './branch';
import { contact } from './contact';
import { lostReasonEnum } from './enums';
import { lead } from './lead';
import { listing } from './listing';

export const quoteStatusEnum = pgEnum('quote_status', quoteStatuses);

/**
 * A quote from the shop's catalog. Amounts in minor units of `currency`; the tax rule it was priced with is
 * kept on the quote, so a later change of the shop's settings never reprices a quote a customer has seen.
 */
export const quote = pgTable(
  'quote',
  {
    id: primaryId(),
    tenantId: tenantIdColumn(),
    branchId: uuid('branch_id').notNull(),
    leadId: uuid('lead_id').notNull(),
    contactId: uuid('contact_id').notNull(),
    number: integer('number').notNull(),
    status: quoteStatusEnum('status').notNull().default('DRAFT'),
    currency: text('currency').notNull(),
    taxName: text('tax_name').notNull(),
    taxRateBps: integer('tax_rate_bps').notNull(),
    pricesIncludeTax: boolean('prices_include_tax').notNull(),
    subtotal: bigint('subtotal', { mode: 'number' }).notNull(),
    discount: bigint('discount', { mode: 'number' }).notNull(),
    tax: bigint('tax', { mode: 'number' }).notNull(),
    total: bigint('total', { mode: 'number' }).notNull(),
    validUntil: instant('valid_until').notNull(),
    notes: text('notes'),
    createdByUserId: uuid('created_by_user_id'),
    sentAt: instant('sent_at'),
    decidedAt: instant('decided_at'),
    rejectionReason: lostReasonEnum('rejection_reason'),
    /** Signed into every public link; revoking the links bumps it, so every link issued before answers 410. */
    linkGeneration: integer('link_generation').notNull().default(0),
    linksRevokedAt: instant('links_revoked_at'),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    unique('quote_tenant_number_key').on(t.tenantId, t.number),
    unique('quote_tenant_id_key').on(t.tenantId, t.id),
    index('quote_tenant_lead_idx').on(t.tenantId, t.leadId),
    index('quote_tenant_status_idx').on(t.tenantId, t.status, t.validUntil),
    foreignKey({ columns: [t.tenantId, t.branchId], foreignColumns: [branch.tenantId, branch.id] }),
    foreignKey({ columns: [t.tenantId, t.leadId], foreignColumns: [lead.tenantId, lead.id] }),
    foreignKey({ columns: [t.tenantId, t.contactId], foreignColumns: [contact.tenantId, contact.id] }),
  ],
);

/** One line of a quote: the listing as it was priced (title and stock copied), and its amounts. */
export const quoteItem = pgTable(
  'quote_item',
  {
    id: primaryId(),
    tenantId: tenantIdColumn(),
    quoteId: uuid('quote_id').notNull(),
    position: smallint('position').notNull(),
    listingId: uuid('listing_id').notNull(),
    title: text('title').notNull(),
    sku: text('sku'),
    quantity: integer('quantity').notNull(),
    unitPrice: bigint('unit_price', { mode: 'number' }).notNull(),
    discount: bigint('discount', { mode: 'number' }).notNull(),
    subtotal: bigint('subtotal', { mode: 'number' }).notNull(),
    tax: bigint('tax', { mode: 'number' }).notNull(),
    total: bigint('total', { mode: 'number' }).notNull(),
    stockAtQuote: integer('stock_at_quote').notNull(),
  },
  (t) => [
    index('quote_item_quote_idx').on(t.tenantId, t.quoteId, t.position),
    foreignKey({ columns: [t.tenantId, t.quoteId], foreignColumns: [quote.tenantId, quote.id] }).onDelete(
      'cascade',
    ),
    foreignKey({ columns: [t.tenantId, t.listingId], foreignColumns: [listing.tenantId, listing.id] }),
  ],
);
