import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Branch, CommerceSettings, Listing, User } from '@techmarket/contracts';
import { apiRequest } from './api-client';

/** Branches, team and catalog of the tenant: small lists that many screens use to name ids. */
export const branchesQueryOptions = (tenantId: string) =>
  queryOptions({
    queryKey: ['tenant', tenantId, 'branches'],
    queryFn: () => apiRequest<{ items: Branch[] }>(`/tenants/${tenantId}/branches`).then((r) => r.items),
    staleTime: 5 * 60_000,
  });

export const usersQueryOptions = (tenantId: string) =>
  queryOptions({
    queryKey: ['tenant', tenantId, 'users'],
    queryFn: () => apiRequest<{ items: User[] }>(`/tenants/${tenantId}/users`).then((r) => r.items),
    staleTime: 5 * 60_000,
  });

/** The first 200 listings (the API's page limit): enough to name the product on inbox rows. */
export const listingsQueryOptions = (tenantId: string) =>
  queryOptions({
    queryKey: ['tenant', tenantId, 'listings'],
    queryFn: () =>
      apiRequest<{ items: Listing[]; nextCursor: string | null }>(`/tenants/${tenantId}/listings`, {
        query: { limit: 200 },
      }).then((r) => r.items),
    staleTime: 5 * 60_000,
  });

/** Just these listings (a page of inbox rows' products: at most 200 ids a call). */
export const listingsByIdQueryOptions = (tenantId: string, ids: readonly string[]) =>
  queryOptions({
    queryKey: ['tenant', tenantId, 'listings', 'by-id', ids],
    queryFn: ({ signal }) =>
      apiRequest<{ items: Listing[]; nextCursor: string | null }>(`/tenants/${tenantId}/listings`, {
        query: { id: ids, limit: 200 },
        signal,
      }).then((r) => r.items),
    enabled: ids.length > 0,
    staleTime: 5 * 60_000,
  });

/** The shop's tax rule, quote validity and ticket SLAs (any role reads them; OWNER and MANAGER change them). */
export const commerceSettingsQueryOptions = (tenantId: string) =>
  queryOptions({
    queryKey: ['tenant', tenantId, 'commerce-settings'],
    queryFn: ({ signal }) =>
      apiRequest<CommerceSettings>(`/tenants/${tenantId}/commerce-settings`, { signal }),
    staleTime: 60_000,
  });

export const byId = <T extends { id: string }>(items: readonly T[] | undefined) =>
  new Map((items ?? []).map((item) => [item.id, item]));

/**
 * The time zone of a branch (its calendar sets a quote's validity and a ticket's SLA), else `fallback` (the
 * shop's) while the branches load or when the branch is unknown.
 */
export function useBranchTimeZone(
  tenantId: string | undefined,
  branchId: string | undefined,
  fallback: string,
) {
  const branches = useQuery({
    ...branchesQueryOptions(tenantId ?? ''),
    enabled: Boolean(tenantId && branchId),
  });
  return branches.data?.find((b) => b.id === branchId)?.timezone ?? fallback;
}
