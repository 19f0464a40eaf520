import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type SignedUp, signUp, type TestContext } from '../../test/harness';
import { branch } from '../db/schema';

let ctx: TestContext;
let mine: SignedUp;
let theirs: SignedUp;
beforeAll(async () => {
  ctx = await createTestContext();
  mine = await signUp(ctx.app);
  theirs = await signUp(ctx.app);
});
afterAll(() => ctx.close());

const tenantSetting = sql<{ tenant: string | null }>`select current_setting('app.tenant_id', true) as tenant`;
const branchNames = sql`select name from branch order by name`;
/** Drizzle wraps a failed query's error; the driver's is its cause. */
const causeOf = (error: unknown) =>
  error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);

describe('withTenant', () => {
  it('scopes one transaction to the tenant and leaves nothing set on the connection', async () => {
    const seen = await ctx.database.withTenant(mine.tenantId, async (tx) => {
      const { rows } = await tx.execute(sql`select tenant_id from branch`);
      const [inside] = (await tx.execute(tenantSetting)).rows;
      return { tenants: rows.map((row) => row.tenant_id), inside: inside?.tenant };
    });
    expect(seen).toEqual({ tenants: [mine.tenantId], inside: mine.tenantId });
    // Every client of the pool, after the transaction: the setting was transaction-local.
    const after = await Promise.all(
      Array.from({ length: 5 }, () => ctx.database.withoutTransaction((db) => db.execute(tenantSetting))),
    );
    for (const result of after) expect(result.rows[0]?.tenant || null).toBeNull();
  });

  it('rolls back everything on an error, and the connection stays usable', async () => {
    const failing = ctx.database.withTenant(mine.tenantId, async (tx) => {
      await tx.update(branch).set({ name: 'Renamed' }).where(sql`true`);
      await tx.execute(sql`select 1 / 0`);
    });
    expect(causeOf(await failing.catch((error: unknown) => error))).toMatch(/division by zero/);
    const names = await ctx.database.withTenant(mine.tenantId, (tx) => tx.execute(branchNames));
    expect(names.rows).toEqual([{ name: 'Miraflores' }]);
  });

  it('refuses a tenant id that is not a UUID', async () => {
    await expect(ctx.database.withTenant("x', true); drop table lead; --", async () => 1)).rejects.toThrow(
      /tenant UUID/,
    );
  });
});

describe('readWithTenant', () => {
  it('reads one statement under the tenant, with its parameters as literals', async () => {
    const quoted = `O'Brien \\ "50%" $1 é`;
    const rows = await ctx.database.readWithTenant(mine.tenantId, (tx) =>
      tx
        .select({ id: branch.id, echo: sql<string>`${quoted}::text`, n: sql<number>`${7}::int` })
        .from(branch)
        .where(sql`${branch.tenantId} in (${mine.tenantId}, ${theirs.tenantId})`),
    );
    expect(rows).toEqual([{ id: mine.branchId, echo: quoted, n: 7 }]);
  });

  it('refuses a second statement, and rolls back after an error', async () => {
    const twice = ctx.database.readWithTenant(mine.tenantId, async (tx) => {
      await tx.execute(branchNames);
      await tx.execute(branchNames);
    });
    expect(causeOf(await twice.catch((error: unknown) => error))).toMatch(/one statement/);
    const failing = ctx.database.readWithTenant(mine.tenantId, (tx) => tx.execute(sql`select 1 / 0`));
    expect(causeOf(await failing.catch((error: unknown) => error))).toMatch(/division by zero/);
    const open = await ctx.owner.pool.query(
      `select count(*)::int as open from pg_stat_activity
        where datname = current_database() and state like 'idle in transaction%'`,
    );
    expect(open.rows[0].open).toBe(0);
  });
});
