import { hash, verify } from '@node-rs/argon2';
import {
  type ApiKeyScope,
  apiKeyScope,
  apiKeyScopes,
  type BusinessHours,
  type createApiKeyBody,
  type createBranchBody,
  type createUserBody,
  type signupBody,
  type UserRole,
  type updateBranchBody,
  type updateTenantSettingsBody,
  type updateUserBody,
} from '@techmarket/contracts';
import { LRUCache } from 'lru-cache';
import type { z } from 'zod';
import type { AppConfig } from '../../config';
import { newId } from '../../db/columns';
import type { Principal, UserPrincipal } from '../../platform/auth';
import type { Broadcast } from '../../platform/broadcast';
import type { Clock } from '../../platform/clock';
import type { Database, Tx } from '../../platform/db';
import { isUniqueViolation } from '../../platform/db-errors';
import { AppError, forbidden, invalidField, notFound } from '../../platform/errors';
import { normalizePhone } from '../../platform/phone';
import type { LoginLock, RateLimits } from '../../platform/rate-limit';
import { hashSecret, newSecret } from '../../platform/tokens';
import { toApiKey, toBranch, toTenant, toUser } from './identity.mappers';
import { createIdentityRepository, type TenantRow } from './identity.repository';

/**
 * Identity: tenants, branches, users, sessions and API keys.
 * Rules: an e-mail is one account within a tenant, and may have accounts in several tenants: nothing a signup
 * or an invitation answers tells whether another shop has the address. Login tries the password on each of
 * the address's accounts; when it opens several, the caller names the tenant. Wrong passwords lock the address's
 * login for a while, from whatever client they come. A tenant keeps
 * at least one active OWNER; a MANAGER cannot create or promote an OWNER; sessions and keys are
 * random secrets stored as sha256, revocable at once.
 */

const DEFAULT_HOURS: BusinessHours = {
  mon: [{ open: '09:00', close: '19:00' }],
  tue: [{ open: '09:00', close: '19:00' }],
  wed: [{ open: '09:00', close: '19:00' }],
  thu: [{ open: '09:00', close: '19:00' }],
  fri: [{ open: '09:00', close: '19:00' }],
  sat: [{ open: '09:00', close: '13:00' }],
};

const COUNTRY_BY_CURRENCY: Record<string, string> = {
  PEN: 'PE',
  MXN: 'MX',
  COP: 'CO',
  ARS: 'AR',
  CLP: 'CL',
  BRL: 'BR',
  USD: 'US',
};

// Verifying against this when the e-mail is unknown keeps login time the same either way.
const TIMING_DUMMY_HASH = hash('timing-equaliser-not-a-password');

export interface RequestMeta {
  ip: string;
  userAgent: string | undefined;
}

export interface IdentityDeps {
  database: Pick<Database, 'withTenant' | 'withoutTenant' | 'withoutTransaction'>;
  config: Pick<AppConfig, 'SESSION_TTL_HOURS' | 'publicUrl' | 'INVITE_LIMIT_PER_TENANT'>;
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

/**
 * Every API call resolves its bearer secret; a short cache saves that look-up on all but the first call of a
 * burst. Logout, deactivation, a change of role or branches and a revoked key evict the entries at once, in
 * this process and, through the broadcast, in every other instance; should a broadcast be lost, an entry
 * still lives no longer than this.
 */
const PRINCIPAL_CACHE_MS = 5_000;
const PRINCIPAL_CACHE_ENTRIES = 10_000;
const PRINCIPALS_CHANNEL = 'principals-revoked';

type CachedPrincipal = { principal: Principal; until: number };

const slugify = (name: string) =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 48) || 'tienda';

export function createIdentityService({
  database,
  config,
  clock,
  principalCacheMs = PRINCIPAL_CACHE_MS,
  broadcast,
  rateLimits,
  loginLock,
}: IdentityDeps) {
  const repo = createIdentityRepository();
  const now = () => clock.now().toISOString();
  // Keyed by the secret's hash; `until` is on the app's clock, so it also ends at the session's expiry.
  const principals = new LRUCache<string, CachedPrincipal>({ max: PRINCIPAL_CACHE_ENTRIES });

  function cachePrincipal(secretHash: string, principal: Principal, expiresAt: number | null) {
    if (principalCacheMs <= 0) return;
    const until = clock.now().getTime() + principalCacheMs;
    principals.set(secretHash, { principal, until: expiresAt === null ? until : Math.min(until, expiresAt) });
  }

  type Revoked = { sessionId?: string; userId?: string; apiKeyId?: string };
  const revokedBy = (what: Revoked) => (p: Principal) =>
    p.kind === 'user'
      ? p.sessionId === what.sessionId || p.userId === what.userId
      : p.apiKeyId === what.apiKeyId;

  // What holds a principal open past its request (a live stream): told once the cache here has dropped it.
  const revocationWatchers = new Set<(what: Revoked) => void>();

  function forgetHere(what: Revoked) {
    const matches = revokedBy(what);
    const stale: string[] = [];
    for (const [key, entry] of principals.entries()) if (matches(entry.principal)) stale.push(key);
    for (const key of stale) principals.delete(key);
    for (const watch of revocationWatchers) watch(what);
  }
  void broadcast?.subscribe(PRINCIPALS_CHANNEL, (message) => forgetHere(message as Revoked));

  /** Drops the matching cached principals here at once, and in every other instance through the broadcast. */
  function forgetPrincipals(what: Revoked) {
    forgetHere(what);
    void broadcast?.publish(PRINCIPALS_CHANNEL, what).catch(() => undefined);
  }

  function phoneFor(input: string, tenant: Pick<TenantRow, 'defaultCurrency'>, field = 'whatsappPhone') {
    const phone = normalizePhone(input, COUNTRY_BY_CURRENCY[tenant.defaultCurrency] ?? 'PE');
    if (!phone)
      throw invalidField(
        field,
        'not a valid phone number; write it with the country code, e.g. +51 987 654 321',
      );
    return phone;
  }

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

  async function assertBranchesExist(tx: Tx, tenantId: string, branchIds: string[]) {
    const unique = [...new Set(branchIds)];
    if ((await repo.countBranches(tx, tenantId, unique)) !== unique.length) {
      throw invalidField('branchIds', 'every branch must exist in this tenant');
    }
    return unique;
  }

  function assertCanGrant(actor: UserPrincipal, role: UserRole) {
    if (role === 'OWNER' && actor.role !== 'OWNER') throw forbidden('Only an owner can make another owner');
  }

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
          ? phoneFor(input.branch.whatsappPhone, tenant, 'branch.whatsappPhone')
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
          errors: [{ path: 'token', message: 'invalid or expired' }],
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
      forgetPrincipals({ sessionId: principal.sessionId });
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
      const cached = options.fresh ? undefined : principals.get(secretHash);
      if (cached && cached.until > at.getTime()) {
        const { principal } = cached;
        return principal.kind === 'user' && principal.viaCookie !== viaCookie
          ? { ...principal, viaCookie }
          : principal;
      }
      if (secret.startsWith('tmk_')) {
        const key = await database.withoutTransaction((db) => repo.findApiKeyByHash(db, secretHash));
        const keyExpiresAt = key?.expires_at ? new Date(key.expires_at).getTime() : null;
        if (!key || key.revoked_at || (keyExpiresAt !== null && keyExpiresAt <= at.getTime())) return null;
        // Only on a cache miss: last_used_at is kept to the minute, so a key in use is still touched every minute.
        await database.withTenant(key.tenant_id, (tx) =>
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
        cachePrincipal(secretHash, principal, keyExpiresAt);
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
      cachePrincipal(secretHash, principal, expiresAt);
      return principal;
    },

    /**
     * Calls `listener` whenever a revocation touches this principal (a logout, a deactivation, a change of role or
     * branches, a revoked key: whatever goes through `forgetPrincipals`), made in this instance or, through the
     * broadcast, in another; the answer stops it. What outlives a request (a live stream) checks itself again.
     */
    onRevoked(principal: Principal, listener: () => void): () => void {
      const watch = (what: Revoked) => {
        if (revokedBy(what)(principal)) listener();
      };
      revocationWatchers.add(watch);
      return () => revocationWatchers.delete(watch);
    },

    // Tenant settings
    async getSettings(tenantId: string) {
      const row = await database.withTenant(tenantId, (tx) => repo.getTenant(tx, tenantId));
      if (!row) throw notFound('Tenant');
      return { assignmentStrategy: row.assignmentStrategy };
    },
    async updateSettings(tenantId: string, input: z.output<typeof updateTenantSettingsBody>) {
      const row = await database.withTenant(tenantId, (tx) =>
        Object.keys(input).length === 0
          ? repo.getTenant(tx, tenantId)
          : repo.updateTenant(tx, tenantId, input),
      );
      if (!row) throw notFound('Tenant');
      return { assignmentStrategy: row.assignmentStrategy };
    },

    // Branches
    listBranches: (tenantId: string) =>
      database.withTenant(tenantId, async (tx) => (await repo.listBranches(tx, tenantId)).map(toBranch)),

    async getBranch(tenantId: string, branchId: string) {
      const row = await database.withTenant(tenantId, (tx) => repo.getBranch(tx, tenantId, branchId));
      if (!row) throw notFound('Branch');
      return toBranch(row);
    },

    createBranch: (tenantId: string, input: z.output<typeof createBranchBody>) =>
      database.withTenant(tenantId, async (tx) => {
        const tenant = await repo.getTenant(tx, tenantId);
        if (!tenant) throw notFound('Tenant');
        const phone = phoneFor(input.whatsappPhone, tenant);
        const row = await repo.insertBranch(tx, {
          tenantId,
          name: input.name,
          whatsappPhone: phone.e164,
          countryCode: phone.country ?? null,
          zone: input.zone ?? null,
          timezone: input.timezone,
          businessHours: input.businessHours ?? DEFAULT_HOURS,
        });
        return toBranch(row);
      }),

    updateBranch: (tenantId: string, branchId: string, input: z.output<typeof updateBranchBody>) =>
      database.withTenant(tenantId, async (tx) => {
        const current = await repo.getBranch(tx, tenantId, branchId);
        if (!current) throw notFound('Branch');
        const tenant = await repo.getTenant(tx, tenantId);
        if (!tenant) throw notFound('Tenant');
        const { version, whatsappPhone, ...rest } = input;
        const phone = whatsappPhone ? phoneFor(whatsappPhone, tenant) : null;
        const row = await repo.updateBranch(
          tx,
          tenantId,
          branchId,
          { ...rest, ...(phone ? { whatsappPhone: phone.e164, countryCode: phone.country ?? null } : {}) },
          version,
        );
        if (!row) throw new AppError('VERSION_CONFLICT', 'The branch was changed by someone else; reload it');
        return toBranch(row);
      }),

    // Users
    listUsers: (tenantId: string) =>
      database.withTenant(tenantId, async (tx) => (await repo.listUsers(tx, tenantId)).map(toUser)),

    getUser: (tenantId: string, userId: string) =>
      database.withTenant(tenantId, async (tx) => toUser(await requireUserRow(tx, tenantId, userId))),

    async createUser(actor: UserPrincipal, input: z.output<typeof createUserBody>) {
      assertCanGrant(actor, input.role);
      await rateLimits?.consume(`invite:${actor.tenantId}`, config.INVITE_LIMIT_PER_TENANT, 1, 3600);
      const passwordHash = input.password ? await hash(input.password) : null;
      const invitation = passwordHash ? null : newSecret('tmi');
      try {
        return await database.withTenant(actor.tenantId, async (tx) => {
          const branchIds = await assertBranchesExist(tx, actor.tenantId, input.branchIds);
          if (input.role === 'SELLER' && branchIds.length === 0) {
            throw invalidField('branchIds', 'a seller needs at least one branch');
          }
          const created = await repo.insertUser(tx, {
            tenantId: actor.tenantId,
            email: input.email,
            name: input.name,
            role: input.role,
            passwordHash,
            inviteTokenHash: invitation ? hashSecret(invitation) : null,
            inviteExpiresAt: invitation
              ? new Date(clock.now().getTime() + 7 * 86_400_000).toISOString()
              : null,
          });
          await repo.setUserBranches(tx, actor.tenantId, created.id, branchIds);
          return {
            user: toUser(await requireUserRow(tx, actor.tenantId, created.id)),
            invitationUrl: invitation ? `${config.publicUrl}/invitation?token=${invitation}` : null,
          };
        });
      } catch (error) {
        // The same address twice within this tenant: the caller can list the tenant's users anyway.
        if (isUniqueViolation(error, 'app_user_tenant_email_key')) {
          throw new AppError('CONFLICT', 'A user of this shop already has this e-mail', {
            errors: [{ path: 'email', message: 'already registered' }],
          });
        }
        throw error;
      }
    },

    /** OWNER/MANAGER edit anyone (a MANAGER no owner); any user may switch their own availability. */
    updateUser: (actor: UserPrincipal, userId: string, input: z.output<typeof updateUserBody>) =>
      database
        .withTenant(actor.tenantId, async (tx) => {
          const target = await requireUserRow(tx, actor.tenantId, userId);
          const isAdmin = actor.role === 'OWNER' || actor.role === 'MANAGER';
          const onlyAvailability = Object.keys(input).every((k) => k === 'available' || k === 'version');
          if (!isAdmin && !(actor.userId === userId && onlyAvailability)) throw forbidden();
          if (actor.role === 'MANAGER' && target.role === 'OWNER' && !onlyAvailability) {
            throw forbidden('A manager cannot change an owner');
          }
          if (input.role) assertCanGrant(actor, input.role);
          const { branchIds, version, ...changes } = input;
          const losesOwner =
            target.role === 'OWNER' &&
            ((input.role !== undefined && input.role !== 'OWNER') || input.active === false);
          if (losesOwner && (await repo.countActiveOwners(tx, actor.tenantId)) <= 1) {
            throw new AppError('UNPROCESSABLE', 'A tenant needs at least one active owner', {
              errors: [{ path: input.active === false ? 'active' : 'role', message: 'last active owner' }],
            });
          }
          const updated = await repo.updateUser(tx, actor.tenantId, userId, changes, version);
          if (!updated)
            throw new AppError('VERSION_CONFLICT', 'The user was changed by someone else; reload it', {
              errors: [{ path: 'version', message: 'stale version' }],
            });
          if (branchIds) {
            await repo.setUserBranches(
              tx,
              actor.tenantId,
              userId,
              await assertBranchesExist(tx, actor.tenantId, branchIds),
            );
          }
          // A deactivated user is signed out everywhere at once.
          if (input.active === false) await repo.revokeUserSessions(tx, actor.tenantId, userId, now());
          return toUser(await requireUserRow(tx, actor.tenantId, userId));
        })
        .finally(() => {
          // After the commit (or the rollback), so no request re-caches what the transaction was changing.
          forgetPrincipals({ userId });
        }),

    // API keys
    listApiKeys: (tenantId: string) =>
      database.withTenant(tenantId, async (tx) => (await repo.listApiKeys(tx, tenantId)).map(toApiKey)),

    createApiKey: (actor: UserPrincipal, input: z.output<typeof createApiKeyBody>) => {
      if (input.expiresAt && Date.parse(input.expiresAt) <= clock.now().getTime()) {
        throw invalidField('expiresAt', 'must be in the future');
      }
      return database.withTenant(actor.tenantId, async (tx) => {
        const key = newSecret('tmk');
        const row = await repo.insertApiKey(tx, {
          tenantId: actor.tenantId,
          name: input.name,
          prefix: key.slice(0, 10),
          keyHash: hashSecret(key),
          createdByUserId: actor.userId,
          scopes: input.scopes ?? [...apiKeyScopes],
          expiresAt: input.expiresAt ? new Date(input.expiresAt).toISOString() : null,
        });
        return { ...toApiKey(row), key };
      });
    },

    async revokeApiKey(tenantId: string, keyId: string) {
      const row = await database.withTenant(tenantId, (tx) => repo.revokeApiKey(tx, tenantId, keyId, now()));
      forgetPrincipals({ apiKeyId: keyId });
      if (!row) throw notFound('API key');
      return toApiKey(row);
    },

    // For the accounts service (password change and reset, logging out everywhere).
    openSession,
    forgetPrincipals,

    // Read by other modules inside their own transaction.
    findUser: (tx: Tx, tenantId: string, userId: string) => repo.getUser(tx, tenantId, userId),
    findBranch: (tx: Tx, tenantId: string, branchId: string) => repo.getBranch(tx, tenantId, branchId),
    findTenant: (tx: Tx, tenantId: string) => repo.getTenant(tx, tenantId),
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
