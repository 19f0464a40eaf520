import { hash, verify } from '@node-rs/argon2';
import type { changePasswordBody, resetPasswordBody } from '@techmarket/contracts';
import type { z } from 'zod';
import type { AppConfig } from '../../config';
import type { UserPrincipal } from '../../platform/auth';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db';
import { AppError, forbidden, invalidField, notFound } from '../../platform/errors';
import { hashSecret, newSecret } from '../../platform/tokens';
import { createAccountsRepository } from './accounts.repository';
import { toUser } from './identity.mappers';
import { createIdentityRepository } from './identity.repository';
import type { IdentityService, RequestMeta } from './identity.service';

/**
 * A person's own account: changing the password, logging out everywhere, and the reset links an owner hands
 * out. Rules:
 * - A password change needs the current password; the other sessions end, the one making the change stays.
 * - An OWNER may issue a reset link for anyone of the shop, a MANAGER for a SELLER only (as a manager cannot
 *   act on an owner elsewhere, and a peer's account is not theirs to take over). The link is a random token
 *   kept as its sha256, valid RESET_LINK_HOURS, once; a newer link replaces the older ones. Using it sets the
 *   password, ends every session of that person and opens a new one.
 * - Every revocation is announced through the principal broadcast, so no instance keeps serving a cached one.
 */

const RESET_LINK_HOURS = 24;

const badResetToken = () =>
  new AppError('UNPROCESSABLE', 'This link is not valid, was already used, or has expired', {
    errors: [{ path: 'token', message: 'invalid, used or expired', code: 'TOKEN_INVALID' }],
  });

export interface AccountsDeps {
  database: Pick<Database, 'withTenant' | 'withoutTenant'>;
  config: Pick<AppConfig, 'publicUrl'>;
  clock: Clock;
  identity: Pick<IdentityService, 'openSession' | 'forgetPrincipals'>;
}

export function createAccountsService({ database, config, clock, identity }: AccountsDeps) {
  const users = createIdentityRepository();
  const repo = createAccountsRepository();
  const now = () => clock.now().toISOString();

  return {
    async changePassword(actor: UserPrincipal, input: z.output<typeof changePasswordBody>) {
      const current = await database.withTenant(actor.tenantId, (tx) =>
        users.getUser(tx, actor.tenantId, actor.userId),
      );
      if (!current?.passwordHash || !(await verify(current.passwordHash, input.currentPassword))) {
        throw invalidField('currentPassword', 'not your current password', 'WRONG_PASSWORD');
      }
      if (await verify(current.passwordHash, input.newPassword)) {
        throw invalidField('newPassword', 'must differ from the current password', 'SAME_PASSWORD');
      }
      const passwordHash = await hash(input.newPassword);
      const revoked = await database.withTenant(actor.tenantId, async (tx) => {
        await users.updateUser(tx, actor.tenantId, actor.userId, { passwordHash });
        return repo.revokeOtherSessions(tx, actor.tenantId, actor.userId, actor.sessionId, now());
      });
      for (const sessionId of revoked) identity.forgetPrincipals({ sessionId });
    },

    async logoutEverywhere(actor: UserPrincipal) {
      await database.withTenant(actor.tenantId, (tx) =>
        users.revokeUserSessions(tx, actor.tenantId, actor.userId, now()),
      );
      identity.forgetPrincipals({ userId: actor.userId });
    },

    async issuePasswordReset(actor: UserPrincipal, userId: string) {
      const token = newSecret('tmr');
      const at = clock.now();
      const expiresAt = new Date(at.getTime() + RESET_LINK_HOURS * 3_600_000).toISOString();
      await database.withTenant(actor.tenantId, async (tx) => {
        const target = await users.getUser(tx, actor.tenantId, userId);
        if (!target) throw notFound('User');
        if (actor.role === 'MANAGER' && target.role !== 'SELLER') {
          throw forbidden('A manager can send a reset link to a seller only');
        }
        if (actor.role === 'SELLER') throw forbidden();
        if (!target.active)
          throw invalidField('userId', 'the user is deactivated; activate them first', 'USER_INACTIVE');
        await repo.replacePasswordReset(tx, {
          tenantId: actor.tenantId,
          userId,
          tokenHash: hashSecret(token),
          createdByUserId: actor.userId,
          createdAt: at.toISOString(),
          expiresAt,
        });
      });
      return { resetUrl: `${config.publicUrl}/reset-password?token=${token}`, expiresAt };
    },

    async resetPassword(input: z.output<typeof resetPasswordBody>, meta: RequestMeta) {
      const reset = await database.withoutTenant((tx) => repo.findPasswordReset(tx, hashSecret(input.token)));
      if (!reset || reset.used_at || new Date(reset.expires_at).getTime() <= clock.now().getTime()) {
        throw badResetToken();
      }
      const passwordHash = await hash(input.password);
      const { tenant_id: tenantId, user_id: userId } = reset;
      try {
        return await database.withTenant(tenantId, async (tx) => {
          if (!(await repo.consumePasswordReset(tx, tenantId, reset.reset_id, now()))) throw badResetToken();
          const user = await users.getUser(tx, tenantId, userId);
          if (!user?.active) throw badResetToken();
          // A pending invitation is answered by this password too.
          await users.updateUser(tx, tenantId, userId, {
            passwordHash,
            inviteTokenHash: null,
            inviteExpiresAt: null,
          });
          await users.revokeUserSessions(tx, tenantId, userId, now());
          const token = await identity.openSession(tx, tenantId, userId, meta);
          const fresh = await users.getUser(tx, tenantId, userId);
          if (!fresh) throw notFound('User');
          return { token, user: toUser(fresh) };
        });
      } finally {
        identity.forgetPrincipals({ userId });
      }
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
