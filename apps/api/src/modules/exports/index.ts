import type { AppModule } from '../../platform/app-module';
import { exportsRoutes } from './exports.routes';
import { createExportsService, type ExportsDeps } from './exports.service';

/** The queries alone, for the benchmark's COPY of the same statement. */
export { createExportsRepository } from './exports.repository';

/** The exports module's one public face: the lists (and the KPI table) as CSV or .xlsx files. */
export function createExportsModule(deps: ExportsDeps): AppModule {
  const exports = createExportsService(deps);
  return {
    /** Under /api/v1. */
    async routes(api) {
      await api.register(exportsRoutes, { exports });
    },
  };
}
