import { queryOptions } from '@tanstack/react-query';
import type {
  channelTestResultSchema,
  WhatsappChannel,
  WhatsappChannelInput,
  WhatsappTemplateList,
} from '@techmarket/contracts';
import type { z } from 'zod';
import { ApiError, apiRequest } from '../../../lib/api-client';

export type ChannelTestResult = z.infer<typeof channelTestResultSchema>;

const channelUrl = (tenantId: string, branchId: string) =>
  `/tenants/${tenantId}/branches/${branchId}/whatsapp-channel`;

export const channelKey = (tenantId: string, branchId: string) =>
  ['tenant', tenantId, 'whatsapp-channel', branchId] as const;

/** The branch's channel, or null when none is connected (the API's 404). */
export const channelQueryOptions = (tenantId: string, branchId: string) =>
  queryOptions({
    queryKey: channelKey(tenantId, branchId),
    queryFn: ({ signal }) =>
      apiRequest<WhatsappChannel>(channelUrl(tenantId, branchId), { signal }).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }),
  });

export const connectChannel = (tenantId: string, branchId: string, body: WhatsappChannelInput) =>
  apiRequest<WhatsappChannel>(channelUrl(tenantId, branchId), { method: 'PUT', body });

export const disconnectChannel = (tenantId: string, branchId: string) =>
  apiRequest<void>(channelUrl(tenantId, branchId), { method: 'DELETE' });

export const testChannel = (tenantId: string, branchId: string) =>
  apiRequest<ChannelTestResult>(`${channelUrl(tenantId, branchId)}/test`, { method: 'POST' });

export const syncTemplates = (tenantId: string, branchId: string) =>
  apiRequest<WhatsappTemplateList>(`${channelUrl(tenantId, branchId)}/templates/sync`, { method: 'POST' });
