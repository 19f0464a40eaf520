import { hash } from '@node-rs/argon2';
import {
  apiKeyScopes,
  type createApiKeyBody,
  type createBranchBody,
  type createUserBody,
  type UserRole,
  type updateBranchBody,
  type updateTenantSettingsBody,
  type updateUserBody,
} from '@techmarket/contracts';
import type { z } from 'zod';
import type { AppConfig } from '../../config';
import type { UserPrincipal } from '../../platform/auth';
import type { Clock } from '../../platform/clock';
import type { Database, Tx } from '../../platform/db';
import { isUniqueViolation } from '../../platform/db-errors';
import { AppError, forbidden, invalidField, notFound } from '../../platform/errors';
import type { RateLimits } from '../../platform/rate-limit';
import { hashSecret, newSecret } from '../../platform/tokens';
import { toApiKey, toBranch, toUser } from './identity.mappers';
import { createIdentityRepository } from './identity.repository';
import type { PrincipalCache } from './principal-cache';
import { branchPhone, DEFAULT_HOURS } from './shop-defaults';

/**
 * A shop's administration: its settings, branches, users (and their invitations) and API keys. Rules: a tenant
 * keeps at least one active OWNER; a MANAGER cannot create or promote an OWNER; any user may switch their own
 * availability. Whatever changes who a principal is (a deactivation, a role or branches, a revoked key) evicts
 * the cached principals at once (principal-cache.ts).
 */

export interface TenantAdminDeps {
  database: Pick<Database, 'withTenant'>;
  config: Pick<AppConfig, 'publicUrl' | 'INVITE_LIMIT_PER_TENANT'>;
  clock: Clock;
  principals: Pick<PrincipalCache, 'forget'>;
  /** Invitations (new users) per tenant per hour. */
  rateLimits?: RateLimits | undefined;
}

export function createTenantAdminService({
  database,
  config,
  clock,
  principals,
  rateLimits,
}: TenantAdminDeps) {
  const repo = createIdentityRepository();
  const now = () => clock.now().toISOString();

  async function requireUserRow(tx: Tx, tenantId: string, userId: string) {
    const user = await repo.getUser(tx, tenantId, userId);
    if (!user) throw notFound('User');
    return user;
  }

  async function assertBranchesExist(tx: Tx, tenantId: string, branchIds: string[]) {
    const unique = [...new Set(branchIds)];
    if ((await repo.countBranches(tx, tenantId, unique)) !== unique.length) {
      throw invalidField('branchIds', 'every branch must exist in this tenant', 'NOT_FOUND_IN_SHOP');
    }
    return unique;
  }

  function assertCanGrant(actor: UserPrincipal, role: UserRole) {
    if (role === 'OWNER' && actor.role !== 'OWNER') throw forbidden('Only an owner can make another owner');
  }

  return {
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
        const phone = branchPhone(input.whatsappPhone, tenant);
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
        const phone = whatsappPhone ? branchPhone(whatsappPhone, tenant) : null;
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
            throw invalidField('branchIds', 'a seller needs at least one branch', 'SELLER_NEEDS_BRANCH');
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
            errors: [{ path: 'email', message: 'already registered', code: 'ALREADY_USED' }],
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
              errors: [
                {
                  path: input.active === false ? 'active' : 'role',
                  message: 'last active owner',
                  code: 'LAST_ACTIVE_OWNER',
                },
              ],
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
          principals.forget({ userId });
        }),

    // API keys
    listApiKeys: (tenantId: string) =>
      database.withTenant(tenantId, async (tx) => (await repo.listApiKeys(tx, tenantId)).map(toApiKey)),

    createApiKey: (actor: UserPrincipal, input: z.output<typeof createApiKeyBody>) => {
      if (input.expiresAt && Date.parse(input.expiresAt) <= clock.now().getTime()) {
        throw invalidField('expiresAt', 'must be in the future', 'NOT_IN_FUTURE');
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
      principals.forget({ apiKeyId: keyId });
      if (!row) throw notFound('API key');
      return toApiKey(row);
    },

    // Read by other modules inside their own transaction.
    findUser: (tx: Tx, tenantId: string, userId: string) => repo.getUser(tx, tenantId, userId),
    findBranch: (tx: Tx, tenantId: string, branchId: string) => repo.getBranch(tx, tenantId, branchId),
    findTenant: (tx: Tx, tenantId: string) => repo.getTenant(tx, tenantId),
  };
}

export type TenantAdminService = ReturnType<typeof createTenantAdminService>;
