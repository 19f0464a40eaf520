import { z } from 'zod';
import { id, isoInstant, textField } from './common';
import { leadStatus } from './leads';

/**
 * Money on the dashboard: what the open pipeline is worth, what was won and where it came from. Every figure is
 * per currency: amounts of different currencies are never added up.
 */

export const revenueQuery = z
  .object({
    /** Leads won in [from, to) (by the time they were won); default the last 30 days. */
    from: isoInstant.optional(),
    to: isoInstant.optional(),
    branchId: id.optional(),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    message: 'from must be before to',
    path: ['to'],
  });
export type RevenueQuery = z.infer<typeof revenueQuery>;

/** Leads of one currency (null: leads without a value, which count but add nothing) and their summed value. */
export const moneyFigureSchema = z.object({
  currency: z.string().nullable(),
  leads: z.number().int(),
  /** Minor units of the currency. */
  amount: z.number().int(),
  /** amount / leads, rounded to a minor unit; null for leads without a value. */
  averageTicket: z.number().int().nullable(),
});
export type MoneyFigure = z.infer<typeof moneyFigureSchema>;

export const revenueGroupSchema = moneyFigureSchema.extend({
  /** The source, branch id, seller id (null: unassigned) or campaign id (null: no campaign). */
  key: z.string().nullable(),
  label: z.string().nullable(),
});
export type RevenueGroup = z.infer<typeof revenueGroupSchema>;

export const revenueSchema = z
  .object({
    from: isoInstant,
    to: isoInstant,
    branchId: id.nullable(),
    /** The open leads now (NEW to QUOTED), whatever the period: per stage and currency. */
    pipeline: z.array(moneyFigureSchema.extend({ status: leadStatus })),
    /** Leads won in the period, per currency: revenue and average ticket. */
    won: z.array(moneyFigureSchema),
    bySource: z.array(revenueGroupSchema),
    byBranch: z.array(revenueGroupSchema),
    bySeller: z.array(revenueGroupSchema),
    byCampaign: z.array(revenueGroupSchema),
  })
  .meta({ id: 'Revenue' });
export type Revenue = z.infer<typeof revenueSchema>;

export const branchReputationFeedQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  cursor: textField().min(1).max(500).optional(),
});

/** One branch's response reputation and its inputs, as the marketplace ranks shops by it (chapter 11.8.3). */
export const branchReputationEntrySchema = z.object({
  tenantId: id,
  branchId: id,
  /** 0-100; null when the branch had no lead to answer in the period. */
  score: z.number().int().nullable(),
  /** Leads counted: answered, or unanswered past the target. */
  leads: z.number().int(),
  answered: z.number().int(),
  answeredOnTime: z.number().int(),
  /** answeredOnTime / leads: the share answered within the target (the SLA). */
  onTimeRate: z.number().nullable(),
  medianMinutes: z.number().nullable(),
  p90Minutes: z.number().nullable(),
  targetMinutes: z.number().int(),
  businessHoursOnly: z.boolean(),
  periodFrom: isoInstant,
  periodTo: isoInstant,
  computedAt: isoInstant,
});
export type BranchReputationEntry = z.infer<typeof branchReputationEntrySchema>;

export const branchReputationFeedSchema = z
  .object({ items: z.array(branchReputationEntrySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'BranchReputationFeed' });
export type BranchReputationFeed = z.infer<typeof branchReputationFeedSchema>;
