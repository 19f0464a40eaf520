import type { WhatsappTemplateRef } from '@techmarket/contracts';
import { sql } from 'drizzle-orm';
import {
  check,
  customType,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { instant, rowId, tenantIdColumn, timestamps, versionColumn } from '../columns';
import { branch } from './branch';
import { lead } from './lead';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * A branch's WhatsApp Business number on Meta's Cloud API. The access token and app secret are stored
 * encrypted (AES-256-GCM, modules/whatsapp/secret-box.ts); the verify token only as its SHA-256, since it is
 * only ever compared.
 */
export const whatsappChannel = pgTable(
  'whatsapp_channel',
  {
    id: rowId(),
    tenantId: tenantIdColumn(),
    branchId: uuid('branch_id').notNull(),
    phoneNumberId: text('phone_number_id').notNull(),
    businessAccountId: text('business_account_id').notNull(),
    accessTokenEnc: text('access_token_enc').notNull(),
    appSecretEnc: text('app_secret_enc').notNull(),
    verifyTokenHash: text('verify_token_hash').notNull(),
    displayPhoneNumber: text('display_phone_number'),
    verifiedName: text('verified_name'),
    qualityRating: text('quality_rating'),
    status: text('status').$type<'PENDING' | 'CONNECTED' | 'ERROR'>().notNull().default('PENDING'),
    lastError: text('last_error'),
    lastTestedAt: instant('last_tested_at'),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    primaryKey({ name: 'whatsapp_channel_pkey', columns: [t.tenantId, t.id] }),
    unique('whatsapp_channel_branch_key').on(t.tenantId, t.branchId),
    /*
     * A webhook names a phone number id and a verification a verify token, before any tenant is known, and one
     * number must route to exactly one shop: the phone number id is unique across shops through its look-up table
     * (lookups.ts, migration 0031, kept by a trigger); the verify token's index is the one index that does not
     * start with tenant_id (not a key). Both are read only through the SECURITY DEFINER functions of the
     * migrations (like the auth_* look-ups).
     */
    index('whatsapp_channel_verify_token_idx').on(t.verifyTokenHash),
    check('whatsapp_channel_status_check', sql`${t.status} in ('PENDING', 'CONNECTED', 'ERROR')`),
    foreignKey({ columns: [t.tenantId, t.branchId], foreignColumns: [branch.tenantId, branch.id] }),
  ],
);

/**
 * A webhook notification as it was acknowledged: stored before the 200, processed by a job. The hash of the
 * raw body makes a repeated delivery (Meta's retry, or two instances behind a balancer) one row: partitioned by
 * month of received_at (migration 0030), the key is kept in `whatsapp_delivery_key`, which a BEFORE INSERT
 * trigger writes with the row, skipping the row when the key is there already (in whatever month).
 */
export const whatsappDelivery = pgTable(
  'whatsapp_delivery',
  {
    id: rowId(),
    tenantId: tenantIdColumn(),
    channelId: uuid('channel_id').notNull(),
    bodySha256: text('body_sha256').notNull(),
    payload: jsonb('payload').$type<unknown>().notNull(),
    receivedAt: instant('received_at').notNull(),
    processedAt: instant('processed_at'),
    /** PROCESSED, or SKIPPED with the reason in `note` (a payload we do not understand). */
    outcome: text('outcome').$type<'PROCESSED' | 'SKIPPED'>(),
    note: text('note'),
  },
  (t) => [
    primaryKey({ name: 'whatsapp_delivery_pkey', columns: [t.tenantId, t.id, t.receivedAt] }),
    index('whatsapp_delivery_pending_idx').on(t.tenantId, t.receivedAt).where(sql`${t.processedAt} is null`),
  ],
);

/** The de-duplication key of `whatsapp_delivery`, across its months (written by its trigger, migration 0030). */
export const whatsappDeliveryKey = pgTable(
  'whatsapp_delivery_key',
  {
    tenantId: tenantIdColumn(),
    channelId: uuid('channel_id').notNull(),
    bodySha256: text('body_sha256').notNull(),
    receivedAt: instant('received_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'whatsapp_delivery_key_pkey', columns: [t.tenantId, t.channelId, t.bodySha256] }),
  ],
);

export type WhatsappMessageRowStatus = 'RECEIVED' | 'QUEUED' | 'SENT' | 'DELIVERED' | 'READ' | 'FAILED';

/**
 * One message of a lead's conversation, either way. Inbound ones are unique per Meta's `wamid`: partitioned by
 * month of created_at (migration 0030), the wamid is kept in `whatsapp_message_key` by the table's triggers (an
 * insert whose wamid is there already is skipped; a wamid set later is added, refused when taken).
 */
export const whatsappMessage = pgTable(
  'whatsapp_message',
  {
    id: rowId(),
    tenantId: tenantIdColumn(),
    leadId: uuid('lead_id').notNull(),
    /** No foreign key: a disconnected channel leaves its conversations readable. */
    channelId: uuid('channel_id').notNull(),
    direction: text('direction').$type<'IN' | 'OUT'>().notNull(),
    waMessageId: text('wa_message_id'),
    /** The customer's WhatsApp id (digits) as Meta writes it: where replies go. */
    customerWaId: text('customer_wa_id'),
    type: text('type').notNull(),
    text: text('text'),
    template: jsonb('template').$type<WhatsappTemplateRef>(),
    /** The message as Meta sent it (inbound), for types the CRM does not render yet. */
    payload: jsonb('payload').$type<Record<string, unknown>>(),
    status: text('status').$type<WhatsappMessageRowStatus>().notNull(),
    errorCode: integer('error_code'),
    errorTitle: text('error_title'),
    mediaId: text('media_id'),
    mediaStatus: text('media_status').$type<'PENDING' | 'STORED' | 'TOO_LARGE' | 'FAILED'>(),
    mediaMimeType: text('media_mime_type'),
    mediaByteSize: integer('media_byte_size'),
    sentByUserId: uuid('sent_by_user_id'),
    sendAttempts: integer('send_attempts').notNull().default(0),
    /** When Meta says it happened (inbound), or when the Graph API accepted it (outbound). */
    waTimestamp: instant('wa_timestamp'),
    ...timestamps(),
  },
  (t) => [
    primaryKey({ name: 'whatsapp_message_pkey', columns: [t.tenantId, t.id, t.createdAt] }),
    index('whatsapp_message_lead_idx').on(t.tenantId, t.leadId, t.createdAt, t.id),
    index('whatsapp_message_inbound_idx')
      .on(t.tenantId, t.leadId, t.createdAt)
      .where(sql`${t.direction} = 'IN'`),
    check('whatsapp_message_direction_check', sql`${t.direction} in ('IN', 'OUT')`),
    check(
      'whatsapp_message_status_check',
      sql`${t.status} in ('RECEIVED', 'QUEUED', 'SENT', 'DELIVERED', 'READ', 'FAILED')`,
    ),
    foreignKey({ columns: [t.tenantId, t.leadId], foreignColumns: [lead.tenantId, lead.id] }),
  ],
);

/** Where each wamid of the tenant is stored: `whatsapp_message`'s unique key across its months. */
export const whatsappMessageKey = pgTable(
  'whatsapp_message_key',
  {
    tenantId: tenantIdColumn(),
    waMessageId: text('wa_message_id').notNull(),
    messageId: uuid('message_id').notNull(),
    createdAt: instant('created_at').notNull(),
  },
  (t) => [primaryKey({ name: 'whatsapp_message_key_pkey', columns: [t.tenantId, t.waMessageId] })],
);

/**
 * The bytes of an inbound photo, voice note, video or document, fetched from the Graph API (capped in size). No
 * foreign key to its message (partitioned); the partition job deletes media as old as the months it drops.
 */
export const whatsappMedia = pgTable(
  'whatsapp_media',
  {
    id: rowId(),
    tenantId: tenantIdColumn(),
    messageId: uuid('message_id').notNull(),
    content: bytea('content').notNull(),
    mimeType: text('mime_type').notNull(),
    byteSize: integer('byte_size').notNull(),
    sha256: text('sha256').notNull(),
    createdAt: instant('created_at').notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'whatsapp_media_pkey', columns: [t.tenantId, t.id] }),
    unique('whatsapp_media_message_key').on(t.tenantId, t.messageId),
  ],
);

/**
 * A message template of the channel's business account, as last synced from the Graph API
 * (`GET /{waba-id}/message_templates`). A sync replaces the channel's list; only APPROVED ones may be sent.
 */
export const whatsappTemplate = pgTable(
  'whatsapp_template',
  {
    id: rowId(),
    tenantId: tenantIdColumn(),
    channelId: uuid('channel_id').notNull(),
    name: text('name').notNull(),
    language: text('language').notNull(),
    status: text('status').notNull(),
    category: text('category'),
    components: jsonb('components').$type<Record<string, unknown>[]>().notNull(),
    syncedAt: instant('synced_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'whatsapp_template_pkey', columns: [t.tenantId, t.id] }),
    unique('whatsapp_template_key').on(t.tenantId, t.channelId, t.name, t.language),
    foreignKey({
      columns: [t.tenantId, t.channelId],
      foreignColumns: [whatsappChannel.tenantId, whatsappChannel.id],
    }).onDelete('cascade'),
  ],
);
