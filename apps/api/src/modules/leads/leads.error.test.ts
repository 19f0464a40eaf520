import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, problem, type SignedUp, signUp, type TestContext } from '../../../test/harness';
import {
  addBranch,
  addListing,
  changeLead,
  createLead,
  createLeadsTestContext,
  events,
  inbox,
  patchLead,
} from './leads.fixtures';

let ctx: TestContext;
let shop: SignedUp;

beforeAll(async () => {
  ctx = await createLeadsTestContext();
  shop = await signUp(ctx.app);
});
afterAll(() => ctx.close());

const paths = (body: { errors?: { path: string }[] }) => body.errors?.map((e) => e.path);

describe('GET /tenants/:tenantId/leads with bad input', () => {
  const get = (query: string) =>
    ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${shop.tenantId}/leads?${query}`,
      headers: shop.auth,
    });

  it.each([
    ['limit=0', 'querystring.limit'],
    ['limit=201', 'querystring.limit'],
    ['limit=ten', 'querystring.limit'],
    ['sort=name', 'querystring.sort'],
    ['sort=createdAt', 'querystring.sort'],
    ['sort=-waiting', 'querystring.sort'],
    ['status=open', 'querystring.status'],
    ['status=CLOSED', 'querystring.status'],
    ['priority=URGENT', 'querystring.priority'],
    ['source=EMAIL', 'querystring.source'],
    ['branchId=miraflores', 'querystring.branchId'],
    ['assignedTo=42', 'querystring.assignedTo'],
    [`q=${'x'.repeat(101)}`, 'querystring.q'],
  ])('%s is a 400 naming %s', async (query, path) => {
    expect(paths(problem(await get(query), 400))).toContain(path);
  });

  it('refuses a cursor that is not ours, or belongs to another sort', async () => {
    await createLead(ctx.app, shop, { branchId: shop.branchId });
    await createLead(ctx.app, shop, { branchId: shop.branchId });
    const { nextCursor } = await inbox(ctx.app, shop, shop.tenantId, 'limit=1&sort=-createdAt');
    expect(nextCursor).toEqual(expect.any(String));

    const forged = [
      'not-a-cursor',
      Buffer.from('{"a":1}').toString('base64url'),
      Buffer.from('["priority","HIGH","yesterday","x"]').toString('base64url'),
      Buffer.from(`["priority","URGENT","2030-01-01T00:00:00.000Z","${randomUUID()}"]`).toString('base64url'),
      `${nextCursor}`,
    ];
    for (const cursor of forged) {
      const body = problem(await get(`sort=priority&cursor=${encodeURIComponent(cursor)}`), 400);
      expect(paths(body)).toEqual(['cursor']);
    }
    // The same cursor is fine with the sort it came from.
    expect((await get(`sort=-createdAt&cursor=${nextCursor}`)).statusCode).toBe(200);
  });
});

describe('POST /tenants/:tenantId/leads with bad input', () => {
  const post = (payload: Record<string, unknown>, caller = shop) =>
    ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${shop.tenantId}/leads`,
      headers: caller.auth,
      payload,
    });

  it.each([
    [{}, 'body.branchId'],
    [{ branchId: 'miraflores' }, 'body.branchId'],
    [{ branchId: randomUUID(), source: 'EMAIL' }, 'body.source'],
    [{ branchId: randomUUID(), priority: 'URGENT' }, 'body.priority'],
    [{ branchId: randomUUID(), contact: { phone: '123' } }, 'body.contact.phone'],
    [{ branchId: randomUUID(), contact: { name: '' } }, 'body.contact.name'],
    [{ branchId: randomUUID(), listingId: 'laptop' }, 'body.listingId'],
    [{ branchId: randomUUID(), message: '   ' }, 'body.message'],
  ])('%j is a 400 naming %s', async (payload, path) => {
    expect(paths(problem(await post(payload), 400))).toContain(path);
  });

  it('refuses a phone number that cannot exist, naming contact.phone', async () => {
    const body = problem(await post({ branchId: shop.branchId, contact: { phone: '00000 00' } }), 422);
    expect(paths(body)).toEqual(['contact.phone']);
  });

  it('refuses a branch or listing that is not this shop’s', async () => {
    const other = await signUp(ctx.app);
    const otherListing = await addListing(ctx.app, other);
    expect(paths(problem(await post({ branchId: randomUUID() }), 422))).toEqual(['branchId']);
    expect(paths(problem(await post({ branchId: other.branchId }), 422))).toEqual(['branchId']);
    expect(paths(problem(await post({ branchId: shop.branchId, listingId: randomUUID() }), 422))).toEqual([
      'listingId',
    ]);
    expect(paths(problem(await post({ branchId: shop.branchId, listingId: otherListing.id }), 422))).toEqual([
      'listingId',
    ]);
  });
});

describe('PATCH /leads/:id with bad input', () => {
  it.each([
    [{}, 'body.version'],
    [{ status: 'CONTACTED' }, 'body.version'],
    [{ version: 0, status: 'CONTACTED' }, 'body.version'],
    [{ version: 1 }, 'body.status'],
    [{ version: 1, status: 'OPEN' }, 'body.status'],
    [{ version: 1, priority: 'URGENT' }, 'body.priority'],
    [{ version: 1, lostReason: 'EXPENSIVE' }, 'body.lostReason'],
    [{ version: 1, leadType: 'REPAIR' }, 'body.leadType'],
    [{ version: 1, assignedToUserId: 'maria' }, 'body.assignedToUserId'],
  ])('%j is a 400 naming %s', async (payload, path) => {
    const lead = await createLead(ctx.app, shop, { branchId: shop.branchId });
    expect(paths(problem(await patchLead(ctx.app, shop, lead.id, payload), 400))).toContain(path);
  });

  it('answers 409 to a stale version and keeps the newer change', async () => {
    const lead = await createLead(ctx.app, shop, { branchId: shop.branchId });
    await changeLead(ctx.app, shop, lead, { priority: 'HIGH' });
    const stale = problem(await patchLead(ctx.app, shop, lead.id, { version: 1, priority: 'LOW' }), 409);
    expect(stale.title).toMatch(/changed by someone else/);
    expect(paths(stale)).toEqual(['version']);
    const [current] = (await inbox(ctx.app, shop, shop.tenantId, 'priority=HIGH')).items.filter(
      (l) => l.id === lead.id,
    );
    expect(current).toMatchObject({ priority: 'HIGH', version: 2 });
  });

  it('lets exactly one of two concurrent edits of the same version win', async () => {
    const lead = await createLead(ctx.app, shop, { branchId: shop.branchId });
    // Hold the row so that both requests read version 1 and then queue on their UPDATE: the version
    // guard in the statement, not the earlier read, has to decide between them.
    const holder = await ctx.owner.pool.connect();
    try {
      await holder.query('begin');
      await holder.query('select 1 from lead where id = $1 for update', [lead.id]);
      const answers = Promise.all([
        patchLead(ctx.app, shop, lead.id, { version: 1, status: 'CONTACTED' }),
        patchLead(ctx.app, shop, lead.id, { version: 1, status: 'LOST', lostReason: 'NO_RESPONSE' }),
      ]);
      for (let waiting = 0; waiting < 2; ) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        const { rows } = await ctx.owner.pool.query<{ n: number }>(
          "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
        );
        waiting = rows[0]?.n ?? 0;
      }
      await holder.query('commit');
      expect((await answers).map((a) => a.statusCode).sort()).toEqual([200, 409]);
    } finally {
      holder.release();
    }
    const history = await events(ctx.app, shop, lead.id);
    expect(history.filter((e) => e.type === 'STATUS_CHANGED')).toHaveLength(1);
  });

  it.each([
    ['CONTACTED', 'NEW'],
    ['WON', 'QUOTED'],
    ['LOST', 'DORMANT'],
    ['DORMANT', 'QUOTED'],
  ] as const)('refuses %s -> %s with 422 INVALID_TRANSITION and writes nothing', async (from, to) => {
    const lead = await createLead(ctx.app, shop, { branchId: shop.branchId });
    const moved = await changeLead(ctx.app, shop, lead, {
      status: from,
      ...(from === 'LOST' ? { lostReason: 'STOCK' } : {}),
    });
    const response = await patchLead(ctx.app, shop, lead.id, { version: moved.version, status: to });
    const body = problem(response, 422);
    expect(body.type).toBe('urn:techmarket:problem:invalid-transition');
    expect(paths(body)).toEqual(['status']);
    expect(body.detail).toContain(`cannot move to ${to}`);
    expect((await events(ctx.app, shop, lead.id)).map((e) => e.type)).toEqual(['CREATED', 'STATUS_CHANGED']);
  });

  it('needs a reason to mark a lead LOST, and takes one only for LOST', async () => {
    const lead = await createLead(ctx.app, shop, { branchId: shop.branchId });
    expect(
      paths(problem(await patchLead(ctx.app, shop, lead.id, { version: 1, status: 'LOST' }), 422)),
    ).toEqual(['lostReason']);
    const wrong = await patchLead(ctx.app, shop, lead.id, {
      version: 1,
      status: 'CONTACTED',
      lostReason: 'PRICE',
    });
    expect(paths(problem(wrong, 422))).toEqual(['lostReason']);
    const notLost = await patchLead(ctx.app, shop, lead.id, { version: 1, lostReason: 'PRICE' });
    expect(paths(problem(notLost, 422))).toEqual(['lostReason']);
  });

  it('refuses an assignee who cannot work the lead, and changes nothing else of the request', async () => {
    const branchB = await addBranch(ctx.app, shop);
    const otherBranchSeller = await addUser(ctx.app, shop, 'SELLER', [branchB]);
    const leaving = await addUser(ctx.app, shop, 'SELLER');
    const userUrl = `/api/v1/tenants/${shop.tenantId}/users/${leaving.id}`;
    const { version } = (await ctx.app.inject({ method: 'GET', url: userUrl, headers: shop.auth })).json();
    const deactivated = await ctx.app.inject({
      method: 'PATCH',
      url: userUrl,
      headers: shop.auth,
      payload: { active: false, version },
    });
    expect(deactivated.statusCode, deactivated.body).toBe(200);
    const stranger = await signUp(ctx.app);
    const lead = await createLead(ctx.app, shop, { branchId: shop.branchId });

    for (const assignee of [randomUUID(), otherBranchSeller.id, leaving.id, stranger.ownerId]) {
      const response = await patchLead(ctx.app, shop, lead.id, {
        version: 1,
        status: 'CONTACTED',
        assignedToUserId: assignee,
      });
      expect(paths(problem(response, 422))).toEqual(['assignedToUserId']);
    }
    const [unchanged] = (await inbox(ctx.app, shop, shop.tenantId, 'status=NEW')).items.filter(
      (l) => l.id === lead.id,
    );
    expect(unchanged).toMatchObject({
      version: 1,
      status: 'NEW',
      assignedToUserId: null,
      firstResponseAt: null,
    });
    expect((await events(ctx.app, shop, lead.id)).map((e) => e.type)).toEqual(['CREATED']);
  });
});

describe('lead routes with a bad id or body', () => {
  it('answers 400 naming params.id to an id that is not a UUID', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/leads/42'],
      ['GET', '/api/v1/leads/42/events'],
      ['PATCH', '/api/v1/leads/42'],
      ['POST', '/api/v1/leads/42/notes'],
    ] as const) {
      const payload = method === 'GET' ? undefined : { version: 1, status: 'CONTACTED', text: 'x' };
      const response = await ctx.app.inject({
        method,
        url,
        headers: shop.auth,
        ...(payload ? { payload } : {}),
      });
      expect(paths(problem(response, 400))).toContain('params.id');
    }
  });

  it('answers 404 to a lead that does not exist', async () => {
    const id = randomUUID();
    problem(await ctx.app.inject({ method: 'GET', url: `/api/v1/leads/${id}`, headers: shop.auth }), 404);
    problem(
      await ctx.app.inject({ method: 'GET', url: `/api/v1/leads/${id}/events`, headers: shop.auth }),
      404,
    );
    problem(await patchLead(ctx.app, shop, id, { version: 1, status: 'CONTACTED' }), 404);
    problem(
      await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/leads/${id}/notes`,
        headers: shop.auth,
        payload: { text: 'hola' },
      }),
      404,
    );
  });

  it('refuses an empty or oversized note', async () => {
    const lead = await createLead(ctx.app, shop, { branchId: shop.branchId });
    for (const text of ['', '   ', 'x'.repeat(5001)]) {
      const response = await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/leads/${lead.id}/notes`,
        headers: shop.auth,
        payload: { text },
      });
      expect(paths(problem(response, 400))).toContain('body.text');
    }
    expect((await events(ctx.app, shop, lead.id)).map((e) => e.type)).toEqual(['CREATED']);
  });
});
