import { z } from 'zod';
import { id, isoInstant, paginationQuery, textField } from './common';
import { lostReason } from './leads';
import { moneyTotalSchema } from './tracking';
import { automaticTemplateSchema } from './whatsapp';

export const campaignTypes = ['CATEGORY', 'ZONE', 'REACTIVATION'] as const;
export type CampaignType = (typeof campaignTypes)[number];
export const campaignStatuses = ['DRAFT', 'ACTIVE', 'PAUSED', 'ENDED'] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];
export const campaignType = z.enum(campaignTypes);
export const campaignStatus = z.enum(campaignStatuses);

/* ------------------------------------------------------------------------------------------------------------
 * Segments: who a campaign is for. A segment is a list of rules that all hold for a contact (AND). Each rule
 * reads what the shop knows about its customers; the server compiles it to parameterized SQL.
 * ---------------------------------------------------------------------------------------------------------- */

const category = textField().trim().min(1).max(60);
/** A look-back period in days: "in the last 30 days". */
const withinDays = z.number().int().min(1).max(730);

export const segmentRule = z.discriminatedUnion('rule', [
  /** Viewed the listing (or any listing of the category) in the period, and no lead of it was WON since. */
  z
    .object({
      rule: z.literal('VIEWED'),
      listingId: id.optional(),
      category: category.optional(),
      withinDays,
      withoutWin: z.boolean().default(true),
    })
    .refine((r) => (r.listingId === undefined) !== (r.category === undefined), {
      message: 'name a listingId or a category (one of them)',
      path: ['listingId'],
    }),
  /** Has a lead LOST for one of the reasons (any reason when none is named), optionally in the period. */
  z.object({
    rule: z.literal('LOST'),
    reasons: z.array(lostReason).max(5).default([]),
    withinDays: withinDays.optional(),
  }),
  /** Asked about the category: a lead on one of its listings, or a view of one, optionally in the period. */
  z.object({ rule: z.literal('INTERESTED_IN'), category, withinDays: withinDays.optional() }),
  /** Has a lead that went DORMANT. */
  z.object({ rule: z.literal('DORMANT') }),
  /** Has a lead at a branch of one of these zones. */
  z.object({ rule: z.literal('ZONE'), zones: z.array(textField().trim().min(1).max(80)).min(1).max(20) }),
  /** Has a lead at one of these branches. */
  z.object({ rule: z.literal('BRANCH'), branchIds: z.array(id).min(1).max(50) }),
  /** Gave marketing consent and has not opted out. */
  z.object({ rule: z.literal('CONSENT') }),
  /**
   * Clicked but never wrote: a tracked WhatsApp click in the period (at a branch with a WhatsApp channel) after
   * which no message of the customer arrived on its lead within `withinHours`.
   */
  z.object({
    rule: z.literal('CLICKED_NOT_WRITTEN'),
    withinHours: z.number().int().min(1).max(720).default(24),
    withinDays: withinDays.default(30),
  }),
]);
export type SegmentRule = z.output<typeof segmentRule>;

export const segmentSchema = z
  .object({ rules: z.array(segmentRule).max(12).default([]) })
  .meta({ id: 'Segment' });
export type Segment = z.output<typeof segmentSchema>;

export const segmentPreviewBody = z.object({ segment: segmentSchema });
export const segmentMemberSchema = z.object({
  contactId: id,
  name: z.string().nullable(),
  phone: z.string().nullable(),
  marketingConsent: z.boolean(),
  optedOut: z.boolean(),
});
export const segmentPreviewSchema = z
  .object({ count: z.number().int(), sample: z.array(segmentMemberSchema) })
  .meta({ id: 'SegmentPreview' });
export type SegmentPreview = z.infer<typeof segmentPreviewSchema>;

/* ------------------------------------------------------------------------------------------------------------
 * Campaigns
 * ---------------------------------------------------------------------------------------------------------- */

const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time HH:MM');

/** How reactivation messages are paced: at most one per contact per cap, never in the quiet hours. */
export const reactivationSettingsSchema = z.object({
  /** Days that must pass after any reactivation message to a contact before another one. */
  frequencyCapDays: z.number().int().min(1).max(365).default(30),
  /** Local hours of the branch in which no message is due (may wrap past midnight: 21:00 to 09:00). */
  quietHours: z.object({ start: localTime, end: localTime }).default({ start: '21:00', end: '09:00' }),
});
export type ReactivationSettings = z.output<typeof reactivationSettingsSchema>;

export const metricTotalsSchema = z.object({
  impressions: z.number().int(),
  clicks: z.number().int(),
  leads: z.number().int(),
  wins: z.number().int(),
});
export type MetricTotals = z.infer<typeof metricTotalsSchema>;

export const campaignSchema = z
  .object({
    id,
    tenantId: id,
    name: z.string(),
    type: campaignType,
    status: campaignStatus,
    startAt: isoInstant.nullable(),
    endAt: isoInstant.nullable(),
    /** ACTIVE and inside its window now: what attribution counts. */
    live: z.boolean(),
    segment: segmentSchema,
    messageTemplate: z.string().nullable(),
    reactivation: reactivationSettingsSchema.nullable(),
    /** REACTIVATION: the approved template sent by itself to leads at a branch with a WhatsApp channel. */
    whatsappTemplate: automaticTemplateSchema.nullable(),
    /** REACTIVATION: picks up each lead the follow-up engine moves to DORMANT (one per shop). */
    standing: z.boolean(),
    totals: metricTotalsSchema,
    createdAt: isoInstant,
    updatedAt: isoInstant,
    version: z.number().int(),
  })
  .meta({ id: 'Campaign' });
export type Campaign = z.infer<typeof campaignSchema>;

const name = textField().trim().min(1).max(120);
const messageTemplate = textField().trim().min(1).max(1000);

const windowCheck = (b: { startAt?: string | null | undefined; endAt?: string | null | undefined }) =>
  !b.startAt || !b.endAt || new Date(b.endAt) > new Date(b.startAt);

export const createCampaignBody = z
  .object({
    tenantId: id,
    name,
    type: campaignType,
    startAt: isoInstant.optional(),
    endAt: isoInstant.optional(),
    segment: segmentSchema.optional(),
    /** The message of reactivation links; `{name}` becomes the customer's first name. */
    messageTemplate: messageTemplate.optional(),
    reactivation: reactivationSettingsSchema.optional(),
    whatsappTemplate: automaticTemplateSchema.optional(),
    standing: z.boolean().optional(),
  })
  .refine(windowCheck, { message: 'must be after startAt', path: ['endAt'] });

export const updateCampaignBody = z
  .object({
    name: name.optional(),
    startAt: isoInstant.nullable().optional(),
    endAt: isoInstant.nullable().optional(),
    segment: segmentSchema.optional(),
    messageTemplate: messageTemplate.nullable().optional(),
    reactivation: reactivationSettingsSchema.nullable().optional(),
    whatsappTemplate: automaticTemplateSchema.nullable().optional(),
    standing: z.boolean().optional(),
    version: z.number().int().min(1),
  })
  .refine(windowCheck, { message: 'must be after startAt', path: ['endAt'] });

export const campaignListQuery = paginationQuery.extend({
  status: campaignStatus.optional(),
  type: campaignType.optional(),
});

const day = z.iso.date();
export const campaignMetricsQuery = z
  .object({ from: day.optional(), to: day.optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be before from', path: ['to'] });

export const campaignMetricDaySchema = metricTotalsSchema.extend({ day });
export const campaignMetricsSchema = z
  .object({
    campaignId: id,
    from: day,
    to: day,
    /** Every day of the range, in the shop's time zone, zeros included. */
    days: z.array(campaignMetricDaySchema),
    totals: metricTotalsSchema,
    /**
     * Where the funnel ends: the value of the campaign's leads won in the range (by the day they were won, in the
     * shop's time zone), one total per currency, never added across currencies.
     */
    revenue: z.array(moneyTotalSchema),
  })
  .meta({ id: 'CampaignMetrics' });
export type CampaignMetrics = z.infer<typeof campaignMetricsSchema>;

const breakdownFigures = { clicks: z.number().int(), leads: z.number().int(), wins: z.number().int() };
/**
 * The funnel per branch and per listing over a range, read from the stored events that carry the campaign:
 * impressions from listing views, clicks from the WhatsApp clicks on the leads that carry it, leads created and
 * leads won in the range. Unlike the daily figures, it does not leave out the time the campaign was paused.
 */
export const campaignBreakdownSchema = z
  .object({
    campaignId: id,
    from: day,
    to: day,
    byBranch: z.array(z.object({ branchId: id, name: z.string(), ...breakdownFigures })),
    byListing: z.array(
      z.object({
        listingId: id.nullable(),
        title: z.string().nullable(),
        impressions: z.number().int(),
        ...breakdownFigures,
      }),
    ),
  })
  .meta({ id: 'CampaignBreakdown' });
export type CampaignBreakdown = z.infer<typeof campaignBreakdownSchema>;

/* ------------------------------------------------------------------------------------------------------------
 * Reactivation sends
 * ---------------------------------------------------------------------------------------------------------- */

export const reactivationRunSchema = z
  .object({
    /** Members of the segment with consent and not opted out. */
    eligible: z.number().int(),
    /** New personal links handed to sellers as tasks in this run. */
    created: z.number().int(),
    /** Skipped: messaged by this campaign already, or by any campaign within the frequency cap. */
    capped: z.number().int(),
    /** Skipped: no phone, or no lead whose seller could send it. */
    unreachable: z.number().int(),
    /** Of those created, messages queued as the campaign's WhatsApp template (the branch has a channel). */
    sent: z.number().int(),
    /** Template messages held until the quiet hours of the lead's branch end (sent by a later pass). */
    waiting: z.number().int(),
  })
  .meta({ id: 'ReactivationRun' });
export type ReactivationRun = z.infer<typeof reactivationRunSchema>;

export const campaignSendSchema = z
  .object({
    id,
    campaignId: id,
    contactId: id,
    leadId: id,
    taskId: id.nullable(),
    refCode: z.string(),
    message: z.string(),
    whatsappUrl: z.url(),
    /** Sent as the campaign's WhatsApp template: the message on the lead's conversation. */
    whatsappMessageId: id.nullable(),
    /** A template message waiting for the quiet hours to end. */
    sendAfter: isoInstant.nullable(),
    createdAt: isoInstant,
    /** When the customer's answer was recorded (by its reference code), and the lead it landed on. */
    repliedAt: isoInstant.nullable(),
    replyLeadId: id.nullable(),
  })
  .meta({ id: 'CampaignSend' });

/**
 * A customer answered a reactivation message: the seller, who sees it in WhatsApp, records it by the message's
 * reference code. Case, spaces, a "Ref:" prefix and a missing leading C are forgiven.
 */
export const campaignReplyBody = z.object({
  refCode: textField().trim().min(1).max(40),
  /** The customer's own words, if the seller copies them: stored on the lead as a received message. */
  message: textField().trim().min(1).max(2000).optional(),
});
export type CampaignReplyInput = z.infer<typeof campaignReplyBody>;

export const campaignReplySchema = z
  .object({
    sendId: id,
    campaignId: id,
    /** The reference code as the message carried it. */
    refCode: z.string(),
    /** The lead the reply landed on: a new one carrying the campaign, or the contact's open lead at the branch. */
    leadId: id,
    /** Whether the reply opened that lead. */
    created: z.boolean(),
    repliedAt: isoInstant,
  })
  .meta({ id: 'CampaignReply' });
export type CampaignReply = z.infer<typeof campaignReplySchema>;

/* ------------------------------------------------------------------------------------------------------------
 * Assets: copy texts and images (png, jpeg, webp; at most 2 MB)
 * ---------------------------------------------------------------------------------------------------------- */

export const MAX_ASSET_BYTES = 2 * 1024 * 1024;
export const assetImageTypes = ['image/png', 'image/jpeg', 'image/webp'] as const;

export const campaignAssetSchema = z
  .object({
    id,
    campaignId: id,
    kind: z.enum(['COPY', 'IMAGE']),
    title: z.string().nullable(),
    text: z.string().nullable(),
    language: z.string().nullable(),
    channel: z.string().nullable(),
    alt: z.string().nullable(),
    filename: z.string().nullable(),
    contentType: z.string().nullable(),
    byteSize: z.number().int().nullable(),
    /** Where the image's bytes are served (IMAGE only). */
    contentUrl: z.string().nullable(),
    createdAt: isoInstant,
    version: z.number().int(),
  })
  .meta({ id: 'CampaignAsset' });
export type CampaignAsset = z.infer<typeof campaignAssetSchema>;

export const createCopyAssetBody = z.object({
  title: textField().trim().min(1).max(160).optional(),
  text: textField().trim().min(1).max(4000),
  language: z.enum(['es-419', 'pt-BR', 'en']).default('es-419'),
  channel: z.enum(['WHATSAPP', 'MARKETPLACE', 'SOCIAL', 'OTHER']).default('WHATSAPP'),
});

export const imageAssetQuery = z.object({
  filename: textField().trim().min(1).max(200).optional(),
  alt: textField().trim().min(1).max(300).optional(),
});

export const campaignAssetParams = z.object({ id, assetId: id });

/* ------------------------------------------------------------------------------------------------------------
 * Contacts' marketing consent
 * ---------------------------------------------------------------------------------------------------------- */

/**
 * The consent sources the system itself writes (the web's one-tap menu, the marketplace's sign-up and forms), read
 * case-insensitively: screens name them in the person's language. Any other `source` is someone's own words.
 */
export const consentSources = ['whatsapp', 'tienda', 'marketplace_signup', 'marketplace_form'] as const;

export const consentBody = z.object({
  /** Where the customer said yes: "whatsapp", "in store", "marketplace checkbox"... */
  source: textField().trim().min(1).max(120),
});
export const contactConsentSchema = z
  .object({
    contactId: id,
    marketingConsent: z.boolean(),
    consentAt: isoInstant.nullable(),
    consentSource: z.string().nullable(),
    optedOutAt: isoInstant.nullable(),
    /** Open reactivation tasks cancelled by the opt-out. */
    cancelledTasks: z.number().int(),
  })
  .meta({ id: 'ContactConsent' });
export type ContactConsent = z.infer<typeof contactConsentSchema>;
