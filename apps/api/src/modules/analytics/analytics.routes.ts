import { kpiQuery, kpiSchema, reputationSchema, tenantParams } from '@techmarket/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireTenant } from '../../platform/auth';
import { problems } from '../../platform/http';
import type { AnalyticsService } from './analytics.service';

export const analyticsRoutes: FastifyPluginAsyncZod<{ analytics: AnalyticsService }> = async (
  app,
  { analytics },
) => {
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
};
