import { queryOptions } from '@tanstack/react-query';
import type { ContactConsent } from '@techmarket/contracts';
import { apiRequest } from '../../../lib/api-client';

export const consentQueryOptions = (contactId: string) =>
  queryOptions({
    queryKey: ['contacts', contactId, 'consent'],
    queryFn: ({ signal }) => apiRequest<ContactConsent>(`/contacts/${contactId}/consent`, { signal }),
    staleTime: 60_000,
  });

/** The customer said yes to promotions (lifts an earlier opt-out); `source` says where. */
export const giveConsent = (contactId: string, source: string) =>
  apiRequest<ContactConsent>(`/contacts/${contactId}/consent`, { method: 'POST', body: { source } });

/** No more promotions: out of every campaign, and their open reactivation tasks cancelled. */
export const optOut = (contactId: string) =>
  apiRequest<ContactConsent>(`/contacts/${contactId}/opt-out`, { method: 'POST' });
