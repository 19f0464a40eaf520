import { type QueryClient, queryOptions } from '@tanstack/react-query';
import type {
  Conversation,
  MessageStreamEvent,
  WhatsappMessage,
  WhatsappTemplateList,
} from '@techmarket/contracts';
import type { TFunction } from 'i18next';
import { ApiError, apiRequest } from './api-client';
import { fieldErrorSentence } from './problem-message';

/**
 * What the lead page and the settings share of the WhatsApp channel: a lead's conversation (its query key, kept
 * current by the live stream) and the templates of a branch's business account.
 */

export const conversationKey = (leadId: string) => ['whatsapp-conversation', leadId] as const;

/** Pages of 200, oldest first, until the end (at most 5 pages: the 1,000 latest-loaded messages). */
export const conversationQueryOptions = (leadId: string) =>
  queryOptions({
    queryKey: conversationKey(leadId),
    queryFn: async ({ signal }) => {
      let page = await apiRequest<Conversation>(`/leads/${leadId}/messages`, {
        query: { limit: 200 },
        signal,
      });
      const items = [...page.items];
      for (let n = 1; page.nextCursor && n < 5; n++) {
        page = await apiRequest<Conversation>(`/leads/${leadId}/messages`, {
          query: { limit: 200, cursor: page.nextCursor },
          signal,
        });
        items.push(...page.items);
      }
      return { ...page, items, nextCursor: null };
    },
  });

/** A message as it stands now into the cached conversation: replaced where known, else added in time order. */
export function upsertMessage(queryClient: QueryClient, leadId: string, message: WhatsappMessage) {
  queryClient.setQueryData<Conversation>(conversationKey(leadId), (old) => {
    if (!old) return old;
    const known = old.items.some((m) => m.id === message.id);
    const items = known
      ? old.items.map((m) => (m.id === message.id ? message : m))
      : [...old.items, message].sort(
          (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
        );
    return { ...old, items };
  });
}

/** The `{leadId, message}` a `message.created` or `message.updated` event carries, or null. */
export function parseMessageEvent(data: string): MessageStreamEvent | null {
  try {
    const parsed = JSON.parse(data) as Partial<MessageStreamEvent>;
    return typeof parsed.leadId === 'string' && typeof parsed.message?.id === 'string'
      ? (parsed as MessageStreamEvent)
      : null;
  } catch {
    return null;
  }
}

export const templatesKey = (tenantId: string, branchId: string) =>
  ['tenant', tenantId, 'whatsapp-templates', branchId] as const;

/** The branch's synced templates; an empty list when the branch has no channel (404). */
export const templatesQueryOptions = (tenantId: string, branchId: string) =>
  queryOptions({
    queryKey: templatesKey(tenantId, branchId),
    queryFn: ({ signal }) =>
      apiRequest<WhatsappTemplateList>(
        `/tenants/${tenantId}/branches/${branchId}/whatsapp-channel/templates`,
        { signal },
      ).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return { items: [] };
        throw error;
      }),
    staleTime: 60_000,
  });

/** The failure of one field (`text`, `template.name`, `body.text`...) in the person's words, to show under it. */
export function fieldError(error: unknown, t: TFunction, ...paths: string[]): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const failure = error.problem?.errors?.find((e) => paths.includes(e.path.replace(/^body\./, '')));
  return failure && fieldErrorSentence(failure, t);
}
