import { and, asc, eq, inArray, type SQLWrapper, sql } from 'drizzle-orm';
import {
  contact,
  lead,
  leadEvent,
  leadNote,
  privacyAudit,
  quote,
  quoteItem,
  tenant,
  ticket,
  whatsappMessage,
} from '../../db/schema';
import type { Queryable, Tx } from '../../platform/db';

/**
 * Where a customer's personal data lives, read and erased. Every statement names the tenant first. The erasure
 * runs in the caller's transaction: a request's (RLS for the shop) or the retention job's (owner connection).
 */

/**
 * Events whose payload holds no personal data and that the shop's figures and the consent history read: kept as
 * they are. Any other event's payload (a message, a note, a click's visitor id, a ticket's subject) is replaced.
 */
const KEPT_EVENTS = [
  'STATUS_CHANGED',
  'ASSIGNED',
  'PRIORITY_CHANGED',
  'VALUE_CHANGED',
  'CONSENT_CHANGED',
  'FOLLOWUP_DUE',
  'QUOTE_SENT',
  'QUOTE_ACCEPTED',
  'QUOTE_REJECTED',
  'QUOTE_EXPIRED',
];

export interface ErasureCounts {
  leads: number;
  messages: number;
  notes: number;
  events: number;
}

const count = async (db: Queryable, query: ReturnType<typeof sql>) => (await db.execute(query)).rowCount ?? 0;

/**
 * Anonymises one customer: their contact row, the personal parts of their leads (the rows stay, with stages and
 * times), messages, notes, events, tickets, quotes, tasks, campaign sends, listing views and the assistant's
 * drafts. The consent columns and CONSENT_CHANGED events stay: the record of what the customer agreed to.
 */
export async function eraseContact(
  db: Queryable,
  tenantId: string,
  contactId: string,
  at: string,
): Promise<ErasureCounts | null> {
  const found = await db.execute<{
    phone: string | null;
    visitor_id: string | null;
    marketplace_user_id: string | null;
  }>(
    sql`select phone, visitor_id, marketplace_user_id from contact
         where tenant_id = ${tenantId} and id = ${contactId} for update`,
  );
  const person = found.rows[0];
  if (!person) return null;
  const leadsOf = sql`select id from lead where tenant_id = ${tenantId} and contact_id = ${contactId}`;

  await db.execute(sql`
    update contact set name = null, phone = null, email = null, visitor_id = null, marketplace_user_id = null,
           tags = '{}'::text[], notes = null, erased_at = ${at}, updated_at = ${at}, version = version + 1
     where tenant_id = ${tenantId} and id = ${contactId}`);
  const leads = await count(
    db,
    sql`update lead set customer_user_id = null, last_message_preview = null
         where tenant_id = ${tenantId} and contact_id = ${contactId}`,
  );
  const events = await count(
    db,
    sql`update lead_event set payload = '{"erased": true}'::jsonb
         where tenant_id = ${tenantId} and lead_id in (${leadsOf})
           and type not in (${sql.join(
             KEPT_EVENTS.map((type) => sql`${type}`),
             sql`, `,
           )}) and payload <> '{"erased": true}'::jsonb`,
  );
  const notes = await count(
    db,
    sql`update lead_note set text = '—' where tenant_id = ${tenantId} and lead_id in (${leadsOf})`,
  );
  await db.execute(sql`
    delete from whatsapp_media where tenant_id = ${tenantId} and message_id in (
      select id from whatsapp_message where tenant_id = ${tenantId} and lead_id in (${leadsOf}))`);
  const messages = await count(
    db,
    sql`update whatsapp_message set text = null, payload = null, template = null, customer_wa_id = null,
           error_title = null
         where tenant_id = ${tenantId} and lead_id in (${leadsOf})`,
  );
  // Meta's raw notifications carry the customer's number and words; those already worked are emptied.
  const digits = person.phone?.replace(/\D/g, '');
  if (digits)
    await db.execute(sql`
      update whatsapp_delivery set payload = '{}'::jsonb
       where tenant_id = ${tenantId} and processed_at is not null and payload::text like ${`%${digits}%`}`);
  await db.execute(sql`
    update ticket set subject = '—', description = null, device = null, updated_at = ${at}
     where tenant_id = ${tenantId} and contact_id = ${contactId}`);
  await db.execute(sql`
    update quote set notes = null where tenant_id = ${tenantId} and contact_id = ${contactId}`);
  await db.execute(sql`
    update task set note = null, suggested_message = null
     where tenant_id = ${tenantId} and lead_id in (${leadsOf})`);
  await db.execute(sql`
    update campaign_send set message = '', whatsapp_url = ''
     where tenant_id = ${tenantId} and contact_id = ${contactId}`);
  if (person.visitor_id || person.marketplace_user_id)
    await db.execute(sql`
      update listing_view set visitor_id = null, marketplace_user_id = null
       where tenant_id = ${tenantId}
         and (visitor_id = ${person.visitor_id} or marketplace_user_id = ${person.marketplace_user_id})`);
  await db.execute(sql`
    update lead_ai_assistance
       set result = jsonb_set(jsonb_set(jsonb_set(result, '{suggestedReply}', '""', false),
                                        '{alternatives}', '[]', false), '{reasons}', '[]', false),
           trace = jsonb_set(trace, '{signals}', '{}', false)
     where tenant_id = ${tenantId} and lead_id in (${leadsOf})`);
  await db.execute(sql`
    update lead_ai_feedback set final_text = null where tenant_id = ${tenantId} and lead_id in (${leadsOf})`);
  // The shop's model learnt from the customer's words: the example goes (the trained weights hold no text).
  await db.execute(sql`
    delete from assistant_shop_example where tenant_id = ${tenantId} and lead_id in (${leadsOf})`);
  return { leads, messages, notes, events };
}

export function createPrivacyRepository() {
  return {
    eraseContact: (tx: Tx, tenantId: string, contactId: string, at: string) =>
      eraseContact(tx, tenantId, contactId, at),

    async findContact(tx: Tx, tenantId: string, contactId: string) {
      const [row] = await tx
        .select()
        .from(contact)
        .where(and(eq(contact.tenantId, tenantId), eq(contact.id, contactId)));
      return row;
    },

    async audit(
      tx: Tx,
      row: {
        tenantId: string;
        contactId: string;
        action: 'EXPORT' | 'ERASE';
        actorUserId: string | null;
        at: string;
        details?: Record<string, unknown>;
      },
    ) {
      const [inserted] = await tx
        .insert(privacyAudit)
        .values({
          tenantId: row.tenantId,
          contactId: row.contactId,
          action: row.action,
          actorUserId: row.actorUserId,
          details: row.details ?? {},
          createdAt: row.at,
        })
        .returning();
      return inserted;
    },

    listAudit: (tx: Tx, tenantId: string, contactId: string) =>
      tx
        .select({
          id: privacyAudit.id,
          contactId: privacyAudit.contactId,
          action: privacyAudit.action,
          actorUserId: privacyAudit.actorUserId,
          createdAt: privacyAudit.createdAt,
        })
        .from(privacyAudit)
        .where(and(eq(privacyAudit.tenantId, tenantId), eq(privacyAudit.contactId, contactId)))
        .orderBy(asc(privacyAudit.createdAt)),

    /** Everything held on one customer, for their copy of it. */
    async customerData(tx: Tx, tenantId: string, contactId: string) {
      const leads = await tx
        .select()
        .from(lead)
        .where(and(eq(lead.tenantId, tenantId), eq(lead.contactId, contactId)))
        .orderBy(asc(lead.createdAt));
      const leadIds = leads.map((l) => l.id);
      const ofLeads = (t: { tenantId: SQLWrapper; leadId: SQLWrapper }) =>
        and(
          eq(t.tenantId as typeof lead.tenantId, tenantId),
          leadIds.length ? inArray(t.leadId as typeof lead.id, leadIds) : sql`false`,
        );
      // One statement at a time: they share the transaction's connection.
      const events = await tx
        .select()
        .from(leadEvent)
        .where(ofLeads(leadEvent))
        .orderBy(asc(leadEvent.createdAt));
      const notes = await tx
        .select()
        .from(leadNote)
        .where(ofLeads(leadNote))
        .orderBy(asc(leadNote.createdAt));
      const messages = await tx
        .select({
          id: whatsappMessage.id,
          leadId: whatsappMessage.leadId,
          direction: whatsappMessage.direction,
          type: whatsappMessage.type,
          text: whatsappMessage.text,
          status: whatsappMessage.status,
          createdAt: whatsappMessage.createdAt,
        })
        .from(whatsappMessage)
        .where(ofLeads(whatsappMessage))
        .orderBy(asc(whatsappMessage.createdAt));
      const tickets = await tx
        .select()
        .from(ticket)
        .where(and(eq(ticket.tenantId, tenantId), eq(ticket.contactId, contactId)))
        .orderBy(asc(ticket.createdAt));
      const quotes = await tx
        .select()
        .from(quote)
        .where(and(eq(quote.tenantId, tenantId), eq(quote.contactId, contactId)))
        .orderBy(asc(quote.createdAt));
      const items = quotes.length
        ? await tx
            .select()
            .from(quoteItem)
            .where(
              and(
                eq(quoteItem.tenantId, tenantId),
                inArray(
                  quoteItem.quoteId,
                  quotes.map((q) => q.id),
                ),
              ),
            )
            .orderBy(asc(quoteItem.position))
        : [];
      return { leads, events, notes, messages, tickets, quotes, items };
    },

    async settings(tx: Tx, tenantId: string) {
      const [row] = await tx
        .select({ retentionMonths: tenant.retentionMonths })
        .from(tenant)
        .where(eq(tenant.id, tenantId));
      return row;
    },

    async saveSettings(tx: Tx, tenantId: string, retentionMonths: number | null, at: string) {
      const [row] = await tx
        .update(tenant)
        .set({ retentionMonths, updatedAt: at })
        .where(eq(tenant.id, tenantId))
        .returning({ retentionMonths: tenant.retentionMonths });
      return row;
    },
  };
}

export type PrivacyRepository = ReturnType<typeof createPrivacyRepository>;
