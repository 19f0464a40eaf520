import type { AutomaticTemplate } from '@techmarket/contracts';
import { boolean, integer, jsonb, pgTable } from 'drizzle-orm/pg-core';
import { tenantIdColumn, timestamps, versionColumn } from '../columns';
import { tenant } from './tenant';

/** The shop's follow-up rules; a shop without a row follows the defaults below. */
export const followupPolicy = pgTable('followup_policy', {
  tenantId: tenantIdColumn()
    .primaryKey()
    .references(() => tenant.id),
  newLeadAlertMinutes: integer('new_lead_alert_minutes').notNull().default(60),
  quotedFollowUpDays: integer('quoted_follow_up_days').notNull().default(2),
  dormantAfterDays: integer('dormant_after_days').notNull().default(21),
  businessHoursOnly: boolean('business_hours_only').notNull().default(true),
  /** Minutes after the alert before a still-NEW lead escalates and is reassigned; null: never. */
  reassignAfterMinutes: integer('reassign_after_minutes'),
  /** Local dates (YYYY-MM-DD) every branch is closed. */
  holidays: jsonb('holidays').$type<string[]>().notNull().default([]),
  /** The approved template the QUOTED follow-up sends when the branch has a WhatsApp channel; null: a task. */
  quotedFollowUpTemplate: jsonb('quoted_follow_up_template').$type<AutomaticTemplate>(),
  ...timestamps(),
  version: versionColumn(),
});
