import { queryOptions } from '@tanstack/react-query';
import type {
  channelTestResultSchema,
  WhatsappChannel,
  WhatsappChannelInput,
  WhatsappChannelList,
  WhatsappTemplateList,
} from '@techmarket/contracts';
import type { z } from 'zod';
import { apiRequest } from '../../../lib/api-client';

export type ChannelTestResult = z.infer<typeof channelTestResultSchema>;

const channelUrl = (tenantId: string, branchId: string) =>
  `/tenants/${tenantId}/branches/${branchId}/whatsapp-channel`;

export const channelsKey = (tenantId: string) => ['tenant', tenantId, 'whatsapp-channels'] as const;

/** Every branch's channel in one call (a branch without one is simply not listed: no 404s in the console). */
export const channelsQueryOptions = (tenantId: string) =>
  queryOptions({
    queryKey: channelsKey(tenantId),
    queryFn: ({ signal }) =>
      apiRequest<WhatsappChannelList>(`/tenants/${tenantId}/whatsapp-channels`, { signal }).then(
        (r) => r.items,
      ),
  });

export const connectChannel = (tenantId: string, branchId: string, body: WhatsappChannelInput) =>
  apiRequest<WhatsappChannel>(channelUrl(tenantId, branchId), { method: 'PUT', body });

export const disconnectChannel = (tenantId: string, branchId: string) =>
  apiRequest<void>(channelUrl(tenantId, branchId), { method: 'DELETE' });

export const testChannel = (tenantId: string, branchId: string) =>
  apiRequest<ChannelTestResult>(`${channelUrl(tenantId, branchId)}/test`, { method: 'POST' });

export const syncTemplates = (tenantId: string, branchId: string) =>
  apiRequest<WhatsappTemplateList>(`${channelUrl(tenantId, branchId)}/templates/sync`, { method: 'POST' });
