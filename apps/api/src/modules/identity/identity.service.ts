import type { AppConfig } from '../../config';
import type { Broadcast } from '../../platform/broadcast';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db';
import type { LoginLock, RateLimits } from '../../platform/rate-limit';
import { createAuthService } from './auth.service';
import { createPrincipalCache, PRINCIPAL_CACHE_MS } from './principal-cache';
import { createTenantAdminService } from './tenant-admin.service';

/**
 * Identity, put together: authentication and sessions (auth.service.ts), the cache of resolved principals
 * (principal-cache.ts) and the shop's administration (tenant-admin.service.ts). This is what the routes and
 * other modules are handed.
 */

export type { RequestMeta } from './auth.service';

export interface IdentityDeps {
  database: Pick<Database, 'withTenant' | 'withoutTenant' | 'withoutTransaction' | 'writeWithTenant'>;
  config: Pick<
    AppConfig,
    'SESSION_TTL_HOURS' | 'publicUrl' | 'INVITE_LIMIT_PER_TENANT' | 'LOGIN_MAX_ATTEMPTS'
  >;
  clock: Clock;
  /** Invitations (new users) per tenant per hour. */
  rateLimits?: RateLimits;
  /** Wrong passwords per e-mail address, from any client. */
  loginLock?: LoginLock;
  /** How long a resolved principal is reused without a look-up; 0 turns the cache off. */
  principalCacheMs?: number;
  /** Tells every instance to drop a revoked principal at once (Redis pub/sub when configured). */
  broadcast?: Broadcast;
}

export function createIdentityService(deps: IdentityDeps) {
  const {
    database,
    config,
    clock,
    principalCacheMs = PRINCIPAL_CACHE_MS,
    broadcast,
    rateLimits,
    loginLock,
  } = deps;
  const principals = createPrincipalCache({ clock, ttlMs: principalCacheMs, broadcast });
  const auth = createAuthService({ database, config, clock, principals, loginLock, rateLimits });
  const admin = createTenantAdminService({ database, config, clock, principals, rateLimits });

  return {
    signup: auth.signup,
    login: auth.login,
    acceptInvitation: auth.acceptInvitation,
    logout: auth.logout,
    me: auth.me,
    resolvePrincipal: auth.resolvePrincipal,
    onRevoked: auth.onRevoked,

    getSettings: admin.getSettings,
    updateSettings: admin.updateSettings,
    listBranches: admin.listBranches,
    getBranch: admin.getBranch,
    createBranch: admin.createBranch,
    updateBranch: admin.updateBranch,
    listUsers: admin.listUsers,
    getUser: admin.getUser,
    createUser: admin.createUser,
    updateUser: admin.updateUser,
    listApiKeys: admin.listApiKeys,
    createApiKey: admin.createApiKey,
    revokeApiKey: admin.revokeApiKey,

    // For the accounts service (password change and reset, logging out everywhere).
    openSession: auth.openSession,
    forgetPrincipals: principals.forget,

    // Read by other modules inside their own transaction.
    findUser: admin.findUser,
    findBranch: admin.findBranch,
    findTenant: admin.findTenant,
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
