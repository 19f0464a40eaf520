import { hash, verify } from '@node-rs/argon2';
import { type ApiKeyScope, apiKeyScope, type signupBody } from '@techmarket/contracts';
import type { z } from 'zod';
import type { AppConfig } from '../../config';
import { newId } from '../../db/columns';
import type { Principal, UserPrincipal } from '../../platform/auth';
import type { Clock } from '../../platform/clock';
import type { Database, Tx } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import type { LoginLock, RateLimits } from '../../platform/rate-limit';
import { hashSecret, newSecret } from '../../platform/tokens';
import { toBranch, toTenant, toUser } from './identity.mappers';
import { createIdentityRepository } from './identity.repository';
import type { PrincipalCache } from './principal-cache';
import { branchPhone, COUNTRY_BY_CURRENCY, DEFAULT_HOURS } from './shop-defaults';

/**
 * Authentication: signing up a shop, logging in, accepting an invitation, sessions, and the principal each
 * request's bearer secret stands for. Rules: an e-mail is one account within a tenant, and may have accounts in
 * several tenants: nothing a signup or an invitation answers tells whether another shop has the address. Login
 * tries the password on each of the address's accounts; when it opens several, the caller names the tenant.
 * Wrong passwords lock the address's login for a while, from whatever client they come. Sessions and keys are
 * random secrets stored as sha256, revocable at once (principal-cache.ts).
 */

// Verifying against this when the e-mail is unknown keeps login time the same either way.
const TIMING_DUMMY_HASH = hash('timing-equaliser-not-a-password');

export interface RequestMeta {
  ip: string;
  userAgent: string | undefined;
}

export interface AuthDeps {
  database: Pick<Database, 'withTenant' | 'withoutTenant' | 'withoutTransaction' | 'writeWithTenant'>;
  config: Pick<AppConfig, 'SESSION_TTL_HOURS' | 'LOGIN_MAX_ATTEMPTS'>;
  clock: Clock;
  principals: PrincipalCache;
  /** Login attempts per client and e-mail: a wrong one spends the budget, a right one gives it back. */
  rateLimits?: RateLimits | undefined;
  /** Wrong passwords per e-mail address, from any client. */
  loginLock?: LoginLock | undefined;
}

const slugify = (name: string) =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 48) || 'tienda';

/** The window of `LOGIN_MAX_ATTEMPTS` attempts per client and e-mail. */
const LOGIN_WINDOW_SECONDS = 15 * 60;

export function createAuthService({ database, config, clock, principals, loginLock, rateLimits }: AuthDeps) {
  const repo = createIdentityRepository();
  const now = () => clock.now().toISOString();

  async function openSession(tx: Tx, tenantId: string, userId: string, meta: RequestMeta) {
    const token = newSecret('tms');
    const at = clock.now();
    await repo.insertSession(tx, {
      tenantId,
      userId,
      tokenHash: hashSecret(token),
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
      ip: meta.ip,
      createdAt: at.toISOString(),
      lastSeenAt: at.toISOString(),
      expiresAt: new Date(at.getTime() + config.SESSION_TTL_HOURS * 3_600_000).toISOString(),
    });
    await repo.updateUser(tx, tenantId, userId, { lastLoginAt: at.toISOString() });
    return token;
  }

  async function requireUserRow(tx: Tx, tenantId: string, userId: string) {
    const user = await repo.getUser(tx, tenantId, userId);
    if (!user) throw notFound('User');
    return user;
  }

  /** The principal of a secret the cache does not hold (or a fresh check), from the database; kept in the cache. */
  async function lookUpPrincipal(
    secret: string,
    secretHash: string,
    viaCookie: boolean,
    at: Date,
  ): Promise<Principal | null> {
    if (secret.startsWith('tmk_')) {
      const key = await database.withoutTransaction((db) => repo.findApiKeyByHash(db, secretHash));
      const keyExpiresAt = key?.expires_at ? new Date(key.expires_at).getTime() : null;
      if (!key || key.revoked_at || (keyExpiresAt !== null && keyExpiresAt <= at.getTime())) return null;
      // Only on a cache miss: last_used_at is kept to the minute, so a key in use is still touched every minute.
      // One statement, sent with its transaction and tenant in one message (one round trip, not three).
      await database.writeWithTenant(key.tenant_id, (tx) =>
        repo.touchApiKey(
          tx,
          key.tenant_id,
          key.api_key_id,
          at.toISOString(),
          new Date(at.getTime() - 60_000).toISOString(),
        ),
      );
      const principal: Principal = {
        kind: 'apiKey',
        tenantId: key.tenant_id,
        apiKeyId: key.api_key_id,
        scopes: key.scopes.filter((scope): scope is ApiKeyScope => apiKeyScope.safeParse(scope).success),
      };
      principals.set(secretHash, principal, keyExpiresAt);
      return principal;
    }
    const found = await database.withoutTransaction((db) => repo.findSessionPrincipal(db, secretHash));
    if (!found?.active || found.revoked_at) return null;
    const expiresAt = new Date(found.expires_at).getTime();
    if (expiresAt <= at.getTime()) return null;
    const principal: Principal = {
      kind: 'user',
      tenantId: found.tenant_id,
      userId: found.user_id,
      role: found.role,
      branchIds: found.branch_ids,
      sessionId: found.session_id,
      viaCookie,
    };
    principals.set(secretHash, principal, expiresAt);
    return principal;
  }

  /** A shared or cached user principal, as this request presented its secret (cookie or bearer header). */
  const asCalled = (principal: Principal, viaCookie: boolean): Principal =>
    principal.kind === 'user' && principal.viaCookie !== viaCookie ? { ...principal, viaCookie } : principal;

  return {
    async signup(input: z.output<typeof signupBody>, meta: RequestMeta) {
      const tenantId = newId();
      const passwordHash = await hash(input.password);
      // A new tenant: its owner's address cannot clash with anything, whoever else has it.
      return database.withTenant(tenantId, async (tx) => {
        const baseSlug = slugify(input.tenantName);
        const tenant = await repo.insertTenant(tx, {
          id: tenantId,
          name: input.tenantName,
          // The id suffix keeps slugs unique without a read-then-write race.
          slug: `${baseSlug}-${tenantId.slice(-6)}`,
          defaultCurrency: input.currency ?? 'PEN',
          timezone: input.timezone ?? input.branch?.timezone ?? 'America/Lima',
        });
        const phone = input.branch?.whatsappPhone
          ? branchPhone(input.branch.whatsappPhone, tenant, 'branch.whatsappPhone')
          : null;
        const branch = await repo.insertBranch(tx, {
          tenantId,
          name: input.branch?.name ?? 'Tienda principal',
          whatsappPhone: phone?.e164 ?? null,
          countryCode: phone?.country ?? COUNTRY_BY_CURRENCY[tenant.defaultCurrency] ?? null,
          zone: input.branch?.zone ?? null,
          timezone: input.branch?.timezone ?? tenant.timezone,
          businessHours: input.branch?.businessHours ?? DEFAULT_HOURS,
        });
        const owner = await repo.insertUser(tx, {
          tenantId,
          email: input.email,
          name: input.name,
          role: 'OWNER',
          passwordHash,
        });
        await repo.setUserBranches(tx, tenantId, owner.id, [branch.id]);
        const token = await openSession(tx, tenantId, owner.id, meta);
        const user = await requireUserRow(tx, tenantId, owner.id);
        return { token, user: toUser(user), tenant: toTenant(tenant), branch: toBranch(branch) };
      });
    },

    async login(
      input: { email: string; password: string; tenantId?: string | undefined },
      meta: RequestMeta,
    ) {
      const account = input.email.toLowerCase();
      // Spent up front, so parallel guesses cannot all slip under the limit; a success refunds it below.
      const attempts = `login:${meta.ip}:${account}`;
      await rateLimits?.consume(attempts, config.LOGIN_MAX_ATTEMPTS, 1, LOGIN_WINDOW_SECONDS);
      await loginLock?.assertOpen(account);
      const found = await database.withoutTenant((tx) => repo.findLoginsByEmail(tx, input.email));
      const candidates = found.filter(
        (row) => row.active && row.password_hash && (!input.tenantId || row.tenant_id === input.tenantId),
      );
      const opened = [];
      for (const row of candidates) {
        if (row.password_hash && (await verify(row.password_hash, input.password))) opened.push(row);
      }
      // Verifying against a dummy when nothing was tried keeps login time the same for an unknown address.
      if (candidates.length === 0) await verify(await TIMING_DUMMY_HASH, input.password);
      const [login, ...others] = opened;
      if (!login) {
        await loginLock?.failed(account);
        throw new AppError('UNAUTHENTICATED', 'E-mail or password is not correct');
      }
      await loginLock?.succeeded(account);
      await rateLimits?.reset(attempts, config.LOGIN_MAX_ATTEMPTS, LOGIN_WINDOW_SECONDS);
      if (others.length > 0) {
        // The password proved who is asking: they may see which of their shops it opens.
        throw new AppError(
          'TENANT_CHOICE',
          'This e-mail and password open several shops; name one in tenantId',
          {
            extensions: { tenants: opened.map((row) => ({ id: row.tenant_id, name: row.tenant_name })) },
          },
        );
      }
      return database.withTenant(login.tenant_id, async (tx) => {
        const token = await openSession(tx, login.tenant_id, login.user_id, meta);
        return { token, user: toUser(await requireUserRow(tx, login.tenant_id, login.user_id)) };
      });
    },

    async acceptInvitation(input: { token: string; password: string }, meta: RequestMeta) {
      const tokenHash = hashSecret(input.token);
      const invitation = await database.withoutTenant((tx) => repo.findInvitation(tx, tokenHash));
      if (!invitation?.expires_at || new Date(invitation.expires_at) < clock.now()) {
        throw new AppError('UNPROCESSABLE', 'This invitation is not valid or has expired', {
          errors: [{ path: 'token', message: 'invalid or expired', code: 'TOKEN_INVALID' }],
        });
      }
      const passwordHash = await hash(input.password);
      return database.withTenant(invitation.tenant_id, async (tx) => {
        await repo.updateUser(tx, invitation.tenant_id, invitation.user_id, {
          passwordHash,
          inviteTokenHash: null,
          inviteExpiresAt: null,
        });
        const token = await openSession(tx, invitation.tenant_id, invitation.user_id, meta);
        return { token, user: toUser(await requireUserRow(tx, invitation.tenant_id, invitation.user_id)) };
      });
    },

    async logout(principal: Principal) {
      if (principal.kind !== 'user') return;
      await database.withTenant(principal.tenantId, (tx) =>
        repo.revokeSession(tx, principal.tenantId, principal.sessionId, now()),
      );
      principals.forget({ sessionId: principal.sessionId });
    },

    async me(principal: UserPrincipal) {
      return database.withTenant(principal.tenantId, async (tx) => {
        const tenant = await repo.getTenant(tx, principal.tenantId);
        if (!tenant) throw notFound('Tenant');
        return {
          user: toUser(await requireUserRow(tx, principal.tenantId, principal.userId)),
          tenant: toTenant(tenant),
        };
      });
    },

    /**
     * The request's principal from a bearer secret, or null: unknown, expired and revoked look the same.
     * `fresh` reads the database whatever the cache holds (a check after a revocation).
     */
    async resolvePrincipal(
      secret: string,
      viaCookie: boolean,
      options: { fresh?: boolean } = {},
    ): Promise<Principal | null> {
      const secretHash = hashSecret(secret);
      const at = clock.now();
      const cached = options.fresh ? undefined : principals.get(secretHash, at);
      if (cached) return asCalled(cached, viaCookie);
      if (options.fresh) return lookUpPrincipal(secret, secretHash, viaCookie, at);
      const shared = await principals.lookUp(secretHash, () =>
        lookUpPrincipal(secret, secretHash, viaCookie, at),
      );
      return shared && asCalled(shared, viaCookie);
    },

    /**
     * Calls `listener` whenever a revocation touches this principal (a logout, a deactivation, a change of role or
     * branches, a revoked key: whatever goes through `principals.forget`), made in this instance or, through the
     * broadcast, in another; the answer stops it. What outlives a request (a live stream) checks itself again.
     */
    onRevoked: principals.onRevoked,

    // For the accounts service (password change and reset, logging out everywhere).
    openSession,
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
