import type { AppModule } from '../../platform/app-module';
import { privacyRoutes } from './privacy.routes';
import { createPrivacyService, type PrivacyDeps } from './privacy.service';

/** The retention sweep, for the worker's maintenance list. */
export { RETENTION_SWEEP, retentionSweepJob } from './privacy.jobs';

/** The privacy module's one public face: customers' rights (access, erasure) and the retention period. */
export function createPrivacyModule(deps: PrivacyDeps): AppModule {
  const privacy = createPrivacyService(deps);
  return {
    /** Under /api/v1. */
    async routes(api) {
      await api.register(privacyRoutes, { privacy });
    },
  };
}
