import type { QuoteStatus } from '@techmarket/contracts';
import { and, asc, desc, eq, gt, inArray, lt, lte, or, sql } from 'drizzle-orm';
import { commerceSettings, contact, listing, quote, quoteCounter, quoteItem } from '../../db/schema';
import type { Tx } from '../../platform/db';

const quoteColumns = {
  id: quote.id,
  tenantId: quote.tenantId,
  branchId: quote.branchId,
  leadId: quote.leadId,
  ticketId: quote.ticketId,
  contactId: quote.contactId,
  number: quote.number,
  status: quote.status,
  currency: quote.currency,
  taxName: quote.taxName,
  taxRateBps: quote.taxRateBps,
  pricesIncludeTax: quote.pricesIncludeTax,
  subtotal: quote.subtotal,
  discount: quote.discount,
  tax: quote.tax,
  total: quote.total,
  validUntil: quote.validUntil,
  notes: quote.notes,
  createdByUserId: quote.createdByUserId,
  sentAt: quote.sentAt,
  decidedAt: quote.decidedAt,
  rejectionReason: quote.rejectionReason,
  linkGeneration: quote.linkGeneration,
  linksRevokedAt: quote.linksRevokedAt,
  createdAt: quote.createdAt,
  updatedAt: quote.updatedAt,
  version: quote.version,
};

const quoteWithContact = {
  ...quoteColumns,
  contact: { id: contact.id, name: contact.name, phone: contact.phone },
};

const itemColumns = {
  id: quoteItem.id,
  quoteId: quoteItem.quoteId,
  position: quoteItem.position,
  listingId: quoteItem.listingId,
  title: quoteItem.title,
  sku: quoteItem.sku,
  quantity: quoteItem.quantity,
  unitPrice: quoteItem.unitPrice,
  discount: quoteItem.discount,
  subtotal: quoteItem.subtotal,
  tax: quoteItem.tax,
  total: quoteItem.total,
  stockAtQuote: quoteItem.stockAtQuote,
};

export type QuoteChanges = Partial<
  Pick<
    typeof quote.$inferInsert,
    | 'status'
    | 'subtotal'
    | 'discount'
    | 'tax'
    | 'total'
    | 'validUntil'
    | 'notes'
    | 'sentAt'
    | 'decidedAt'
    | 'rejectionReason'
    | 'currency'
  >
>;

export interface QuoteListFilter {
  branchIds: readonly string[] | null;
  status?: QuoteStatus | undefined;
  leadId?: string | undefined;
  /** Now: an open quote past its validity is EXPIRED before the worker's sweep writes it. */
  at: string;
}

/** The status as of `at`, as the wire reports it (see the service's toQuote). */
const statusIs = (status: QuoteStatus, at: string) =>
  status === 'EXPIRED'
    ? or(
        eq(quote.status, 'EXPIRED'),
        and(inArray(quote.status, ['DRAFT', 'SENT']), lte(quote.validUntil, at)),
      )
    : status === 'DRAFT' || status === 'SENT'
      ? and(eq(quote.status, status), gt(quote.validUntil, at))
      : eq(quote.status, status);

/** Every function takes the tenant first; RLS is the second wall, these filters are the first. */
export function createQuotesRepository() {
  const joinContact = and(eq(contact.tenantId, quote.tenantId), eq(contact.id, quote.contactId));

  return {
    async findSettings(tx: Tx, tenantId: string) {
      const [row] = await tx.select().from(commerceSettings).where(eq(commerceSettings.tenantId, tenantId));
      return row ?? null;
    },

    async upsertSettings(tx: Tx, values: typeof commerceSettings.$inferInsert) {
      const { tenantId, createdAt: _created, ...changes } = values;
      const [row] = await tx
        .insert(commerceSettings)
        .values(values)
        .onConflictDoUpdate({
          target: commerceSettings.tenantId,
          set: { ...changes, version: sql`${commerceSettings.version} + 1` },
        })
        .returning();
      if (!row) throw new Error(`commerce settings of ${tenantId} not written`);
      return row;
    },

    /**
     * The shop's next quote number. The upsert takes the counter row's lock and keeps it until the caller's
     * transaction ends: concurrent quotes of one shop queue here, each sees the number its predecessor
     * committed, and a quote that rolls back releases its number unused. No gaps, no repeats.
     */
    async nextQuoteNumber(tx: Tx, tenantId: string): Promise<number> {
      const [row] = await tx
        .insert(quoteCounter)
        .values({ tenantId, lastNumber: 1 })
        .onConflictDoUpdate({
          target: quoteCounter.tenantId,
          set: { lastNumber: sql`${quoteCounter.lastNumber} + 1` },
        })
        .returning({ lastNumber: quoteCounter.lastNumber });
      if (!row) throw new Error('quote counter returned nothing');
      return row.lastNumber;
    },

    async listingsByIds(tx: Tx, tenantId: string, ids: string[]) {
      if (ids.length === 0) return [];
      return tx
        .select({
          id: listing.id,
          title: listing.title,
          sku: listing.sku,
          price: listing.price,
          currency: listing.currency,
          stock: listing.stock,
          active: listing.active,
        })
        .from(listing)
        .where(and(eq(listing.tenantId, tenantId), inArray(listing.id, ids)));
    },

    async insertQuote(tx: Tx, values: typeof quote.$inferInsert) {
      const [row] = await tx.insert(quote).values(values).returning(quoteColumns);
      if (!row) throw new Error('quote insert returned nothing');
      return row;
    },

    async insertItems(tx: Tx, values: (typeof quoteItem.$inferInsert)[]) {
      if (values.length === 0) return [];
      return tx.insert(quoteItem).values(values).returning(itemColumns);
    },

    async deleteItems(tx: Tx, tenantId: string, quoteId: string) {
      await tx.delete(quoteItem).where(and(eq(quoteItem.tenantId, tenantId), eq(quoteItem.quoteId, quoteId)));
    },

    async findQuote(
      tx: Tx,
      tenantId: string,
      quoteId: string,
      branchIds: readonly string[] | null,
      lock = false,
    ) {
      const query = tx
        .select(quoteWithContact)
        .from(quote)
        .innerJoin(contact, joinContact)
        .where(
          and(
            eq(quote.tenantId, tenantId),
            eq(quote.id, quoteId),
            branchIds === null ? undefined : inArray(quote.branchId, [...branchIds]),
          ),
        );
      const [row] = lock ? await query.for('update', { of: quote }) : await query;
      return row ?? null;
    },

    async itemsOf(tx: Tx, tenantId: string, quoteIds: string[]) {
      if (quoteIds.length === 0) return [];
      return tx
        .select(itemColumns)
        .from(quoteItem)
        .where(and(eq(quoteItem.tenantId, tenantId), inArray(quoteItem.quoteId, quoteIds)))
        .orderBy(asc(quoteItem.quoteId), asc(quoteItem.position));
    },

    /** Newest first, resuming after (createdAt, id). */
    async listQuotes(
      tx: Tx,
      tenantId: string,
      filter: QuoteListFilter,
      after: { at: string; id: string } | null,
      limit: number,
    ) {
      return tx
        .select(quoteWithContact)
        .from(quote)
        .innerJoin(contact, joinContact)
        .where(
          and(
            eq(quote.tenantId, tenantId),
            filter.branchIds === null ? undefined : inArray(quote.branchId, [...filter.branchIds]),
            filter.status ? statusIs(filter.status, filter.at) : undefined,
            filter.leadId ? eq(quote.leadId, filter.leadId) : undefined,
            after
              ? or(lt(quote.createdAt, after.at), and(eq(quote.createdAt, after.at), lt(quote.id, after.id)))
              : undefined,
          ),
        )
        .orderBy(desc(quote.createdAt), desc(quote.id))
        .limit(limit + 1);
    },

    /** Optimistic: changes the quote only at the version the caller read; null when it moved on. */
    async updateQuote(
      tx: Tx,
      tenantId: string,
      quoteId: string,
      expectedVersion: number,
      changes: QuoteChanges,
      at: string,
    ) {
      const [row] = await tx
        .update(quote)
        .set({ ...changes, updatedAt: at, version: sql`${quote.version} + 1` })
        .where(and(eq(quote.tenantId, tenantId), eq(quote.id, quoteId), eq(quote.version, expectedVersion)))
        .returning(quoteColumns);
      return row ?? null;
    },

    /** Every public link issued so far stops working: the generation signed into them moves on. */
    async revokeLinks(tx: Tx, tenantId: string, quoteId: string, at: string) {
      const [row] = await tx
        .update(quote)
        .set({ linkGeneration: sql`${quote.linkGeneration} + 1`, linksRevokedAt: at, updatedAt: at })
        .where(and(eq(quote.tenantId, tenantId), eq(quote.id, quoteId)))
        .returning(quoteColumns);
      return row ?? null;
    },

    /** Whether the lead has another quote still open (DRAFT or SENT, and valid at `at`) besides this one. */
    async hasOtherOpenQuote(tx: Tx, tenantId: string, leadId: string, quoteId: string, at: string) {
      const [row] = await tx
        .select({ id: quote.id })
        .from(quote)
        .where(
          and(
            eq(quote.tenantId, tenantId),
            eq(quote.leadId, leadId),
            inArray(quote.status, ['DRAFT', 'SENT']),
            gt(quote.validUntil, at),
            sql`${quote.id} <> ${quoteId}`,
          ),
        )
        .limit(1);
      return row !== undefined;
    },
  };
}

export type QuotesRepository = ReturnType<typeof createQuotesRepository>;
export type QuoteRow = NonNullable<Awaited<ReturnType<QuotesRepository['findQuote']>>>;
export type QuoteItemRow = Awaited<ReturnType<QuotesRepository['itemsOf']>>[number];
