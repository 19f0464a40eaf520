import { and, asc, desc, eq, gt, ne, type SQL, sql } from 'drizzle-orm';
import {
  appUser,
  branch,
  contact,
  lead,
  leadAiAssistance,
  leadAiFeedback,
  leadEvent,
  listing,
  tenant,
} from '../../db/schema';
import type { Tx } from '../../platform/db';

/** Every function takes the tenant first; RLS is the second wall, these filters are the first. */
export function createAssistantRepository() {
  return {
    /** Everything the assistant reads about a lead, in one query, plus the customer's latest words. */
    async leadContext(tx: Tx, tenantId: string, leadId: string) {
      const [row] = await tx
        .select({
          id: lead.id,
          tenantId: lead.tenantId,
          status: lead.status,
          priority: lead.priority,
          leadType: lead.leadType,
          lostReason: lead.lostReason,
          classifiedBy: lead.classifiedBy,
          branchId: lead.branchId,
          contactName: contact.name,
          /**
           * The lead's customer is only a visitor: no marketplace user, phone or e-mail on file, so what it
           * wrote came through the public tracking call with nobody vouching for it.
           */
          anonymous: sql<boolean>`(${contact.marketplaceUserId} is null and ${contact.phone} is null and ${contact.email} is null)`,
          shopName: tenant.name,
          branchName: branch.name,
          branchZone: branch.zone,
          branchTimezone: branch.timezone,
          branchHours: branch.businessHours,
          branchCountry: branch.countryCode,
          listing: {
            id: listing.id,
            title: listing.title,
            price: listing.price,
            currency: listing.currency,
            stock: listing.stock,
            category: listing.category,
          },
        })
        .from(lead)
        .innerJoin(contact, and(eq(contact.tenantId, lead.tenantId), eq(contact.id, lead.contactId)))
        .innerJoin(tenant, eq(tenant.id, lead.tenantId))
        .innerJoin(branch, and(eq(branch.tenantId, lead.tenantId), eq(branch.id, lead.branchId)))
        .leftJoin(listing, and(eq(listing.tenantId, lead.tenantId), eq(listing.id, lead.listingId)))
        .where(and(eq(lead.tenantId, tenantId), eq(lead.id, leadId)));
      if (!row) return null;
      const messages = await tx
        .select({ payload: leadEvent.payload })
        .from(leadEvent)
        .where(
          and(
            eq(leadEvent.tenantId, tenantId),
            eq(leadEvent.leadId, leadId),
            eq(leadEvent.type, 'MESSAGE_RECEIVED'),
          ),
        )
        .orderBy(desc(leadEvent.createdAt))
        .limit(5);
      const texts = messages
        .map((m) => String(m.payload.text ?? m.payload.body ?? ''))
        .filter(Boolean)
        .reverse();
      return { ...row, listing: row.listing?.id ? row.listing : null, messages: texts };
    },

    /**
     * Catalog alternatives: same category, in stock, never this tenant's other shops' (RLS and the filter),
     * ranked by PostgreSQL full-text similarity to what the customer wrote and the product they looked at.
     */
    async alternatives(
      tx: Tx,
      tenantId: string,
      query: {
        category: string | null;
        text: string;
        minPrice: number | null;
        maxPrice: number | null;
        excludeId: string | null;
      },
    ) {
      const words = query.text
        .toLowerCase()
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .match(/[a-z0-9]{2,}/g);
      const terms = [...new Set(words ?? [])].slice(0, 20);
      // Accents folded on both sides, without the unaccent extension (not every PostgreSQL has it).
      const document = sql`to_tsvector('simple', translate(lower(${listing.title}), 'áéíóúüñç', 'aeiouunc'))`;
      const rank: SQL<number> =
        terms.length > 0
          ? sql<number>`ts_rank(${document}, to_tsquery('simple', ${terms.join(' | ')}))`
          : sql<number>`0`;
      return tx
        .select({
          listingId: listing.id,
          title: listing.title,
          price: listing.price,
          currency: listing.currency,
          stock: listing.stock,
          rank,
        })
        .from(listing)
        .where(
          and(
            eq(listing.tenantId, tenantId),
            eq(listing.active, true),
            gt(listing.stock, 0),
            query.category ? eq(listing.category, query.category) : undefined,
            query.excludeId ? ne(listing.id, query.excludeId) : undefined,
            query.minPrice !== null ? sql`${listing.price} >= ${query.minPrice}` : undefined,
            query.maxPrice !== null ? sql`${listing.price} <= ${query.maxPrice}` : undefined,
          ),
        )
        .orderBy(desc(rank), asc(listing.price), asc(listing.id))
        .limit(3);
    },

    /** The name a person signs a suggested reply with. */
    async userName(tx: Tx, tenantId: string, userId: string) {
      const [row] = await tx
        .select({ name: appUser.name })
        .from(appUser)
        .where(and(eq(appUser.tenantId, tenantId), eq(appUser.id, userId)));
      return row?.name ?? null;
    },

    /** Holds the lead's row until the transaction ends: runs that overlap on one lead take turns. */
    async lockLead(tx: Tx, tenantId: string, leadId: string) {
      await tx.execute(sql`select 1 from lead where tenant_id = ${tenantId} and id = ${leadId} for update`);
    },

    async insertAssistance(tx: Tx, values: typeof leadAiAssistance.$inferInsert) {
      const [row] = await tx.insert(leadAiAssistance).values(values).returning();
      if (!row) throw new Error('assistance insert returned nothing');
      return row;
    },

    async latest(tx: Tx, tenantId: string, leadId: string) {
      const [row] = await tx
        .select()
        .from(leadAiAssistance)
        .where(and(eq(leadAiAssistance.tenantId, tenantId), eq(leadAiAssistance.leadId, leadId)))
        .orderBy(desc(leadAiAssistance.createdAt), desc(leadAiAssistance.id))
        .limit(1);
      return row ?? null;
    },

    async findAssistance(tx: Tx, tenantId: string, leadId: string, assistanceId: string) {
      const [row] = await tx
        .select({ id: leadAiAssistance.id, result: leadAiAssistance.result, trace: leadAiAssistance.trace })
        .from(leadAiAssistance)
        .where(
          and(
            eq(leadAiAssistance.tenantId, tenantId),
            eq(leadAiAssistance.leadId, leadId),
            eq(leadAiAssistance.id, assistanceId),
          ),
        );
      return row ?? null;
    },

    async insertFeedback(tx: Tx, values: typeof leadAiFeedback.$inferInsert) {
      const [row] = await tx.insert(leadAiFeedback).values(values).returning();
      if (!row) throw new Error('feedback insert returned nothing');
      return row;
    },

    /** The assistant's classification, unless a person has set priority or type themselves. */
    async classify(
      tx: Tx,
      tenantId: string,
      leadId: string,
      values: { priority: 'HIGH' | 'MEDIUM' | 'LOW'; leadType: 'SALE' | 'SERVICE' },
      at: string,
    ) {
      const [row] = await tx
        .update(lead)
        // No new version: the assistant must not turn a seller's concurrent edit into a conflict, and a person's
        // own priority or type, once set, is never overwritten (the guard below).
        .set({ ...values, classifiedBy: 'ASSISTANT', updatedAt: at })
        .where(and(eq(lead.tenantId, tenantId), eq(lead.id, leadId), ne(lead.classifiedBy, 'PERSON')))
        .returning({ id: lead.id });
      return row !== undefined;
    },

    async insertEvent(tx: Tx, values: typeof leadEvent.$inferInsert) {
      await tx.insert(leadEvent).values(values);
    },
  };
}

export type AssistantRepository = ReturnType<typeof createAssistantRepository>;

/** A lead as the assistant reads it: its messages, product, branch and shop. */
export type LeadContext = NonNullable<Awaited<ReturnType<AssistantRepository['leadContext']>>>;
