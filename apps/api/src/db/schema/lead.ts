import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { instant, rowId, tenantIdColumn, timestamps, versionColumn } from '../columns';
import { appUser } from './app-user';
import { branch } from './branch';
import { campaign } from './campaign';
import { contact } from './contact';
import { leadPriorityEnum, leadSourceEnum, leadStatusEnum, leadTypeEnum, lostReasonEnum } from './enums';
import { listing } from './listing';

export const lead = pgTable(
  'lead',
  {
    id: rowId(),
    tenantId: tenantIdColumn(),
    branchId: uuid('branch_id').notNull(),
    /** The marketplace user, when the customer was logged in. */
    customerUserId: text('customer_user_id'),
    contactId: uuid('contact_id').notNull(),
    status: leadStatusEnum('status').notNull().default('NEW'),
    source: leadSourceEnum('source').notNull(),
    campaignId: uuid('campaign_id'),
    listingId: uuid('listing_id'),
    priority: leadPriorityEnum('priority').notNull().default('MEDIUM'),
    leadType: leadTypeEnum('lead_type'),
    assignedToUserId: uuid('assigned_to_user_id'),
    lostReason: lostReasonEnum('lost_reason'),
    /** The short code in the prefilled WhatsApp message ("Ref: K7Q2MX") that leads the first message here. */
    refCode: text('ref_code'),
    /** Who set priority and lead type: the assistant updates them only while no person has. */
    classifiedBy: text('classified_by')
      .$type<'DEFAULT' | 'ASSISTANT' | 'PERSON'>()
      .notNull()
      .default('DEFAULT'),
    firstResponseAt: instant('first_response_at'),
    statusChangedAt: instant('status_changed_at').notNull(),
    lastActivityAt: instant('last_activity_at').notNull(),
    /** The follow-up engine's bookmark: the status_changed_at it last evaluated the lead at (modules/followups). */
    followupStageAt: instant('followup_stage_at'),
    /** When the engine must look at the lead again in this stage (its next rule, or going DORMANT). */
    followupDueAt: instant('followup_due_at'),
    /** Business seconds from created_at to first_response_at by the branch's calendar; stamped by the engine. */
    firstResponseBusinessSeconds: integer('first_response_business_seconds'),
    /*
     * The conversation as the inbox shows it, kept on the lead in the same transaction as each message and read
     * marker (modules/leads/conversation.repository.ts), so the inbox stays one statement without a join per row.
     */
    lastMessageAt: instant('last_message_at'),
    lastMessagePreview: text('last_message_preview'),
    lastMessageDirection: text('last_message_direction').$type<'IN' | 'OUT'>(),
    /** Inbound messages since someone last read the conversation (POST /leads/{id}/messages/read). */
    unreadCount: integer('unread_count').notNull().default(0),
    conversationReadAt: instant('conversation_read_at'),
    /*
     * What the lead is worth, in minor units of value_currency: its accepted quote's total (QUOTE), else its
     * product's price (LISTING), unless a person set it (MANUAL), which holds until a quote is accepted. Kept by
     * triggers (migration 0023): a new lead or a cleared value is filled in, an accepted quote and a product's new
     * price (open leads) are copied here. Read by the board's column heads and the revenue figures.
     */
    value: bigint('value', { mode: 'number' }),
    valueCurrency: text('value_currency'),
    valueSource: text('value_source').$type<'QUOTE' | 'LISTING' | 'MANUAL'>(),
    ...timestamps(),
    version: versionColumn(),
    /*
     * Integer mirrors of the enums the inbox filters and sorts on. Under row-level security PostgreSQL only
     * uses LEAKPROOF operators as index conditions, and the enum operators are not; smallint's are. Each
     * code follows the enum's declaration order, so ordering by it is ordering by the enum. A new enum value
     * has no code, so NOT NULL rejects it until a migration gives it one, instead of sorting it anywhere.
     */
    priorityRank: smallint('priority_rank')
      .notNull()
      .generatedAlwaysAs(sql`CASE priority WHEN 'HIGH' THEN 0 WHEN 'MEDIUM' THEN 1 WHEN 'LOW' THEN 2 END`),
    statusCode: smallint('status_code')
      .notNull()
      .generatedAlwaysAs(
        sql`CASE status WHEN 'NEW' THEN 0 WHEN 'CONTACTED' THEN 1 WHEN 'QUALIFIED' THEN 2 WHEN 'QUOTED' THEN 3 WHEN 'WON' THEN 4 WHEN 'LOST' THEN 5 WHEN 'DORMANT' THEN 6 END`,
      ),
  },
  (t) => [
    primaryKey({ name: 'lead_pkey', columns: [t.tenantId, t.id] }),
    // One index per inbox access path; each starts with tenant_id and ends with the keyset columns.
    index('lead_inbox_priority_idx').on(t.tenantId, t.priorityRank, t.createdAt, t.id),
    index('lead_inbox_status_idx').on(t.tenantId, t.statusCode, t.priorityRank, t.createdAt, t.id),
    index('lead_inbox_branch_idx').on(t.tenantId, t.branchId, t.priorityRank, t.createdAt, t.id),
    index('lead_inbox_assignee_idx').on(t.tenantId, t.assignedToUserId, t.priorityRank, t.createdAt, t.id),
    index('lead_inbox_created_idx').on(t.tenantId, t.createdAt, t.id),
    index('lead_inbox_activity_idx').on(t.tenantId, t.lastActivityAt, t.id),
    // The `waiting` sort: the unanswered first (false < true), each part oldest first.
    index('lead_inbox_waiting_idx').on(
      t.tenantId,
      sql`(${t.firstResponseAt} is not null)`,
      t.createdAt,
      t.id,
    ),
    index('lead_contact_idx').on(t.tenantId, t.contactId, t.branchId),
    // The retention sweep's closed leads, by when they closed (modules/privacy).
    index('lead_tenant_closed_idx')
      .on(t.tenantId, t.statusChangedAt)
      .where(sql`${t.status} in ('WON', 'LOST')`),
    /*
     * The follow-up engine's ways in: leads it has not seen in their current stage (open ones, and closed ones it
     * saw open, whose tasks it closes), open leads (NEW, CONTACTED, QUALIFIED, QUOTED) with a rule due, and
     * answered leads whose response time is not measured yet. An engine pass reads only these, so its cost
     * follows the leads that changed or are due, not all leads.
     */
    index('lead_followup_unseen_idx')
      .on(t.tenantId, t.statusChangedAt)
      .where(
        sql`(${t.statusCode} in (0, 1, 2, 3) or ${t.followupStageAt} is not null) and ${t.followupStageAt} is distinct from ${t.statusChangedAt}`,
      ),
    index('lead_followup_due_idx')
      .on(t.tenantId, t.followupDueAt)
      .where(sql`${t.statusCode} in (0, 1, 2, 3)`),
    index('lead_first_response_unstamped_idx')
      .on(t.tenantId, t.firstResponseAt)
      .where(sql`${t.firstResponseAt} is not null and ${t.firstResponseBusinessSeconds} is null`),
    index('lead_listing_value_idx')
      .on(t.tenantId, t.listingId)
      .where(sql`${t.valueSource} = 'LISTING' and ${t.statusCode} in (0, 1, 2, 3, 6)`),
    index('lead_won_idx').on(t.tenantId, t.statusChangedAt).where(sql`${t.statusCode} = 4`),
    index('lead_campaign_won_idx')
      .on(t.tenantId, t.campaignId, t.statusChangedAt)
      .where(sql`${t.statusCode} = 4 and ${t.campaignId} is not null`),
    check(
      'lead_value_check',
      sql`(${t.value} is null) = (${t.valueCurrency} is null) and (${t.value} is null or (${t.value} >= 0 and ${t.valueSource} in ('QUOTE', 'LISTING', 'MANUAL')))`,
    ),
    check('lead_last_message_direction_check', sql`${t.lastMessageDirection} in ('IN', 'OUT')`),
    uniqueIndex('lead_tenant_ref_code_key').on(t.tenantId, t.refCode).where(sql`${t.refCode} is not null`),
    foreignKey({ columns: [t.tenantId, t.campaignId], foreignColumns: [campaign.tenantId, campaign.id] }),
    foreignKey({ columns: [t.tenantId, t.branchId], foreignColumns: [branch.tenantId, branch.id] }),
    foreignKey({ columns: [t.tenantId, t.contactId], foreignColumns: [contact.tenantId, contact.id] }),
    foreignKey({ columns: [t.tenantId, t.listingId], foreignColumns: [listing.tenantId, listing.id] }),
    foreignKey({ columns: [t.tenantId, t.assignedToUserId], foreignColumns: [appUser.tenantId, appUser.id] }),
  ],
);
