import { sql } from 'drizzle-orm';
import {
  boolean,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { instant, rowId, tenantIdColumn, timestamps, versionColumn } from '../columns';
import { branch } from './branch';
import { userRoleEnum } from './enums';
import { tenant } from './tenant';

export const appUser = pgTable(
  'app_user',
  {
    id: rowId(),
    tenantId: tenantIdColumn().references(() => tenant.id),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: userRoleEnum('role').notNull(),
    passwordHash: text('password_hash'),
    /** Set while an invitation is pending: the sha256 of the invitation token. */
    inviteTokenHash: text('invite_token_hash'),
    inviteExpiresAt: instant('invite_expires_at'),
    active: boolean('active').notNull().default(true),
    /** The seller's own "I am working" toggle, read by lead assignment. */
    available: boolean('available').notNull().default(true),
    lastLoginAt: instant('last_login_at'),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    primaryKey({ name: 'app_user_pkey', columns: [t.tenantId, t.id] }),
    // One account per address within a shop; one person may have accounts in several shops (login asks which).
    // Global uniqueness told anyone who signed up whether an address was another shop's user.
    uniqueIndex('app_user_tenant_email_key').on(t.tenantId, sql`lower(${t.email})`),
    index('app_user_email_idx').on(sql`lower(${t.email})`),
    // invite_token_hash: unique across shops through its look-up table (lookups.ts, migration 0031), kept by a trigger.
    index('app_user_tenant_idx').on(t.tenantId, t.role),
  ],
);

export const userBranch = pgTable(
  'user_branch',
  {
    tenantId: tenantIdColumn(),
    userId: uuid('user_id').notNull(),
    branchId: uuid('branch_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId, t.branchId] }),
    index('user_branch_branch_idx').on(t.tenantId, t.branchId),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [appUser.tenantId, appUser.id] }).onDelete(
      'cascade',
    ),
    foreignKey({ columns: [t.tenantId, t.branchId], foreignColumns: [branch.tenantId, branch.id] }),
  ],
);
