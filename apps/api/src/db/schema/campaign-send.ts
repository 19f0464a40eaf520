import { sql } from 'drizzle-orm';
import { foreignKey, index, pgTable, primaryKey, text, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { instant, rowId, tenantIdColumn } from '../columns';
import { campaign } from './campaign';
import { contact } from './contact';
import { lead } from './lead';
import { task } from './task';

/**
 * A reactivation message prepared for one contact: the personal wa.me link (campaign message and reference
 * code) handed to their seller as a task. One per campaign and contact; the frequency cap reads the latest
 * per contact across campaigns. When the customer answers, the seller records the reply by its code: the send
 * keeps when, and the lead the reply landed on (which carries the campaign when the reply opened it).
 */
export const campaignSend = pgTable(
  'campaign_send',
  {
    id: rowId(),
    tenantId: tenantIdColumn(),
    campaignId: uuid('campaign_id').notNull(),
    contactId: uuid('contact_id').notNull(),
    /** The contact's latest lead: the task hangs from it, and its seller gets it. */
    leadId: uuid('lead_id').notNull(),
    taskId: uuid('task_id'),
    refCode: text('ref_code').notNull(),
    message: text('message').notNull(),
    whatsappUrl: text('whatsapp_url').notNull(),
    createdAt: instant('created_at').notNull(),
    repliedAt: instant('replied_at'),
    replyLeadId: uuid('reply_lead_id'),
    /**
     * Sent as the campaign's WhatsApp template (the branch has a channel): the message on the conversation. No
     * foreign key: whatsapp_message is partitioned by month (migration 0030), and may be dropped before the send.
     */
    whatsappMessageId: uuid('whatsapp_message_id'),
    /** A template message held for the quiet hours of the lead's branch: a pass sends it from this time on. */
    sendAfter: instant('send_after'),
  },
  (t) => [
    primaryKey({ name: 'campaign_send_pkey', columns: [t.tenantId, t.id] }),
    // One per campaign, contact and lead: a campaign's passes send once per contact (they check, holding the
    // campaign's row lock); a standing campaign picks up each lead that goes DORMANT.
    unique('campaign_send_lead_key').on(t.tenantId, t.campaignId, t.contactId, t.leadId),
    index('campaign_send_waiting_idx')
      .on(t.tenantId, t.campaignId, t.sendAfter)
      .where(sql`${t.sendAfter} is not null`),
    unique('campaign_send_ref_code_key').on(t.tenantId, t.refCode),
    index('campaign_send_contact_idx').on(t.tenantId, t.contactId, t.createdAt),
    // A task is one send's at most; the task lists join their page to it by this key.
    uniqueIndex('campaign_send_task_key').on(t.tenantId, t.taskId),
    foreignKey({ columns: [t.tenantId, t.campaignId], foreignColumns: [campaign.tenantId, campaign.id] }),
    foreignKey({ columns: [t.tenantId, t.contactId], foreignColumns: [contact.tenantId, contact.id] }),
    foreignKey({ columns: [t.tenantId, t.leadId], foreignColumns: [lead.tenantId, lead.id] }),
    foreignKey({ columns: [t.tenantId, t.taskId], foreignColumns: [task.tenantId, task.id] }),
    foreignKey({ columns: [t.tenantId, t.replyLeadId], foreignColumns: [lead.tenantId, lead.id] }),
  ],
);
