import type { AppModule } from '../../platform/app-module';
import { analyticsRoutes } from './analytics.routes';
import { type AnalyticsDeps, type AnalyticsService, createAnalyticsService } from './analytics.service';

/** The service alone, for the benchmarks. */
export { createAnalyticsService } from './analytics.service';

/** The analytics module's one public face: the shop's figures, read in the follow-up policy's calendars. */
export function createAnalyticsModule(deps: AnalyticsDeps) {
  const analytics = createAnalyticsService(deps);
  return {
    /** The KPIs, for the exports' KPI table. */
    service: analytics as Pick<AnalyticsService, 'kpis'>,
    /** Under /api/v1. */
    async routes(api) {
      await api.register(analyticsRoutes, { analytics });
    },
  } satisfies AppModule & { service: Pick<AnalyticsService, 'kpis'> };
}
