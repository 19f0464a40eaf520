/** The health module's one public face: what app.ts, the worker and other modules may import. */
export { healthRoutes } from './health.routes';
