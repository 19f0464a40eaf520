import { openLeadStatuses } from '@techmarket/contracts';
import { and, desc, eq, ilike, inArray, isNotNull, isNull, or, type SQL, sql } from 'drizzle-orm';
import { pgInstantToIso } from '../../db/columns';
import { branch, contact, lead, leadEvent, quote, ticket, whatsappMessage } from '../../db/schema';
import type { Tx } from '../../platform/db';
import { seenAt } from './contacts.repository';

/**
 * The customers' reads and writes: the list and its search, one customer's leads, tickets and timeline, the
 * duplicates and what a merge moves. It reads the tables of leads, tickets, quotes and WhatsApp (a customer's page
 * is theirs put together) and the branches' countries (where a phone typed without a country code is read); every
 * function takes the tenant first, RLS is the second wall.
 */

export const customerColumns = {
  id: contact.id,
  tenantId: contact.tenantId,
  name: contact.name,
  phone: contact.phone,
  email: contact.email,
  marketplaceUserId: contact.marketplaceUserId,
  tags: contact.tags,
  notes: contact.notes,
  marketingConsent: contact.marketingConsent,
  consentAt: contact.consentAt,
  optedOutAt: contact.optedOutAt,
  erasedAt: contact.erasedAt,
  createdAt: contact.createdAt,
  updatedAt: contact.updatedAt,
  version: contact.version,
};

export interface CustomerSearch {
  /** The text as typed, for names and e-mails. */
  text: string;
  /** The phone the text is, in E.164, read in each country the shop has branches in. */
  phones: string[];
  /** Its digits, when the text looks like a phone (matched anywhere in the stored number). */
  digits: string | null;
  /** The text as a lead's reference code ("Ref: K7Q2MX", "k7q2mx"). */
  refCode: string | null;
}

export interface CustomerFilter {
  scope: readonly string[] | null;
  search?: CustomerSearch | undefined;
  branchId?: string | undefined;
  consent?: 'GIVEN' | 'NONE' | 'OPTED_OUT' | undefined;
  hasOpenLead?: boolean | undefined;
  tag?: string | undefined;
}

/**
 * The outer row's contact id, qualified: in a select list drizzle writes columns unqualified, and inside a subquery
 * on `lead` an unqualified "id" would be the lead's.
 */
const outerContactId = sql.raw('"contact"."id"');

/** Whether the subquery has a row (drizzle's `exists` parenthesises query builders, not raw SQL). */
const anyRow = (query: SQL) => sql`exists (${query})`;
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
const openCodes = sql.raw(openLeadStatuses.map((s) => `'${s}'`).join(', '));

/** The belongings a merge moves, counted: each a subquery on the customer's id (`contactId`). */
function belongingsOf(tenantId: string, contactId: SQL | string) {
  const leadsOf = sql`select ${lead.id} from ${lead} where ${lead.tenantId} = ${tenantId} and ${lead.contactId} = ${contactId}`;
  return {
    leads: sql<number>`(select count(*)::int from ${lead} where ${lead.tenantId} = ${tenantId} and ${lead.contactId} = ${contactId})`,
    tickets: sql<number>`(select count(*)::int from ${ticket} where ${ticket.tenantId} = ${tenantId} and ${ticket.contactId} = ${contactId})`,
    quotes: sql<number>`(select count(*)::int from ${quote} where ${quote.tenantId} = ${tenantId} and ${quote.contactId} = ${contactId})`,
    events: sql<number>`(select count(*)::int from ${leadEvent} where ${leadEvent.tenantId} = ${tenantId} and ${leadEvent.leadId} in (${leadsOf}))`,
    messages: sql<number>`(select count(*)::int from ${whatsappMessage} where ${whatsappMessage.tenantId} = ${tenantId} and ${whatsappMessage.leadId} in (${leadsOf}))`,
    consentChanges: sql<number>`(select count(*)::int from ${leadEvent} where ${leadEvent.tenantId} = ${tenantId} and ${leadEvent.type} = 'CONSENT_CHANGED' and ${leadEvent.leadId} in (${leadsOf}))`,
  };
}

function matches(tenantId: string, search: CustomerSearch): SQL | undefined {
  const pattern = `%${escapeLike(search.text)}%`;
  return or(
    ilike(contact.name, pattern),
    ilike(contact.email, pattern),
    search.phones.length > 0 ? inArray(contact.phone, search.phones) : undefined,
    search.digits ? sql`${contact.phone} like ${`%${search.digits}%`}` : undefined,
    search.refCode
      ? anyRow(
          sql`select 1 from ${lead} where ${lead.tenantId} = ${tenantId} and ${lead.contactId} = ${contact.id} and ${lead.refCode} = ${search.refCode}`,
        )
      : undefined,
  );
}

const atBranch = (tenantId: string, branchId: string) =>
  or(
    anyRow(
      sql`select 1 from ${lead} where ${lead.tenantId} = ${tenantId} and ${lead.contactId} = ${contact.id} and ${lead.branchId} = ${branchId}`,
    ),
    anyRow(
      sql`select 1 from ${ticket} where ${ticket.tenantId} = ${tenantId} and ${ticket.contactId} = ${contact.id} and ${ticket.branchId} = ${branchId}`,
    ),
  );

const consentIs = (consent: NonNullable<CustomerFilter['consent']>) =>
  consent === 'GIVEN'
    ? eq(contact.marketingConsent, true)
    : consent === 'OPTED_OUT'
      ? isNotNull(contact.optedOutAt)
      : and(eq(contact.marketingConsent, false), isNull(contact.optedOutAt));

export type CustomerChanges = Partial<
  Pick<
    typeof contact.$inferInsert,
    | 'name'
    | 'phone'
    | 'email'
    | 'tags'
    | 'notes'
    | 'marketplaceUserId'
    | 'visitorId'
    | 'marketingConsent'
    | 'consentAt'
    | 'consentSource'
    | 'optedOutAt'
  >
>;

export function createCustomersRepository() {
  return {
    /** The countries of the shop's branches, where a phone typed without its country code is read. */
    async countries(tx: Tx, tenantId: string): Promise<string[]> {
      const rows = await tx
        .selectDistinct({ country: branch.countryCode })
        .from(branch)
        .where(and(eq(branch.tenantId, tenantId), isNotNull(branch.countryCode)));
      return rows.flatMap((r) => (r.country ? [r.country] : []));
    },

    /** A page of customers, newest first, plus one row to know whether another page follows. */
    async list(
      tx: Tx,
      tenantId: string,
      filter: CustomerFilter,
      after: { at: string; id: string } | null,
      limit: number,
    ) {
      const hasOpenLead = anyRow(
        sql`select 1 from ${lead} where ${lead.tenantId} = ${tenantId} and ${lead.contactId} = ${contact.id} and ${lead.status} in (${openCodes})`,
      );
      return tx
        .select({
          ...customerColumns,
          openLeads: sql<number>`(select count(*)::int from ${lead} where "lead"."tenant_id" = ${tenantId} and ${lead.contactId} = ${outerContactId} and ${lead.status} in (${openCodes}))`,
          leads: sql<number>`(select count(*)::int from ${lead} where "lead"."tenant_id" = ${tenantId} and ${lead.contactId} = ${outerContactId})`,
          lastActivityAt:
            sql<string>`greatest("contact"."created_at", (select max(${lead.lastActivityAt}) from ${lead} where "lead"."tenant_id" = ${tenantId} and ${lead.contactId} = ${outerContactId}))`.mapWith(
              pgInstantToIso,
            ),
        })
        .from(contact)
        .where(
          and(
            eq(contact.tenantId, tenantId),
            // An erased customer is an empty row: their page says so, the list and its search leave them out.
            isNull(contact.erasedAt),
            seenAt(tx, tenantId, filter.scope),
            filter.search ? matches(tenantId, filter.search) : undefined,
            filter.branchId ? atBranch(tenantId, filter.branchId) : undefined,
            filter.consent ? consentIs(filter.consent) : undefined,
            filter.hasOpenLead === true ? hasOpenLead : undefined,
            filter.hasOpenLead === false ? sql`not ${hasOpenLead}` : undefined,
            filter.tag ? sql`${filter.tag} = any(${contact.tags})` : undefined,
            after
              ? sql`(${contact.createdAt}, ${contact.id}) < (${after.at}::timestamptz, ${after.id}::uuid)`
              : undefined,
          ),
        )
        .orderBy(desc(contact.createdAt), desc(contact.id))
        .limit(limit + 1);
    },

    /** The customer as the viewer may see them (`scope`: a seller's branches), row-locked when asked. */
    async find(tx: Tx, tenantId: string, contactId: string, scope: readonly string[] | null, lock = false) {
      const query = tx
        .select({ ...customerColumns, visitorId: contact.visitorId, consentSource: contact.consentSource })
        .from(contact)
        .where(and(eq(contact.tenantId, tenantId), eq(contact.id, contactId), seenAt(tx, tenantId, scope)));
      const [row] = await (lock ? query.for('update') : query);
      return row ?? null;
    },

    async leadsOf(tx: Tx, tenantId: string, contactId: string) {
      return tx
        .select({
          id: lead.id,
          branchId: lead.branchId,
          status: lead.status,
          source: lead.source,
          refCode: lead.refCode,
          createdAt: lead.createdAt,
          lastActivityAt: lead.lastActivityAt,
        })
        .from(lead)
        .where(and(eq(lead.tenantId, tenantId), eq(lead.contactId, contactId)))
        .orderBy(desc(lead.createdAt), desc(lead.id));
    },

    async ticketsOf(tx: Tx, tenantId: string, contactId: string) {
      return tx
        .select({
          id: ticket.id,
          branchId: ticket.branchId,
          leadId: ticket.leadId,
          subject: ticket.subject,
          status: ticket.status,
          createdAt: ticket.createdAt,
        })
        .from(ticket)
        .where(and(eq(ticket.tenantId, tenantId), eq(ticket.contactId, contactId)))
        .orderBy(desc(ticket.createdAt), desc(ticket.id));
    },

    /**
     * The customer's history across branches, newest first: the events of every lead (a WhatsApp message's event and
     * the TICKET_CREATED and QUOTE_CREATED events give way to the message, ticket and quote themselves, so each thing
     * shows once), every WhatsApp message, ticket and quote. Keyset on (at, id).
     */
    async timeline(
      tx: Tx,
      tenantId: string,
      contactId: string,
      after: { at: string; id: string } | null,
      limit: number,
    ) {
      const rows = await tx.execute<{
        kind: 'EVENT' | 'MESSAGE' | 'TICKET' | 'QUOTE';
        id: string;
        at: string;
        lead_id: string | null;
        branch_id: string | null;
        type: string;
        data: Record<string, unknown> | null;
      }>(sql`
        select * from (
          select 'EVENT' as kind, e.id, e.created_at as at, e.lead_id, l.branch_id, e.type, e.payload as data
            from lead_event e join lead l on l.tenant_id = e.tenant_id and l.id = e.lead_id
           where e.tenant_id = ${tenantId} and l.contact_id = ${contactId}
             and e.type not in ('TICKET_CREATED', 'QUOTE_CREATED')
             and not (e.type in ('MESSAGE_SENT', 'MESSAGE_RECEIVED') and e.payload ? 'messageId')
          union all
          select 'MESSAGE', m.id, m.created_at, m.lead_id, l.branch_id, m.direction,
                 jsonb_build_object('text', m.text, 'status', m.status, 'messageType', m.type, 'template', m.template)
            from whatsapp_message m join lead l on l.tenant_id = m.tenant_id and l.id = m.lead_id
           where m.tenant_id = ${tenantId} and l.contact_id = ${contactId}
          union all
          select 'TICKET', t.id, t.created_at, t.lead_id, t.branch_id, t.status::text,
                 jsonb_build_object('subject', t.subject, 'priority', t.priority, 'slaDueAt', t.sla_due_at)
            from ticket t where t.tenant_id = ${tenantId} and t.contact_id = ${contactId}
          union all
          select 'QUOTE', q.id, q.created_at, q.lead_id, q.branch_id, q.status::text,
                 jsonb_build_object('number', q.number, 'total', q.total, 'currency', q.currency, 'ticketId', q.ticket_id)
            from quote q where q.tenant_id = ${tenantId} and q.contact_id = ${contactId}
        ) history
        ${after ? sql`where (at, id) < (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
        order by at desc, id desc
        limit ${limit + 1}`);
      return rows.rows.map((r) => ({
        kind: r.kind,
        id: r.id,
        at: pgInstantToIso(String(r.at)),
        leadId: r.lead_id,
        branchId: r.branch_id,
        type: r.type,
        data: r.data ?? {},
      }));
    },

    /**
     * Other records of the same person: the same phone, the same marketplace user, or a name close to this one
     * (pg_trgm similarity ≥ 0.3) on a phone with the same last 8 digits (one number under two country codes).
     */
    async duplicatesOf(
      tx: Tx,
      tenantId: string,
      self: { id: string; name: string | null; phone: string | null; marketplaceUserId: string | null },
      scope: readonly string[] | null,
    ) {
      const samePhone = self.phone ? eq(contact.phone, self.phone) : undefined;
      const sameUser = self.marketplaceUserId
        ? eq(contact.marketplaceUserId, self.marketplaceUserId)
        : undefined;
      const similar =
        self.phone && self.name
          ? sql`(right(${contact.phone}, 8) = right(${self.phone}, 8) and similarity(coalesce(${contact.name}, ''), ${self.name}) >= 0.3)`
          : undefined;
      const any = or(samePhone, sameUser, similar);
      if (!any) return [];
      const flag = (condition: SQL | undefined) =>
        condition ? sql<boolean>`coalesce(${condition}, false)` : sql<boolean>`false`;
      return tx
        .select({
          customer: customerColumns,
          samePhone: flag(samePhone),
          sameUser: flag(sameUser),
          similar: flag(similar),
          ...belongingsOf(tenantId, outerContactId),
        })
        .from(contact)
        .where(
          and(
            eq(contact.tenantId, tenantId),
            sql`${contact.id} <> ${self.id}`,
            any,
            seenAt(tx, tenantId, scope),
          ),
        )
        .orderBy(desc(contact.createdAt))
        .limit(20);
    },

    /** What a merge of this customer would move. */
    async belongings(tx: Tx, tenantId: string, contactId: string) {
      const [row] = await tx
        .select(belongingsOf(tenantId, contactId))
        .from(contact)
        .where(and(eq(contact.tenantId, tenantId), eq(contact.id, contactId)));
      return row ?? { leads: 0, tickets: 0, quotes: 0, events: 0, messages: 0, consentChanges: 0 };
    },

    /** Optimistic: the edit lands only on the version the caller read; null when it moved on. */
    async update(
      tx: Tx,
      tenantId: string,
      contactId: string,
      expectedVersion: number,
      changes: CustomerChanges,
      at: string,
    ) {
      const [row] = await tx
        .update(contact)
        .set({ ...changes, updatedAt: at, version: sql`${contact.version} + 1` })
        .where(
          and(
            eq(contact.tenantId, tenantId),
            eq(contact.id, contactId),
            eq(contact.version, expectedVersion),
          ),
        )
        .returning(customerColumns);
      return row ?? null;
    },
  };
}

export type CustomersRepository = ReturnType<typeof createCustomersRepository>;
export type CustomerRow = NonNullable<Awaited<ReturnType<CustomersRepository['find']>>>;
