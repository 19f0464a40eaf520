import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type {
  CreateQuoteInput,
  Listing,
  LostReason,
  Quote,
  QuoteStatus,
  UpdateQuoteInput,
} from '@techmarket/contracts';
import { apiRequest, buildUrl } from '../../../lib/api-client';

export const quotesKey = ['quotes'] as const;

export const quotesQueryOptions = (tenantId: string, filters: { status?: QuoteStatus | undefined }) =>
  infiniteQueryOptions({
    queryKey: [...quotesKey, 'list', tenantId, filters],
    queryFn: ({ pageParam, signal }) =>
      apiRequest<{ items: Quote[]; nextCursor: string | null }>(`/tenants/${tenantId}/quotes`, {
        query: { status: filters.status, limit: 50, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 15_000,
  });

export const quoteQueryOptions = (quoteId: string) =>
  queryOptions({
    queryKey: [...quotesKey, 'detail', quoteId],
    queryFn: ({ signal }) => apiRequest<Quote>(`/quotes/${quoteId}`, { signal }),
  });

/** Active catalog items matching the search (name or SKU), for the quote builder. */
export const catalogSearchQueryOptions = (tenantId: string, q: string) =>
  queryOptions({
    queryKey: ['tenant', tenantId, 'listings', 'search', q],
    queryFn: ({ signal }) =>
      apiRequest<{ items: Listing[]; nextCursor: string | null }>(`/tenants/${tenantId}/listings`, {
        query: { q: q || undefined, active: 'true', limit: 20 },
        signal,
      }).then((r) => r.items),
    staleTime: 60_000,
  });

export type QuoteItemInput = CreateQuoteInput['items'][number];

export const createQuote = (leadId: string, input: CreateQuoteInput) =>
  apiRequest<Quote>(`/leads/${leadId}/create-quote`, { method: 'POST', body: input });

/** A quote made from a ticket: on the ticket's lead (one is opened for a ticket without). */
export const createTicketQuote = (ticketId: string, input: CreateQuoteInput) =>
  apiRequest<Quote>(`/tickets/${ticketId}/create-quote`, { method: 'POST', body: input });

/** A DRAFT's new lines (priced again by the server, under the tax rule copied onto the quote) and notes. */
export const editQuote = (
  quote: Pick<Quote, 'id' | 'version'>,
  changes: Pick<UpdateQuoteInput, 'items' | 'notes'>,
) =>
  apiRequest<Quote>(`/quotes/${quote.id}`, {
    method: 'PATCH',
    body: { ...changes, version: quote.version },
  });

export interface SentQuote {
  quote: Quote;
  pdfUrl: string;
  pdfUrlExpiresAt: string;
  whatsappUrl: string;
  message: string;
}

export const sendQuote = (quoteId: string) =>
  apiRequest<SentQuote>(`/quotes/${quoteId}/send`, { method: 'POST' });

/** Every public link sent so far stops opening; sending the quote again issues a fresh one. */
export const revokeQuoteLink = (quoteId: string) =>
  apiRequest<Quote>(`/quotes/${quoteId}/revoke-link`, { method: 'POST' });

/** The customer's answer: ACCEPTED wins the lead; REJECTED, with a reason, loses it (unless another quote is open). */
export const decideQuote = (
  quote: Pick<Quote, 'id' | 'version'>,
  decision: { status: 'ACCEPTED' } | { status: 'REJECTED'; lostReason: LostReason },
) =>
  apiRequest<Quote>(`/quotes/${quote.id}`, {
    method: 'PATCH',
    body: { ...decision, version: quote.version },
  });

/** The signed-in PDF (the session cookie opens it in a new tab). */
export const quotePdfUrl = (quoteId: string) => buildUrl(`/quotes/${quoteId}/pdf`);
