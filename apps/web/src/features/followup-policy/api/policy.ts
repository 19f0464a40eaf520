import { queryOptions } from '@tanstack/react-query';
import type { FollowupPolicy, putFollowupPolicyBody } from '@techmarket/contracts';
import type { z } from 'zod';
import { apiRequest } from '../../../lib/api-client';

export const policyQueryOptions = (tenantId: string) =>
  queryOptions({
    queryKey: ['tenant', tenantId, 'followup-policy'],
    queryFn: ({ signal }) => apiRequest<FollowupPolicy>(`/tenants/${tenantId}/followup-policy`, { signal }),
  });

export type PolicyInput = z.input<typeof putFollowupPolicyBody>;

export const putPolicy = (tenantId: string, input: PolicyInput) =>
  apiRequest<FollowupPolicy>(`/tenants/${tenantId}/followup-policy`, { method: 'PUT', body: input });
