import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  smallint,
  text,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { instant, rowId, tenantIdColumn, timestamps } from '../columns';
import { appUser } from './app-user';

/**
 * A browser a user allowed to be pushed to (modules/push): the push service's endpoint and the keys its payloads
 * are encrypted to (RFC 8291). One row per endpoint in a shop; a device handed to a colleague moves with it.
 */
export const pushSubscription = pgTable(
  'push_subscription',
  {
    id: rowId(),
    tenantId: tenantIdColumn(),
    userId: uuid('user_id').notNull(),
    endpoint: text('endpoint').notNull(),
    p256dh: text('p256dh').notNull(),
    auth: text('auth').notNull(),
    /** The app's language on that device when it subscribed: what its pushes are written in. */
    language: text('language').notNull().default('es-419'),
    ...timestamps(),
  },
  (t) => [
    primaryKey({ name: 'push_subscription_pkey', columns: [t.tenantId, t.id] }),
    unique('push_subscription_tenant_endpoint_key').on(t.tenantId, t.endpoint),
    index('push_subscription_user_idx').on(t.tenantId, t.userId),
    check('push_subscription_endpoint_length', sql`char_length(${t.endpoint}) <= 2048`),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [appUser.tenantId, appUser.id] }).onDelete(
      'cascade',
    ),
  ],
);

/** A user's push settings; a user without a row gets every alert at any hour. */
export const pushPreference = pgTable(
  'push_preference',
  {
    tenantId: tenantIdColumn(),
    userId: uuid('user_id').notNull(),
    leadAssigned: boolean('lead_assigned').notNull().default(true),
    customerReplied: boolean('customer_replied').notNull().default(true),
    taskDue: boolean('task_due').notNull().default(true),
    escalation: boolean('escalation').notNull().default(true),
    quoteDecided: boolean('quote_decided').notNull().default(true),
    /** 'HH:MM', both or neither: no push from `quietFrom` until `quietTo` (across midnight when earlier). */
    quietFrom: text('quiet_from'),
    quietTo: text('quiet_to'),
    /** IANA; null: the time zone of the lead's branch. */
    timeZone: text('time_zone'),
    ...timestamps(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId] }),
    check('push_preference_quiet_both', sql`(${t.quietFrom} is null) = (${t.quietTo} is null)`),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [appUser.tenantId, appUser.id] }).onDelete(
      'cascade',
    ),
  ],
);

/**
 * The server's VAPID key pair (RFC 8292), made on first start and kept: every subscription is bound to its public
 * key, so it must outlive restarts and be the same on every instance. Not a shop's: one row, no tenant. The private
 * key is sealed with the secrets key (AES-256-GCM, modules/whatsapp/secret-box.ts).
 */
export const pushVapidKey = pgTable(
  'push_vapid_key',
  {
    id: smallint('id').primaryKey().default(1),
    publicKey: text('public_key').notNull(),
    privateKeySealed: text('private_key_sealed').notNull(),
    createdAt: instant('created_at').notNull().default(sql`now()`),
  },
  (t) => [check('push_vapid_key_single', sql`${t.id} = 1`)],
);
