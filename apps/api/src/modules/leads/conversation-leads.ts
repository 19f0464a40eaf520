import type { Lead } from '@techmarket/contracts';
import type { Tx } from '../../platform/db';
import { type CapturedLead, type ClickCapture, captureClick } from './capture';
import { createCaptureRepository } from './capture.repository';
import {
  createConversationRepository,
  PREVIEW_MAX_CHARS,
  type ReceivedOnLead,
} from './conversation.repository';
import type { BranchScope } from './lead-columns';
import { createLeadsRepository } from './leads.repository';

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
  const conversation = createConversationRepository();
  const capture = createCaptureRepository();

  return {
    /** The lead as the viewer may see it (a seller: their branches only), or null. */
    findVisible: (tx: Tx, tenantId: string, leadId: string, scope: BranchScope) =>
      repo.findLead(tx, tenantId, leadId, scope),

    /** The lead a tracked click gave this reference code ("Ref: K7Q2MX"), or null. */
    findByRefCode: (tx: Tx, tenantId: string, refCode: string) =>
      conversation.findByRefCode(tx, tenantId, refCode),

    /** The contact's open lead at the branch, or a new one assigned like a tracked click's (capture.ts). */
    capture: (tx: Tx, input: ClickCapture): Promise<CapturedLead> => captureClick(tx, input),

    /**
     * The contact's open lead at the branch (any, however long it lay quiet), locked for the transaction as
     * capture() locks it, or null. A lead found here continues the conversation; recordMessage touches it.
     */
    findOpen: (tx: Tx, tenantId: string, contactId: string, branchId: string) =>
      capture.lockOpenLead(tx, { tenantId, contactId, branchId, since: null }),

    /** findOpen for several contacts at once (a batch of messages), keyed `${contactId}:${branchId}`. */
    findOpenMany: (tx: Tx, tenantId: string, pairs: readonly { contactId: string; branchId: string }[]) =>
      capture.lockOpenLeads(tx, tenantId, pairs),

    /**
     * A message on the lead's history (MESSAGE_RECEIVED or MESSAGE_SENT), its activity and the inbox's last message
     * and unread count. The first outbound message a person sent is the lead's first response (DESIGN: "the first
     * move out of NEW, or the first outbound message"); a template the follow-up engine or a campaign sent
     * (no actor) is not a reply, and at a branch with a channel a stage move is not one either (lead-progress.ts).
     * One statement (conversation.repository.ts).
     */
    recordMessage: (
      tx: Tx,
      entry: {
        tenantId: string;
        leadId: string;
        direction: 'IN' | 'OUT';
        at: string;
        actorUserId: string | null;
        payload: Record<string, unknown>;
      },
    ): Promise<Lead> => conversation.recordMessage(tx, { ...entry, preview: previewOf(entry.payload) }),

    /**
     * recordMessage for a batch of inbound messages, in one statement: every MESSAGE_RECEIVED event, and per lead
     * its activity, last message (the newest of the batch, if newer than the lead's) and unread count. Answers each
     * touched lead with its contact, by id.
     */
    async recordReceived(tx: Tx, tenantId: string, messages: readonly ReceivedMessage[]) {
      const perLead = new Map<string, ReceivedOnLead>();
      for (const message of messages) {
        const seen = perLead.get(message.leadId);
        // The later of two at one instant wins, as when they were recorded one after the other.
        if (seen && Date.parse(seen.at) > Date.parse(message.at)) seen.received++;
        else
          perLead.set(message.leadId, {
            leadId: message.leadId,
            received: (seen?.received ?? 0) + 1,
            at: message.at,
            preview: previewOf(message.payload),
          });
      }
      if (perLead.size === 0) return new Map<string, Lead>();
      const rows = await conversation.recordReceived(tx, tenantId, messages, [...perLead.values()]);
      if (rows.length !== perLead.size) throw new Error('a lead vanished inside its transaction');
      return new Map<string, Lead>(rows.map((row) => [row.id, row]));
    },
  };
}

export type ConversationLeads = ReturnType<typeof createConversationLeads>;
