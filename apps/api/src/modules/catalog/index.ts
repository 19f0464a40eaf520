/** The catalog module's one public face: what app.ts, the worker and other modules may import. */
export { catalogRoutes } from './catalog.routes';
export { createCatalogService } from './catalog.service';
