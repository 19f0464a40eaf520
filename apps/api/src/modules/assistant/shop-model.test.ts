import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestContext, problem, type TestContext } from '../../../test/harness';
import { openShop, type Shop } from '../tracking/tracking.fixtures';
import { sweepShopModelsJob, trainShopModel } from './assistant.jobs';
import { classifyLead } from './classifier';
import { type LabelledMessage, loadFreshSet } from './classifier/dataset';

/**
 * A repair shop whose sellers call every repair HIGH (the shared model reads most of them MEDIUM or LOW): its
 * corrections train its own model, which then reads its new repair leads its way, while another shop keeps the
 * shared reading. Messages from the fresh set, which the shared model never trained on.
 */
const fresh = loadFreshSet();
const repairs = fresh.filter((m) => m.leadType === 'SERVICE' && m.priority !== 'HIGH');
const sales = fresh.filter((m) => m.leadType === 'SALE').slice(0, 30);
const taught = repairs.slice(0, repairs.length - 10);
const unseen = repairs.slice(repairs.length - 10);
const shopLabel = (m: LabelledMessage) => ({
  leadType: m.leadType,
  priority: m.leadType === 'SERVICE' ? ('HIGH' as const) : m.priority,
});

let phoneCounter = 0;
async function leadWith(ctx: TestContext, shop: Shop, message: string) {
  phoneCounter++;
  const created = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/tenants/${shop.tenantId}/leads`,
    headers: shop.auth,
    payload: {
      branchId: shop.branchId,
      contact: { name: 'Cliente', phone: `+51 9${String(10_000_000 + phoneCounter).padStart(8, '0')}` },
      message,
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  await ctx.app.drainJobs();
  const read = await ctx.app.inject({
    method: 'GET',
    url: `/api/v1/leads/${created.json().id}`,
    headers: shop.auth,
  });
  expect(read.statusCode, read.body).toBe(200);
  return read.json();
}

/** What the shop's seller does with a lead: corrects its reading, or works it as read (a confirmation). */
async function sellerWorks(ctx: TestContext, shop: Shop, message: LabelledMessage) {
  const lead = await leadWith(ctx, shop, message.text);
  const wanted = shopLabel(message);
  const corrected = lead.leadType !== wanted.leadType || lead.priority !== wanted.priority;
  const response = await ctx.app.inject({
    method: 'PATCH',
    url: `/api/v1/leads/${lead.id}`,
    headers: shop.auth,
    payload: corrected
      ? { ...wanted, version: lead.version }
      : { status: 'CONTACTED', version: lead.version },
  });
  expect(response.statusCode, response.body).toBe(200);
  return corrected;
}

const models = (ctx: TestContext, shop: Shop, headers = shop.auth, query = '') =>
  ctx.app.inject({
    method: 'GET',
    url: `/api/v1/tenants/${shop.tenantId}/assistant/models${query}`,
    headers,
  });

describe("the shop's own assistant model", () => {
  let ctx: TestContext;
  let shop: Shop;
  let other: Shop;
  let corrections = 0;

  beforeAll(async () => {
    ctx = await createTestContext({ env: { LOGIN_MAX_ATTEMPTS: '1000' } });
    shop = await openShop(ctx.app, { sellers: 1 });
    other = await openShop(ctx.app, { sellers: 1 });
    // Repairs and sales mixed, as they come in.
    const stream = taught.flatMap((repair, i) => [repair, ...(sales[i] ? [sales[i]] : [])]);
    for (const message of stream) if (await sellerWorks(ctx, shop, message)) corrections++;
  }, 240_000);
  afterAll(() => ctx.close());

  /** What the worker's sweep would queue now (it runs on the owner connection, across shops). */
  async function swept() {
    const sent: { name: string; tenantId: unknown }[] = [];
    await sweepShopModelsJob(ctx.owner.pool, {
      send: async (name, data) => {
        sent.push({ name, tenantId: (data as { tenantId?: unknown }).tenantId });
      },
    }).handle({});
    return sent;
  }

  it("stores each correction as the shop's example, and trains a version that goes live only if it scores as well", async () => {
    expect(corrections).toBeGreaterThanOrEqual(20);
    const before = await models(ctx, shop);
    expect(before.statusCode, before.body).toBe(200);
    expect(before.json()).toMatchObject({ items: [], nextCursor: null, examples: corrections });
    // The worker's sweep asks for this shop's training (enough new examples), and not for the other shop's.
    expect(await swept()).toContainEqual({ name: trainShopModel.name, tenantId: shop.tenantId });
    expect(await swept()).not.toContainEqual({ name: trainShopModel.name, tenantId: other.tenantId });

    const train = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${shop.tenantId}/assistant/models/train`,
      headers: shop.auth,
    });
    expect(train.statusCode, train.body).toBe(202);
    await ctx.app.drainJobs();

    const after = (await models(ctx, shop)).json();
    expect(after.newExamples).toBe(0);
    expect(after.items).toHaveLength(1);
    const [version] = after.items;
    expect(version).toMatchObject({
      version: 1,
      active: true,
      reason: 'SCORED_AT_LEAST_AS_WELL',
      corrections,
      baselineVersion: null,
      activatedByUserId: null,
    });
    expect(version.candidate.both).toBeGreaterThanOrEqual(version.baseline.both);
    expect(version.heldOut).toBeGreaterThanOrEqual(10);
    expect(version).not.toHaveProperty('weights');

    // Nothing new since: training again makes no new version.
    await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${shop.tenantId}/assistant/models/train`,
      headers: shop.auth,
    });
    await ctx.app.drainJobs();
    expect((await models(ctx, shop)).json().items).toHaveLength(1);
    expect(await swept()).not.toContainEqual({ name: trainShopModel.name, tenantId: shop.tenantId });
  });

  it("reads the shop's new leads its way, while another shop keeps the shared reading", async () => {
    let high = 0;
    for (const message of unseen) {
      const mine = await leadWith(ctx, shop, message.text);
      const theirs = await leadWith(ctx, other, message.text);
      expect(mine.assistance.model).toBe('naive-bayes-v1+shop-v1');
      expect(theirs.assistance.model).toBe('naive-bayes-v1');
      const shared = classifyLead({ message: message.text });
      expect(theirs).toMatchObject({ leadType: shared.leadType, priority: shared.priority });
      if (mine.priority === 'HIGH') high++;
    }
    expect(high).toBeGreaterThanOrEqual(8);
    // The shared model reads most of these repairs below HIGH.
    const sharedHigh = unseen.filter((m) => classifyLead({ message: m.text }).priority === 'HIGH').length;
    expect(sharedHigh).toBeLessThanOrEqual(3);
  });

  it('rolls back to the shared model and forward to a version, by an owner or manager', async () => {
    const message = unseen[0]?.text ?? '';
    const off = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/v1/tenants/${shop.tenantId}/assistant/models/active`,
      headers: shop.auth,
    });
    expect(off.statusCode, off.body).toBe(204);
    expect((await leadWith(ctx, shop, message)).assistance.model).toBe('naive-bayes-v1');

    const manager = await addUser(ctx.app, shop, 'MANAGER');
    const on = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${shop.tenantId}/assistant/models/1/activate`,
      headers: manager.auth,
    });
    expect(on.statusCode, on.body).toBe(200);
    expect(on.json()).toMatchObject({ version: 1, active: true, activatedByUserId: manager.id });
    expect((await leadWith(ctx, shop, message)).assistance.model).toBe('naive-bayes-v1+shop-v1');
  });

  it('takes an ignored or edited suggestion as an example, a used one not', async () => {
    const lead = await leadWith(ctx, shop, 'mi laptop no carga, la pueden ver?');
    const count = async () => (await models(ctx, shop)).json().examples as number;
    const before = await count();
    const feedback = (outcome: string, finalText?: string) =>
      ctx.app.inject({
        method: 'POST',
        url: `/api/v1/leads/${lead.id}/assist/${lead.assistance.id}/feedback`,
        headers: shop.auth,
        payload: { outcome, ...(finalText ? { finalText } : {}) },
      });
    expect((await feedback('USED')).statusCode).toBe(201);
    expect(await count()).toBe(before);
    expect((await feedback('EDITED', 'Hola, tráela hoy y la revisamos')).statusCode).toBe(201);
    expect(await count()).toBe(before + 1);
    // One example per lead: a second word on it relabels, it does not add.
    expect((await feedback('IGNORED')).statusCode).toBe(201);
    expect(await count()).toBe(before + 1);
  });

  it("forgets an erased customer's words", async () => {
    const lead = await leadWith(ctx, shop, 'hola soy Rigoberto, mi tablet no carga, la pueden ver?');
    const count = async () => (await models(ctx, shop)).json().examples as number;
    const before = await count();
    const patch = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/leads/${lead.id}`,
      headers: shop.auth,
      payload: { priority: lead.priority === 'LOW' ? 'HIGH' : 'LOW', version: lead.version },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    expect(await count()).toBe(before + 1);
    const erase = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/contacts/${lead.contact.id}/erase`,
      headers: shop.auth,
      payload: { confirm: true },
    });
    expect(erase.statusCode, erase.body).toBe(200);
    expect(await count()).toBe(before);
  });

  it('keeps each shop to its own versions, and refuses sellers and bad input naming the field', async () => {
    // Another shop's owner: not found, whatever the path.
    problem(await models(ctx, shop, other.auth), 404);
    problem(
      await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/tenants/${shop.tenantId}/assistant/models/1/activate`,
        headers: other.auth,
      }),
      404,
    );
    problem(
      await ctx.app.inject({
        method: 'DELETE',
        url: `/api/v1/tenants/${shop.tenantId}/assistant/models/active`,
        headers: other.auth,
      }),
      404,
    );
    // The other shop has no version 1 of its own, and sees none of this shop's.
    problem(
      await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/tenants/${other.tenantId}/assistant/models/1/activate`,
        headers: other.auth,
      }),
      404,
    );
    expect((await models(ctx, other)).json()).toMatchObject({ items: [], examples: 0 });

    problem(
      await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/tenants/${shop.tenantId}/assistant/models/train`,
        headers: other.auth,
      }),
      404,
    );
    const seller = shop.sellers[0];
    if (!seller) throw new Error('the shop has a seller');
    problem(await models(ctx, shop, seller.auth), 403);
    for (const [method, path] of [
      ['POST', 'models/1/activate'],
      ['POST', 'models/train'],
      ['DELETE', 'models/active'],
    ] as const)
      problem(
        await ctx.app.inject({
          method,
          url: `/api/v1/tenants/${shop.tenantId}/assistant/${path}`,
          headers: seller.auth,
        }),
        403,
      );

    const badVersion = problem(
      await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/tenants/${shop.tenantId}/assistant/models/abc/activate`,
        headers: shop.auth,
      }),
      400,
    );
    expect(badVersion.errors?.map((e) => e.path)).toContain('params.version');
    problem(
      await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/tenants/${shop.tenantId}/assistant/models/99/activate`,
        headers: shop.auth,
      }),
      404,
    );
    const badCursor = problem(await models(ctx, shop, shop.auth, '?cursor=not-a-version'), 400);
    expect(badCursor.errors?.[0]).toMatchObject({ path: 'cursor', code: 'CURSOR_INVALID' });
    const badLimit = problem(await models(ctx, shop, shop.auth, '?limit=0'), 400);
    expect(badLimit.errors?.[0]?.path).toBe('querystring.limit');
    // Still version 1, active: nothing was half changed.
    expect((await models(ctx, shop)).json().items[0]).toMatchObject({ version: 1, active: true });
  });
});
