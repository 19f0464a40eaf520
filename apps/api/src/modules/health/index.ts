import type { AppModule } from '../../platform/app-module';
import { type HealthOptions, healthRoutes } from './health.routes';

/**
 * The health module's one public face: liveness (`/health`: the process and its database) and readiness
 * (`/ready`: database, Redis, migrations, and not shutting down), which `markShuttingDown` turns to 503 first
 * thing on SIGTERM, so that balancers stop sending before the server stops accepting.
 */
export function createHealthModule(
  options: Omit<HealthOptions, 'shuttingDown'>,
): AppModule & { markShuttingDown(): void } {
  let shuttingDown = false;
  return {
    /** Under /api/v1. */
    async routes(api) {
      await api.register(healthRoutes, { ...options, shuttingDown: () => shuttingDown });
    },
    markShuttingDown() {
      shuttingDown = true;
    },
  };
}
