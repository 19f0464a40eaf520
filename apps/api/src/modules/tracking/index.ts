import type { AppConfig } from '../../config';
import type { AppModule } from '../../platform/app-module';
import { viewsOnLeadsJob } from './tracking.jobs';
import { shortLinkRoutes, trackingRoutes } from './tracking.routes';
import { createTrackingService, type TrackingDeps } from './tracking.service';

export { purgeIdempotencyKeysJob } from './tracking.jobs';

export interface TrackingModuleDeps extends Omit<TrackingDeps, 'limits' | 'publicUrl'> {
  config: Pick<
    AppConfig,
    'TRACKING_LIMIT_PER_IP' | 'TRACKING_LIMIT_PER_TENANT' | 'publicUrl' | 'cookieSecure'
  >;
}

/** The tracking module's one public face: marketplace clicks and views, tracked links and their short URLs. */
export function createTrackingModule(deps: TrackingModuleDeps): AppModule {
  const { config, ...parts } = deps;
  const tracking = createTrackingService({
    ...parts,
    limits: { perIp: config.TRACKING_LIMIT_PER_IP, perTenant: config.TRACKING_LIMIT_PER_TENANT },
    publicUrl: config.publicUrl,
  });
  return {
    /** Under /api/v1. */
    async routes(api) {
      await api.register(trackingRoutes, { tracking });
    },
    jobs: [viewsOnLeadsJob(tracking)],
    /** The short link `/w/{code}` customers open. */
    async publicRoutes(app) {
      await app.register(shortLinkRoutes, { tracking, cookieSecure: config.cookieSecure });
    },
  };
}
