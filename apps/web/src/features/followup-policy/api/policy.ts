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

const isDay = (value: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));

/** One date per line (commas too); null when a line is not a YYYY-MM-DD date. */
export function parseHolidays(text: string): string[] | null {
  const days = text
    .split(/[\n,]+/)
    .map((line) => line.trim())
    .filter(Boolean);
  return days.every(isDay) ? [...new Set(days)].sort() : null;
}
