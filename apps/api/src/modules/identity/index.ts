/** The identity module's one public face: what app.ts, the worker and other modules may import. */
export { accountsRoutes } from './accounts.routes';
export { type AccountsService, createAccountsService } from './accounts.service';
export { authRoutes } from './auth.routes';
export { purgeSessionsJob } from './identity.jobs';
export {
  createIdentityService,
  type IdentityDeps,
  type IdentityService,
  type RequestMeta,
} from './identity.service';
export { tenantAdminRoutes } from './tenant-admin.routes';
