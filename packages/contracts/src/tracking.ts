import { z } from 'zod';
import { id, isoInstant, textField } from './common';
import { leadSource, leadStatus } from './leads';

/** Marketplace identifiers are opaque strings of the marketplace's own making. */
const externalId = textField().trim().min(1).max(128);

export const whatsappClickBody = z
  .object({
    tenantId: id,
    branchId: id,
    listingId: id.optional(),
    /** A campaign id of the tenant. */
    campaign: id.optional(),
    source: leadSource.default('LISTING'),
    /** The marketplace's user id, when the customer is logged in. Read only with the shop's API key. */
    userId: externalId.optional(),
    /** The marketplace's anonymous visitor id (a first-party cookie). */
    visitorId: externalId.optional(),
    /** The customer's own words, when the marketplace's contact box was used. */
    message: textField().trim().min(1).max(4000).optional(),
    /** With `phone`, read only with the shop's API key: an anonymous click is known by `visitorId` alone. */
    name: textField().trim().min(1).max(120).optional(),
    phone: textField().trim().min(5).max(32).optional(),
  })
  .refine((b) => b.userId !== undefined || b.visitorId !== undefined || b.phone !== undefined, {
    message: 'say who clicked: userId, visitorId or phone',
    path: ['visitorId'],
  });
export type WhatsappClickInput = z.output<typeof whatsappClickBody>;

export const whatsappClickResponse = z
  .object({
    leadId: id,
    created: z.boolean(),
    /** https://wa.me/<branch number>?text=<prefilled message with the reference code> */
    whatsappUrl: z.url(),
    /** Short code in the prefilled message that ties the first WhatsApp message back to the lead. */
    refCode: z.string(),
  })
  .meta({ id: 'WhatsappClickResult' });
export type WhatsappClickResult = z.infer<typeof whatsappClickResponse>;

export const listingViewItem = z.object({
  tenantId: id,
  listingId: id,
  campaign: id.optional(),
  userId: externalId.optional(),
  visitorId: externalId.optional(),
});
/** One view, or a batch of up to 100 (the marketplace buffers them client-side). */
export const listingViewBody = z.union([listingViewItem, z.array(listingViewItem).min(1).max(100)]);
export const listingViewResponse = z.object({ accepted: z.number().int() });

export const trackedLinkSchema = z
  .object({
    id,
    tenantId: id,
    code: z.string(),
    /** The address to print or share: visiting it logs a click and opens WhatsApp. */
    url: z.url(),
    branchId: id,
    listingId: id.nullable(),
    campaignId: id.nullable(),
    source: leadSource,
    label: z.string().nullable(),
    clicks: z.number().int(),
    botClicks: z.number().int(),
    active: z.boolean(),
    createdAt: isoInstant,
  })
  .meta({ id: 'TrackedLink' });
export type TrackedLink = z.infer<typeof trackedLinkSchema>;

export const createLinkBody = z.object({
  branchId: id,
  listingId: id.optional(),
  campaignId: id.optional(),
  source: leadSource.default('WHATSAPP'),
  label: textField().trim().min(1).max(120).optional(),
});
export const updateLinkBody = z.object({
  label: textField().trim().min(1).max(120).nullable().optional(),
  active: z.boolean().optional(),
});
export const linkParams = z.object({ tenantId: id, linkId: id });

export const assignmentStrategies = ['ROUND_ROBIN', 'FEWEST_OPEN'] as const;
export const assignmentStrategy = z.enum(assignmentStrategies);
export type AssignmentStrategy = z.infer<typeof assignmentStrategy>;

export const tenantSettingsSchema = z.object({ assignmentStrategy }).meta({ id: 'TenantSettings' });
export const updateTenantSettingsBody = z.object({ assignmentStrategy: assignmentStrategy.optional() });

/**
 * Leads per status for the inbox's tabs and the board's columns, under the caller's branch scope, and what they
 * are worth: per status, the sum of their products' current prices in each currency (minor units; a lead without
 * a product counts but adds nothing).
 */
export const leadCountsQuery = z.object({ branchId: id.optional(), assignedTo: id.optional() });
export const moneyTotalSchema = z.object({ currency: z.string(), total: z.number().int() });
export type MoneyTotal = z.infer<typeof moneyTotalSchema>;
export const leadCountsSchema = z
  .object({
    counts: z.record(leadStatus, z.number().int()),
    total: z.number().int(),
    amounts: z.record(leadStatus, z.array(moneyTotalSchema)),
  })
  .meta({ id: 'LeadCounts' });
export type LeadCounts = z.infer<typeof leadCountsSchema>;

/** Server-sent event names on GET /tenants/{tenantId}/stream; each event's data is a Lead. */
export const streamEventTypes = ['lead.created', 'lead.updated', 'lead.assigned'] as const;
export type StreamEventType = (typeof streamEventTypes)[number];
