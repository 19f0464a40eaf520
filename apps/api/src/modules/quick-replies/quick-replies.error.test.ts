import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problem, type SignedUp, signUp, type TestContext } from '../../../test/harness';
import { createLeadsTestContext } from '../leads/leads.fixtures';
import { createQuickReply } from './quick-replies.fixtures';

let ctx: TestContext;
let shop: SignedUp;

beforeAll(async () => {
  ctx = await createLeadsTestContext();
  shop = await signUp(ctx.app);
});
afterAll(() => ctx.close());

const post = (payload: unknown) =>
  ctx.app.inject({
    method: 'POST',
    url: `/api/v1/tenants/${shop.tenantId}/quick-replies`,
    headers: shop.auth,
    payload: payload as Record<string, unknown>,
  });
const paths = (body: { errors?: { path: string }[] }) => body.errors?.map((e) => e.path) ?? [];

describe('bad quick replies', () => {
  it('a missing title and an empty text are a 400 naming both', async () => {
    const body = problem(await post({ text: '   ' }), 400);
    expect(paths(body)).toEqual(expect.arrayContaining(['body.title', 'body.text']));
  });

  it('an unknown variable is a 400 naming body.text', async () => {
    const body = problem(await post({ title: 'Typo', text: 'Hola {nombr}, gracias' }), 400);
    expect(paths(body)).toEqual(['body.text']);
    expect(body.errors?.[0]?.message).toContain('{nombre}');
  });

  it('a title over 60 characters and a text over 1000 are a 400 naming each', async () => {
    const body = problem(await post({ title: 'x'.repeat(61), text: 'y'.repeat(1001) }), 400);
    expect(paths(body)).toEqual(expect.arrayContaining(['body.title', 'body.text']));
  });

  it('a title the shop already uses is a 409 naming title', async () => {
    await createQuickReply(ctx.app, shop, { title: 'Garantía', text: 'Un año de garantía.' });
    const body = problem(await post({ title: 'Garantía', text: 'Otra cosa.' }), 409);
    expect(paths(body)).toEqual(['title']);
  });

  it('an edit at a stale version is a 409 naming version; without a version, a 400', async () => {
    const created = await createQuickReply(ctx.app, shop, {
      title: 'Envío',
      text: 'Enviamos a todo el país.',
    });
    const patch = (payload: Record<string, unknown>) =>
      ctx.app.inject({
        method: 'PATCH',
        url: `/api/v1/quick-replies/${created.id}`,
        headers: shop.auth,
        payload,
      });
    expect((await patch({ text: 'Enviamos gratis.', version: 1 })).statusCode).toBe(200);
    expect(paths(problem(await patch({ text: 'Enviamos hoy.', version: 1 }), 409))).toEqual(['version']);
    expect(paths(problem(await patch({ text: 'Enviamos hoy.' }), 400))).toEqual(['body.version']);
  });

  it('an unknown id is a 404, a malformed one a 400, and a bad cursor a 400 naming cursor', async () => {
    problem(
      await ctx.app.inject({
        method: 'DELETE',
        url: '/api/v1/quick-replies/01900000-0000-7000-8000-000000000000',
        headers: shop.auth,
      }),
      404,
    );
    problem(
      await ctx.app.inject({ method: 'DELETE', url: '/api/v1/quick-replies/nope', headers: shop.auth }),
      400,
    );
    const cursor = problem(
      await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/tenants/${shop.tenantId}/quick-replies?cursor=bm9wZQ`,
        headers: shop.auth,
      }),
      400,
    );
    expect(paths(cursor)).toEqual(['cursor']);
  });
});
