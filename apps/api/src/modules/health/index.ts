import type { AppModule } from '../../platform/app-module';
import { healthRoutes } from './health.routes';

/** The health module's one public face: the liveness check, which asks the database the app was given. */
export function createHealthModule(): AppModule {
  return {
    /** Under /api/v1. */
    async routes(api) {
      await api.register(healthRoutes);
    },
  };
}
