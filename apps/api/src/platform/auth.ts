import type { ApiKeyScope, UserRole } from '@techmarket/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, forbidden, notFound } from './errors';

export const SESSION_COOKIE = 'tm_session';

export type Principal =
  | {
      kind: 'user';
      tenantId: string;
      userId: string;
      role: UserRole;
      branchIds: string[];
      sessionId: string;
      viaCookie: boolean;
    }
  | { kind: 'apiKey'; tenantId: string; apiKeyId: string; scopes: readonly ApiKeyScope[] };

export type UserPrincipal = Extract<Principal, { kind: 'user' }>;

/**
 * The branches whose leads (and their tickets, quotes, tasks) a caller may see: a SELLER only their own;
 * null is the whole tenant (MANAGER, OWNER, tenant API keys).
 */
export const branchScope = (viewer: Principal): readonly string[] | null =>
  viewer.kind === 'user' && viewer.role === 'SELLER' ? viewer.branchIds : null;

/**
 * A scope narrowed to the branch a caller filters by: a seller asking for a branch that is not theirs asked
 * for nothing (an empty list), never for it.
 */
export const narrowScope = (scope: readonly string[] | null, branchId: string | undefined) => {
  const asked = branchId ? [branchId] : null;
  return scope === null ? asked : (asked ?? scope).filter((id) => scope.includes(id));
};

/** Resolves a bearer secret (session token or API key) to a principal, or null when it is unknown, expired or revoked. */
export type PrincipalResolver = (secret: string, viaCookie: boolean) => Promise<Principal | null>;

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export function readBearer(request: FastifyRequest): { secret: string; viaCookie: boolean } | null {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1])
      throw new AppError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>"');
    return { secret: match[1], viaCookie: false };
  }
  const cookie = request.cookies[SESSION_COOKIE];
  return cookie ? { secret: cookie, viaCookie: true } : null;
}

export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('UNAUTHENTICATED', 'Log in or send a bearer token');
  return request.principal;
}

/** A signed-in person (not an API key) with one of the given roles. */
export function requireUser(request: FastifyRequest, ...roles: UserRole[]): UserPrincipal {
  const principal = requirePrincipal(request);
  if (principal.kind !== 'user') throw forbidden('This call needs a signed-in user, not an API key');
  if (roles.length > 0 && !roles.includes(principal.role)) throw forbidden();
  return principal;
}

/** Another tenant's resources do not exist for this caller: 404, never 403, so ids leak nothing. */
export function requireTenant(request: FastifyRequest, tenantId: string): Principal {
  const principal = requirePrincipal(request);
  if (principal.tenantId !== tenantId) throw notFound('Tenant');
  return principal;
}

export const isSafeMethod = (method: string) => method === 'GET' || method === 'HEAD' || method === 'OPTIONS';

export type CsrfCheck = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
