import type { AppModule } from '../../platform/app-module';
import { catalogRoutes } from './catalog.routes';
import { type CatalogDeps, type CatalogService, createCatalogService } from './catalog.service';

export type { CatalogService } from './catalog.service';

/** The catalog module's one public face: the shop's listings, mounted by app.ts. */
export function createCatalogModule(deps: CatalogDeps): AppModule & { service: CatalogService } {
  const catalog = createCatalogService(deps);
  return {
    /** For the imports: listings written by SKU in their transaction. */
    service: catalog,
    /** Under /api/v1. */
    async routes(api) {
      await api.register(catalogRoutes, { catalog });
    },
  };
}
