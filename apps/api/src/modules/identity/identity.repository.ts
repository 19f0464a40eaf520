import type { UserRole } from '@techmarket/contracts';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { apiKey, appUser, branch, session, tenant, userBranch } from '../../db/schema';
import type { Queryable, Tx } from '../../platform/db';

export type UserRow = typeof appUser.$inferSelect;
export type BranchRow = typeof branch.$inferSelect;
export type TenantRow = typeof tenant.$inferSelect;
export type UserWithBranches = UserRow & { branchIds: string[] };

/** Every function takes the tenant first; RLS is the second wall, these filters are the first. */
export function createIdentityRepository() {
  async function branchIdsOf(tx: Tx, tenantId: string, userIds: string[]) {
    const map = new Map<string, string[]>();
    if (userIds.length === 0) return map;
    const rows = await tx
      .select({ userId: userBranch.userId, branchId: userBranch.branchId })
      .from(userBranch)
      .where(and(eq(userBranch.tenantId, tenantId), inArray(userBranch.userId, userIds)))
      .orderBy(asc(userBranch.branchId));
    for (const row of rows) map.set(row.userId, [...(map.get(row.userId) ?? []), row.branchId]);
    return map;
  }

  return {
    // Pre-tenant look-ups go through SECURITY DEFINER functions (see migration 0001).
    /** Every account with this address, one per shop (at most 20), with the shop's name. */
    async findLoginsByEmail(tx: Tx, email: string) {
      const result = await tx.execute<{
        user_id: string;
        tenant_id: string;
        tenant_name: string;
        password_hash: string | null;
        active: boolean;
      }>(sql`select * from auth_accounts_by_email(${email})`);
      return result.rows;
    },
    /** The session with its user's role, active flag and branches: what a request's principal needs, in one row. */
    async findSessionPrincipal(db: Queryable, tokenHash: string) {
      const result = await db.execute<{
        session_id: string;
        tenant_id: string;
        user_id: string;
        role: UserRole;
        active: boolean;
        expires_at: string;
        revoked_at: string | null;
        branch_ids: string[];
      }>(sql`select * from auth_session_principal(${tokenHash})`);
      return result.rows[0] ?? null;
    },
    async findApiKeyByHash(db: Queryable, keyHash: string) {
      const result = await db.execute<{
        api_key_id: string;
        tenant_id: string;
        revoked_at: string | null;
        expires_at: string | Date | null;
        scopes: string[];
      }>(sql`select * from auth_api_key(${keyHash})`);
      return result.rows[0] ?? null;
    },
    async findInvitation(tx: Tx, tokenHash: string) {
      const result = await tx.execute<{ user_id: string; tenant_id: string; expires_at: Date | null }>(
        sql`select * from auth_invitation(${tokenHash})`,
      );
      return result.rows[0] ?? null;
    },

    async updateTenant(tx: Tx, tenantId: string, changes: Partial<Pick<TenantRow, 'assignmentStrategy'>>) {
      const [row] = await tx
        .update(tenant)
        .set({ ...changes, updatedAt: sql`now()` })
        .where(eq(tenant.id, tenantId))
        .returning();
      return row ?? null;
    },
    async insertTenant(tx: Tx, row: typeof tenant.$inferInsert) {
      const [created] = await tx.insert(tenant).values(row).returning();
      if (!created) throw new Error('tenant insert returned nothing');
      return created;
    },
    async getTenant(tx: Tx, tenantId: string) {
      const [row] = await tx.select().from(tenant).where(eq(tenant.id, tenantId));
      return row ?? null;
    },

    async insertSession(tx: Tx, row: typeof session.$inferInsert) {
      await tx.insert(session).values(row);
    },
    async touchSession(tx: Tx, tenantId: string, sessionId: string, at: string) {
      await tx
        .update(session)
        .set({ lastSeenAt: at })
        .where(and(eq(session.tenantId, tenantId), eq(session.id, sessionId)));
    },
    async revokeSession(tx: Tx, tenantId: string, sessionId: string, at: string) {
      await tx
        .update(session)
        .set({ revokedAt: at })
        .where(and(eq(session.tenantId, tenantId), eq(session.id, sessionId), isNull(session.revokedAt)));
    },
    async revokeUserSessions(tx: Tx, tenantId: string, userId: string, at: string) {
      await tx
        .update(session)
        .set({ revokedAt: at })
        .where(and(eq(session.tenantId, tenantId), eq(session.userId, userId), isNull(session.revokedAt)));
    },

    async getUser(tx: Tx, tenantId: string, userId: string): Promise<UserWithBranches | null> {
      const [row] = await tx
        .select()
        .from(appUser)
        .where(and(eq(appUser.tenantId, tenantId), eq(appUser.id, userId)));
      if (!row) return null;
      const branches = await branchIdsOf(tx, tenantId, [row.id]);
      return { ...row, branchIds: branches.get(row.id) ?? [] };
    },
    async listUsers(tx: Tx, tenantId: string): Promise<UserWithBranches[]> {
      const rows = await tx
        .select()
        .from(appUser)
        .where(eq(appUser.tenantId, tenantId))
        .orderBy(asc(appUser.role), asc(appUser.name));
      const branches = await branchIdsOf(
        tx,
        tenantId,
        rows.map((r) => r.id),
      );
      return rows.map((row) => ({ ...row, branchIds: branches.get(row.id) ?? [] }));
    },
    async insertUser(tx: Tx, row: typeof appUser.$inferInsert) {
      const [created] = await tx.insert(appUser).values(row).returning();
      if (!created) throw new Error('user insert returned nothing');
      return created;
    },
    async updateUser(
      tx: Tx,
      tenantId: string,
      userId: string,
      changes: Partial<typeof appUser.$inferInsert>,
      expectedVersion?: number,
    ) {
      const conditions = [eq(appUser.tenantId, tenantId), eq(appUser.id, userId)];
      if (expectedVersion !== undefined) conditions.push(eq(appUser.version, expectedVersion));
      const [row] = await tx
        .update(appUser)
        .set({ ...changes, version: sql`${appUser.version} + 1`, updatedAt: sql`now()` })
        .where(and(...conditions))
        .returning({ id: appUser.id });
      return row !== undefined;
    },
    async setUserBranches(tx: Tx, tenantId: string, userId: string, branchIds: string[]) {
      await tx
        .delete(userBranch)
        .where(and(eq(userBranch.tenantId, tenantId), eq(userBranch.userId, userId)));
      if (branchIds.length > 0) {
        await tx.insert(userBranch).values(branchIds.map((branchId) => ({ tenantId, userId, branchId })));
      }
    },
    async countActiveOwners(tx: Tx, tenantId: string) {
      const [row] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(appUser)
        .where(and(eq(appUser.tenantId, tenantId), eq(appUser.role, 'OWNER'), eq(appUser.active, true)));
      return row?.n ?? 0;
    },

    async listBranches(tx: Tx, tenantId: string) {
      return tx.select().from(branch).where(eq(branch.tenantId, tenantId)).orderBy(asc(branch.name));
    },
    async getBranch(tx: Tx, tenantId: string, branchId: string) {
      const [row] = await tx
        .select()
        .from(branch)
        .where(and(eq(branch.tenantId, tenantId), eq(branch.id, branchId)));
      return row ?? null;
    },
    async countBranches(tx: Tx, tenantId: string, branchIds: string[]) {
      if (branchIds.length === 0) return 0;
      const [row] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(branch)
        .where(and(eq(branch.tenantId, tenantId), inArray(branch.id, branchIds)));
      return row?.n ?? 0;
    },
    async insertBranch(tx: Tx, row: typeof branch.$inferInsert) {
      const [created] = await tx.insert(branch).values(row).returning();
      if (!created) throw new Error('branch insert returned nothing');
      return created;
    },
    async updateBranch(
      tx: Tx,
      tenantId: string,
      branchId: string,
      changes: Partial<typeof branch.$inferInsert>,
      expectedVersion?: number,
    ) {
      const conditions = [eq(branch.tenantId, tenantId), eq(branch.id, branchId)];
      if (expectedVersion !== undefined) conditions.push(eq(branch.version, expectedVersion));
      const [row] = await tx
        .update(branch)
        .set({ ...changes, version: sql`${branch.version} + 1`, updatedAt: sql`now()` })
        .where(and(...conditions))
        .returning();
      return row ?? null;
    },

    async insertApiKey(tx: Tx, row: typeof apiKey.$inferInsert) {
      const [created] = await tx.insert(apiKey).values(row).returning();
      if (!created) throw new Error('api key insert returned nothing');
      return created;
    },
    async listApiKeys(tx: Tx, tenantId: string) {
      return tx.select().from(apiKey).where(eq(apiKey.tenantId, tenantId)).orderBy(asc(apiKey.createdAt));
    },
    async revokeApiKey(tx: Tx, tenantId: string, keyId: string, at: string) {
      const [row] = await tx
        .update(apiKey)
        .set({ revokedAt: sql`coalesce(${apiKey.revokedAt}, ${at})` })
        .where(and(eq(apiKey.tenantId, tenantId), eq(apiKey.id, keyId)))
        .returning();
      return row ?? null;
    },
    async touchApiKey(tx: Tx, tenantId: string, keyId: string, at: string, olderThan: string) {
      await tx
        .update(apiKey)
        .set({ lastUsedAt: at })
        .where(
          and(
            eq(apiKey.tenantId, tenantId),
            eq(apiKey.id, keyId),
            sql`(${apiKey.lastUsedAt} is null or ${apiKey.lastUsedAt} < ${olderThan})`,
          ),
        );
    },
  };
}

export type IdentityRepository = ReturnType<typeof createIdentityRepository>;
