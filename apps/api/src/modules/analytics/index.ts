/** The analytics module's one public face: what app.ts, the worker and other modules may import. */
export { analyticsRoutes } from './analytics.routes';
export { createAnalyticsService } from './analytics.service';
