import type { AppModule } from '../../platform/app-module';
import { analyticsRoutes } from './analytics.routes';
import { type AnalyticsDeps, createAnalyticsService } from './analytics.service';

/** The service alone, for the benchmarks. */
export { createAnalyticsService } from './analytics.service';

/** The analytics module's one public face: the shop's figures, read in the follow-up policy's calendars. */
export function createAnalyticsModule(deps: AnalyticsDeps): AppModule {
  const analytics = createAnalyticsService(deps);
  return {
    /** Under /api/v1. */
    async routes(api) {
      await api.register(analyticsRoutes, { analytics });
    },
  };
}
