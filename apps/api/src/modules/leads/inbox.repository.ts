import {
  type LeadPriority,
  type LeadSource,
  type LeadStatus,
  type LeadStatusFilter,
  leadPriorities,
  leadStatuses,
  openLeadStatuses,
} from '@techmarket/contracts';
import { and, asc, desc, eq, ilike, inArray, like, or, type SQL, sql } from 'drizzle-orm';
import { contact, lead, listing } from '../../db/schema';
import type { Tx } from '../../platform/db';
import type { InboxPosition, InboxSort } from './inbox-cursor';
import { type BranchScope, inBranches, joinContact, leadWithContact } from './lead-columns';

/** The inbox's reads: a page of leads, and how many there are in each status. */

export interface InboxFilter {
  branchIds: BranchScope;
  status?: LeadStatusFilter | undefined;
  assignedTo?: string | undefined;
  priority?: LeadPriority | undefined;
  source?: LeadSource | undefined;
  q?: string | undefined;
}

/** The product an inbox row (and a board card) shows: its listing, a primary-key lookup per row of the page. */
const inboxListing = {
  listingTitle: listing.title,
  listingPrice: listing.price,
  listingCurrency: listing.currency,
};
const joinListing = and(eq(listing.tenantId, lead.tenantId), eq(listing.id, lead.listingId));

/** The conversation columns an inbox row adds to the lead (kept on the lead row: no join per row). */
const inboxConversation = {
  lastMessageAt: lead.lastMessageAt,
  lastMessagePreview: lead.lastMessagePreview,
  lastMessageDirection: lead.lastMessageDirection,
  unreadCount: lead.unreadCount,
};

/**
 * The codes of lead.priority_rank and lead.status_code: each enum value's position in its declaration, the
 * order the schema's generated columns give them. The inbox filters and sorts on these smallints rather than on
 * the enums because, under row-level security, only they can be index conditions (see db/schema/lead.ts).
 */
const priorityRank = (priority: LeadPriority) => leadPriorities.indexOf(priority);
const statusCode = (status: LeadStatus) => leadStatuses.indexOf(status);

function inStatus(status: LeadStatusFilter): SQL {
  return status === 'OPEN'
    ? inArray(lead.statusCode, openLeadStatuses.map(statusCode))
    : eq(lead.statusCode, statusCode(status));
}

/**
 * Whether the customer has had a first answer: the `waiting` sort's first key. A boolean, whose comparisons are
 * LEAKPROOF, so `lead_inbox_waiting_idx` (on this expression) serves the sort and its cursor under RLS too.
 */
const answered = sql<boolean>`(${lead.firstResponseAt} is not null)`;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A lead's reference code as a customer quotes it: "K7Q2MX", "k7q2mx", "Ref: K7Q2MX" (capture.ts's alphabet). */
const REF_CODE = /^(?:ref[:\s#-]*)?([23456789abcdefghjkmnpqrstuvwxyz]{6})$/i;

/**
 * `q` matches the contact's name or e-mail anywhere, case-insensitively. When it looks like a phone
 * number (digits and phone punctuation only, three digits or more), its digits also match anywhere in
 * the E.164 phone, so "987 654 321" finds "+51987654321"; a name with a digit in it does not turn into
 * a phone search that would match half the contacts. When it is a reference code, the lead with that code.
 */
function matchesText(q: string): SQL | undefined {
  const pattern = `%${escapeLike(q)}%`;
  const digits = q.replace(/\D/g, '');
  const looksLikePhone = digits.length >= 3 && /^[\d\s+().-]+$/.test(q);
  const refCode = REF_CODE.exec(q.trim())?.[1]?.toUpperCase();
  return or(
    ilike(contact.name, pattern),
    ilike(contact.email, pattern),
    looksLikePhone ? like(contact.phone, `%${digits}%`) : undefined,
    refCode ? eq(lead.refCode, refCode) : undefined,
  );
}

/**
 * Each sort follows one `lead_inbox_*` index in order (priority: `_priority_idx`, or the status, branch
 * and assignee ones that share its order; `_created_idx`; `_activity_idx`; `_waiting_idx`) and resumes after the cursor
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
    case 'waiting':
      return {
        order: [asc(answered), asc(lead.createdAt), asc(lead.id)],
        after:
          after?.sort === 'waiting'
            ? sql`(${answered}, ${lead.createdAt}, ${lead.id}) > (${after.answered}::boolean, ${after.at}::timestamptz, ${after.id}::uuid)`
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

/**
 * The inbox's filter as one condition on `lead` joined to its `contact`: the inbox's pages and the leads export
 * (modules/exports) select the same leads for the same query.
 */
export function inboxConditions(tenantId: string, filter: InboxFilter): SQL | undefined {
  return and(
    eq(lead.tenantId, tenantId),
    inBranches(filter.branchIds),
    filter.status ? inStatus(filter.status) : undefined,
    filter.assignedTo ? eq(lead.assignedToUserId, filter.assignedTo) : undefined,
    filter.priority ? eq(lead.priorityRank, priorityRank(filter.priority)) : undefined,
    filter.source ? eq(lead.source, filter.source) : undefined,
    filter.q ? matchesText(filter.q) : undefined,
  );
}

/** Every function takes the tenant first; RLS is the second wall, these filters are the first. */
export function createInboxRepository() {
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
        .select({ ...leadWithContact, ...inboxConversation, ...inboxListing })
        .from(lead)
        .innerJoin(contact, joinContact)
        .leftJoin(listing, joinListing)
        .where(and(inboxConditions(tenantId, filter), resume))
        .orderBy(...order)
        .limit(limit + 1);
    },

    /**
     * The leads in each status and value currency (none: a lead without a value), with the sum of their values;
     * statuses with no lead are absent. In the scope and, when given, of one assignee. The value is on the lead
     * row: no join.
     */
    async countByStatus(tx: Tx, tenantId: string, scope: BranchScope, assignedTo: string | undefined) {
      return tx
        .select({
          status: lead.status,
          currency: lead.valueCurrency,
          n: sql<number>`count(*)::int`,
          // bigint arrives as text (null without a value); read as a number by the caller.
          amount: sql<string | null>`sum(${lead.value})::bigint`,
        })
        .from(lead)
        .where(
          and(
            eq(lead.tenantId, tenantId),
            scope === null ? undefined : inArray(lead.branchId, [...scope]),
            assignedTo ? eq(lead.assignedToUserId, assignedTo) : undefined,
          ),
        )
        .groupBy(lead.status, lead.valueCurrency);
    },
  };
}

export type InboxRepository = ReturnType<typeof createInboxRepository>;
export type InboxRow = Awaited<ReturnType<InboxRepository['inbox']>>[number];
