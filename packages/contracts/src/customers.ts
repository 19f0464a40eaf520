import { z } from 'zod';
import { id, isoInstant, textField } from './common';
import { leadPriority, leadSource, leadStatus } from './leads';
import { ticketDevice } from './tickets';

/**
 * The shop's customers: one person across every branch, their leads, tickets, quotes, messages and consent on one
 * timeline; edited by people, and merged when two records are one person.
 */

const tag = textField().trim().min(1).max(40);

export const customerSchema = z
  .object({
    id,
    tenantId: id,
    name: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    marketplaceUserId: z.string().nullable(),
    tags: z.array(z.string()),
    notes: z.string().nullable(),
    marketingConsent: z.boolean(),
    consentAt: isoInstant.nullable(),
    optedOutAt: isoInstant.nullable(),
    /** When the customer's personal data was erased on their request or by the retention period; null if never. */
    erasedAt: isoInstant.nullable(),
    createdAt: isoInstant,
    updatedAt: isoInstant,
    version: z.number().int(),
  })
  .meta({ id: 'Customer' });
export type Customer = z.infer<typeof customerSchema>;

/** A row of the customers list: the customer and how their leads stand. */
export const customerListItemSchema = customerSchema
  .extend({
    openLeads: z.number().int().min(0),
    leads: z.number().int().min(0),
    /** The latest activity of any of their leads, or when the customer was created. */
    lastActivityAt: isoInstant,
  })
  .meta({ id: 'CustomerListItem' });
export type CustomerListItem = z.infer<typeof customerListItemSchema>;

export const customerConsentFilters = ['GIVEN', 'NONE', 'OPTED_OUT'] as const;

export const customersQuery = z.object({
  /** A name (any part), an e-mail, a phone however it is typed, or a lead's reference code. */
  q: textField().trim().min(1).max(100).optional(),
  /** Customers with a lead or ticket at this branch. */
  branchId: id.optional(),
  consent: z.enum(customerConsentFilters).optional(),
  hasOpenLead: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  tag: tag.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: textField().min(1).max(500).optional(),
});
export type CustomersQuery = z.output<typeof customersQuery>;

/** One thing on a customer's timeline, from any branch. `type`: the event type, message direction, or status. */
export const customerTimelineKinds = ['EVENT', 'MESSAGE', 'TICKET', 'QUOTE'] as const;
export const customerTimelineItemSchema = z
  .object({
    kind: z.enum(customerTimelineKinds),
    id,
    at: isoInstant,
    leadId: id.nullable(),
    branchId: id.nullable(),
    type: z.string(),
    /** What the screen shows: the event's payload; a message's text; a ticket's subject; a quote's number and total. */
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'CustomerTimelineItem' });
export type CustomerTimelineItem = z.infer<typeof customerTimelineItemSchema>;

export const customerTimelinePageSchema = z
  .object({ items: z.array(customerTimelineItemSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'CustomerTimelinePage' });

export const customerTimelineQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: textField().min(1).max(500).optional(),
});

export const customerLeadSchema = z.object({
  id,
  branchId: id,
  status: leadStatus,
  source: leadSource,
  refCode: z.string().nullable(),
  createdAt: isoInstant,
  lastActivityAt: isoInstant,
});

export const customerTicketSchema = z.object({
  id,
  branchId: id,
  leadId: id.nullable(),
  subject: z.string(),
  status: z.string(),
  createdAt: isoInstant,
});

export const customerDetailSchema = customerSchema
  .extend({
    leads: z.array(customerLeadSchema),
    tickets: z.array(customerTicketSchema),
    timeline: customerTimelinePageSchema,
  })
  .meta({ id: 'CustomerDetail' });
export type CustomerDetail = z.infer<typeof customerDetailSchema>;

/** `PATCH /contacts/{id}`: the phone as typed (read in the shop's country), stored E.164. */
export const updateCustomerBody = z
  .object({
    name: textField().trim().min(1).max(200).nullable().optional(),
    phone: textField().trim().min(3).max(40).nullable().optional(),
    email: z.email().max(200).nullable().optional(),
    tags: z.array(tag).max(30).optional(),
    notes: textField().trim().max(5000).nullable().optional(),
    version: z.number().int().min(1),
  })
  .refine((body) => Object.keys(body).length > 1, { message: 'nothing to change', path: ['name'] });
export type UpdateCustomerInput = z.output<typeof updateCustomerBody>;

/** Why a customer is suggested as the same person. */
export const duplicateReasons = ['SAME_PHONE', 'SAME_MARKETPLACE_USER', 'SIMILAR_NAME_SAME_DIGITS'] as const;
export const customerDuplicateSchema = z
  .object({
    customer: customerSchema,
    reasons: z.array(z.enum(duplicateReasons)),
    /** What a merge into this customer would move. */
    belongings: z.object({
      leads: z.number().int(),
      tickets: z.number().int(),
      quotes: z.number().int(),
      events: z.number().int(),
      messages: z.number().int(),
    }),
  })
  .meta({ id: 'CustomerDuplicate' });
export type CustomerDuplicate = z.infer<typeof customerDuplicateSchema>;
export const customerDuplicatesSchema = z.object({ items: z.array(customerDuplicateSchema) });

export const mergeCustomersBody = z.object({
  /** The other record of the same person: everything it has moves to this customer, and it is removed. */
  duplicateId: id,
  /** This customer's version, as read: when sent, a stale one is a 409. */
  version: z.number().int().min(1).optional(),
});
export type MergeCustomersInput = z.output<typeof mergeCustomersBody>;

/** `POST /contacts/{id}/merge`: the survivor as `GET /contacts/{id}` answers it, and what moved to it. */
export const mergedCustomerSchema = customerDetailSchema
  .extend({
    merged: z.object({
      duplicateId: id,
      moved: z.object({
        leads: z.number().int(),
        tickets: z.number().int(),
        quotes: z.number().int(),
        events: z.number().int(),
        messages: z.number().int(),
        /** The other's consent changes (CONSENT_CHANGED on its leads), kept with them. */
        consentChanges: z.number().int(),
      }),
    }),
  })
  .meta({ id: 'MergedCustomers' });
export type MergedCustomers = z.infer<typeof mergedCustomerSchema>;

/** `POST /contacts/{id}/tickets`: a ticket for the customer, with no lead behind it. */
export const openCustomerTicketBody = z.object({
  branchId: id,
  subject: textField().trim().min(1).max(200),
  description: textField().trim().min(1).max(5000).optional(),
  device: ticketDevice.optional(),
  priority: leadPriority.optional(),
});
export type OpenCustomerTicketInput = z.output<typeof openCustomerTicketBody>;
