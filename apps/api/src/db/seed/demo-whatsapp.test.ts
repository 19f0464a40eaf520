import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/harness';
import { createSecretBox, whatsappSecretsKey } from '../../modules/whatsapp/secret-box';
import { seedDemo } from './demo';
import { connectDemoWhatsapp, type DemoWhatsappResult } from './demo-whatsapp';

/**
 * `npm start` on the embedded database: the demo shop's branches talk to the in-process Cloud API simulator,
 * and a newcomer writes as a customer on its phone page. Here the same wiring runs on a test database, with the
 * app listening on the port its configuration names (the simulator posts its webhooks there).
 */

async function freePort() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

let ctx: TestContext;
let wired: DemoWhatsappResult;

const simulator = () => {
  if (!ctx.app.whatsappSimulator) throw new Error('the simulator is not mounted');
  return ctx.app.whatsappSimulator;
};
const wire = () =>
  connectDemoWhatsapp(ctx.owner.db, {
    box: createSecretBox(whatsappSecretsKey(ctx.config)),
    simulator: simulator(),
  });
/** Everything the simulator and the jobs started has finished: webhooks answered, then their jobs run. */
async function settle() {
  await simulator().settled();
  await ctx.app.drainJobs();
}

async function logIn(email: string) {
  const login = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: 'techmarket2026' },
  });
  expect(login.statusCode, login.body).toBe(200);
  return { authorization: `Bearer ${login.json().token}` };
}

beforeAll(async () => {
  const port = await freePort();
  ctx = await createTestContext({
    env: { WHATSAPP_SIMULATOR: 'true', PORT: String(port), LOGIN_MAX_ATTEMPTS: '1000' },
  });
  ctx.owner.pool.on('error', () => {});
  await ctx.app.listen({ port, host: '127.0.0.1' });
  await seedDemo(ctx.owner.db);
  wired = await wire();
});
afterAll(async () => {
  await ctx.app.whatsappSimulator?.settled();
  await ctx.close();
});

describe('the demo wired to the simulator', () => {
  it('connects every demo branch to a simulator number, with sealed secrets that work against it', async () => {
    expect(ctx.config.WHATSAPP_GRAPH_URL).toBe(`${ctx.config.localUrl}/simulator/whatsapp/graph`);
    const { rows } = await ctx.owner.pool.query<{
      phone_number_id: string;
      status: string;
      access_token_enc: string;
      branch_id: string;
    }>(
      `select c.phone_number_id, c.status, c.access_token_enc, c.branch_id from whatsapp_channel c
         join tenant t on t.id = c.tenant_id where t.slug in ('techperu-store', 'electrohogar-mx')`,
    );
    expect(rows).toHaveLength(3);
    expect(wired.numbers).toHaveLength(3);
    const simulated = simulator()
      .listNumbers()
      .map((n) => n.phoneNumberId);
    for (const row of rows) {
      expect(row.status).toBe('CONNECTED');
      expect(simulated).toContain(row.phone_number_id);
      expect(row.access_token_enc).toMatch(/^v1\./);
    }
    // "Test connection" reads the number from the simulator with the stored (sealed) token.
    const owner = await logIn('owner@techperu.pe');
    const first = wired.numbers.find((n) => n.displayPhoneNumber.startsWith('+51'));
    const test = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${first?.tenantId}/branches/${first?.branchId}/whatsapp-channel/test`,
      headers: owner,
    });
    expect(test.statusCode, test.body).toBe(200);
    expect(test.json()).toMatchObject({ verifiedName: 'TechPeru Store', channel: { status: 'CONNECTED' } });
    // Approved templates are there to open a conversation whose window is closed, and a sync finds the same.
    const templatesUrl = `/api/v1/tenants/${first?.tenantId}/branches/${first?.branchId}/whatsapp-channel/templates`;
    const listed = await ctx.app.inject({ method: 'GET', url: templatesUrl, headers: owner });
    expect(listed.statusCode, listed.body).toBe(200);
    const names = (list: { items: { name: string; status: string }[] }) =>
      list.items
        .filter((t) => t.status === 'APPROVED')
        .map((t) => t.name)
        .sort();
    expect(names(listed.json())).toEqual(['cotizacion_lista', 'seguimiento_consulta']);
    const synced = await ctx.app.inject({ method: 'POST', url: `${templatesUrl}/sync`, headers: owner });
    expect(synced.statusCode, synced.body).toBeLessThan(300);
    const again = await ctx.app.inject({ method: 'GET', url: templatesUrl, headers: owner });
    expect(names(again.json())).toEqual(['cotizacion_lista', 'seguimiento_consulta']);
  });

  it('seeds conversations on recent open leads: both ways, with statuses, some unread', async () => {
    expect(wired.conversationsSeeded).toBeGreaterThan(0);
    const owner = await logIn('owner@techperu.pe');
    const tenantId = wired.numbers.find((n) => n.displayPhoneNumber.startsWith('+51'))?.tenantId;
    const inbox = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${tenantId}/leads?sort=-lastActivityAt&limit=50`,
      headers: owner,
    });
    const items = inbox.json().items as {
      id: string;
      lastMessage: { direction: string } | null;
      unreadCount: number;
    }[];
    const talking = items.filter((row) => row.lastMessage !== null);
    expect(talking.length).toBeGreaterThan(2);
    expect(talking.some((row) => row.unreadCount > 0)).toBe(true);
    const conversation = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/leads/${talking[0]?.id}/messages`,
      headers: owner,
    });
    expect(conversation.statusCode, conversation.body).toBe(200);
    const { items: messages, window } = conversation.json();
    expect(messages.map((m: { direction: string }) => m.direction)).toEqual(
      expect.arrayContaining(['IN', 'OUT']),
    );
    expect(messages.find((m: { direction: string }) => m.direction === 'OUT').status).toMatch(
      /DELIVERED|READ/,
    );
    // Recent enough that the seller can answer with free text.
    expect(window.open).toBe(true);
  });

  it('a second start makes new credentials for the same channels and seeds no conversation twice', async () => {
    const before = await ctx.owner.pool.query(
      'select id, access_token_enc from whatsapp_channel order by id',
    );
    const messages = await ctx.owner.pool.query('select count(*)::int as n from whatsapp_message');
    const again = await wire();
    const after = await ctx.owner.pool.query('select id, access_token_enc from whatsapp_channel order by id');
    expect(after.rows.map((r) => r.id)).toEqual(before.rows.map((r) => r.id));
    expect(after.rows[0].access_token_enc).not.toBe(before.rows[0].access_token_enc);
    expect(again.conversationsSeeded).toBe(0);
    expect((await ctx.owner.pool.query('select count(*)::int as n from whatsapp_message')).rows[0].n).toBe(
      messages.rows[0].n,
    );
  });

  it('a customer writes on the phone page: a new lead with the preview; the reply reaches the phone and turns read there', async () => {
    const miraflores = wired.numbers.find((n) => n.displayPhoneNumber.startsWith('+51946'));
    expect(miraflores).toBeDefined();
    const phoneNumberId = miraflores?.phoneNumberId ?? '';
    const from = '51911222333';
    const wrote = await ctx.app.inject({
      method: 'POST',
      url: '/simulator/whatsapp/customer-messages',
      payload: { phoneNumberId, from, name: 'Rosa Prueba', text: 'Hola, ¿tienen la laptop Lenovo?' },
    });
    expect(wrote.statusCode, wrote.body).toBe(200);
    expect(wrote.json().webhookStatus).toBe(200);
    await settle();

    const owner = await logIn('owner@techperu.pe');
    const inbox = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${miraflores?.tenantId}/leads?sort=-createdAt&source=WHATSAPP`,
      headers: owner,
    });
    const lead = inbox.json().items[0];
    expect(lead).toMatchObject({
      contact: { name: 'Rosa Prueba', phone: `+${from}` },
      lastMessage: { direction: 'IN', text: 'Hola, ¿tienen la laptop Lenovo?' },
      unreadCount: 1,
    });

    const reply = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/leads/${lead.id}/messages`,
      headers: owner,
      payload: { text: '¡Hola Rosa! Sí, la tenemos.' },
    });
    expect(reply.statusCode, reply.body).toBe(202);
    await ctx.app.drainJobs();
    await settle();
    const chat = async () =>
      (
        await ctx.app.inject({
          method: 'GET',
          url: `/simulator/whatsapp/phone/chat?phoneNumberId=${phoneNumberId}&from=${from}`,
        })
      ).json().items as { from: string; text: string; status: string }[];
    const messageStatus = async () =>
      (await ctx.app.inject({ method: 'GET', url: `/api/v1/leads/${lead.id}/messages`, headers: owner }))
        .json()
        .items.at(-1).status;
    // Delivered to the phone, not read until the phone shows it.
    expect(await messageStatus()).toBe('DELIVERED');
    expect(await chat()).toMatchObject([
      { from: 'customer', text: 'Hola, ¿tienen la laptop Lenovo?', status: 'sent' },
      { from: 'shop', text: '¡Hola Rosa! Sí, la tenemos.' },
    ]);
    await settle();
    expect(await messageStatus()).toBe('READ');
  });

  it('serves the phone page under the CSP, its script as a file, and names it to logged-out visitors', async () => {
    const page = await ctx.app.inject({ method: 'GET', url: '/simulator/whatsapp/phone' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    // Every script is a file of this origin: none inline.
    const scripts = [...page.body.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/src="\/simulator\/whatsapp\/phone\.js"/);
      expect(body?.trim()).toBe('');
    }
    const script = await ctx.app.inject({ method: 'GET', url: '/simulator/whatsapp/phone.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toContain('javascript');

    const demo = await ctx.app.inject({ method: 'GET', url: '/api/v1/demo' });
    expect(demo.json()).toEqual({ customerPhoneUrl: '/simulator/whatsapp/phone' });
  });

  it('refuses bad customer input with a 400 naming the field, and an unknown number with a 404', async () => {
    const bad = await ctx.app.inject({
      method: 'POST',
      url: '/simulator/whatsapp/customer-messages',
      payload: { phoneNumberId: wired.numbers[0]?.phoneNumberId, from: 'abc', text: '' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['body.from', 'body.text']),
    );
    const unknown = await ctx.app.inject({
      method: 'POST',
      url: '/simulator/whatsapp/customer-messages',
      payload: { phoneNumberId: '999999999', from: '51911222333', text: 'hola' },
    });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('without the demo', () => {
  it('mounts no simulator and names no phone page', async () => {
    const plain = await createTestContext();
    try {
      expect(plain.config.WHATSAPP_SIMULATOR).toBe(false);
      expect(plain.app.whatsappSimulator).toBeNull();
      expect((await plain.app.inject({ method: 'GET', url: '/simulator/whatsapp/phone' })).statusCode).toBe(
        404,
      );
      const demo = await plain.app.inject({ method: 'GET', url: '/api/v1/demo' });
      expect(demo.json()).toEqual({ customerPhoneUrl: null });
    } finally {
      await plain.close();
    }
  });
});
