import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, problem, type SignedUp, signUp, type TestContext } from '../../../test/harness';
import { createLeadsTestContext } from '../leads/leads.fixtures';
import { createQuickReply } from './quick-replies.fixtures';

let ctx: TestContext;
let shop: SignedUp;
let rival: SignedUp;

beforeAll(async () => {
  ctx = await createLeadsTestContext();
  shop = await signUp(ctx.app);
  rival = await signUp(ctx.app);
});
afterAll(() => ctx.close());

describe("a shop's quick replies", () => {
  it('are 404 to another tenant: list, create, edit and delete', async () => {
    const mine = await createQuickReply(ctx.app, shop, { title: 'Hola', text: 'Hola {nombre}' });
    problem(
      await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/tenants/${shop.tenantId}/quick-replies`,
        headers: rival.auth,
      }),
      404,
    );
    problem(
      await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/tenants/${shop.tenantId}/quick-replies`,
        headers: rival.auth,
        payload: { title: 'Intruso', text: 'x' },
      }),
      404,
    );
    problem(
      await ctx.app.inject({
        method: 'PATCH',
        url: `/api/v1/quick-replies/${mine.id}`,
        headers: rival.auth,
        payload: { text: 'cambiado', version: 1 },
      }),
      404,
    );
    problem(
      await ctx.app.inject({
        method: 'DELETE',
        url: `/api/v1/quick-replies/${mine.id}`,
        headers: rival.auth,
      }),
      404,
    );
    const { rows } = await ctx.owner.pool.query('select text from quick_reply where id = $1', [mine.id]);
    expect(rows).toEqual([{ text: 'Hola {nombre}' }]);
  });

  it('a seller reads them but may not write them (403)', async () => {
    const seller = await addUser(ctx.app, shop, 'SELLER');
    const mine = await createQuickReply(ctx.app, shop, { title: 'Precio', text: '{producto}: {precio}' });
    problem(
      await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/tenants/${shop.tenantId}/quick-replies`,
        headers: seller.auth,
        payload: { title: 'Mía', text: 'x' },
      }),
      403,
    );
    problem(
      await ctx.app.inject({
        method: 'PATCH',
        url: `/api/v1/quick-replies/${mine.id}`,
        headers: seller.auth,
        payload: { text: 'x', version: 1 },
      }),
      403,
    );
    problem(
      await ctx.app.inject({
        method: 'DELETE',
        url: `/api/v1/quick-replies/${mine.id}`,
        headers: seller.auth,
      }),
      403,
    );
  });

  it('need a signed-in user: no credentials is 401, an API key 403', async () => {
    problem(
      await ctx.app.inject({ method: 'GET', url: `/api/v1/tenants/${shop.tenantId}/quick-replies` }),
      401,
    );
    const key = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${shop.tenantId}/api-keys`,
      headers: shop.auth,
      payload: { name: 'marketplace' },
    });
    expect(key.statusCode, key.body).toBe(201);
    problem(
      await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/tenants/${shop.tenantId}/quick-replies`,
        headers: { authorization: `Bearer ${key.json().key}` },
      }),
      403,
    );
  });

  it('row-level security keeps them to their tenant even for a query that names none', async () => {
    await createQuickReply(ctx.app, rival, { title: 'Ajena', text: 'no la veas' });
    const seen = await ctx.database.withTenant(shop.tenantId, (tx) =>
      tx.execute<{ title: string }>("select title from quick_reply where title = 'Ajena'"),
    );
    expect(seen.rows).toEqual([]);
  });
});
