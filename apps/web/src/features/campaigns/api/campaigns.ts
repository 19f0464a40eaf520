import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type {
  Campaign,
  CampaignBreakdown,
  CampaignMetrics,
  CampaignStatus,
  CampaignType,
  MetricTotals,
  ReactivationRun,
  ReactivationSettings,
  Segment,
  SegmentPreview,
} from '@techmarket/contracts';
import { apiRequest } from '../../../lib/api-client';

/** Every campaign query starts with this key: a change refreshes lists, detail and figures. */
export const campaignsKey = ['campaigns'] as const;

export const campaignsQueryOptions = (tenantId: string, filters: { status?: CampaignStatus | undefined }) =>
  infiniteQueryOptions({
    queryKey: [...campaignsKey, 'list', tenantId, filters],
    queryFn: ({ pageParam, signal }) =>
      apiRequest<{ items: Campaign[]; nextCursor: string | null }>(`/tenants/${tenantId}/campaigns`, {
        query: { status: filters.status, limit: 50, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 15_000,
  });

export const campaignQueryOptions = (campaignId: string) =>
  queryOptions({
    queryKey: [...campaignsKey, 'detail', campaignId],
    queryFn: ({ signal }) => apiRequest<Campaign>(`/campaigns/${campaignId}`, { signal }),
  });

/** Local days (YYYY-MM-DD, the shop's calendar); left out, the API picks the campaign's days to today. */
export interface MetricRange {
  from?: string | undefined;
  to?: string | undefined;
}

export const campaignMetricsQueryOptions = (campaignId: string, range: MetricRange) =>
  queryOptions({
    queryKey: [...campaignsKey, 'metrics', campaignId, range],
    queryFn: ({ signal }) =>
      apiRequest<CampaignMetrics>(`/campaigns/${campaignId}/metrics`, { query: { ...range }, signal }),
    staleTime: 30_000,
  });

export const campaignBreakdownQueryOptions = (campaignId: string, range: MetricRange) =>
  queryOptions({
    queryKey: [...campaignsKey, 'breakdown', campaignId, range],
    queryFn: ({ signal }) =>
      apiRequest<CampaignBreakdown>(`/campaigns/${campaignId}/breakdown`, { query: { ...range }, signal }),
    staleTime: 30_000,
  });

/** How many contacts a (complete) segment holds and a few of them; the key is the segment itself. */
export const segmentPreviewQueryOptions = (tenantId: string, segment: Segment) =>
  queryOptions({
    queryKey: [...campaignsKey, 'segment-preview', tenantId, JSON.stringify(segment)],
    queryFn: ({ signal }) =>
      apiRequest<SegmentPreview>(`/tenants/${tenantId}/segments/preview`, {
        method: 'POST',
        body: { segment },
        signal,
      }),
    staleTime: 30_000,
  });

export interface CampaignInput {
  name: string;
  startAt: string | null;
  endAt: string | null;
  segment: Segment;
  messageTemplate: string | null;
  reactivation?: ReactivationSettings | undefined;
}

export const createCampaign = (tenantId: string, type: CampaignType, input: CampaignInput) =>
  apiRequest<Campaign>('/campaigns', {
    method: 'POST',
    body: {
      tenantId,
      type,
      name: input.name,
      segment: input.segment,
      ...(input.startAt ? { startAt: input.startAt } : {}),
      ...(input.endAt ? { endAt: input.endAt } : {}),
      ...(input.messageTemplate ? { messageTemplate: input.messageTemplate } : {}),
      ...(type === 'REACTIVATION' && input.reactivation ? { reactivation: input.reactivation } : {}),
    },
  });

export const updateCampaign = (campaign: Pick<Campaign, 'id' | 'version' | 'type'>, input: CampaignInput) =>
  apiRequest<Campaign>(`/campaigns/${campaign.id}`, {
    method: 'PATCH',
    body: {
      name: input.name,
      startAt: input.startAt,
      endAt: input.endAt,
      segment: input.segment,
      messageTemplate: input.messageTemplate,
      ...(campaign.type === 'REACTIVATION' && input.reactivation ? { reactivation: input.reactivation } : {}),
      version: campaign.version,
    },
  });

export type CampaignAction = 'activate' | 'pause' | 'end';

/** The moves the API allows from a status: DRAFT or PAUSED -> ACTIVE, ACTIVE -> PAUSED, any -> ENDED. */
export function actionsFor(status: CampaignStatus): CampaignAction[] {
  switch (status) {
    case 'DRAFT':
      return ['activate', 'end'];
    case 'ACTIVE':
      return ['pause', 'end'];
    case 'PAUSED':
      return ['activate', 'end'];
    case 'ENDED':
      return [];
  }
}

export const changeCampaignStatus = (campaignId: string, action: CampaignAction) =>
  apiRequest<Campaign>(`/campaigns/${campaignId}/${action}`, { method: 'POST' });

/** Hands out the personal WhatsApp links of a live REACTIVATION campaign now (the worker's pass). */
export const runReactivation = (campaignId: string) =>
  apiRequest<ReactivationRun>(`/campaigns/${campaignId}/reactivation/run`, { method: 'POST' });

/** Share of one step of the funnel over the step before it (null when the step before is zero). */
export const stepRate = (value: number, previous: number): number | null =>
  previous > 0 ? value / previous : null;

export const funnelSteps = [
  'impressions',
  'clicks',
  'leads',
  'wins',
] as const satisfies readonly (keyof MetricTotals)[];
