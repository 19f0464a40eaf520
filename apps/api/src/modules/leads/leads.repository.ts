import type { LeadEventType, LeadPriority, LeadStatus, LeadType, LostReason } from '@techmarket/contracts';
import { and, asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { appUser, campaign, contact, lead, leadEvent, leadNote, listing } from '../../db/schema';
import type { Tx } from '../../platform/db';
import { type BranchScope, inBranches, joinContact, leadColumns, leadWithContact } from './lead-columns';

/** One lead at a time: find, lock, write; its history and notes. The inbox's reads are in inbox.repository.ts. */

const assignee = alias(appUser, 'assignee');

export interface LeadChanges {
  status?: LeadStatus;
  statusChangedAt?: string;
  lostReason?: LostReason | null;
  firstResponseAt?: string;
  assignedToUserId?: string | null;
  priority?: LeadPriority;
  leadType?: LeadType;
  classifiedBy?: 'PERSON';
  /** A value typed by hand (MANUAL); all three null: the automatic one, filled in by the lead_value_fill trigger. */
  value?: number | null;
  valueCurrency?: string | null;
  valueSource?: 'MANUAL' | null;
}

/** What the follow-up engine changes on a lead: its stage, its assignee, its bookmark. */
export type AutomaticChanges = Pick<
  Partial<typeof lead.$inferInsert>,
  'status' | 'statusChangedAt' | 'followupStageAt' | 'followupDueAt' | 'assignedToUserId'
>;

export interface NewLeadEvent {
  tenantId: string;
  leadId: string;
  type: LeadEventType;
  payload: Record<string, unknown>;
  actorUserId: string | null;
  createdAt: string;
}

/** Every function takes the tenant first; RLS is the second wall, these filters are the first. */
export function createLeadsRepository() {
  return {
    async findLead(tx: Tx, tenantId: string, leadId: string, scope: BranchScope) {
      const [row] = await tx
        .select(leadWithContact)
        .from(lead)
        .innerJoin(contact, joinContact)
        .where(and(eq(lead.tenantId, tenantId), eq(lead.id, leadId), inBranches(scope)));
      return row ?? null;
    },

    /** Row-locks the lead until the transaction ends when it is in the scope; false when there is none there. */
    async lockLead(tx: Tx, tenantId: string, leadId: string, scope: BranchScope) {
      const [locked] = await tx
        .select({ id: lead.id })
        .from(lead)
        .where(
          and(
            eq(lead.tenantId, tenantId),
            eq(lead.id, leadId),
            scope === null ? undefined : inArray(lead.branchId, [...scope]),
          ),
        )
        .for('update');
      return locked !== undefined;
    },

    /** The lead with what its page shows beside it, in one query. */
    async findLeadDetail(tx: Tx, tenantId: string, leadId: string, scope: BranchScope) {
      const [row] = await tx
        .select({
          ...leadWithContact,
          listing: {
            id: listing.id,
            title: listing.title,
            price: listing.price,
            currency: listing.currency,
            stock: listing.stock,
          },
          assignee: { id: assignee.id, name: assignee.name },
          campaign: { id: campaign.id, name: campaign.name },
        })
        .from(lead)
        .innerJoin(contact, joinContact)
        .leftJoin(listing, and(eq(listing.tenantId, lead.tenantId), eq(listing.id, lead.listingId)))
        .leftJoin(campaign, and(eq(campaign.tenantId, lead.tenantId), eq(campaign.id, lead.campaignId)))
        .leftJoin(assignee, and(eq(assignee.tenantId, lead.tenantId), eq(assignee.id, lead.assignedToUserId)))
        .where(and(eq(lead.tenantId, tenantId), eq(lead.id, leadId), inBranches(scope)));
      return row ?? null;
    },

    async listingExists(tx: Tx, tenantId: string, listingId: string) {
      const [row] = await tx
        .select({ id: listing.id })
        .from(listing)
        .where(and(eq(listing.tenantId, tenantId), eq(listing.id, listingId)));
      return row !== undefined;
    },

    async insertLead(tx: Tx, values: typeof lead.$inferInsert) {
      const [row] = await tx.insert(lead).values(values).returning(leadColumns);
      if (!row) throw new Error('lead insert returned nothing');
      return row;
    },

    /**
     * Inserts the lead unless its reference code is already taken in the tenant; null then, and the caller draws
     * another code. No savepoint is needed: the clash is not an error that would abort the transaction.
     */
    async insertLeadUnlessRefTaken(tx: Tx, values: typeof lead.$inferInsert & { refCode: string }) {
      const [row] = await tx
        .insert(lead)
        .values(values)
        .onConflictDoNothing({
          target: [lead.tenantId, lead.refCode],
          where: sql`${lead.refCode} is not null`,
        })
        .returning(leadColumns);
      return row ?? null;
    },

    /**
     * Optimistic locking in the statement itself: the row changes only if it still has the version the
     * caller read, so two concurrent edits cannot both win. Null means the version moved on.
     */
    async updateLead(
      tx: Tx,
      tenantId: string,
      leadId: string,
      expectedVersion: number,
      changes: LeadChanges,
      at: string,
    ) {
      const [row] = await tx
        .update(lead)
        .set({ ...changes, updatedAt: at, lastActivityAt: at, version: sql`${lead.version} + 1` })
        .where(and(eq(lead.tenantId, tenantId), eq(lead.id, leadId), eq(lead.version, expectedVersion)))
        .returning(leadColumns);
      return row ?? null;
    },

    /**
     * updateLead for a change the system makes on its own (lead-automation.ts): not activity, so last_activity_at
     * stays. False when the version moved on.
     */
    async updateWithoutActivity(
      tx: Tx,
      tenantId: string,
      leadId: string,
      expectedVersion: number,
      changes: AutomaticChanges,
      at: string,
    ) {
      const [row] = await tx
        .update(lead)
        .set({ ...changes, updatedAt: at, version: sql`${lead.version} + 1` })
        .where(and(eq(lead.tenantId, tenantId), eq(lead.id, leadId), eq(lead.version, expectedVersion)))
        .returning({ id: lead.id });
      return row !== undefined;
    },

    /**
     * Activity (a note, a message) is not an edit: it moves last_activity_at but not the version. Returns the
     * lead's columns as they now are, or null when there is no such lead.
     */
    async touchActivity(tx: Tx, tenantId: string, leadId: string, at: string) {
      const [row] = await tx
        .update(lead)
        .set({ lastActivityAt: sql`greatest(${lead.lastActivityAt}, ${at}::timestamptz)` })
        .where(and(eq(lead.tenantId, tenantId), eq(lead.id, leadId)))
        .returning(leadColumns);
      return row ?? null;
    },

    /**
     * The conversation is read up to `at`: nothing unread. Answers the unread count it had (row-locked first, so
     * a message stored meanwhile is counted either before or after, never lost), or null when there is no lead.
     */
    async markConversationRead(tx: Tx, tenantId: string, leadId: string, at: string) {
      const [locked] = await tx
        .select({ unreadCount: lead.unreadCount })
        .from(lead)
        .where(and(eq(lead.tenantId, tenantId), eq(lead.id, leadId)))
        .for('update');
      if (!locked) return null;
      await tx
        .update(lead)
        .set({
          unreadCount: 0,
          conversationReadAt: sql`greatest(${lead.conversationReadAt}, ${at}::timestamptz)`,
        })
        .where(and(eq(lead.tenantId, tenantId), eq(lead.id, leadId)));
      return { unreadBefore: locked.unreadCount };
    },

    async insertEvents(tx: Tx, events: NewLeadEvent[]) {
      if (events.length > 0) await tx.insert(leadEvent).values(events);
    },

    /**
     * The open leads (NEW to QUOTED) of the contacts known by these marketplace user ids or visitor ids, the most
     * recently active first (listing-view-events.ts).
     */
    async openLeadsOfCustomers(tx: Tx, tenantId: string, userIds: string[], visitorIds: string[]) {
      return tx
        .select({
          leadId: lead.id,
          listingId: lead.listingId,
          marketplaceUserId: contact.marketplaceUserId,
          visitorId: contact.visitorId,
        })
        .from(lead)
        .innerJoin(contact, joinContact)
        .where(
          and(
            eq(lead.tenantId, tenantId),
            inArray(lead.statusCode, [0, 1, 2, 3]),
            or(
              userIds.length > 0 ? inArray(contact.marketplaceUserId, userIds) : undefined,
              visitorIds.length > 0 ? inArray(contact.visitorId, visitorIds) : undefined,
            ),
          ),
        )
        .orderBy(desc(lead.lastActivityAt), desc(lead.id));
    },

    /** The view ids (listing_view.id, as text) already recorded as LISTING_VIEW events on these leads. */
    async listingViewEventKeys(tx: Tx, tenantId: string, leadIds: string[], viewIds: number[]) {
      const rows = await tx
        .select({ viewId: sql<string>`${leadEvent.payload}->>'viewId'` })
        .from(leadEvent)
        .where(
          and(
            eq(leadEvent.tenantId, tenantId),
            inArray(leadEvent.leadId, leadIds),
            eq(leadEvent.type, 'LISTING_VIEW'),
            inArray(
              sql`${leadEvent.payload}->>'viewId'`,
              viewIds.map((v) => String(v)),
            ),
          ),
        );
      return new Set(rows.map((r) => r.viewId));
    },

    async leadIdsOfContact(tx: Tx, tenantId: string, contactId: string) {
      const rows = await tx
        .select({ id: lead.id })
        .from(lead)
        .where(and(eq(lead.tenantId, tenantId), eq(lead.contactId, contactId)))
        .orderBy(asc(lead.id));
      return rows.map((r) => r.id);
    },

    async listEvents(tx: Tx, tenantId: string, leadId: string) {
      return tx
        .select({
          id: leadEvent.id,
          leadId: leadEvent.leadId,
          type: leadEvent.type,
          payload: leadEvent.payload,
          actorUserId: leadEvent.actorUserId,
          createdAt: leadEvent.createdAt,
        })
        .from(leadEvent)
        .where(and(eq(leadEvent.tenantId, tenantId), eq(leadEvent.leadId, leadId)))
        .orderBy(asc(leadEvent.createdAt), asc(leadEvent.id));
    },

    async insertNote(tx: Tx, values: typeof leadNote.$inferInsert) {
      const [row] = await tx.insert(leadNote).values(values).returning({
        id: leadNote.id,
        leadId: leadNote.leadId,
        authorUserId: leadNote.authorUserId,
        text: leadNote.text,
        createdAt: leadNote.createdAt,
      });
      if (!row) throw new Error('note insert returned nothing');
      return row;
    },
  };
}

export type LeadsRepository = ReturnType<typeof createLeadsRepository>;
export type LeadRow = NonNullable<Awaited<ReturnType<LeadsRepository['findLead']>>>;
