import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type {
  Assistance,
  createLeadBody,
  Lead,
  LeadCounts,
  LeadDetail,
  LeadInboxItem,
  LeadInboxQuery,
  LeadPriority,
  LeadSource,
  LeadStatus,
  LeadStatusFilter,
  LostReason,
  leadEventSchema,
  leadNoteSchema,
} from '@techmarket/contracts';
import type { z } from 'zod';
import { apiRequest } from '../../../lib/api-client';
import type { Me } from '../../../lib/session';

export type LeadEvent = z.infer<typeof leadEventSchema>;
export type LeadNote = z.infer<typeof leadNoteSchema>;

/**
 * The inbox as its URL says it. What is left out is the default: the open stages (`status=ALL` shows every
 * stage), longest-waiting first, and a seller's own leads (`scope=team` shows the team's) or, for an owner or a
 * manager, everyone's (`scope=mine` shows theirs).
 */
export interface InboxFilters {
  status?: LeadStatusFilter | 'ALL' | undefined;
  scope?: 'mine' | 'team' | undefined;
  branchId?: string | undefined;
  assignedTo?: string | undefined;
  priority?: LeadPriority | undefined;
  source?: LeadSource | undefined;
  q?: string | undefined;
  sort?: LeadInboxQuery['sort'] | undefined;
}

/** What the inbox asks the API (`GET /tenants/{id}/leads`). */
export interface InboxQuery {
  status?: LeadStatusFilter | undefined;
  branchId?: string | undefined;
  assignedTo?: string | undefined;
  priority?: LeadPriority | undefined;
  source?: LeadSource | undefined;
  q?: string | undefined;
  sort: LeadInboxQuery['sort'];
}

export const inboxScopeOf = (filters: InboxFilters, me: Pick<Me, 'user'>): 'mine' | 'team' =>
  filters.scope ?? (me.user.role === 'SELLER' ? 'mine' : 'team');

/** The URL's filters with their defaults filled in for the signed-in person. */
export function inboxQueryFor(filters: InboxFilters, me: Pick<Me, 'user'>): InboxQuery {
  const status = filters.status ?? 'OPEN';
  const assignedTo = inboxScopeOf(filters, me) === 'mine' ? me.user.id : filters.assignedTo;
  return {
    ...(status === 'ALL' ? {} : { status }),
    ...(filters.branchId ? { branchId: filters.branchId } : {}),
    ...(assignedTo ? { assignedTo } : {}),
    ...(filters.priority ? { priority: filters.priority } : {}),
    ...(filters.source ? { source: filters.source } : {}),
    ...(filters.q ? { q: filters.q } : {}),
    sort: filters.sort ?? 'waiting',
  };
}

/** Every lead query starts with this key, so one invalidation refreshes inbox, board and lead views. */
export const leadsKey = ['leads'] as const;

export const inboxQueryOptions = (tenantId: string, filters: InboxQuery, limit = 50) =>
  infiniteQueryOptions({
    queryKey: [...leadsKey, 'inbox', tenantId, filters, limit],
    queryFn: ({ pageParam, signal }) =>
      apiRequest<{ items: LeadInboxItem[]; nextCursor: string | null }>(`/tenants/${tenantId}/leads`, {
        query: { ...filters, limit, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 15_000,
  });

export const leadQueryOptions = (leadId: string) =>
  queryOptions({
    queryKey: [...leadsKey, 'detail', leadId],
    queryFn: ({ signal }) => apiRequest<LeadDetail>(`/leads/${leadId}`, { signal }),
  });

export const leadEventsQueryOptions = (leadId: string) =>
  queryOptions({
    queryKey: [...leadsKey, 'events', leadId],
    queryFn: ({ signal }) =>
      apiRequest<{ items: LeadEvent[] }>(`/leads/${leadId}/events`, { signal }).then((r) => r.items),
  });

export interface LeadChange {
  status?: LeadStatus;
  assignedToUserId?: string | null;
  priority?: LeadPriority;
  lostReason?: LostReason;
  /** A value typed by hand (minor units) with its currency; null: back to the automatic value. */
  value?: number | null;
  currency?: string;
  version: number;
}

export const updateLead = (leadId: string, change: LeadChange) =>
  apiRequest<Lead>(`/leads/${leadId}`, { method: 'PATCH', body: change });

/** The lead page shows the conversation: nothing in it is unread any more (the inbox badge goes). */
export const markConversationRead = (leadId: string) =>
  apiRequest<{ leadId: string; unreadCount: 0; readAt: string }>(`/leads/${leadId}/messages/read`, {
    method: 'POST',
  });

/** A lead entered by hand (a walk-in, a call, an Instagram message): 201 with the lead, assigned by the API. */
export const createLead = (tenantId: string, input: z.input<typeof createLeadBody>) =>
  apiRequest<Lead>(`/tenants/${tenantId}/leads`, { method: 'POST', body: input });

export const addNote = (leadId: string, text: string) =>
  apiRequest<LeadNote>(`/leads/${leadId}/notes`, { method: 'POST', body: { text } });

/** One board column: the most recently active leads of a status, each with its product. */
export const boardColumnQueryOptions = (
  tenantId: string,
  status: LeadStatus,
  branchId: string | undefined,
  limit = 50,
) =>
  queryOptions({
    queryKey: [...leadsKey, 'board', tenantId, status, branchId ?? null, limit],
    queryFn: ({ signal }) =>
      apiRequest<{ items: LeadInboxItem[]; nextCursor: string | null }>(`/tenants/${tenantId}/leads`, {
        query: { status, branchId, sort: '-lastActivityAt', limit },
        signal,
      }),
    staleTime: 15_000,
  });

/** The status chips count the leads of the inbox's branch and person, whatever the stage shown. */
export const inboxCountsFilter = (query: InboxQuery): { branchId?: string; assignedTo?: string } => ({
  ...(query.branchId ? { branchId: query.branchId } : {}),
  ...(query.assignedTo ? { assignedTo: query.assignedTo } : {}),
});

/**
 * Leads per status under the caller's scope (`GET /tenants/{id}/leads/counts`), and what each status is worth:
 * the inbox's status chips and the board's column heads.
 */
export const leadCountsQueryOptions = (
  tenantId: string,
  filter: { branchId?: string; assignedTo?: string },
) =>
  queryOptions({
    queryKey: [...leadsKey, 'counts', tenantId, filter],
    queryFn: ({ signal }) =>
      apiRequest<LeadCounts>(`/tenants/${tenantId}/leads/counts`, { query: filter, signal }),
    staleTime: 15_000,
  });

export const askAssistant = (leadId: string) =>
  apiRequest<Assistance>(`/leads/${leadId}/assist`, { method: 'POST' });

export const assistanceFeedback = (
  leadId: string,
  assistanceId: string,
  outcome: 'USED' | 'EDITED' | 'IGNORED',
) =>
  apiRequest<unknown>(`/leads/${leadId}/assist/${assistanceId}/feedback`, {
    method: 'POST',
    body: { outcome },
  });
