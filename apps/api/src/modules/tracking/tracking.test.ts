import { randomUUID } from 'node:crypto';
import { count, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problem, type TestContext } from '../../../test/harness';
import { contact, idempotencyKey, lead, listingView } from '../../db/schema';
import { createLeadsTestContext, manualClock } from '../leads/leads.fixtures';
import { click, insertCampaign, marketplaceKey, openShop, type Shop } from './tracking.fixtures';
import { purgeIdempotencyKeysJob } from './tracking.jobs';

const clock = manualClock();
let ctx: TestContext;
let shop: Shop;
let other: Shop;
/** The shop's API key: only its caller may say who the customer is (userId, phone, name). */
let server: Record<string, string>;

beforeAll(async () => {
  ctx = await createLeadsTestContext(clock);
  shop = await openShop(ctx.app);
  other = await openShop(ctx.app);
  server = await marketplaceKey(ctx.app, shop);
});
afterAll(() => ctx.close());

const visitor = () => `v-${randomUUID()}`;
const events = async (leadId: string, caller: { auth: Record<string, string> } = shop) => {
  const response = await ctx.app.inject({
    method: 'GET',
    url: `/api/v1/leads/${leadId}/events`,
    headers: caller.auth,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items as { type: string; payload: Record<string, unknown> }[];
};
const getLead = async (leadId: string) => {
  const response = await ctx.app.inject({
    method: 'GET',
    url: `/api/v1/leads/${leadId}`,
    headers: shop.auth,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};
const leadsOf = async (tenantId: string) =>
  (await ctx.owner.db.select({ n: count() }).from(lead).where(eq(lead.tenantId, tenantId)))[0]?.n ?? 0;

describe('POST /tracking/whatsapp-click', () => {
  it('opens a lead with the click, the message and the assignment, and answers a wa.me link with its reference', async () => {
    const campaignId = await insertCampaign(ctx.owner, shop.tenantId);
    const response = await click(ctx.app, {
      tenantId: shop.tenantId,
      branchId: shop.branchId,
      listingId: shop.listingId,
      campaign: campaignId,
      source: 'CAMPAIGN',
      visitorId: visitor(),
      message: '¿La tienen en stock para hoy?',
    });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    expect(body.created).toBe(true);
    expect(body.refCode).toMatch(/^[2-9A-HJ-NP-Z]{6}$/);
    const url = new URL(body.whatsappUrl);
    expect(`${url.origin}${url.pathname}`).toBe('https://wa.me/51987654321');
    const text = url.searchParams.get('text') ?? '';
    expect(text).toContain('Laptop Lenovo IdeaPad 3');
    expect(text).toContain(`Ref: ${body.refCode}`);
    expect(text).toMatch(/^¡Hola!/);

    const created = await getLead(body.leadId);
    expect(created).toMatchObject({
      status: 'NEW',
      source: 'CAMPAIGN',
      listingId: shop.listingId,
      campaignId,
      branchId: shop.branchId,
    });
    expect(shop.sellers.map((s) => s.id)).toContain(created.assignedToUserId);

    const history = await events(body.leadId);
    expect(history.map((e) => e.type)).toEqual(['CREATED', 'WHATSAPP_CLICK', 'MESSAGE_RECEIVED', 'ASSIGNED']);
    expect(history[1]?.payload).toMatchObject({
      refCode: body.refCode,
      listing: {
        id: shop.listingId,
        title: 'Laptop Lenovo IdeaPad 3 15" Ryzen 5',
        price: 249900,
        currency: 'PEN',
        stock: 4,
      },
      campaign: { id: campaignId, name: 'Cyber Wow' },
    });
    expect(history[2]?.payload).toEqual({ channel: 'MARKETPLACE', text: '¿La tienen en stock para hoy?' });
    expect(history[3]?.payload).toMatchObject({ fromUserId: null, toUserId: created.assignedToUserId });
  });

  it('adds a repeat click to the open lead, keeping each click’s own listing snapshot', async () => {
    const who = visitor();
    const first = (
      await click(ctx.app, {
        tenantId: shop.tenantId,
        branchId: shop.branchId,
        listingId: shop.listingId,
        visitorId: who,
      })
    ).json();
    const repriced = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/tenants/${shop.tenantId}/listings/${shop.listingId}`,
      headers: shop.auth,
      payload: { price: 229900 },
    });
    expect(repriced.statusCode, repriced.body).toBe(200);
    clock.advance(3600_000);
    const again = await click(ctx.app, {
      tenantId: shop.tenantId,
      branchId: shop.branchId,
      listingId: shop.listingId,
      visitorId: who,
    });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ leadId: first.leadId, created: false, refCode: first.refCode });

    const clicks = (await events(first.leadId)).filter((e) => e.type === 'WHATSAPP_CLICK');
    expect(clicks.map((e) => (e.payload.listing as { price: number }).price)).toEqual([249900, 229900]);
    expect((await getLead(first.leadId)).lastActivityAt).toBe(clock.now().toISOString());
  });

  it('knows a visitor who logs in, and the same user on another device', async () => {
    const who = visitor();
    const userId = `mkt-${randomUUID()}`;
    const anonymous = (
      await click(ctx.app, { tenantId: shop.tenantId, branchId: shop.branchId, visitorId: who })
    ).json();
    const loggedIn = (
      await click(
        ctx.app,
        { tenantId: shop.tenantId, branchId: shop.branchId, visitorId: who, userId },
        server,
      )
    ).json();
    const otherDevice = (
      await click(
        ctx.app,
        { tenantId: shop.tenantId, branchId: shop.branchId, visitorId: visitor(), userId },
        server,
      )
    ).json();
    expect(new Set([anonymous.leadId, loggedIn.leadId, otherDevice.leadId]).size).toBe(1);
    const rows = await ctx.owner.db.select().from(contact).where(eq(contact.marketplaceUserId, userId));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.visitorId).toBe(who);
  });

  it('stores phones in E.164: Mexico’s old 521 prefix and Brazil’s missing ninth digit make no second contact', async () => {
    const mx1 = (
      await click(
        ctx.app,
        { tenantId: shop.tenantId, branchId: shop.branchId, phone: '+52 1 55 1234 5678' },
        server,
      )
    ).json();
    const mx2 = (
      await click(
        ctx.app,
        { tenantId: shop.tenantId, branchId: shop.branchId, phone: '+52 55 1234 5678' },
        server,
      )
    ).json();
    const br1 = (
      await click(
        ctx.app,
        { tenantId: shop.tenantId, branchId: shop.branchId, phone: '+55 11 8765-4321' },
        server,
      )
    ).json();
    const br2 = (
      await click(
        ctx.app,
        { tenantId: shop.tenantId, branchId: shop.branchId, phone: '+55 11 98765-4321' },
        server,
      )
    ).json();
    expect(mx2.leadId).toBe(mx1.leadId);
    expect(br2.leadId).toBe(br1.leadId);
    expect((await getLead(mx1.leadId)).contact.phone).toBe('+525512345678');
    expect((await getLead(br1.leadId)).contact.phone).toBe('+5511987654321');
  });

  it('opens a new lead once the last one is won or lost, or idle for more than 7 days', async () => {
    const who = visitor();
    const first = (
      await click(ctx.app, { tenantId: shop.tenantId, branchId: shop.branchId, visitorId: who })
    ).json();
    const lost = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/leads/${first.leadId}`,
      headers: shop.auth,
      payload: { status: 'LOST', lostReason: 'PRICE', version: 1 },
    });
    expect(lost.statusCode, lost.body).toBe(200);
    const second = await click(ctx.app, { tenantId: shop.tenantId, branchId: shop.branchId, visitorId: who });
    expect(second.statusCode).toBe(201);
    expect(second.json().leadId).not.toBe(first.leadId);

    clock.advance(8 * 24 * 3600_000);
    const third = await click(ctx.app, { tenantId: shop.tenantId, branchId: shop.branchId, visitorId: who });
    expect(third.statusCode).toBe(201);
    expect(third.json().leadId).not.toBe(second.json().leadId);
  });

  it('writes Portuguese for a Brazilian branch', async () => {
    const br = await openShop(ctx.app, {
      sellers: 1,
      overrides: {
        currency: 'BRL',
        timezone: 'America/Sao_Paulo',
        branch: { name: 'Paulista', whatsappPhone: '+55 11 91234-5678', timezone: 'America/Sao_Paulo' },
      },
    });
    const body = (
      await click(ctx.app, {
        tenantId: br.tenantId,
        branchId: br.branchId,
        listingId: br.listingId,
        visitorId: visitor(),
      })
    ).json();
    const url = new URL(body.whatsappUrl);
    expect(url.pathname).toBe('/5511912345678');
    expect(url.searchParams.get('text')).toMatch(/^Olá! Tenho interesse em/);
  });

  it('replays the first answer for a retried Idempotency-Key and creates nothing new', async () => {
    const payload = { tenantId: shop.tenantId, branchId: shop.branchId, visitorId: visitor() };
    const key = { 'idempotency-key': `retry-${randomUUID()}` };
    const before = await leadsOf(shop.tenantId);
    const first = await click(ctx.app, payload, key);
    const retry = await click(ctx.app, payload, key);
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    expect(await leadsOf(shop.tenantId)).toBe(before + 1);
    expect((await events(first.json().leadId)).filter((e) => e.type === 'WHATSAPP_CLICK')).toHaveLength(1);

    const changed = await click(ctx.app, { ...payload, message: 'otro cuerpo' }, key);
    expect(problem(changed, 422).errors?.[0]?.path).toBe('Idempotency-Key');
    expect(
      problem(await click(ctx.app, payload, { 'idempotency-key': 'tiene espacios' }), 400).errors?.[0]?.path,
    ).toBe('Idempotency-Key');
  });

  it('checks every id against the tenant it names', async () => {
    const base = { tenantId: shop.tenantId, branchId: shop.branchId, visitorId: visitor() };
    const before = [await leadsOf(shop.tenantId), await leadsOf(other.tenantId)];
    problem(await click(ctx.app, { ...base, tenantId: randomUUID() }), 404);
    expect(problem(await click(ctx.app, { ...base, branchId: other.branchId }), 422).errors?.[0]?.path).toBe(
      'branchId',
    );
    expect(
      problem(await click(ctx.app, { ...base, listingId: other.listingId }), 422).errors?.[0]?.path,
    ).toBe('listingId');
    const foreignCampaign = await insertCampaign(ctx.owner, other.tenantId);
    expect(problem(await click(ctx.app, { ...base, campaign: foreignCampaign }), 422).errors?.[0]?.path).toBe(
      'campaign',
    );
    // Refused clicks wrote nothing, in either shop.
    expect([await leadsOf(shop.tenantId), await leadsOf(other.tenantId)]).toEqual(before);
  });

  it('names the field of bad input', async () => {
    const base = { tenantId: shop.tenantId, branchId: shop.branchId, visitorId: visitor() };
    const cases: [Record<string, unknown>, string][] = [
      [{ tenantId: shop.tenantId, branchId: shop.branchId }, 'visitorId'],
      [{ ...base, branchId: 'miraflores' }, 'branchId'],
      [{ ...base, source: 'EMAIL' }, 'source'],
      [{ ...base, message: 'x'.repeat(4001) }, 'message'],
    ];
    for (const [payload, path] of cases) {
      const answer = problem(await click(ctx.app, payload), 400);
      expect(answer.errors?.map((e) => e.path).join(' ')).toContain(path);
    }
    expect(problem(await click(ctx.app, { ...base, phone: '12345' }, server), 422).errors?.[0]?.path).toBe(
      'phone',
    );
  });

  it('refuses another tenant’s API key like an unknown tenant', async () => {
    const key = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${other.tenantId}/api-keys`,
      headers: other.auth,
      payload: { name: 'marketplace' },
    });
    expect(key.statusCode, key.body).toBe(201);
    const response = await click(
      ctx.app,
      { tenantId: shop.tenantId, branchId: shop.branchId, visitorId: visitor() },
      { authorization: `Bearer ${key.json().key}` },
    );
    problem(response, 404);
  });
});

describe('POST /tracking/listing-view', () => {
  const views = async (tenantId: string) =>
    (await ctx.owner.db.select({ n: count() }).from(listingView).where(eq(listingView.tenantId, tenantId)))[0]
      ?.n ?? 0;
  const view = (payload: unknown) =>
    ctx.app.inject({ method: 'POST', url: '/api/v1/tracking/listing-view', payload: payload as object });

  it('accepts one view or a batch spanning shops, and stores each', async () => {
    const [mine, theirs] = [await views(shop.tenantId), await views(other.tenantId)];
    const one = await view({ tenantId: shop.tenantId, listingId: shop.listingId, visitorId: visitor() });
    expect(one.statusCode, one.body).toBe(202);
    expect(one.json()).toEqual({ accepted: 1 });
    const batch = await view([
      { tenantId: shop.tenantId, listingId: shop.listingId, userId: 'mkt-1' },
      { tenantId: other.tenantId, listingId: other.listingId, visitorId: visitor() },
      { tenantId: shop.tenantId, listingId: shop.listingId, visitorId: visitor() },
    ]);
    expect(batch.statusCode, batch.body).toBe(202);
    expect(batch.json()).toEqual({ accepted: 3 });
    expect(await views(shop.tenantId)).toBe(mine + 3);
    expect(await views(other.tenantId)).toBe(theirs + 1);
  });

  it('replays a retried two-shop batch with the same Idempotency-Key and stores it once', async () => {
    const [mine, theirs] = [await views(shop.tenantId), await views(other.tenantId)];
    const batch = [
      { tenantId: shop.tenantId, listingId: shop.listingId, visitorId: visitor() },
      { tenantId: other.tenantId, listingId: other.listingId, visitorId: visitor() },
    ];
    const key = { 'idempotency-key': `views-${randomUUID()}` };
    const first = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/tracking/listing-view',
      headers: key,
      payload: batch,
    });
    expect(first.statusCode, first.body).toBe(202);
    const retry = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/tracking/listing-view',
      headers: key,
      payload: batch,
    });
    expect(retry.statusCode, retry.body).toBe(202);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual({ accepted: 2 });
    expect([await views(shop.tenantId), await views(other.tenantId)]).toEqual([mine + 1, theirs + 1]);
    // The answer is kept under the first shop of the batch, where its key row is.
    const [stored] = await ctx.owner.db
      .select()
      .from(idempotencyKey)
      .where(eq(idempotencyKey.key, key['idempotency-key']));
    expect(stored).toMatchObject({ tenantId: shop.tenantId, statusCode: 202 });
  });

  it('stores nothing of a batch with one bad item, and names it', async () => {
    const before = await views(shop.tenantId);
    const answer = problem(
      await view([
        { tenantId: shop.tenantId, listingId: shop.listingId },
        { tenantId: shop.tenantId, listingId: other.listingId },
      ]),
      422,
    );
    expect(answer.errors?.[0]?.path).toBe('1.listingId');
    expect(await views(shop.tenantId)).toBe(before);
    const tooMany = Array.from({ length: 101 }, () => ({
      tenantId: shop.tenantId,
      listingId: shop.listingId,
    }));
    problem(await view(tooMany), 400);
    problem(await view([]), 400);
  });
});

describe('tracked links and /w/{code}', () => {
  const createLink = (
    caller: { auth: Record<string, string> },
    tenant: Shop,
    payload: Record<string, unknown>,
  ) =>
    ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${tenant.tenantId}/links`,
      headers: caller.auth,
      payload,
    });

  it('logs a person’s visit as a click and redirects to WhatsApp; a repeat scan from the same phone is the same lead', async () => {
    const made = await createLink(shop, shop, {
      branchId: shop.branchId,
      listingId: shop.listingId,
      label: 'QR mostrador',
    });
    expect(made.statusCode, made.body).toBe(201);
    const link = made.json();
    expect(link.url).toBe(`${ctx.config.publicUrl}/w/${link.code}`);

    const visit = await ctx.app.inject({
      method: 'GET',
      url: `/w/${link.code}`,
      headers: { 'user-agent': 'Mozilla/5.0 (Linux; Android 14)' },
    });
    expect(visit.statusCode).toBe(302);
    expect(visit.headers.location).toMatch(/^https:\/\/wa\.me\/51987654321\?text=/);
    const ref = /Ref: ([A-Z0-9]{6})/.exec(decodeURIComponent(String(visit.headers.location)))?.[1];
    const cookie = visit.cookies.find((c) => c.name === 'tm_vid');
    expect(cookie?.value).toBeTruthy();

    const again = await ctx.app.inject({
      method: 'GET',
      url: `/w/${link.code}`,
      headers: { 'user-agent': 'Mozilla/5.0 (Linux; Android 14)' },
      cookies: { tm_vid: cookie?.value ?? '' },
    });
    expect(decodeURIComponent(String(again.headers.location))).toContain(`Ref: ${ref}`);
    const [row] = await ctx.owner.db
      .select()
      .from(lead)
      .where(eq(lead.refCode, ref ?? ''));
    expect(row).toMatchObject({ source: 'WHATSAPP', listingId: shop.listingId, tenantId: shop.tenantId });
    const clicks = (await events(row?.id ?? '')).filter((e) => e.type === 'WHATSAPP_CLICK');
    expect(clicks).toHaveLength(2);
    expect(clicks[0]?.payload.linkCode).toBe(link.code);
  });

  it('counts link-preview bots apart and makes no lead of them', async () => {
    const link = (await createLink(shop, shop, { branchId: shop.branchId })).json();
    const before = await leadsOf(shop.tenantId);
    for (const agent of [
      'WhatsApp/2.23.20.0 A',
      'facebookexternalhit/1.1',
      'TelegramBot (like TwitterBot)',
      'Slackbot-LinkExpanding 1.0',
    ]) {
      const visit = await ctx.app.inject({
        method: 'GET',
        url: `/w/${link.code}`,
        headers: { 'user-agent': agent },
      });
      expect(visit.statusCode, agent).toBe(302);
      expect(visit.headers.location).toBe('https://wa.me/51987654321');
    }
    expect(await leadsOf(shop.tenantId)).toBe(before);
    const listed = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${shop.tenantId}/links`,
      headers: shop.auth,
    });
    expect(listed.json().items.find((l: { id: string }) => l.id === link.id)).toMatchObject({
      clicks: 0,
      botClicks: 4,
    });
  });

  it('makes no link without its branch: 400 naming branchId, nothing stored', async () => {
    const listed = async () =>
      (
        await ctx.app.inject({
          method: 'GET',
          url: `/api/v1/tenants/${shop.tenantId}/links`,
          headers: shop.auth,
        })
      ).json().items.length;
    const before = await listed();
    for (const payload of [
      { label: 'Mostrador' },
      { branchId: '', label: 'Mostrador' },
      { branchId: null },
    ]) {
      const refused = problem(await createLink(shop, shop, payload), 400);
      expect(refused.errors?.map((e) => e.path)).toEqual(['body.branchId']);
    }
    expect(await listed()).toBe(before);
  });

  it('answers 404 for unknown and deactivated links, and only owners and managers make links', async () => {
    problem(await ctx.app.inject({ method: 'GET', url: '/w/zzzzzzzz' }), 404);
    problem(await ctx.app.inject({ method: 'GET', url: '/w/..%2F..%2Fevil' }), 400);
    const link = (await createLink(shop, shop, { branchId: shop.branchId })).json();
    const off = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/tenants/${shop.tenantId}/links/${link.id}`,
      headers: shop.auth,
      payload: { active: false },
    });
    expect(off.json().active).toBe(false);
    problem(await ctx.app.inject({ method: 'GET', url: `/w/${link.code}` }), 404);

    const seller = shop.sellers[0];
    if (!seller) throw new Error('no seller');
    problem(await createLink(seller, shop, { branchId: shop.branchId }), 403);
    expect(problem(await createLink(shop, shop, { branchId: other.branchId }), 422).errors?.[0]?.path).toBe(
      'branchId',
    );
    problem(
      await ctx.app.inject({
        method: 'PATCH',
        url: `/api/v1/tenants/${other.tenantId}/links/${link.id}`,
        headers: other.auth,
        payload: { active: true },
      }),
      404,
    );
  });
});

describe('inbox counts', () => {
  it('counts leads per status and sees a new click at once', async () => {
    const fresh = await openShop(ctx.app, { sellers: 1 });
    const counts = async () =>
      (
        await ctx.app.inject({
          method: 'GET',
          url: `/api/v1/tenants/${fresh.tenantId}/leads/counts`,
          headers: fresh.auth,
        })
      ).json();
    expect(await counts()).toMatchObject({ total: 0, counts: { NEW: 0 } });
    await click(ctx.app, { tenantId: fresh.tenantId, branchId: fresh.branchId, visitorId: visitor() });
    await click(ctx.app, { tenantId: fresh.tenantId, branchId: fresh.branchId, visitorId: visitor() });
    const after = await counts();
    expect(after).toMatchObject({ total: 2, counts: { NEW: 2, CONTACTED: 0 } });
    const [one] = (
      await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/tenants/${fresh.tenantId}/leads`,
        headers: fresh.auth,
      })
    ).json().items;
    await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/leads/${one.id}`,
      headers: fresh.auth,
      payload: { status: 'CONTACTED', version: one.version },
    });
    expect(await counts()).toMatchObject({ total: 2, counts: { NEW: 1, CONTACTED: 1 } });
    problem(
      await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/tenants/${fresh.tenantId}/leads/counts`,
        headers: shop.auth,
      }),
      404,
    );
  });
});

describe('idempotency key purge', () => {
  it('forgets keys older than 24 hours and keeps the rest', async () => {
    const old = new Date(Date.now() - 25 * 3600_000).toISOString();
    const fresh = new Date(Date.now() - 23 * 3600_000).toISOString();
    const row = {
      tenantId: shop.tenantId,
      scope: 'whatsapp-click',
      requestHash: 'x',
      statusCode: 201,
      response: {},
    };
    await ctx.owner.db.insert(idempotencyKey).values([
      { ...row, key: 'purge-old', createdAt: old },
      { ...row, key: 'purge-fresh', createdAt: fresh },
    ]);
    await purgeIdempotencyKeysJob(ctx.owner.pool).handle({});
    const left = await ctx.owner.db
      .select({ key: idempotencyKey.key })
      .from(idempotencyKey)
      .where(inArray(idempotencyKey.key, ['purge-old', 'purge-fresh']));
    expect(left.map((r) => r.key)).toEqual(['purge-fresh']);
  });
});
