import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { convertToTicketBody, LeadPriority, Ticket, TicketStatus } from '@techmarket/contracts';
import type { z } from 'zod';
import { ApiError, apiRequest } from '../../../lib/api-client';

export const ticketsKey = ['tickets'] as const;

export interface TicketFilters {
  open?: boolean | undefined;
  status?: TicketStatus | undefined;
  leadId?: string | undefined;
}

/** Tickets, soonest SLA first. */
export const ticketsQueryOptions = (tenantId: string, filters: TicketFilters) =>
  infiniteQueryOptions({
    queryKey: [...ticketsKey, 'list', tenantId, filters],
    queryFn: ({ pageParam, signal }) =>
      apiRequest<{ items: Ticket[]; nextCursor: string | null }>(`/tenants/${tenantId}/tickets`, {
        query: {
          open: filters.open === undefined ? undefined : String(filters.open),
          status: filters.status,
          leadId: filters.leadId,
          limit: 50,
          cursor: pageParam,
        },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 15_000,
  });

export const ticketQueryOptions = (ticketId: string) =>
  queryOptions({
    queryKey: [...ticketsKey, 'detail', ticketId],
    queryFn: ({ signal }) => apiRequest<Ticket>(`/tickets/${ticketId}`, { signal }),
  });

export type ConvertInput = z.input<typeof convertToTicketBody>;

export const convertToTicket = (leadId: string, input: ConvertInput) =>
  apiRequest<Ticket>(`/leads/${leadId}/convert-to-ticket`, { method: 'POST', body: input });

/** The ticket a lead already has, carried by the 409 of a second conversion. */
export function existingTicket(error: unknown): Ticket | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const ticket = (error.problem as { ticket?: Ticket } | null)?.ticket;
  return ticket ?? null;
}

export interface TicketChange {
  status?: TicketStatus;
  priority?: LeadPriority;
  assignedToUserId?: string | null;
  version: number;
}

export const updateTicket = (ticketId: string, change: TicketChange) =>
  apiRequest<Ticket>(`/tickets/${ticketId}`, { method: 'PATCH', body: change });
