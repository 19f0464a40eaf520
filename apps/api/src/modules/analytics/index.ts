import type { AppModule } from '../../platform/app-module';
import type { Database } from '../../platform/db';
import { refreshReputationJob } from './analytics.jobs';
import { analyticsRoutes } from './analytics.routes';
import { type AnalyticsDeps, type AnalyticsService, createAnalyticsService } from './analytics.service';
import { createReputationFeedService } from './reputation-feed.service';
import { createRevenueService } from './revenue.service';

export { reputationSweepJob } from './analytics.jobs';
/** The service alone, for the benchmarks. */
export { createAnalyticsService } from './analytics.service';

export interface AnalyticsModuleDeps extends Omit<AnalyticsDeps, 'database'> {
  database: Pick<Database, 'withTenant' | 'withoutTenant'>;
  /** The marketplace's key to the platform-wide reputation feed. */
  platformApiKey: string;
}

/**
 * The analytics module's one public face: the shop's figures (read in the follow-up policy's calendars), its
 * money, and the marketplace's reputation feed.
 */
export function createAnalyticsModule({ platformApiKey, ...deps }: AnalyticsModuleDeps) {
  const analytics = createAnalyticsService(deps);
  const revenue = createRevenueService(deps);
  const reputationFeed = createReputationFeedService({ ...deps, analytics, platformApiKey });
  return {
    /** The KPIs, for the exports' KPI table. */
    service: analytics as Pick<AnalyticsService, 'kpis'>,
    /** Under /api/v1. */
    async routes(api) {
      await api.register(analyticsRoutes, { analytics, revenue, reputationFeed });
    },
    jobs: [refreshReputationJob(reputationFeed)],
  } satisfies AppModule & { service: Pick<AnalyticsService, 'kpis'> };
}
