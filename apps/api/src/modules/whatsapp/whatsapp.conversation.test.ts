import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, problem, signUp } from '../../../test/harness';
import {
  connectedShop,
  conversationOf,
  customerWaId,
  customerWrites,
  startWhatsappWorld,
} from './whatsapp.fixtures';

let world: Awaited<ReturnType<typeof startWhatsappWorld>>;
beforeAll(async () => {
  world = await startWhatsappWorld();
  // Statuses here come only when a test sends them: what the send job did is then what the test reads.
  world.sim.setAutoStatuses(false);
});
afterAll(async () => world?.close());

const syncTemplates = async (shop: { tenantId: string; branchId: string; auth: Record<string, string> }) => {
  const response = await world.ctx.app.inject({
    method: 'POST',
    url: `/api/v1/tenants/${shop.tenantId}/branches/${shop.branchId}/whatsapp-channel/templates/sync`,
    headers: shop.auth,
  });
  expect(response.statusCode, response.body).toBe(200);
};

const leadOf = async (wamid: string) =>
  (
    await world.ctx.owner.pool.query<{ lead_id: string }>(
      'select lead_id from whatsapp_message where wa_message_id = $1',
      [wamid],
    )
  ).rows[0]?.lead_id ?? '';
const leadRow = async (leadId: string) =>
  (
    await world.ctx.owner.pool.query(
      `select l.source, l.contact_id, l.assigned_to_user_id, l.first_response_at, c.phone, c.visitor_id
         from lead l join contact c on c.id = l.contact_id where l.id = $1`,
      [leadId],
    )
  ).rows[0];
const eventTypes = async (leadId: string) =>
  (
    await world.ctx.owner.pool.query<{ type: string }>(
      'select type from lead_event where lead_id = $1 order by created_at, id',
      [leadId],
    )
  ).rows.map((r) => r.type);

describe('an inbound message joins the right lead', () => {
  it("joins the lead of its reference code, and the visitor's contact learns the number (merged with the one that had it)", async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const from = customerWaId();
    // The same person wrote once before, without clicking: a contact with this number already exists.
    const earlier = await leadOf(await customerWrites(ctx.app, sim, shop, { from, text: 'hola' }));
    const close = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/leads/${earlier}`,
      headers: shop.auth,
      payload: { status: 'LOST', lostReason: 'OTHER', version: 1 },
    });
    expect(close.statusCode, close.body).toBe(200);

    const click = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/tracking/whatsapp-click',
      payload: {
        tenantId: shop.tenantId,
        branchId: shop.branchId,
        listingId: shop.listingId,
        source: 'LISTING',
        visitorId: 'visitor-wa-1',
      },
    });
    expect(click.statusCode, click.body).toBe(201);
    const { leadId, refCode } = click.json();
    // Retyped loosely: lower case, the code split by a space.
    const loose = `${refCode.slice(0, 3).toLowerCase()} ${refCode.slice(3).toLowerCase()}`;
    const wamid = await customerWrites(ctx.app, sim, shop, {
      from,
      text: `Hola, me interesa (ref: ${loose})`,
    });
    expect(await leadOf(wamid)).toBe(leadId);
    const joined = await leadRow(leadId);
    expect(joined).toMatchObject({ phone: `+${from}`, visitor_id: 'visitor-wa-1' });
    // One person, one contact: the earlier lead now belongs to the visitor's contact.
    expect((await leadRow(earlier)).contact_id).toBe(joined.contact_id);
    expect(await eventTypes(leadId)).toContain('MESSAGE_RECEIVED');
  });

  it("joins the contact's open lead at the branch, however long it lay quiet", async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const from = customerWaId();
    const first = await leadOf(await customerWrites(ctx.app, sim, shop, { from, text: 'Hola' }));
    const second = await leadOf(await customerWrites(ctx.app, sim, shop, { from, text: '¿Siguen ahí?' }));
    expect(second).toBe(first);
    expect((await conversationOf(ctx.app, shop, first)).items.map((m) => m.text)).toEqual([
      'Hola',
      '¿Siguen ahí?',
    ]);
  });

  it('opens a new WHATSAPP lead, assigned like a tracked one, for a customer who wrote without clicking', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const wamid = await customerWrites(ctx.app, sim, shop, {
      from: customerWaId(),
      name: 'Rosa Quispe',
      text: 'Buenas, ¿tienen la laptop Lenovo?',
    });
    const leadId = await leadOf(wamid);
    const lead = await ctx.app.inject({ method: 'GET', url: `/api/v1/leads/${leadId}`, headers: shop.auth });
    expect(lead.json()).toMatchObject({
      source: 'WHATSAPP',
      status: 'NEW',
      contact: { name: 'Rosa Quispe' },
    });
    expect(lead.json().assignedToUserId).toBe(shop.sellers[0]?.id);
    expect(await eventTypes(leadId)).toEqual(
      expect.arrayContaining(['CREATED', 'ASSIGNED', 'MESSAGE_RECEIVED']),
    );
    expect(await eventTypes(leadId)).not.toContain('WHATSAPP_CLICK');
  });
});

describe('POST /leads/{id}/messages', () => {
  it('sends text inside the window: 202 QUEUED, then SENT by the job, with MESSAGE_SENT and the first response', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const from = customerWaId();
    const leadId = await leadOf(await customerWrites(ctx.app, sim, shop, { from, text: 'Hola' }));
    const listed = await conversationOf(ctx.app, shop, leadId);
    expect(listed.window.open).toBe(true);

    const response = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/leads/${leadId}/messages`,
      headers: shop.auth,
      payload: { text: 'Hola, sí tenemos stock.' },
    });
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json()).toMatchObject({ status: 'QUEUED', direction: 'OUT', waMessageId: null });
    await ctx.app.drainJobs();
    const sent = sim.sent.filter((s) => s.phoneNumberId === shop.number.phoneNumberId);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toMatchObject({
      messaging_product: 'whatsapp',
      to: from,
      type: 'text',
      text: { body: 'Hola, sí tenemos stock.' },
    });
    expect((await conversationOf(ctx.app, shop, leadId)).items.at(-1)).toMatchObject({
      status: 'SENT',
      waMessageId: sent[0]?.wamid,
    });
    expect((await leadRow(leadId)).first_response_at).not.toBeNull();
    expect(await eventTypes(leadId)).toContain('MESSAGE_SENT');
    // The job again (a retry, the sweep): nothing goes out twice.
    const [job] = ctx.app.jobDefinitions.filter((d) => d.name === 'whatsapp.send-message');
    await job?.handle({ tenantId: shop.tenantId, messageId: response.json().id });
    expect(sim.sent.filter((s) => s.phoneNumberId === shop.number.phoneNumberId)).toHaveLength(1);
  });

  it('refuses free text once the 24-hour window closed (422 naming text) and sends an approved template', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const from = customerWaId();
    const dayAndAHourAgo = Math.floor(Date.now() / 1000) - 25 * 3600;
    const leadId = await leadOf(
      await customerWrites(ctx.app, sim, shop, { from, text: 'Hola', timestamp: dayAndAHourAgo }),
    );
    const listed = await conversationOf(ctx.app, shop, leadId);
    expect(listed.window).toEqual({
      open: false,
      endsAt: new Date((dayAndAHourAgo + 24 * 3600) * 1000).toISOString(),
    });

    const text = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/leads/${leadId}/messages`,
      headers: shop.auth,
      payload: { text: '¿Sigue interesado?' },
    });
    expect(problem(text, 422).errors?.[0]?.path).toBe('text');

    sim.addTemplate(shop.number.businessAccountId, { name: 'seguimiento_oferta', language: 'es' });
    await syncTemplates(shop);
    const template = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/leads/${leadId}/messages`,
      headers: shop.auth,
      payload: {
        template: { name: 'seguimiento_oferta', language: 'es', variables: ['Rosa', 'Laptop Lenovo'] },
      },
    });
    expect(template.statusCode, template.body).toBe(202);
    await ctx.app.drainJobs();
    const sent = sim.sent.filter((s) => s.phoneNumberId === shop.number.phoneNumberId);
    expect(sent[0]?.body).toMatchObject({
      type: 'template',
      template: {
        name: 'seguimiento_oferta',
        language: { code: 'es' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Rosa' },
              { type: 'text', text: 'Laptop Lenovo' },
            ],
          },
        ],
      },
    });
    expect((await conversationOf(ctx.app, shop, leadId)).items.at(-1)?.status).toBe('SENT');
  });

  it('retries a Graph 429 with backoff and then sends; marks a permanent refusal FAILED with the reason', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const leadId = await leadOf(
      await customerWrites(ctx.app, sim, shop, { from: customerWaId(), text: 'Hola' }),
    );
    sim.failNextSends(2, 429);
    const response = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/leads/${leadId}/messages`,
      headers: shop.auth,
      payload: { text: 'Hola' },
    });
    expect(response.statusCode).toBe(202);
    await ctx.app.drainJobs();
    const attempts = await ctx.owner.pool.query(
      'select status, send_attempts from whatsapp_message where id = $1',
      [response.json().id],
    );
    expect(attempts.rows[0]).toEqual({ status: 'SENT', send_attempts: 3 });
    expect(sim.sent.filter((s) => s.phoneNumberId === shop.number.phoneNumberId)).toHaveLength(1);

    // Meta refuses for good (a 400): FAILED, with its code and title kept for the seller.
    sim.failNextSends(1, 400);
    const refused = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/leads/${leadId}/messages`,
      headers: shop.auth,
      payload: { text: 'Hola otra vez' },
    });
    expect(refused.statusCode).toBe(202);
    await ctx.app.drainJobs();
    expect((await conversationOf(ctx.app, shop, leadId)).items.at(-1)).toMatchObject({
      status: 'FAILED',
      error: { code: 131000, title: 'Something went wrong' },
    });
  });

  it('answers 422 naming the channel for a lead whose branch has none, and 400 naming a bad body', async () => {
    const { ctx } = world;
    const shop = await signUp(ctx.app);
    const created = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${shop.tenantId}/leads`,
      headers: shop.auth,
      payload: {
        branchId: shop.branchId,
        contact: { name: 'Ana', phone: '+51 987 111 222' },
        source: 'MANUAL',
      },
    });
    const leadId = created.json().id;
    const send = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/leads/${leadId}/messages`,
      headers: shop.auth,
      payload: { template: { name: 'hola', language: 'es' } },
    });
    expect(problem(send, 422).errors?.[0]?.path).toBe('channel');
    const both = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/leads/${leadId}/messages`,
      headers: shop.auth,
      payload: { text: 'a', template: { name: 'hola', language: 'es' } },
    });
    expect(problem(both, 400).errors?.[0]?.path).toBe('body.text');
  });
});

describe('who sees a conversation', () => {
  it('answers 404 to another tenant and to a seller of another branch, for reading and for sending', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const leadId = await leadOf(
      await customerWrites(ctx.app, sim, shop, { from: customerWaId(), text: 'Hola' }),
    );
    const other = await signUp(ctx.app);
    const branch = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${shop.tenantId}/branches`,
      headers: shop.auth,
      payload: { name: 'San Isidro', whatsappPhone: '+51 987 000 111', timezone: 'America/Lima' },
    });
    expect(branch.statusCode, branch.body).toBe(201);
    const elsewhere = await addUser(ctx.app, shop, 'SELLER', [branch.json().id]);
    for (const auth of [other.auth, elsewhere.auth]) {
      const read = await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/leads/${leadId}/messages`,
        headers: auth,
      });
      problem(read, 404);
      const send = await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/leads/${leadId}/messages`,
        headers: auth,
        payload: { text: 'hola' },
      });
      problem(send, 404);
    }
    const own = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/leads/${leadId}/messages`,
      headers: shop.sellers[0]?.auth ?? {},
    });
    expect(own.statusCode).toBe(200);
  });
});

describe('the channel settings', () => {
  it('connects a number without ever answering its secrets, stores them sealed, and tests the connection', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const url = `/api/v1/tenants/${shop.tenantId}/branches/${shop.branchId}/whatsapp-channel`;
    const read = await ctx.app.inject({ method: 'GET', url, headers: shop.auth });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ phoneNumberId: shop.number.phoneNumberId, status: 'PENDING' });
    expect(read.body).not.toContain(shop.number.accessToken);
    expect(read.body).not.toContain(shop.number.appSecret);
    const stored = (
      await ctx.owner.pool.query('select * from whatsapp_channel where tenant_id = $1', [shop.tenantId])
    ).rows[0];
    expect(JSON.stringify(stored)).not.toContain(shop.number.accessToken);
    expect(JSON.stringify(stored)).not.toContain(shop.number.appSecret);
    expect(JSON.stringify(stored)).not.toContain(`verify-${shop.number.phoneNumberId}`);

    const test = await ctx.app.inject({ method: 'POST', url: `${url}/test`, headers: shop.auth });
    expect(test.statusCode, test.body).toBe(200);
    expect(test.json()).toMatchObject({
      displayPhoneNumber: '+51 987 654 321',
      verifiedName: 'Tienda de prueba',
      qualityRating: 'GREEN',
      channel: { status: 'CONNECTED' },
    });

    const manager = await addUser(ctx.app, shop, 'MANAGER');
    expect((await ctx.app.inject({ method: 'GET', url, headers: manager.auth })).statusCode).toBe(200);
    problem(await ctx.app.inject({ method: 'DELETE', url, headers: manager.auth }), 403);
    const other = await signUp(ctx.app);
    problem(await ctx.app.inject({ method: 'GET', url, headers: other.auth }), 404);
    // The same number on another shop's branch: 409 naming it.
    const taken = await ctx.app.inject({
      method: 'PUT',
      url: `/api/v1/tenants/${other.tenantId}/branches/${other.branchId}/whatsapp-channel`,
      headers: other.auth,
      payload: {
        phoneNumberId: shop.number.phoneNumberId,
        businessAccountId: shop.number.businessAccountId,
        accessToken: 'EAAG-someone-else-0000000000',
        appSecret: '0123456789abcdef0123',
        verifyToken: 'another-verify-token-123',
      },
    });
    expect(problem(taken, 409).errors?.[0]?.path).toBe('phoneNumberId');
    const bad = await ctx.app.inject({
      method: 'PUT',
      url: `/api/v1/tenants/${other.tenantId}/branches/${other.branchId}/whatsapp-channel`,
      headers: other.auth,
      payload: { phoneNumberId: 'abc' },
    });
    expect(problem(bad, 400).errors?.map((e) => e.path)).toContain('body.phoneNumberId');

    expect((await ctx.app.inject({ method: 'DELETE', url, headers: shop.auth })).statusCode).toBe(204);
    problem(await ctx.app.inject({ method: 'GET', url, headers: shop.auth }), 404);
  });

  it('answers 422 when the Graph API refuses the token', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    sim.addNumber({ ...shop.number, accessToken: 'EAAG-rotated-at-meta-000000000' });
    const test = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${shop.tenantId}/branches/${shop.branchId}/whatsapp-channel/test`,
      headers: shop.auth,
    });
    expect(problem(test, 422).errors?.[0]?.path).toBe('accessToken');
  });
});
