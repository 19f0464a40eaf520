import { z } from 'zod';
import { id, isoInstant, textField } from './common';
import { leadContactSchema, leadPriority } from './leads';

export const ticketStatuses = ['OPEN', 'IN_PROGRESS', 'WAITING_CUSTOMER', 'RESOLVED', 'CLOSED'] as const;
export const ticketStatus = z.enum(ticketStatuses);
export type TicketStatus = z.infer<typeof ticketStatus>;

/**
 * The workflow of a ticket: work moves forward, a resolved one can be reopened, a closed one is final.
 * The API enforces it; the web offers only these moves.
 */
export const ticketTransitions: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  OPEN: ['IN_PROGRESS', 'WAITING_CUSTOMER', 'RESOLVED', 'CLOSED'],
  IN_PROGRESS: ['WAITING_CUSTOMER', 'RESOLVED', 'CLOSED'],
  WAITING_CUSTOMER: ['IN_PROGRESS', 'RESOLVED', 'CLOSED'],
  RESOLVED: ['IN_PROGRESS', 'CLOSED'],
  CLOSED: [],
};

export const canMoveTicket = (from: TicketStatus, to: TicketStatus) => ticketTransitions[from].includes(to);

const deviceText = textField().trim().min(1).max(120);
/** The device brought in for service; every part is optional (a walk-in may not know the model). */
export const ticketDevice = z
  .object({
    type: deviceText.optional(),
    brand: deviceText.optional(),
    model: deviceText.optional(),
    serial: deviceText.optional(),
  })
  .meta({ id: 'TicketDevice' });
export type TicketDevice = z.infer<typeof ticketDevice>;

export const ticketSchema = z
  .object({
    id,
    tenantId: id,
    branchId: id,
    /** Null for a ticket opened for a customer without a lead (until a quote made from it opens one). */
    leadId: id.nullable(),
    contact: leadContactSchema,
    subject: z.string(),
    description: z.string().nullable(),
    device: ticketDevice.nullable(),
    status: ticketStatus,
    priority: leadPriority,
    /** The SLA this ticket got from its priority: business hours of its branch. */
    slaHours: z.number().int(),
    slaDueAt: isoInstant,
    /** Past its due time and not resolved or closed (resolved late counts as breached too). */
    slaBreached: z.boolean(),
    assignedToUserId: id.nullable(),
    createdByUserId: id.nullable(),
    resolvedAt: isoInstant.nullable(),
    closedAt: isoInstant.nullable(),
    createdAt: isoInstant,
    updatedAt: isoInstant,
    version: z.number().int(),
  })
  .meta({ id: 'Ticket' });
export type Ticket = z.infer<typeof ticketSchema>;

export const convertToTicketBody = z
  .object({
    subject: textField().trim().min(1).max(200).optional(),
    description: textField().trim().min(1).max(5000).optional(),
    device: ticketDevice.optional(),
    priority: leadPriority.optional(),
  })
  .default({});

export const updateTicketBody = z
  .object({
    status: ticketStatus.optional(),
    subject: textField().trim().min(1).max(200).optional(),
    description: textField().trim().min(1).max(5000).nullable().optional(),
    device: ticketDevice.nullable().optional(),
    priority: leadPriority.optional(),
    assignedToUserId: id.nullable().optional(),
    version: z.number().int().min(1),
  })
  .refine((body) => Object.keys(body).length > 1, { message: 'nothing to change', path: ['status'] });

export const ticketSorts = ['slaDueAt', '-createdAt'] as const;
export const ticketsQuery = z.object({
  status: ticketStatus.optional(),
  /** `open` = every status but RESOLVED and CLOSED. */
  open: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  branchId: id.optional(),
  priority: leadPriority.optional(),
  leadId: id.optional(),
  sort: z.enum(ticketSorts).default('slaDueAt'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: textField().min(1).max(500).optional(),
});
export type TicketsQuery = z.infer<typeof ticketsQuery>;
