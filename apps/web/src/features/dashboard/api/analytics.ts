import { queryOptions } from '@tanstack/react-query';
import type { AssistantKpis, Kpis, Reputation, Revenue } from '@techmarket/contracts';
import type { TFunction } from 'i18next';
import { apiRequest } from '../../../lib/api-client';
import { instantAt } from '../../../lib/zoned-time';

export interface KpiFilters {
  from: string;
  to: string;
  branchId?: string | undefined;
}

/** The groupings the dashboard reads: per branch (win rate by branch) and per local day (the trends). */
export type DashboardGrouping = 'branch' | 'day';

/**
 * KPIs of the period with one row per branch or per day of the shop's calendar (days in its time zone; a day
 * with neither a lead created nor a task due has no row).
 */
export const kpisQueryOptions = (tenantId: string, filters: KpiFilters, groupBy: DashboardGrouping) =>
  queryOptions({
    queryKey: ['analytics', tenantId, 'kpis', groupBy, filters],
    queryFn: ({ signal }) =>
      apiRequest<Kpis>(`/tenants/${tenantId}/kpis`, {
        // The trends show no comparison with the period before: the API spares its queries.
        query: { ...filters, groupBy, ...(groupBy === 'day' ? { compare: 'false' } : {}) },
        signal,
      }),
    staleTime: 60_000,
  });

export const reputationQueryOptions = (tenantId: string) =>
  queryOptions({
    queryKey: ['analytics', tenantId, 'reputation'],
    queryFn: ({ signal }) => apiRequest<Reputation>(`/tenants/${tenantId}/reputation`, { signal }),
    staleTime: 5 * 60_000,
  });

/** [from, to) covering the chosen days in the shop's time zone: from the start of `fromDay` to the end of `toDay`. */
export function periodOf(fromDay: string, toDay: string, timeZone: string): { from: string; to: string } {
  return {
    from: new Date(instantAt(fromDay, timeZone)).toISOString(),
    to: new Date(instantAt(toDay, timeZone, 0, 0, 1)).toISOString(),
  };
}

/** Minutes as "12 min" or "3,5 h". */
export function formatMinutes(minutes: number | null, locale: string, t: TFunction) {
  if (minutes === null) return t('dashboard.noData');
  if (minutes < 90)
    return t('dashboard.minutes', {
      value: new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(minutes),
    });
  return t('dashboard.hours', {
    value: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(minutes / 60),
  });
}

export const formatRate = (rate: number | null, locale: string, noData: string) =>
  rate === null
    ? noData
    : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(rate);

/** The period's money: the open pipeline per stage, and revenue won by source, branch, seller and campaign. */
export const revenueQueryOptions = (tenantId: string, filters: KpiFilters) =>
  queryOptions({
    queryKey: ['analytics', tenantId, 'revenue', filters],
    queryFn: ({ signal }) =>
      apiRequest<Revenue>(`/tenants/${tenantId}/kpis/revenue`, { query: { ...filters }, signal }),
    staleTime: 60_000,
  });

/** The period's acceptance of the assistant's suggested replies, and the typing time it saved. */
export const assistantKpisQueryOptions = (tenantId: string, filters: KpiFilters) =>
  queryOptions({
    queryKey: ['analytics', tenantId, 'assistant', filters],
    queryFn: ({ signal }) =>
      apiRequest<AssistantKpis>(`/tenants/${tenantId}/kpis/assistant`, { query: { ...filters }, signal }),
    staleTime: 60_000,
  });
