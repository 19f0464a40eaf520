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
let shop: SignedUp;
beforeAll(async () => {
  ctx = await createTestContext();
  shop = await signUp(ctx.app);
});
afterAll(() => ctx.close());

const laptop = {
  title: 'Laptop Lenovo IdeaPad Slim 3 Ryzen 5 16GB 512GB',
  category: 'LAPTOPS',
  price: 249900,
  currency: 'PEN',
  stock: 4,
};

async function createListing(tenant: SignedUp, payload: Record<string, unknown>) {
  return ctx.app.inject({
    method: 'POST',
    url: `/api/v1/tenants/${tenant.tenantId}/listings`,
    headers: tenant.auth,
    payload,
  });
}

describe('happy', () => {
  it('creates, reads, edits and deactivates a listing', async () => {
    const created = await createListing(shop, { ...laptop, sku: 'LEN-IP3-R5', branchId: shop.branchId });
    expect(created.statusCode).toBe(201);
    const listing = created.json();
    expect(listing).toMatchObject({
      ...laptop,
      sku: 'LEN-IP3-R5',
      branchId: shop.branchId,
      active: true,
      version: 1,
    });

    const url = `/api/v1/tenants/${shop.tenantId}/listings/${listing.id}`;
    expect((await ctx.app.inject({ method: 'GET', url, headers: shop.auth })).json().title).toBe(
      laptop.title,
    );
    const edited = await ctx.app.inject({
      method: 'PATCH',
      url,
      headers: shop.auth,
      payload: { price: 239900, stock: 0, active: false, version: 1 },
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ price: 239900, stock: 0, active: false, version: 2 });
  });

  it('lists with filters and walks every page with the cursor', async () => {
    const tenant = await signUp(ctx.app);
    for (let i = 0; i < 7; i++) {
      const response = await createListing(tenant, {
        ...laptop,
        title: `Mouse Logitech G203 #${i}`,
        category: i % 2 ? 'ACCESSORIES' : 'GAMING',
        sku: `LOG-${i}`,
      });
      expect(response.statusCode).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/tenants/${tenant.tenantId}/listings?limit=3${query}`,
        headers: tenant.auth,
      });
      expect(page.statusCode).toBe(200);
      const body = page.json();
      seen.push(...body.items.map((l: { id: string }) => l.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);

    const gaming = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${tenant.tenantId}/listings?category=GAMING&q=g203`,
      headers: tenant.auth,
    });
    expect(gaming.json().items).toHaveLength(4);

    // The titles of exactly the listings asked for, one or many.
    const [first, second] = seen;
    const byIds = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${tenant.tenantId}/listings?id=${first}&id=${second}`,
      headers: tenant.auth,
    });
    expect(byIds.statusCode, byIds.body).toBe(200);
    expect(
      byIds
        .json()
        .items.map((l: { id: string }) => l.id)
        .sort(),
    ).toEqual([first, second].sort());
    const one = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${tenant.tenantId}/listings?id=${first}`,
      headers: tenant.auth,
    });
    expect(one.json().items.map((l: { id: string }) => l.id)).toEqual([first]);
    // Another shop's ids find nothing; a malformed one names the field.
    const foreign = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${shop.tenantId}/listings?id=${first}`,
      headers: shop.auth,
    });
    expect(foreign.json().items).toEqual([]);
    const bad = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${tenant.tenantId}/listings?id=nope`,
      headers: tenant.auth,
    });
    expect(problem(bad, 400).errors?.[0]?.path).toMatch(/id/);
  });
});

describe('errors', () => {
  it('names the bad fields', async () => {
    const response = await createListing(shop, {
      title: '',
      category: 'FOOD',
      price: 10.5,
      currency: 'EUR',
      stock: -1,
    });
    const paths = problem(response, 400).errors?.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['body.title', 'body.category', 'body.price', 'body.currency', 'body.stock']),
    );
  });

  it('refuses a duplicate SKU and a branch of another tenant', async () => {
    expect((await createListing(shop, { ...laptop, sku: 'DUP-1' })).statusCode).toBe(201);
    expect(problem(await createListing(shop, { ...laptop, sku: 'DUP-1' }), 409).errors?.[0]?.path).toBe(
      'sku',
    );
    const other = await signUp(ctx.app);
    expect(
      problem(await createListing(shop, { ...laptop, branchId: other.branchId }), 422).errors?.[0]?.path,
    ).toBe('branchId');
  });

  it('rejects a malformed cursor', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${shop.tenantId}/listings?cursor=nonsense`,
      headers: shop.auth,
    });
    expect(problem(response, 400).errors?.[0]?.path).toBe('cursor');
  });
});

describe('security', () => {
  it("answers another tenant's listings with 404", async () => {
    const other = await signUp(ctx.app);
    const theirs = (await createListing(other, laptop)).json();
    problem(
      await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/tenants/${shop.tenantId}/listings/${theirs.id}`,
        headers: shop.auth,
      }),
      404,
    );
    problem(
      await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/tenants/${other.tenantId}/listings`,
        headers: shop.auth,
      }),
      404,
    );
    problem(
      await ctx.app.inject({
        method: 'PATCH',
        url: `/api/v1/tenants/${shop.tenantId}/listings/${theirs.id}`,
        headers: shop.auth,
        payload: { price: 1 },
      }),
      404,
    );
  });

  it('lets sellers read but not write the catalog', async () => {
    const seller = await addUser(ctx.app, shop, 'SELLER');
    const list = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${shop.tenantId}/listings`,
      headers: seller.auth,
    });
    expect(list.statusCode).toBe(200);
    problem(
      await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/tenants/${shop.tenantId}/listings`,
        headers: seller.auth,
        payload: laptop,
      }),
      403,
    );
  });
});
