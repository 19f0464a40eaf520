import { type TicketDevice, ticketStatuses } from '@techmarket/contracts';
import {
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { instant, rowId, tenantIdColumn, timestamps, versionColumn } from '../columns';
import { branch } from './branch';
import { contact } from './contact';
import { leadPriorityEnum } from './enums';
import { lead } from './lead';

export const ticketStatusEnum = pgEnum('ticket_status', ticketStatuses);

/** A service ticket (repair, installation), opened from a lead (one per lead) or for a customer without one. */
export const ticket = pgTable(
  'ticket',
  {
    id: rowId(),
    tenantId: tenantIdColumn(),
    branchId: uuid('branch_id').notNull(),
    leadId: uuid('lead_id'),
    contactId: uuid('contact_id').notNull(),
    subject: text('subject').notNull(),
    description: text('description'),
    device: jsonb('device').$type<TicketDevice>(),
    status: ticketStatusEnum('status').notNull().default('OPEN'),
    priority: leadPriorityEnum('priority').notNull(),
    slaHours: integer('sla_hours').notNull(),
    slaDueAt: instant('sla_due_at').notNull(),
    assignedToUserId: uuid('assigned_to_user_id'),
    createdByUserId: uuid('created_by_user_id'),
    resolvedAt: instant('resolved_at'),
    closedAt: instant('closed_at'),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    primaryKey({ name: 'ticket_pkey', columns: [t.tenantId, t.id] }),
    unique('ticket_tenant_lead_key').on(t.tenantId, t.leadId),
    index('ticket_tenant_sla_idx').on(t.tenantId, t.slaDueAt, t.id),
    index('ticket_tenant_created_idx').on(t.tenantId, t.createdAt, t.id),
    index('ticket_tenant_contact_idx').on(t.tenantId, t.contactId),
    foreignKey({ columns: [t.tenantId, t.branchId], foreignColumns: [branch.tenantId, branch.id] }),
    foreignKey({ columns: [t.tenantId, t.leadId], foreignColumns: [lead.tenantId, lead.id] }),
    foreignKey({ columns: [t.tenantId, t.contactId], foreignColumns: [contact.tenantId, contact.id] }),
  ],
);
