import type { BusinessHours } from '@techmarket/contracts';
import { boolean, index, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { rowId, tenantIdColumn, timestamps, versionColumn } from '../columns';
import { tenant } from './tenant';

export const branch = pgTable(
  'branch',
  {
    id: rowId(),
    tenantId: tenantIdColumn().references(() => tenant.id),
    name: text('name').notNull(),
    /** E.164; a branch made at signup may not have its WhatsApp number yet. */
    whatsappPhone: text('whatsapp_phone'),
    countryCode: text('country_code'),
    zone: text('zone'),
    timezone: text('timezone').notNull(),
    businessHours: jsonb('business_hours').$type<BusinessHours>().notNull(),
    active: boolean('active').notNull().default(true),
    /** The round-robin turn: the seller who got this branch's last lead (the row lock serialises turns). */
    lastAssignedUserId: uuid('last_assigned_user_id'),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    primaryKey({ name: 'branch_pkey', columns: [t.tenantId, t.id] }),
    index('branch_tenant_idx').on(t.tenantId, t.name),
    // Lets child tables reference (tenant_id, id): a row can never point at another tenant's branch.
  ],
);
