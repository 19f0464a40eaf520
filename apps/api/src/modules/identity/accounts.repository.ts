import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { passwordReset, session } from '../../db/schema';
import type { Tx } from '../../platform/db';

/** Password resets and the session revocations of the accounts service; the tenant first, as everywhere. */
export function createAccountsRepository() {
  return {
    // Opened before the tenant is known, through a SECURITY DEFINER function (see migration 0011).
    async findPasswordReset(tx: Tx, tokenHash: string) {
      const result = await tx.execute<{
        reset_id: string;
        user_id: string;
        tenant_id: string;
        expires_at: string | Date;
        used_at: string | Date | null;
      }>(sql`select * from auth_password_reset(${tokenHash})`);
      return result.rows[0] ?? null;
    },

    /** A newer link replaces the person's unused ones. */
    async replacePasswordReset(tx: Tx, row: typeof passwordReset.$inferInsert) {
      await tx
        .delete(passwordReset)
        .where(
          and(
            eq(passwordReset.tenantId, row.tenantId),
            eq(passwordReset.userId, row.userId),
            isNull(passwordReset.usedAt),
          ),
        );
      await tx.insert(passwordReset).values(row);
    },

    /** Marks the link used; false when another request used it first (single use under concurrency). */
    async consumePasswordReset(tx: Tx, tenantId: string, resetId: string, at: string) {
      const [row] = await tx
        .update(passwordReset)
        .set({ usedAt: at })
        .where(
          and(
            eq(passwordReset.tenantId, tenantId),
            eq(passwordReset.id, resetId),
            isNull(passwordReset.usedAt),
          ),
        )
        .returning({ id: passwordReset.id });
      return row !== undefined;
    },

    /** Revokes every live session of the user but `keep`; answers the ids it revoked. */
    async revokeOtherSessions(tx: Tx, tenantId: string, userId: string, keep: string, at: string) {
      const rows = await tx
        .update(session)
        .set({ revokedAt: at })
        .where(
          and(
            eq(session.tenantId, tenantId),
            eq(session.userId, userId),
            ne(session.id, keep),
            isNull(session.revokedAt),
          ),
        )
        .returning({ id: session.id });
      return rows.map((row) => row.id);
    },
  };
}
