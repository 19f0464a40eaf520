import { z } from 'zod';
import { currency, id, isoInstant, minorUnits, textField } from './common';
import { leadPriority, leadType } from './leads';

export const nextBestActions = [
  'REPLY_NOW',
  'SEND_QUOTE',
  'OFFER_ALTERNATIVE',
  'SCHEDULE_DIAGNOSIS',
  'CONVERT_TO_TICKET',
  'FOLLOW_UP_LATER',
] as const;
export const nextBestAction = z.enum(nextBestActions);
export type NextBestAction = z.infer<typeof nextBestAction>;

export const assistanceAlternative = z.object({
  listingId: id,
  title: z.string(),
  price: minorUnits,
  currency,
  why: z.string().max(200),
});
export type AssistanceAlternative = z.infer<typeof assistanceAlternative>;

/** The assistant's structured answer: what an LLM must produce, and what the built-in model produces. */
export const assistanceResult = z.object({
  leadType,
  priority: leadPriority,
  /** In the customer's language, naming the product and one concrete next step. */
  suggestedReply: textField().min(1).max(700),
  nextBestAction,
  alternatives: z.array(assistanceAlternative).max(5),
  confidence: z.number().min(0).max(1),
  reasons: z.array(z.string().max(200)).min(1).max(6),
});
export type AssistanceResult = z.infer<typeof assistanceResult>;

export const assistanceProviders = ['builtin', 'openai', 'anthropic', 'openai-compatible'] as const;

export const assistanceSchema = assistanceResult
  .extend({
    id,
    leadId: id,
    provider: z.enum(assistanceProviders),
    model: z.string(),
    language: z.enum(['es', 'pt']),
    /** Why the configured LLM was not used, when the built-in model answered in its place. */
    fallbackReason: z.string().nullable(),
    latencyMs: z.number().int(),
    createdAt: isoInstant,
  })
  .meta({ id: 'Assistance' });
export type Assistance = z.infer<typeof assistanceSchema>;

export const assistanceOutcomes = ['USED', 'EDITED', 'IGNORED'] as const;
export const assistanceFeedbackBody = z
  .object({
    outcome: z.enum(assistanceOutcomes),
    finalText: textField().trim().min(1).max(4000).optional(),
  })
  .refine((b) => b.outcome !== 'EDITED' || b.finalText !== undefined, {
    message: 'say what was sent instead',
    path: ['finalText'],
  });
export const assistanceFeedbackSchema = z
  .object({
    id,
    assistanceId: id,
    outcome: z.enum(assistanceOutcomes),
    finalText: z.string().nullable(),
    userId: id,
    createdAt: isoInstant,
  })
  .meta({ id: 'AssistanceFeedback' });
export const assistParams = z.object({ id, assistanceId: id });

/** How a shop's layer agreed with its sellers' labels: on both heads, and each alone (0..1). */
export const shopModelAgreement = z.object({
  examples: z.number().int(),
  leadType: z.number(),
  priority: z.number(),
  both: z.number(),
});

/**
 * A version of the shop's own layer over the assistant's shared model, trained on what its sellers corrected.
 * It was scored on the shop's newest examples (`heldOut`) against the reading in use then (`baseline`: the
 * version `baselineVersion`, or the shared model alone when null) and activated only if it scored at least as well
 * (`reason`); an owner or manager may activate another version by hand (`activatedByUserId`).
 */
export const shopModelReasons = ['SCORED_AT_LEAST_AS_WELL', 'SCORED_WORSE'] as const;
export const shopModelVersionSchema = z
  .object({
    version: z.number().int(),
    active: z.boolean(),
    examples: z.number().int(),
    corrections: z.number().int(),
    heldOut: z.number().int(),
    candidate: shopModelAgreement,
    baseline: shopModelAgreement,
    baselineVersion: z.number().int().nullable(),
    reason: z.enum(shopModelReasons),
    activatedAt: isoInstant.nullable(),
    activatedByUserId: id.nullable(),
    trainedThrough: isoInstant,
    createdAt: isoInstant,
  })
  .meta({ id: 'ShopModelVersion' });
export type ShopModelVersion = z.infer<typeof shopModelVersionSchema>;

export const shopModelListSchema = z
  .object({
    items: z.array(shopModelVersionSchema),
    nextCursor: z.string().nullable(),
    /** The shop's labelled examples, and how many came after the newest version was trained. */
    examples: z.number().int(),
    newExamples: z.number().int(),
  })
  .meta({ id: 'ShopModelList' });
export type ShopModelList = z.infer<typeof shopModelListSchema>;

export const shopModelParams = z.object({
  tenantId: id,
  version: z.coerce.number().int().min(1).max(1_000_000),
});
export const shopModelTrainSchema = z.object({ queued: z.literal(true) }).meta({ id: 'ShopModelTrain' });

/**
 * Acceptance of the suggested replies, `GET /tenants/{tenantId}/kpis/assistant?from=&to=&branchId=`: of the
 * suggestions made in [from, to), what the sellers did with them, told (the feedback endpoint) or read off the
 * first WhatsApp message they sent on the lead after it. Time saved: the characters they did not type, at
 * `charsPerMinute` (typing on a phone).
 */
export const assistantKpiQuery = z
  .object({
    from: isoInstant.optional(),
    to: isoInstant.optional(),
    branchId: id.optional(),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    message: 'from must be before to',
    path: ['to'],
  });
export type AssistantKpiQuery = z.infer<typeof assistantKpiQuery>;

const share = z.number().min(0).max(1).nullable();
export const assistantKpiSchema = z
  .object({
    from: isoInstant,
    to: isoInstant,
    branchId: id.nullable(),
    /** Suggestions made in the period (one per reading; a lead read again has several). */
    suggestions: z.number().int(),
    /** Of those, how many have an outcome, and how many of the outcomes were inferred from a sent message. */
    withOutcome: z.number().int(),
    inferred: z.number().int(),
    sentAsIs: z.number().int(),
    edited: z.number().int(),
    notUsed: z.number().int(),
    /** Each count over `withOutcome`; null when nothing has an outcome. */
    shares: z.object({ sentAsIs: share, edited: share, notUsed: share }),
    timeSaved: z.object({
      characters: z.number().int(),
      minutes: z.number(),
      charsPerMinute: z.number().int(),
    }),
  })
  .meta({ id: 'AssistantKpis' });
export type AssistantKpis = z.infer<typeof assistantKpiSchema>;
