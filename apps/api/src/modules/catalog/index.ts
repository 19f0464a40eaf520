import type { AppModule } from '../../platform/app-module';
import { catalogRoutes } from './catalog.routes';
import { type CatalogDeps, createCatalogService } from './catalog.service';

/** The catalog module's one public face: the shop's listings, mounted by app.ts. */
export function createCatalogModule(deps: CatalogDeps): AppModule {
  const catalog = createCatalogService(deps);
  return {
    /** Under /api/v1. */
    async routes(api) {
      await api.register(catalogRoutes, { catalog });
    },
  };
}
