import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  createTestContext,
  problem,
  type SignedUp,
  signUp,
  type TestContext,
} from '../../../test/harness';

let ctx: TestContext;
let mine: SignedUp;
let theirs: SignedUp;
let theirSeller: { id: string };

beforeAll(async () => {
  ctx = await createTestContext();
  mine = await signUp(ctx.app);
  theirs = await signUp(ctx.app);
  theirSeller = await addUser(ctx.app, theirs, 'SELLER');
});
afterAll(() => ctx.close());

describe("another tenant's resources are 404", () => {
  const cases = () => [
    { method: 'GET' as const, url: `/api/v1/tenants/${theirs.tenantId}/branches` },
    { method: 'GET' as const, url: `/api/v1/tenants/${theirs.tenantId}/branches/${theirs.branchId}` },
    {
      method: 'PATCH' as const,
      url: `/api/v1/tenants/${theirs.tenantId}/branches/${theirs.branchId}`,
      payload: { name: 'x' },
    },
    {
      method: 'POST' as const,
      url: `/api/v1/tenants/${theirs.tenantId}/branches`,
      payload: { name: 'x', whatsappPhone: '+51987654321', timezone: 'America/Lima' },
    },
    { method: 'GET' as const, url: `/api/v1/tenants/${theirs.tenantId}/users` },
    { method: 'GET' as const, url: `/api/v1/tenants/${theirs.tenantId}/users/${theirSeller.id}` },
    {
      method: 'PATCH' as const,
      url: `/api/v1/tenants/${theirs.tenantId}/users/${theirSeller.id}`,
      payload: { active: false, version: 1 },
    },
    { method: 'GET' as const, url: `/api/v1/tenants/${theirs.tenantId}/api-keys` },
    { method: 'POST' as const, url: `/api/v1/tenants/${theirs.tenantId}/api-keys`, payload: { name: 'k' } },
  ];

  it('through the tenant in the path', async () => {
    for (const call of cases()) {
      const response = await ctx.app.inject({ ...call, headers: mine.auth });
      expect(response.statusCode, `${call.method} ${call.url}`).toBe(404);
      problem(response, 404);
    }
  });

  it("through another tenant's ids under my own tenant", async () => {
    problem(
      await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/tenants/${mine.tenantId}/branches/${theirs.branchId}`,
        headers: mine.auth,
      }),
      404,
    );
    problem(
      await ctx.app.inject({
        method: 'PATCH',
        url: `/api/v1/tenants/${mine.tenantId}/users/${theirSeller.id}`,
        headers: mine.auth,
        payload: { active: false, version: 1 },
      }),
      404,
    );
    const untouched = await ctx.owner.pool.query('select active from app_user where id = $1', [
      theirSeller.id,
    ]);
    expect(untouched.rows[0].active).toBe(true);
  });
});

describe('secrets at rest', () => {
  it('stores only hashes of passwords and session tokens', async () => {
    const row = await ctx.owner.pool.query('select password_hash from app_user where id = $1', [
      mine.ownerId,
    ]);
    expect(row.rows[0].password_hash).toMatch(/^\$argon2id\$/);
    const sessions = await ctx.owner.pool.query('select token_hash from session where user_id = $1', [
      mine.ownerId,
    ]);
    for (const s of sessions.rows) expect(s.token_hash).not.toBe(mine.token);
  });
});
