import {
  type LeadEventType,
  type LeadPriority,
  type LeadSource,
  type LeadStatus,
  type LeadType,
  type LostReason,
  leadPriorities,
  leadStatuses,
} from '@techmarket/contracts';
import { and, asc, desc, eq, ilike, inArray, like, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { appUser, campaign, contact, lead, leadEvent, leadNote, listing } from '../../db/schema';
import type { Tx } from '../../platform/db';
import type { InboxPosition, InboxSort } from './inbox-cursor';

/** The lead's own columns, in the wire's camelCase. */
const leadColumns = {
  id: lead.id,
  tenantId: lead.tenantId,
  branchId: lead.branchId,
  customerUserId: lead.customerUserId,
  status: lead.status,
  source: lead.source,
  campaignId: lead.campaignId,
  listingId: lead.listingId,
  priority: lead.priority,
  leadType: lead.leadType,
  assignedToUserId: lead.assignedToUserId,
  lostReason: lead.lostReason,
  firstResponseAt: lead.firstResponseAt,
  statusChangedAt: lead.statusChangedAt,
  lastActivityAt: lead.lastActivityAt,
  createdAt: lead.createdAt,
  updatedAt: lead.updatedAt,
  version: lead.version,
};

/** A lead as the wire shows it: its columns plus the contact, read in the same query. */
export const leadWithContact = {
  ...leadColumns,
  contact: { id: contact.id, name: contact.name, phone: contact.phone },
};

const assignee = alias(appUser, 'assignee');

/**
 * A WhatsApp message on the lead, in the transaction that stores it: activity, the inbox's last message (only
 * ever moving forward in time: deliveries arrive out of order) and the unread count. An inbound message is
 * unread until someone reads the conversation; a person's reply means they read it. The columns to set.
 */
export function conversationMessageChanges(message: {
  /** A timestamptz: a bound value cast, or a column of a batch. */
  at: SQL;
  direction: 'IN' | 'OUT';
  /** The inbox's line, already cut to PREVIEW_MAX_CHARS. */
  preview: SQL;
  byPerson: boolean;
  /** Messages this change records at once (a batch of inbound ones): each adds one to the unread count. */
  received?: SQL;
}) {
  const { at } = message;
  const newer = sql`${lead.lastMessageAt} is null or ${lead.lastMessageAt} <= ${at}`;
  return {
    lastActivityAt: sql`greatest(${lead.lastActivityAt}, ${at})`,
    lastMessageAt: sql`case when ${newer} then ${at} else ${lead.lastMessageAt} end`,
    lastMessagePreview: sql`case when ${newer} then ${message.preview} else ${lead.lastMessagePreview} end`,
    lastMessageDirection: sql`case when ${newer} then ${message.direction} else ${lead.lastMessageDirection} end`,
    ...(message.direction === 'IN'
      ? { unreadCount: sql`${lead.unreadCount} + ${message.received ?? sql`1`}` }
      : message.byPerson
        ? { unreadCount: 0, conversationReadAt: sql`greatest(${lead.conversationReadAt}, ${at})` }
        : {}),
  };
}

/** The conversation columns an inbox row adds to the lead (kept on the lead row: no join per row). */
const inboxConversation = {
  lastMessageAt: lead.lastMessageAt,
  lastMessagePreview: lead.lastMessagePreview,
  lastMessageDirection: lead.lastMessageDirection,
  unreadCount: lead.unreadCount,
};

/** How long a message's preview on the lead row may be: one line of the inbox, with room to spare. */
export const PREVIEW_MAX_CHARS = 200;

/** Which leads a caller may see: null is the whole tenant, otherwise only these branches. */
export type BranchScope = readonly string[] | null;

export interface InboxFilter {
  branchIds: BranchScope;
  status?: LeadStatus | undefined;
  assignedTo?: string | undefined;
  priority?: LeadPriority | undefined;
  source?: LeadSource | undefined;
  q?: string | undefined;
}

export interface LeadChanges {
  status?: LeadStatus;
  statusChangedAt?: string;
  lostReason?: LostReason | null;
  firstResponseAt?: string;
  assignedToUserId?: string | null;
  priority?: LeadPriority;
  leadType?: LeadType;
  classifiedBy?: 'PERSON';
}

export interface NewLeadEvent {
  tenantId: string;
  leadId: string;
  type: LeadEventType;
  payload: Record<string, unknown>;
  actorUserId: string | null;
  createdAt: string;
}

/**
 * The codes of lead.priority_rank and lead.status_code: each enum value's position in its declaration, the
 * order the schema's generated columns give them. The inbox filters and sorts on these smallints rather than on
 * the enums because, under row-level security, only they can be index conditions (see db/schema/lead.ts).
 */
const priorityRank = (priority: LeadPriority) => leadPriorities.indexOf(priority);
const statusCode = (status: LeadStatus) => leadStatuses.indexOf(status);

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * `q` matches the contact's name or e-mail anywhere, case-insensitively. When it looks like a phone
 * number (digits and phone punctuation only, three digits or more), its digits also match anywhere in
 * the E.164 phone, so "987 654 321" finds "+51987654321"; a name with a digit in it does not turn into
 * a phone search that would match half the contacts.
 */
function matchesText(q: string): SQL | undefined {
  const pattern = `%${escapeLike(q)}%`;
  const digits = q.replace(/\D/g, '');
  const looksLikePhone = digits.length >= 3 && /^[\d\s+().-]+$/.test(q);
  return or(
    ilike(contact.name, pattern),
    ilike(contact.email, pattern),
    looksLikePhone ? like(contact.phone, `%${digits}%`) : undefined,
  );
}

/**
 * Each sort follows one `lead_inbox_*` index in order (priority: `_priority_idx`, or the status, branch
 * and assignee ones that share its order; `_created_idx`; `_activity_idx`) and resumes after the cursor
 * with a row comparison the index can seek to, instead of an offset. Every column compared is a smallint,
 * timestamptz or uuid, whose operators are LEAKPROOF, so the seek also works under row-level security.
 */
function keyset(sort: InboxSort, after: InboxPosition | null): { order: SQL[]; after: SQL | undefined } {
  switch (sort) {
    case 'priority':
      return {
        order: [asc(lead.priorityRank), asc(lead.createdAt), asc(lead.id)],
        after:
          after?.sort === 'priority'
            ? sql`(${lead.priorityRank}, ${lead.createdAt}, ${lead.id}) > (${priorityRank(after.priority)}::smallint, ${after.at}::timestamptz, ${after.id}::uuid)`
            : undefined,
      };
    case '-createdAt':
      return {
        order: [desc(lead.createdAt), desc(lead.id)],
        after: after
          ? sql`(${lead.createdAt}, ${lead.id}) < (${after.at}::timestamptz, ${after.id}::uuid)`
          : undefined,
      };
    case '-lastActivityAt':
      return {
        order: [desc(lead.lastActivityAt), desc(lead.id)],
        after: after
          ? sql`(${lead.lastActivityAt}, ${lead.id}) < (${after.at}::timestamptz, ${after.id}::uuid)`
          : undefined,
      };
  }
}

/** The narrowest branch condition: one branch is an equality the branch index can seek on. */
function inBranches(branchIds: BranchScope): SQL | undefined {
  if (branchIds === null) return undefined;
  const [only] = branchIds;
  return branchIds.length === 1 && only !== undefined
    ? eq(lead.branchId, only)
    : inArray(lead.branchId, [...branchIds]);
}

/** Every function takes the tenant first; RLS is the second wall, these filters are the first. */
export function createLeadsRepository() {
  const joinContact = and(eq(contact.tenantId, lead.tenantId), eq(contact.id, lead.contactId));

  return {
    /** One page of the inbox plus one row, to know whether another page follows. One query, no count. */
    async inbox(
      tx: Tx,
      tenantId: string,
      filter: InboxFilter,
      sort: InboxSort,
      after: InboxPosition | null,
      limit: number,
    ) {
      const { order, after: resume } = keyset(sort, after);
      return tx
        .select({ ...leadWithContact, ...inboxConversation })
        .from(lead)
        .innerJoin(contact, joinContact)
        .where(
          and(
            eq(lead.tenantId, tenantId),
            inBranches(filter.branchIds),
            filter.status ? eq(lead.statusCode, statusCode(filter.status)) : undefined,
            filter.assignedTo ? eq(lead.assignedToUserId, filter.assignedTo) : undefined,
            filter.priority ? eq(lead.priorityRank, priorityRank(filter.priority)) : undefined,
            filter.source ? eq(lead.source, filter.source) : undefined,
            filter.q ? matchesText(filter.q) : undefined,
            resume,
          ),
        )
        .orderBy(...order)
        .limit(limit + 1);
    },

    async findLead(tx: Tx, tenantId: string, leadId: string, scope: BranchScope) {
      const [row] = await tx
        .select(leadWithContact)
        .from(lead)
        .innerJoin(contact, joinContact)
        .where(and(eq(lead.tenantId, tenantId), eq(lead.id, leadId), inBranches(scope)));
      return row ?? null;
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
export type InboxRow = Awaited<ReturnType<LeadsRepository['inbox']>>[number];
