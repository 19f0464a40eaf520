import { queryOptions } from '@tanstack/react-query';
import type { ShopFacts, UpdateShopFactsInput } from '@techmarket/contracts';
import { apiRequest } from '../../../lib/api-client';

/** What the shop tells customers, as the assistant's replies answer from it. */
export const shopFactsQueryOptions = (tenantId: string) =>
  queryOptions({
    queryKey: ['tenant', tenantId, 'shop-facts'],
    queryFn: ({ signal }) => apiRequest<ShopFacts>(`/tenants/${tenantId}/shop-facts`, { signal }),
    staleTime: 60_000,
  });

/** The whole description at once, with the version it was read at (409 when someone saved in between). */
export const putShopFacts = (tenantId: string, input: UpdateShopFactsInput) =>
  apiRequest<ShopFacts>(`/tenants/${tenantId}/shop-facts`, { method: 'PUT', body: input });
