import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type {
  Customer,
  CustomerDetail,
  CustomerDuplicate,
  CustomerListItem,
  CustomerTimelineItem,
  MergeCustomersInput,
  MergedCustomers,
  OpenCustomerTicketInput,
  Ticket,
  UpdateCustomerInput,
} from '@techmarket/contracts';
import { apiRequest } from '../../../lib/api-client';

export const customersKey = ['customers'] as const;

/** The list's filters as the screen holds them; what is absent is not filtered. */
export interface CustomerFilters {
  q?: string | undefined;
  branchId?: string | undefined;
  consent?: 'GIVEN' | 'NONE' | 'OPTED_OUT' | undefined;
  hasOpenLead?: boolean | undefined;
  tag?: string | undefined;
}

export const customersQueryOptions = (tenantId: string, filters: CustomerFilters) =>
  infiniteQueryOptions({
    queryKey: [...customersKey, 'list', tenantId, filters],
    queryFn: ({ pageParam, signal }) =>
      apiRequest<{ items: CustomerListItem[]; nextCursor: string | null }>(`/tenants/${tenantId}/contacts`, {
        query: {
          q: filters.q,
          branchId: filters.branchId,
          consent: filters.consent,
          hasOpenLead: filters.hasOpenLead === undefined ? undefined : String(filters.hasOpenLead),
          tag: filters.tag,
          limit: 50,
          cursor: pageParam,
        },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 15_000,
  });

export const customerQueryOptions = (tenantId: string, customerId: string) =>
  queryOptions({
    queryKey: [...customersKey, 'detail', tenantId, customerId],
    queryFn: ({ signal }) => apiRequest<CustomerDetail>(`/contacts/${customerId}`, { signal }),
  });

/** The customer's history after the first page, which the customer's own answer carries. */
export const customerTimelineQueryOptions = (tenantId: string, customerId: string) =>
  infiniteQueryOptions({
    queryKey: [...customersKey, 'timeline', tenantId, customerId],
    queryFn: ({ pageParam, signal }) =>
      apiRequest<{ items: CustomerTimelineItem[]; nextCursor: string | null }>(
        `/contacts/${customerId}/timeline`,
        { query: { limit: 50, cursor: pageParam }, signal },
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const duplicatesQueryOptions = (tenantId: string, customerId: string) =>
  queryOptions({
    queryKey: [...customersKey, 'duplicates', tenantId, customerId],
    queryFn: ({ signal }) =>
      apiRequest<{ items: CustomerDuplicate[] }>(`/contacts/${customerId}/duplicates`, { signal }),
  });

export const updateCustomer = (customerId: string, input: UpdateCustomerInput) =>
  apiRequest<Customer>(`/contacts/${customerId}`, { method: 'PATCH', body: input });

/** Answers the survivor as its page reads it, with what moved (`merged`). */
export const mergeCustomers = (customerId: string, input: MergeCustomersInput) =>
  apiRequest<MergedCustomers>(`/contacts/${customerId}/merge`, { method: 'POST', body: input });

export const openCustomerTicket = (customerId: string, input: OpenCustomerTicketInput) =>
  apiRequest<Ticket>(`/contacts/${customerId}/tickets`, { method: 'POST', body: input });
