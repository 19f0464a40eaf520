import type { AppModule } from '../../platform/app-module';
import { accountsRoutes } from './accounts.routes';
import { createAccountsService } from './accounts.service';
import { authRoutes } from './auth.routes';
import { createIdentityService, type IdentityDeps, type IdentityService } from './identity.service';
import { tenantAdminRoutes } from './tenant-admin.routes';

export { purgeSessionsJob } from './identity.jobs';
export type { IdentityDeps, IdentityService, RequestMeta } from './identity.service';
export { COUNTRY_BY_CURRENCY } from './shop-defaults';

/**
 * The identity module's one public face: shops, users, sessions and API keys. `service` is what app.ts resolves
 * each request's principal with and what other modules read branches, users and tenants from.
 */
export function createIdentityModule(deps: IdentityDeps): AppModule & { service: IdentityService } {
  const identity = createIdentityService(deps);
  const { database, config, clock } = deps;
  const accounts = createAccountsService({ database, config, clock, identity });
  return {
    service: identity,
    /** Under /api/v1: signing up and in, the shop's administration, a person's own account. */
    async routes(api) {
      await api.register(authRoutes, { identity });
      await api.register(tenantAdminRoutes, { identity });
      await api.register(accountsRoutes, { accounts });
    },
  };
}
