import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, problem, signUp } from '../../../test/harness';
import { addBranch } from '../leads/leads.fixtures';
import {
  type ConnectedShop,
  connect,
  connectedShop,
  customerWaId,
  customerWrites,
  startWhatsappWorld,
} from './whatsapp.fixtures';

/**
 * Templates: synced from the business account (on demand and after connecting), listed for the branch's people,
 * and a template send checked against the synced list at once (422 naming template.name), not failed by Meta later.
 */

let world: Awaited<ReturnType<typeof startWhatsappWorld>>;
beforeAll(async () => {
  world = await startWhatsappWorld();
  world.sim.setAutoStatuses(false);
});
afterAll(async () => world?.close());

const body = (text: string) => [
  { type: 'HEADER', format: 'TEXT', text: 'TechMarket' },
  { type: 'BODY', text },
];
const templatesUrl = (shop: { tenantId: string; branchId: string }) =>
  `/api/v1/tenants/${shop.tenantId}/branches/${shop.branchId}/whatsapp-channel/templates`;
const sync = (shop: ConnectedShop, auth = shop.auth) =>
  world.ctx.app.inject({ method: 'POST', url: `${templatesUrl(shop)}/sync`, headers: auth });
const list = (shop: { tenantId: string; branchId: string }, auth: Record<string, string>) =>
  world.ctx.app.inject({ method: 'GET', url: templatesUrl(shop), headers: auth });

async function leadWhoWrote(shop: ConnectedShop) {
  const wamid = await customerWrites(world.ctx.app, world.sim, shop, { from: customerWaId(), text: 'Hola' });
  const row = await world.ctx.owner.pool.query<{ lead_id: string }>(
    'select lead_id from whatsapp_message where wa_message_id = $1',
    [wamid],
  );
  return row.rows[0]?.lead_id ?? '';
}
const sendTemplate = (shop: ConnectedShop, leadId: string, template: Record<string, unknown>) =>
  world.ctx.app.inject({
    method: 'POST',
    url: `/api/v1/leads/${leadId}/messages`,
    headers: shop.auth,
    payload: { template },
  });

describe('template sync', () => {
  it('syncs on connecting and on demand: name, language, status, category, body and its variable count', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    // Connected before the account had templates: the list is empty, not missing.
    expect((await list(shop, shop.auth)).json()).toEqual({ items: [] });

    sim.addTemplate(shop.number.businessAccountId, {
      name: 'seguimiento_oferta',
      language: 'es',
      category: 'MARKETING',
      components: body('Hola {{1}}, ¿sigues interesado en {{2}} a {{3}}?'),
    });
    sim.addTemplate(shop.number.businessAccountId, {
      name: 'seguimento_oferta',
      language: 'pt_BR',
      status: 'PENDING',
    });
    const synced = await sync(shop);
    expect(synced.statusCode, synced.body).toBe(200);
    expect(synced.json().items).toEqual([
      expect.objectContaining({
        name: 'seguimento_oferta',
        language: 'pt_BR',
        status: 'PENDING',
        category: 'UTILITY',
        bodyText: null,
        variableCount: 0,
      }),
      expect.objectContaining({
        name: 'seguimiento_oferta',
        language: 'es',
        status: 'APPROVED',
        category: 'MARKETING',
        bodyText: 'Hola {{1}}, ¿sigues interesado en {{2}} a {{3}}?',
        variableCount: 3,
      }),
    ]);
    // A second sync changes nothing: one row per name and language.
    expect((await sync(shop)).json().items).toHaveLength(2);

    // Reconnecting (perhaps to another business account) syncs that account's list again.
    const other = { ...shop.number, businessAccountId: `3${shop.number.businessAccountId.slice(1)}` };
    sim.addNumber(other);
    sim.addTemplate(other.businessAccountId, { name: 'bienvenida', language: 'es_MX' });
    await connect(ctx.app, shop, other);
    expect((await list(shop, shop.auth)).json().items.map((t: { name: string }) => t.name)).toEqual([
      'bienvenida',
    ]);
  });

  it("answers 422 naming businessAccountId when the Graph API refuses the account's list", async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    sim.addNumber({ ...shop.number, accessToken: 'EAAG-rotated-at-meta-000000000' });
    expect(problem(await sync(shop), 422).errors?.[0]?.path).toBe('businessAccountId');
  });

  it('lets the branch sellers list but not sync; others get 404; without a channel 404', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const seller = shop.sellers[0];
    if (!seller) throw new Error('the shop has a seller');
    expect((await list(shop, seller.auth)).statusCode).toBe(200);
    problem(await sync(shop, seller.auth), 403);
    const manager = await addUser(ctx.app, shop, 'MANAGER');
    expect((await sync(shop, manager.auth)).statusCode).toBe(200);

    const elsewhere = await addUser(ctx.app, shop, 'SELLER', [await addBranch(ctx.app, shop)]);
    problem(await list(shop, elsewhere.auth), 404);
    const other = await signUp(ctx.app);
    problem(await list(shop, other.auth), 404);
    problem(await sync(shop, other.auth), 404);
    problem(await list(other, other.auth), 404);
  });
});

describe("the shop's channels", () => {
  it('lists each connected branch without secrets, for owners and managers only; another tenant gets 404', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    await addBranch(ctx.app, shop, 'Surco');
    const url = `/api/v1/tenants/${shop.tenantId}/whatsapp-channels`;
    const listed = await ctx.app.inject({ method: 'GET', url, headers: shop.auth });
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().items).toEqual([
      expect.objectContaining({ branchId: shop.branchId, phoneNumberId: shop.number.phoneNumberId }),
    ]);
    expect(listed.body).not.toContain(shop.number.accessToken);
    expect(listed.body).not.toContain(shop.number.appSecret);
    const manager = await addUser(ctx.app, shop, 'MANAGER');
    expect((await ctx.app.inject({ method: 'GET', url, headers: manager.auth })).statusCode).toBe(200);
    problem(await ctx.app.inject({ method: 'GET', url, headers: shop.sellers[0]?.auth ?? {} }), 403);
    const other = await signUp(ctx.app);
    problem(await ctx.app.inject({ method: 'GET', url, headers: other.auth }), 404);
  });
});

describe('sending a template', () => {
  it('is 422 naming template.name when it is not synced, or not APPROVED, for that channel', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const leadId = await leadWhoWrote(shop);
    // At Meta, but not synced yet.
    sim.addTemplate(shop.number.businessAccountId, { name: 'oferta', language: 'es' });
    expect(problem(await sendTemplate(shop, leadId, { name: 'oferta', language: 'es' }), 422).errors).toEqual(
      [{ path: 'template.name', message: expect.stringContaining('sync'), code: 'TEMPLATE_UNKNOWN' }],
    );
    sim.addTemplate(shop.number.businessAccountId, {
      name: 'en_revision',
      language: 'es',
      status: 'PENDING',
    });
    await sync(shop);
    expect(
      problem(await sendTemplate(shop, leadId, { name: 'en_revision', language: 'es' }), 422).errors?.[0]
        ?.path,
    ).toBe('template.name');
    // The same name in a language the account does not have.
    expect(
      problem(await sendTemplate(shop, leadId, { name: 'oferta', language: 'pt_BR' }), 422).errors?.[0]?.path,
    ).toBe('template.name');
    // Another shop's synced template is not this channel's.
    const other = await connectedShop(ctx, sim);
    sim.addTemplate(other.number.businessAccountId, { name: 'solo_otra', language: 'es' });
    await sync(other);
    expect(
      problem(await sendTemplate(shop, leadId, { name: 'solo_otra', language: 'es' }), 422).errors?.[0]?.path,
    ).toBe('template.name');

    const sent = await sendTemplate(shop, leadId, { name: 'oferta', language: 'es' });
    expect(sent.statusCode, sent.body).toBe(202);
    const stored = await ctx.owner.pool.query(
      'select count(*)::int as n from whatsapp_message where lead_id = $1 and direction = $2',
      [leadId, 'OUT'],
    );
    expect(stored.rows[0].n).toBe(1);
  });

  it('is 422 naming template.variables when the count differs from the body, and sends when it matches', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const leadId = await leadWhoWrote(shop);
    sim.addTemplate(shop.number.businessAccountId, {
      name: 'precio',
      language: 'es',
      components: body('Hola {{1}}, el {{2}} está a {{3}}.'),
    });
    await sync(shop);
    const short = await sendTemplate(shop, leadId, { name: 'precio', language: 'es', variables: ['Rosa'] });
    expect(problem(short, 422).errors?.[0]?.path).toBe('template.variables');
    const right = await sendTemplate(shop, leadId, {
      name: 'precio',
      language: 'es',
      variables: ['Rosa', 'Lenovo IdeaPad 3', 'S/ 2,499.00'],
    });
    expect(right.statusCode, right.body).toBe(202);
    await ctx.app.drainJobs();
    const out = sim.sent.filter((s) => s.phoneNumberId === shop.number.phoneNumberId);
    expect(out).toHaveLength(1);
    expect(out[0]?.body).toMatchObject({ type: 'template', template: { name: 'precio' } });
  });
});
