import { quoteStatuses } from '@techmarket/contracts';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { instant, rowId, tenantIdColumn, timestamps, versionColumn } from '../columns';
import { branch } from './branch';
import { contact } from './contact';
import { lostReasonEnum } from './enums';
import { lead } from './lead';
import { listing } from './listing';
import { ticket } from './ticket';

export const quoteStatusEnum = pgEnum('quote_status', quoteStatuses);

/**
 * A quote from the shop's catalog. Amounts in minor units of `currency`; the tax rule it was priced with is
 * kept on the quote, so a later change of the shop's settings never reprices a quote a customer has seen.
 */
export const quote = pgTable(
  'quote',
  {
    id: rowId(),
    tenantId: tenantIdColumn(),
    branchId: uuid('branch_id').notNull(),
    leadId: uuid('lead_id').notNull(),
    contactId: uuid('contact_id').notNull(),
    /** The ticket the quote was made from (a repair's parts and labour), if any. */
    ticketId: uuid('ticket_id'),
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
    primaryKey({ name: 'quote_pkey', columns: [t.tenantId, t.id] }),
    unique('quote_tenant_number_key').on(t.tenantId, t.number),
    index('quote_tenant_lead_idx').on(t.tenantId, t.leadId),
    index('quote_tenant_status_idx').on(t.tenantId, t.status, t.validUntil),
    index('quote_tenant_contact_idx').on(t.tenantId, t.contactId),
    index('quote_tenant_ticket_idx').on(t.tenantId, t.ticketId).where(sql`${t.ticketId} is not null`),
    foreignKey({ columns: [t.tenantId, t.branchId], foreignColumns: [branch.tenantId, branch.id] }),
    foreignKey({ columns: [t.tenantId, t.leadId], foreignColumns: [lead.tenantId, lead.id] }),
    foreignKey({ columns: [t.tenantId, t.contactId], foreignColumns: [contact.tenantId, contact.id] }),
    foreignKey({ columns: [t.tenantId, t.ticketId], foreignColumns: [ticket.tenantId, ticket.id] }),
  ],
);

/**
 * One line of a quote: the listing as it was priced (title and stock copied), or a free-text line no listing backs
 * (labour, a part ordered in), and its amounts.
 */
export const quoteItem = pgTable(
  'quote_item',
  {
    id: rowId(),
    tenantId: tenantIdColumn(),
    quoteId: uuid('quote_id').notNull(),
    position: smallint('position').notNull(),
    listingId: uuid('listing_id'),
    title: text('title').notNull(),
    sku: text('sku'),
    quantity: integer('quantity').notNull(),
    unitPrice: bigint('unit_price', { mode: 'number' }).notNull(),
    discount: bigint('discount', { mode: 'number' }).notNull(),
    subtotal: bigint('subtotal', { mode: 'number' }).notNull(),
    tax: bigint('tax', { mode: 'number' }).notNull(),
    total: bigint('total', { mode: 'number' }).notNull(),
    /** Null exactly for a free-text line. */
    stockAtQuote: integer('stock_at_quote'),
  },
  (t) => [
    primaryKey({ name: 'quote_item_pkey', columns: [t.tenantId, t.id] }),
    index('quote_item_quote_idx').on(t.tenantId, t.quoteId, t.position),
    foreignKey({ columns: [t.tenantId, t.quoteId], foreignColumns: [quote.tenantId, quote.id] }).onDelete(
      'cascade',
    ),
    foreignKey({ columns: [t.tenantId, t.listingId], foreignColumns: [listing.tenantId, listing.id] }),
    check('quote_item_line_source', sql`(${t.listingId} is null) = (${t.stockAtQuote} is null)`),
  ],
);
