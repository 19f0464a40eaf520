import { z } from 'zod';
import { id, isoInstant, textField } from './common';
import { leadContactSchema, leadSource, leadStatus, lostReason } from './leads';
import { automaticTemplateSchema } from './whatsapp';

/*
 * Follow-ups: the shop's rules (the policy), the engine's run, tasks and reminders, and the figures that
 * show whether it works (KPIs and the response-time reputation).
 */

const localDay = z.iso.date();

export const followupPolicySchema = z
  .object({
    tenantId: id,
    /** Minutes a NEW lead waits before its assignee is alerted. */
    newLeadAlertMinutes: z.number().int(),
    /** Days a QUOTED lead without a customer reply waits before a follow-up task. */
    quotedFollowUpDays: z.number().int(),
    /** Days without activity before an open lead goes DORMANT. */
    dormantAfterDays: z.number().int(),
    /** Minutes and days count the branch's open time only (weekly hours, time zone, holidays). */
    businessHoursOnly: z.boolean(),
    /** Minutes after the alert before a still-NEW lead is escalated to a manager and reassigned; null: never. */
    reassignAfterMinutes: z.number().int().nullable(),
    /** Days every branch of the shop is closed (local dates). */
    holidays: z.array(localDay),
    /**
     * The approved template the QUOTED follow-up sends by itself when the lead's branch has a WhatsApp channel;
     * null: a task for the seller, as without a channel.
     */
    quotedFollowUpTemplate: automaticTemplateSchema.nullable(),
    updatedAt: isoInstant.nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'FollowupPolicy' });
export type FollowupPolicy = z.infer<typeof followupPolicySchema>;

const minutes = z
  .number()
  .int()
  .min(1)
  .max(7 * 24 * 60);
export const putFollowupPolicyBody = z.object({
  newLeadAlertMinutes: minutes,
  quotedFollowUpDays: z.number().int().min(1).max(90),
  dormantAfterDays: z.number().int().min(1).max(365),
  businessHoursOnly: z.boolean(),
  reassignAfterMinutes: minutes.nullable().optional(),
  holidays: z.array(localDay).max(400).optional(),
  /** Left out: kept as it is; null: no template (the follow-up stays a task). */
  quotedFollowUpTemplate: automaticTemplateSchema.nullable().optional(),
  /** The version read (0 while the shop follows the defaults); when sent, a stale one is a 409. */
  version: z.number().int().min(0).optional(),
});
export const patchFollowupPolicyBody = putFollowupPolicyBody
  .partial()
  .refine((body) => Object.keys(body).some((key) => key !== 'version'), {
    message: 'nothing to change',
    path: ['newLeadAlertMinutes'],
  });

/** NEW_LEAD_ALERT, ESCALATION and the QUOTED FOLLOW_UP come from the engine; people add FOLLOW_UP and REMINDER. */
export const taskKinds = ['NEW_LEAD_ALERT', 'ESCALATION', 'FOLLOW_UP', 'REMINDER'] as const;
export const taskKind = z.enum(taskKinds);
export type TaskKind = z.infer<typeof taskKind>;
export const taskStatuses = ['OPEN', 'DONE', 'CANCELLED'] as const;
export const taskStatus = z.enum(taskStatuses);
export type TaskStatus = z.infer<typeof taskStatus>;
/** The engine's rules; every one that fires writes a FOLLOWUP_DUE event on the lead. */
export const followupRules = ['NEW_LEAD_ALERT', 'ESCALATION', 'QUOTED_FOLLOW_UP', 'DORMANT'] as const;
export type FollowupRule = (typeof followupRules)[number];

export const taskSchema = z
  .object({
    id,
    tenantId: id,
    leadId: id,
    branchId: id,
    assigneeUserId: id.nullable(),
    kind: taskKind,
    title: z.string(),
    note: z.string().nullable(),
    /** A message to send the customer, for follow-ups the engine creates. */
    suggestedMessage: z.string().nullable(),
    dueAt: isoInstant,
    status: taskStatus,
    /** Set on the engine's tasks: the rule, the lead and the stage entry it fired for. */
    ruleKey: z.string().nullable(),
    completedAt: isoInstant.nullable(),
    createdByUserId: id.nullable(),
    createdAt: isoInstant,
    updatedAt: isoInstant,
    version: z.number().int(),
    lead: z.object({ id, status: leadStatus, contact: leadContactSchema }),
    /** Set on the task of a reactivation message: its campaign and the code the customer's reply quotes. */
    campaignRef: z.object({ campaignId: id, refCode: z.string() }).nullable().optional(),
  })
  .meta({ id: 'Task' });
export type Task = z.infer<typeof taskSchema>;

/** overdue: open and past due; today: due today in the shop's time zone; upcoming: due from now on. */
export const taskDueFilters = ['overdue', 'today', 'upcoming'] as const;
export const taskListQuery = z.object({
  /** A user id, or `me`. */
  assignee: z.union([id, z.literal('me')]).optional(),
  status: taskStatus.optional(),
  due: z.enum(taskDueFilters).optional(),
  leadId: id.optional(),
  branchId: id.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: textField().min(1).max(500).optional(),
});
export type TaskListQuery = z.infer<typeof taskListQuery>;

export const createTaskBody = z.object({
  title: textField().trim().min(1).max(200),
  dueAt: isoInstant,
  kind: z.enum(['FOLLOW_UP', 'REMINDER']).default('FOLLOW_UP'),
  note: textField().trim().min(1).max(2000).optional(),
  /** Who does it; by default whoever creates it. */
  assigneeUserId: id.optional(),
});

/** Done, reopened, cancelled, snoozed (a later dueAt) or reassigned; optimistic like a lead. */
export const updateTaskBody = z
  .object({
    status: taskStatus.optional(),
    dueAt: isoInstant.optional(),
    assigneeUserId: id.nullable().optional(),
    title: textField().trim().min(1).max(200).optional(),
    note: textField().trim().min(1).max(2000).nullable().optional(),
    version: z.number().int().min(1),
  })
  .refine((body) => Object.keys(body).length > 1, { message: 'nothing to change', path: ['status'] });

/** Open tasks per lead, for the inbox's badges. */
export const taskCountsQuery = z.object({
  leadId: z.union([id, z.array(id).max(200)]).transform((v) => (Array.isArray(v) ? v : [v])),
});
export const taskCountsSchema = z.object({
  items: z.array(z.object({ leadId: id, open: z.number().int(), overdue: z.number().int() })),
});

/**
 * `POST /leads/{id}/tasks/cancel-open`: every task of the lead still open is CANCELLED (the lead was won or lost
 * and its follow-ups have nothing left to do); answers how many.
 */
export const cancelledTasksSchema = z
  .object({ leadId: id, cancelled: z.number().int().min(0) })
  .meta({ id: 'CancelledTasks' });
export type CancelledTasks = z.infer<typeof cancelledTasksSchema>;

/** Server-sent event on the tenant's stream when a task comes due; its data is the Task. */
export const taskStreamEventTypes = ['task.due'] as const;

export const followupRunSchema = z
  .object({
    /** Leads the engine looked at: new to a stage, or with a rule due. */
    evaluated: z.number().int(),
    tasksCreated: z.number().int(),
    dormant: z.number().int(),
    reassigned: z.number().int(),
    /** Tasks that came due and were announced. */
    reminded: z.number().int(),
    /** Leads whose first response time was measured in business time. */
    stamped: z.number().int(),
  })
  .meta({ id: 'FollowupRun' });
export type FollowupRun = z.infer<typeof followupRunSchema>;

export const kpiGroupings = ['branch', 'seller', 'source', 'day'] as const;
export const kpiQuery = z
  .object({
    /** Leads created in [from, to); default the last 30 days. */
    from: isoInstant.optional(),
    to: isoInstant.optional(),
    branchId: id.optional(),
    groupBy: z.enum(kpiGroupings).optional(),
  })
  // Compared as instants: the two may carry different offsets.
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    message: 'from must be before to',
    path: ['to'],
  });
export type KpiQuery = z.infer<typeof kpiQuery>;

const rate = z.number().min(0).max(1).nullable();
export const kpiFiguresSchema = z.object({
  /** Leads created in the period. */
  leads: z.number().int(),
  bySource: z.record(leadSource, z.number().int()),
  firstResponse: z.object({
    responded: z.number().int(),
    unanswered: z.number().int(),
    /** Minutes from creation to first response; business minutes when the policy counts business hours. */
    medianMinutes: z.number().nullable(),
    p90Minutes: z.number().nullable(),
  }),
  won: z.number().int(),
  lost: z.number().int(),
  /** WON over leads created. */
  conversionRate: rate,
  /** WON over WON + LOST. */
  winRate: rate,
  /** Tasks due in the period (not cancelled) and those done by their due time. */
  followUp: z.object({ due: z.number().int(), onTime: z.number().int(), compliance: rate }),
  lostReasons: z.record(lostReason, z.number().int()),
});
export type KpiFigures = z.infer<typeof kpiFiguresSchema>;
export const kpiSchema = z
  .object({
    from: isoInstant,
    to: isoInstant,
    branchId: id.nullable(),
    groupBy: z.enum(kpiGroupings).nullable(),
    businessHoursOnly: z.boolean(),
    totals: kpiFiguresSchema,
    /** One row per branch, seller (null: unassigned), source or day (YYYY-MM-DD in the shop's time zone). */
    groups: z.array(kpiFiguresSchema.extend({ key: z.string().nullable(), label: z.string().nullable() })),
    /**
     * The same figures, by the same query, for the period of the same length just before: [from - (to - from),
     * from). Totals only, to compare each figure with.
     */
    previous: z.object({ from: isoInstant, to: isoInstant, totals: kpiFiguresSchema }),
  })
  .meta({ id: 'Kpis' });
export type Kpis = z.infer<typeof kpiSchema>;

export const reputationSchema = z
  .object({
    from: isoInstant,
    to: isoInstant,
    windowDays: z.number().int(),
    formula: z.string(),
    branches: z.array(
      z.object({
        branchId: id,
        name: z.string(),
        /** 0-100; null when the branch had no lead to answer in the window. */
        score: z.number().int().min(0).max(100).nullable(),
        inputs: z.object({
          /** Leads created in the window whose response clock has run out or that were answered. */
          leads: z.number().int(),
          answered: z.number().int(),
          answeredOnTime: z.number().int(),
          targetMinutes: z.number().int(),
          businessHoursOnly: z.boolean(),
          medianMinutes: z.number().nullable(),
          p90Minutes: z.number().nullable(),
          onTimeRate: rate,
          answeredRate: rate,
          speedScore: rate,
        }),
      }),
    ),
  })
  .meta({ id: 'Reputation' });
export type Reputation = z.infer<typeof reputationSchema>;
