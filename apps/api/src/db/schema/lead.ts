import { foreignKey, index, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { instant, primaryId, tenantIdColumn, timestamps, versionColumn } from '../columns';
import { appUser } from './app-user';
import { branch } from './branch';
import { contact } from './contact';
import { leadPriorityEnum, leadSourceEnum, leadStatusEnum, leadTypeEnum, lostReasonEnum } from './enums';
import { listing } from './listing';

export const lead = pgTable(
  'lead',
  {
    id: primaryId(),
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
    firstResponseAt: instant('first_response_at'),
    statusChangedAt: instant('status_changed_at').notNull(),
    lastActivityAt: instant('last_activity_at').notNull(),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    // One index per inbox access path; each starts with tenant_id and ends with the keyset columns.
    index('lead_inbox_priority_idx').on(t.tenantId, t.priority, t.createdAt, t.id),
    index('lead_inbox_status_idx').on(t.tenantId, t.status, t.priority, t.createdAt, t.id),
    index('lead_inbox_branch_idx').on(t.tenantId, t.branchId, t.priority, t.createdAt, t.id),
    index('lead_inbox_assignee_idx').on(t.tenantId, t.assignedToUserId, t.priority, t.createdAt, t.id),
    index('lead_inbox_created_idx').on(t.tenantId, t.createdAt, t.id),
    index('lead_inbox_activity_idx').on(t.tenantId, t.lastActivityAt, t.id),
    index('lead_contact_idx').on(t.tenantId, t.contactId, t.branchId),
    unique('lead_tenant_id_key').on(t.tenantId, t.id),
    foreignKey({ columns: [t.tenantId, t.branchId], foreignColumns: [branch.tenantId, branch.id] }),
    foreignKey({ columns: [t.tenantId, t.contactId], foreignColumns: [contact.tenantId, contact.id] }),
    foreignKey({ columns: [t.tenantId, t.listingId], foreignColumns: [listing.tenantId, listing.id] }),
    foreignKey({ columns: [t.tenantId, t.assignedToUserId], foreignColumns: [appUser.tenantId, appUser.id] }),
  ],
);
