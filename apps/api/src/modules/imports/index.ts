import type { AppModule } from '../../platform/app-module';
import { importsRoutes } from './imports.routes';
import { createImportsService, type ImportsDeps, runImportJob } from './imports.service';

export { importsSweepJob } from './imports.sweep';

/** The imports module's one public face: files of customers and listings, mounted by app.ts. */
export function createImportsModule(deps: ImportsDeps & { maxBytes: number }): AppModule {
  const imports = createImportsService(deps);
  return {
    /** Under /api/v1. */
    async routes(api) {
      await api.register(importsRoutes, { imports, maxBytes: deps.maxBytes });
    },
    jobs: [runImportJob.handledBy(({ tenantId, importId }) => imports.run(tenantId, importId))],
  };
}
