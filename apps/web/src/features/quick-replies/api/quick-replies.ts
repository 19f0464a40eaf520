import { queryOptions } from '@tanstack/react-query';
import type { CreateQuickReplyInput, QuickReply, UpdateQuickReplyInput } from '@techmarket/contracts';
import { apiRequest } from '../../../lib/api-client';

export const quickRepliesKey = (tenantId: string) => ['tenant', tenantId, 'quick-replies'] as const;

/** The shop's quick replies (one page holds them all: at most 200 are listed). */
export const quickRepliesQueryOptions = (tenantId: string) =>
  queryOptions({
    queryKey: quickRepliesKey(tenantId),
    queryFn: ({ signal }) =>
      apiRequest<{ items: QuickReply[]; nextCursor: string | null }>(`/tenants/${tenantId}/quick-replies`, {
        query: { limit: 200 },
        signal,
      }).then((page) => page.items),
    staleTime: 60_000,
  });

export const createQuickReply = (tenantId: string, input: CreateQuickReplyInput) =>
  apiRequest<QuickReply>(`/tenants/${tenantId}/quick-replies`, { method: 'POST', body: input });

export const updateQuickReply = (id: string, input: UpdateQuickReplyInput) =>
  apiRequest<QuickReply>(`/quick-replies/${id}`, { method: 'PATCH', body: input });

export const deleteQuickReply = (id: string) =>
  apiRequest<null>(`/quick-replies/${id}`, { method: 'DELETE' });
