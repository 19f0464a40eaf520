import type { Lead } from '@techmarket/contracts';
import { and, eq, sql } from 'drizzle-orm';
import { contact, lead, leadEvent } from '../../db/schema';
import type { Tx } from '../../platform/db';
import { type CapturedLead, type ClickCapture, captureClick, lockOpenLead } from './capture';
import {
  type BranchScope,
  conversationMessageChanges,
  createLeadsRepository,
  leadWithContact,
} from './leads.repository';

/** The inbox's one line for a message: its text (or summary), else the template it used, else its type. */
function previewOf(payload: Record<string, unknown>): string {
  if (typeof payload.text === 'string' && payload.text.trim() !== '')
    return payload.text.replace(/\s+/g, ' ').trim();
  if (typeof payload.template === 'string') return `[Template: ${payload.template}]`;
  return `[${typeof payload.type === 'string' ? payload.type : 'message'}]`;
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
            at,
            direction: entry.direction,
            preview: previewOf(entry.payload),
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
  };
}

export type ConversationLeads = ReturnType<typeof createConversationLeads>;
