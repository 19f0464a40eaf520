import { z } from 'zod';
import { currency, id, isoInstant, minorUnits, textField } from './common';
import {
  leadPriorities,
  leadSorts,
  leadSources,
  leadStatuses,
  leadStatusFilters,
  leadTypes,
  leadValueSources,
  lostReasons,
  manualChannels,
} from './lead-enums';

export * from './lead-enums';

export const leadStatus = z.enum(leadStatuses);
export type LeadStatus = z.infer<typeof leadStatus>;

export const leadSource = z.enum(leadSources);
export type LeadSource = z.infer<typeof leadSource>;
export const manualChannel = z.enum(manualChannels);
export type ManualChannel = z.infer<typeof manualChannel>;
export const leadPriority = z.enum(leadPriorities);
export type LeadPriority = z.infer<typeof leadPriority>;
export const leadType = z.enum(leadTypes);
export type LeadType = z.infer<typeof leadType>;
export const lostReason = z.enum(lostReasons);
export type LostReason = z.infer<typeof lostReason>;

export const leadEventTypes = [
  'CREATED',
  'WHATSAPP_CLICK',
  'LISTING_VIEW',
  'STATUS_CHANGED',
  'ASSIGNED',
  'NOTE_ADDED',
  'MESSAGE_SENT',
  'MESSAGE_RECEIVED',
  'AI_SUGGESTED',
  'FOLLOWUP_DUE',
  'QUOTE_SENT',
  'TICKET_CREATED',
  'QUOTE_CREATED',
  'QUOTE_ACCEPTED',
  'QUOTE_REJECTED',
  /** The customer's marketing consent changed (given, or opted out): on each of the contact's leads, with who did it. */
  'CONSENT_CHANGED',
  /** Two records of one customer became one: on each of the survivor's leads, with what moved. */
  'CONTACTS_MERGED',
  /** A person set the lead's value by hand, or cleared it back to the automatic one: `{from, to, currency}`. */
  'VALUE_CHANGED',
] as const;
export const leadEventType = z.enum(leadEventTypes);
export type LeadEventType = z.infer<typeof leadEventType>;

export const leadContactSchema = z.object({ id, name: z.string().nullable(), phone: z.string().nullable() });

export const leadSchema = z
  .object({
    id,
    tenantId: id,
    branchId: id,
    customerUserId: z.string().nullable(),
    contact: leadContactSchema,
    status: leadStatus,
    source: leadSource,
    campaignId: id.nullable(),
    listingId: id.nullable(),
    priority: leadPriority,
    leadType: leadType.nullable(),
    assignedToUserId: id.nullable(),
    lostReason: lostReason.nullable(),
    /**
     * What the lead is worth, in minor units of `currency`: its accepted quote's total (QUOTE), else its product's
     * price (LISTING), unless a person set it (MANUAL), which holds until a quote is accepted. Null: no value yet.
     */
    value: z.number().int().nullable(),
    currency: z.string().nullable(),
    valueSource: z.enum(leadValueSources).nullable(),
    firstResponseAt: isoInstant.nullable(),
    statusChangedAt: isoInstant,
    lastActivityAt: isoInstant,
    createdAt: isoInstant,
    updatedAt: isoInstant,
    version: z.number().int(),
  })
  .meta({ id: 'Lead' });
export type Lead = z.infer<typeof leadSchema>;

export const leadDetailSchema = leadSchema
  .extend({
    listing: z
      .object({
        id,
        title: z.string(),
        price: z.number().int(),
        currency: z.string(),
        stock: z.number().int(),
      })
      .nullable(),
    campaign: z.object({ id, name: z.string() }).nullable(),
    assignee: z.object({ id, name: z.string() }).nullable(),
    assistance: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'LeadDetail' });
export type LeadDetail = z.infer<typeof leadDetailSchema>;

/** The product a lead is about, as a list shows it: its title and current price (minor units). */
export const leadListingSummarySchema = z.object({
  id,
  title: z.string(),
  price: z.number().int(),
  currency: z.string(),
});

/**
 * A row of the inbox: the lead, its product, and its WhatsApp conversation as a list shows it (the last message,
 * either way, and how many of the customer's messages came since someone last read the conversation).
 */
export const leadInboxItemSchema = leadSchema
  .extend({
    listing: leadListingSummarySchema.nullable(),
    lastMessage: z
      .object({ direction: z.enum(['IN', 'OUT']), text: z.string(), createdAt: isoInstant })
      .nullable(),
    unreadCount: z.number().int().min(0),
  })
  .meta({ id: 'LeadInboxItem' });
export type LeadInboxItem = z.infer<typeof leadInboxItemSchema>;

/** `POST /leads/{id}/messages/read`: the conversation is read up to now. */
export const conversationReadSchema = z
  .object({ leadId: id, unreadCount: z.literal(0), readAt: isoInstant })
  .meta({ id: 'ConversationRead' });
export type ConversationRead = z.infer<typeof conversationReadSchema>;

export const leadInboxQuery = z.object({
  status: z.enum(leadStatusFilters).optional(),
  branchId: id.optional(),
  assignedTo: id.optional(),
  priority: leadPriority.optional(),
  source: leadSource.optional(),
  q: textField().trim().min(1).max(100).optional(),
  sort: z.enum(leadSorts).default('priority'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: textField().min(1).max(500).optional(),
});
export type LeadInboxQuery = z.infer<typeof leadInboxQuery>;

export const updateLeadBody = z
  .object({
    status: leadStatus.optional(),
    assignedToUserId: id.nullable().optional(),
    priority: leadPriority.optional(),
    lostReason: lostReason.optional(),
    leadType: leadType.optional(),
    /** The value typed by hand, with its currency; null gives the lead back its automatic value. */
    value: minorUnits.nullable().optional(),
    currency: currency.optional(),
    version: z.number().int().min(1),
  })
  .refine((body) => Object.keys(body).length > 1, { message: 'nothing to change', path: ['status'] })
  .refine((body) => typeof body.value !== 'number' || body.currency !== undefined, {
    message: 'a value needs its currency',
    path: ['currency'],
  })
  .refine((body) => body.currency === undefined || typeof body.value === 'number', {
    message: 'a currency goes with a value',
    path: ['value'],
  });

export const leadEventSchema = z
  .object({
    id,
    leadId: id,
    type: z.string(),
    payload: z.record(z.string(), z.unknown()),
    actorUserId: id.nullable(),
    createdAt: isoInstant,
  })
  .meta({ id: 'LeadEvent' });

export const leadNoteSchema = z
  .object({ id, leadId: id, authorUserId: id, text: z.string(), createdAt: isoInstant })
  .meta({ id: 'LeadNote' });
export const createNoteBody = z.object({ text: textField().trim().min(1).max(5000) });

export const createLeadBody = z.object({
  branchId: id,
  contact: z
    .object({
      name: textField().trim().min(1).max(120).optional(),
      phone: textField().trim().min(5).max(32).optional(),
    })
    .default({}),
  listingId: id.optional(),
  message: textField().trim().min(1).max(4000).optional(),
  source: leadSource.default('MANUAL'),
  /** Only with source MANUAL: how the customer reached the shop. */
  channel: manualChannel.optional(),
  priority: leadPriority.optional(),
});
