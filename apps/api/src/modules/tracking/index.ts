/** The tracking module's one public face: what app.ts, the worker and other modules may import. */
export { purgeIdempotencyKeysJob } from './tracking.jobs';
export { shortLinkRoutes, trackingRoutes } from './tracking.routes';
export { createTrackingService } from './tracking.service';
