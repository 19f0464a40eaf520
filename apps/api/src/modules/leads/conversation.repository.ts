import type { Lead } from '@techmarket/contracts';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import { contact, lead, leadEvent } from '../../db/schema';
import type { Tx } from '../../platform/db';
import { leadWithContact } from './lead-columns';

/** How long a message's preview on the lead row may be: one line of the inbox, with room to spare. */
export const PREVIEW_MAX_CHARS = 200;

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

/** One message to put on a lead's history, with the inbox line it leaves. */
export interface ConversationMessage {
  tenantId: string;
  leadId: string;
  direction: 'IN' | 'OUT';
  at: string;
  actorUserId: string | null;
  payload: Record<string, unknown>;
  preview: string;
}

/** Per lead of a batch of inbound messages: how many, and the newest one's time and inbox line. */
export interface ReceivedOnLead {
  leadId: string;
  received: number;
  at: string;
  preview: string;
}

/** The statements of a conversation on its lead. Every function takes the tenant first. */
export function createConversationRepository() {
  return {
    /** The lead a tracked click gave this reference code ("Ref: K7Q2MX"), or null. */
    async findByRefCode(tx: Tx, tenantId: string, refCode: string) {
      const [row] = await tx
        .select({ id: lead.id, branchId: lead.branchId, contactId: lead.contactId })
        .from(lead)
        .where(and(eq(lead.tenantId, tenantId), eq(lead.refCode, refCode)));
      return row ?? null;
    },

    /**
     * One statement: the history event (a data-modifying CTE), the lead's activity, inbox columns and, for a
     * person's outbound message, the first response; answers the lead with its contact.
     */
    async recordMessage(tx: Tx, message: ConversationMessage): Promise<Lead> {
      const { tenantId, leadId, at } = message;
      const event = tx.$with('event').as(
        tx
          .insert(leadEvent)
          .values({
            tenantId,
            leadId,
            type: message.direction === 'IN' ? 'MESSAGE_RECEIVED' : 'MESSAGE_SENT',
            payload: message.payload,
            actorUserId: message.actorUserId,
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
            direction: message.direction,
            preview: sql`${message.preview}`,
            byPerson: message.actorUserId !== null,
          }),
          ...(message.direction === 'OUT' && message.actorUserId !== null
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
     * A batch of inbound messages in one statement: every MESSAGE_RECEIVED event, and per lead (`perLead`, one
     * entry each) its activity, last message and unread count. Answers each touched lead with its contact.
     */
    async recordReceived(
      tx: Tx,
      tenantId: string,
      messages: readonly { leadId: string; at: string; payload: Record<string, unknown> }[],
      perLead: readonly ReceivedOnLead[],
    ) {
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
      return tx
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
          sql`unnest(${sql.param(perLead.map((b) => b.leadId))}::uuid[], ${sql.param(perLead.map((b) => b.received))}::int[],
                     ${sql.param(perLead.map((b) => b.at))}::timestamptz[], ${sql.param(perLead.map((b) => b.preview))}::text[])
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
    },
  };
}

export type ConversationRepository = ReturnType<typeof createConversationRepository>;
