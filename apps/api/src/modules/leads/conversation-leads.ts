import type { Lead } from '@techmarket/contracts';
import { and, eq, sql } from 'drizzle-orm';
import { contact, lead, leadEvent } from '../../db/schema';
import type { Tx } from '../../platform/db';
import { type CapturedLead, type ClickCapture, captureClick, lockOpenLead, lockOpenLeads } from './capture';
import {
  type BranchScope,
  conversationMessageChanges,
  createLeadsRepository,
  leadWithContact,
  PREVIEW_MAX_CHARS,
} from './leads.repository';

/** The inbox's one line for a message: its text (or summary), else the template it used, else its type. */
function previewOf(payload: Record<string, unknown>): string {
  const line =
    typeof payload.text === 'string' && payload.text.trim() !== ''
      ? payload.text.replace(/\s+/g, ' ').trim()
      : typeof payload.template === 'string'
        ? `[Template: ${payload.template}]`
        : `[${typeof payload.type === 'string' ? payload.type : 'message'}]`;
  return [...line].slice(0, PREVIEW_MAX_CHARS).join('');
}

/** An inbound message for recordReceived: its lead, Meta's time and the history event's payload. */
export interface ReceivedMessage {
  leadId: string;
  at: string;
  payload: Record<string, unknown>;
}

/**
 * What a messaging channel (modules/whatsapp) needs of leads, and nothing more: find the lead a message
 * belongs to, open one the way a tracked click does, and put each message on the lead's history. Functions
 * run in the caller's transaction.
 */
export function createConversationLeads() {
  const repo = createLeadsRepository();

  return {
    /** The lead as the viewer may see it (a seller: their branches only), or null. */
    findVisible: (tx: Tx, tenantId: string, leadId: string, scope: BranchScope) =>
      repo.findLead(tx, tenantId, leadId, scope),

    /** The lead a tracked click gave this reference code ("Ref: K7Q2MX"), or null. */
    async findByRefCode(tx: Tx, tenantId: string, refCode: string) {
      const [row] = await tx
        .select({ id: lead.id, branchId: lead.branchId, contactId: lead.contactId })
        .from(lead)
        .where(and(eq(lead.tenantId, tenantId), eq(lead.refCode, refCode)));
      return row ?? null;
    },

    /** The contact's open lead at the branch, or a new one assigned like a tracked click's (capture.ts). */
    capture: (tx: Tx, input: ClickCapture): Promise<CapturedLead> => captureClick(tx, input),

    /**
     * The contact's open lead at the branch (any, however long it lay quiet), locked for the transaction as
     * capture() locks it, or null. A lead found here continues the conversation; recordMessage touches it.
     */
    findOpen: (tx: Tx, tenantId: string, contactId: string, branchId: string) =>
      lockOpenLead(tx, { tenantId, contactId, branchId, since: null }),

    /** findOpen for several contacts at once (a batch of messages), keyed `${contactId}:${branchId}`. */
    findOpenMany: (tx: Tx, tenantId: string, pairs: readonly { contactId: string; branchId: string }[]) =>
      lockOpenLeads(tx, tenantId, pairs),

    /**
     * A message on the lead's history (MESSAGE_RECEIVED or MESSAGE_SENT), its activity and the inbox's last message
     * and unread count. The first outbound message a person sent is the lead's first response (DESIGN: "the first
     * move out of NEW, or the first outbound message"); a template the follow-up engine or a campaign sent
     * (no actor) is not a reply, and at a branch with a channel a stage move is not one either (lead-progress.ts).
     */
    async recordMessage(
      tx: Tx,
      entry: {
        tenantId: string;
        leadId: string;
        direction: 'IN' | 'OUT';
        at: string;
        actorUserId: string | null;
        payload: Record<string, unknown>;
      },
    ): Promise<Lead> {
      const { tenantId, leadId, at } = entry;
      // One statement: the history event (a data-modifying CTE), the lead's activity, inbox columns and first
      // response, and the lead with its contact answered.
      const event = tx.$with('event').as(
        tx
          .insert(leadEvent)
          .values({
            tenantId,
            leadId,
            type: entry.direction === 'IN' ? 'MESSAGE_RECEIVED' : 'MESSAGE_SENT',
            payload: entry.payload,
            actorUserId: entry.actorUserId,
            createdAt: at,
          })
          .returning({ id: leadEvent.id }),
      );
      const [row] = await tx
        .with(event)
        .update(lead)
        .set({
          ...conversationMessageChanges({
            at: sql`${at}::timestamptz`,
            direction: entry.direction,
            preview: sql`${previewOf(entry.payload)}`,
            byPerson: entry.actorUserId !== null,
          }),
          ...(entry.direction === 'OUT' && entry.actorUserId !== null
            ? { firstResponseAt: sql`coalesce(${lead.firstResponseAt}, ${at}::timestamptz)` }
            : {}),
        })
        .from(contact)
        .where(
          and(
            eq(lead.tenantId, tenantId),
            eq(lead.id, leadId),
            eq(contact.tenantId, lead.tenantId),
            eq(contact.id, lead.contactId),
          ),
        )
        .returning(leadWithContact);
      if (!row) throw new Error(`lead ${leadId} vanished inside its transaction`);
      return row;
    },

    /**
     * recordMessage for a batch of inbound messages, in one statement: every MESSAGE_RECEIVED event, and per lead
     * its activity, last message (the newest of the batch, if newer than the lead's) and unread count. Answers each
     * touched lead with its contact, by id.
     */
    async recordReceived(tx: Tx, tenantId: string, messages: readonly ReceivedMessage[]) {
      const perLead = new Map<string, { received: number; at: string; preview: string }>();
      for (const message of messages) {
        const seen = perLead.get(message.leadId);
        // The later of two at one instant wins, as when they were recorded one after the other.
        if (seen && Date.parse(seen.at) > Date.parse(message.at)) seen.received++;
        else
          perLead.set(message.leadId, {
            received: (seen?.received ?? 0) + 1,
            at: message.at,
            preview: previewOf(message.payload),
          });
      }
      if (perLead.size === 0) return new Map<string, Lead>();
      const events = tx.$with('events').as(
        tx
          .insert(leadEvent)
          .values(
            messages.map((message) => ({
              tenantId,
              leadId: message.leadId,
              type: 'MESSAGE_RECEIVED' as const,
              payload: message.payload,
              actorUserId: null,
              createdAt: message.at,
            })),
          )
          .returning({ id: leadEvent.id }),
      );
      const batch = [...perLead.values()];
      const rows = await tx
        .with(events)
        .update(lead)
        .set(
          conversationMessageChanges({
            at: sql`m.m_at`,
            direction: 'IN',
            preview: sql`m.m_preview`,
            byPerson: false,
            received: sql`m.m_received`,
          }),
        )
        .from(
          sql`unnest(${sql.param([...perLead.keys()])}::uuid[], ${sql.param(batch.map((b) => b.received))}::int[],
                     ${sql.param(batch.map((b) => b.at))}::timestamptz[], ${sql.param(batch.map((b) => b.preview))}::text[])
                as m(m_lead_id, m_received, m_at, m_preview), ${contact}`,
        )
        .where(
          and(
            eq(lead.tenantId, tenantId),
            sql`${lead.id} = m.m_lead_id`,
            eq(contact.tenantId, lead.tenantId),
            eq(contact.id, lead.contactId),
          ),
        )
        .returning(leadWithContact);
      if (rows.length !== perLead.size) throw new Error('a lead vanished inside its transaction');
      return new Map<string, Lead>(rows.map((row) => [row.id, row]));
    },
  };
}

export type ConversationLeads = ReturnType<typeof createConversationLeads>;
