import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { instant, rowId, tenantIdColumn, timestamps, versionColumn } from '../columns';
import { tenant } from './tenant';

/** A shop's customer. Known by marketplace user id, anonymous visitor id, or phone (E.164). */
export const contact = pgTable(
  'contact',
  {
    id: rowId(),
    tenantId: tenantIdColumn().references(() => tenant.id),
    marketplaceUserId: text('marketplace_user_id'),
    visitorId: text('visitor_id'),
    name: text('name'),
    phone: text('phone'),
    email: text('email'),
    marketingConsent: boolean('marketing_consent').notNull().default(false),
    consentAt: instant('consent_at'),
    consentSource: text('consent_source'),
    optedOutAt: instant('opted_out_at'),
    /** Labels a person gives the customer ("mayorista", "gamer"); filters and segments read them. */
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    /** What the shop knows of the customer, written by a person. */
    notes: text('notes'),
    /** When the customer's personal data was erased (on request or by the retention period); the row stays. */
    erasedAt: instant('erased_at'),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    primaryKey({ name: 'contact_pkey', columns: [t.tenantId, t.id] }),
    uniqueIndex('contact_tenant_user_key')
      .on(t.tenantId, t.marketplaceUserId)
      .where(sql`${t.marketplaceUserId} is not null`),
    index('contact_tenant_visitor_idx').on(t.tenantId, t.visitorId).where(sql`${t.visitorId} is not null`),
    index('contact_tenant_phone_idx').on(t.tenantId, t.phone).where(sql`${t.phone} is not null`),
    // The phone's last 8 digits: the duplicates' "same number under another country code".
    index('contact_tenant_phone_tail_idx')
      .on(t.tenantId, sql`right(${t.phone}, 8)`)
      .where(sql`${t.phone} is not null`),
  ],
);
