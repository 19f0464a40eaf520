import {
  branchReputationFeedQuery,
  branchReputationFeedSchema,
  kpiQuery,
  kpiSchema,
  reputationSchema,
  revenueQuery,
  revenueSchema,
  tenantParams,
} from '@techmarket/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireTenant } from '../../platform/auth';
import { problems } from '../../platform/http';
import type { AnalyticsService } from './analytics.service';
import type { ReputationFeedService } from './reputation-feed.service';
import type { RevenueService } from './revenue.service';

export const analyticsRoutes: FastifyPluginAsyncZod<{
  analytics: AnalyticsService;
  revenue: RevenueService;
  reputationFeed: ReputationFeedService;
}> = async (app, { analytics, revenue, reputationFeed }) => {
  app.get(
    '/tenants/:tenantId/kpis',
    {
      schema: {
        tags: ['analytics'],
        summary:
          'KPIs of the leads created in [from, to): response time, sources, conversion, win rate, compliance',
        description:
          'Default period: the last 30 days. groupBy adds one row per branch, seller, source or day (in the shop time zone). A SELLER gets the figures of their branches.',
        params: tenantParams,
        querystring: kpiQuery,
        response: { 200: kpiSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) =>
      analytics.kpis(requireTenant(request, request.params.tenantId), request.params.tenantId, request.query),
  );

  app.get(
    '/tenants/:tenantId/reputation',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Response-time score per branch (0-100, last 30 days), with its formula and inputs',
        params: tenantParams,
        response: { 200: reputationSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) =>
      analytics.reputation(requireTenant(request, request.params.tenantId), request.params.tenantId),
  );

  app.get(
    '/tenants/:tenantId/kpis/revenue',
    {
      schema: {
        tags: ['analytics'],
        summary:
          'Money: the open pipeline per stage, revenue won in [from, to) by source, branch, seller and campaign',
        description:
          'Every figure is per currency (amounts of different currencies are never added). Default period: the last 30 days; a lead counts in the period it was won. A SELLER gets the figures of their branches.',
        params: tenantParams,
        querystring: revenueQuery,
        response: { 200: revenueSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) =>
      revenue.revenue(
        requireTenant(request, request.params.tenantId),
        request.params.tenantId,
        request.query,
      ),
  );

  app.get(
    '/platform/branch-reputation',
    {
      schema: {
        tags: ['analytics'],
        summary: "Every shop's branches' response reputation and its inputs, for the marketplace's ranking",
        description:
          "Called with the platform key (PLATFORM_API_KEY) as a bearer token, never a shop's key: 401 otherwise. Refreshed every hour; cursor pages ordered by tenant and branch.",
        querystring: branchReputationFeedQuery,
        response: { 200: branchReputationFeedSchema, ...problems(400, 401) },
      },
    },
    async (request) => {
      const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
      reputationFeed.assertPlatformKey(match?.[1] ?? null);
      return reputationFeed.page(request.query);
    },
  );
};
