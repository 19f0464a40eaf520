import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInstance } from '../../../test/harness';
import {
  connectedShop,
  conversationOf,
  customerWaId,
  customerWrites,
  listen,
  startWhatsappWorld,
} from './whatsapp.fixtures';

let world: Awaited<ReturnType<typeof startWhatsappWorld>>;
beforeAll(async () => {
  world = await startWhatsappWorld({ WHATSAPP_MEDIA_MAX_BYTES: '1000' });
});
afterAll(async () => world?.close());

const count = async (sql: string, params: unknown[]) =>
  Number((await world.ctx.owner.pool.query<{ n: string }>(sql, params)).rows[0]?.n);
const messageRow = async (wamid: string) =>
  (
    await world.ctx.owner.pool.query<{
      lead_id: string;
      status: string;
      media_status: string | null;
      media_byte_size: number | null;
      id: string;
    }>(
      'select id, lead_id, status, media_status, media_byte_size from whatsapp_message where wa_message_id = $1',
      [wamid],
    )
  ).rows;

describe('POST /webhooks/whatsapp: the signature', () => {
  it('refuses a delivery without a signature or with a wrong one (401) and stores nothing', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const { payload } = sim.customerMessage(shop.number.phoneNumberId, {
      from: customerWaId(),
      text: 'Hola',
    });
    expect(await sim.deliver(shop.number.phoneNumberId, payload, { signature: 'missing' })).toEqual([401]);
    expect(await sim.deliver(shop.number.phoneNumberId, payload, { signature: 'wrong' })).toEqual([401]);
    // Signed by another shop's app secret: not this channel's.
    const other = await connectedShop(ctx, sim);
    expect(await sim.deliver(shop.number.phoneNumberId, payload, { secret: other.number.appSecret })).toEqual(
      [401],
    );
    await ctx.app.drainJobs();
    expect(
      await count('select count(*) as n from whatsapp_delivery where tenant_id = $1', [shop.tenantId]),
    ).toBe(0);
    expect(
      await count('select count(*) as n from whatsapp_message where tenant_id = $1', [shop.tenantId]),
    ).toBe(0);
  });

  it('answers a 401 problem for a number no channel has, and a 400 naming the body for bytes that are not JSON', async () => {
    const response = await fetch(world.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` },
      body: JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: '1',
            changes: [{ field: 'messages', value: { metadata: { phone_number_id: '999999999' } } }],
          },
        ],
      }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const garbage = await fetch(world.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` },
      body: '{not json',
    });
    expect(garbage.status).toBe(400);
    expect(((await garbage.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe('body');
  });
});

describe('GET /webhooks/whatsapp: verification', () => {
  it("answers the challenge as text for a channel's verify token, 403 otherwise", async () => {
    const shop = await connectedShop(world.ctx, world.sim);
    const base = world.webhookUrl;
    const ok = await fetch(
      `${base}?hub.mode=subscribe&hub.verify_token=verify-${shop.number.phoneNumberId}&hub.challenge=1158201444`,
    );
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await ok.text()).toBe('1158201444');
    const wrong = await fetch(
      `${base}?hub.mode=subscribe&hub.verify_token=nope-nope-nope-nope&hub.challenge=1`,
    );
    expect(wrong.status).toBe(403);
  });
});

describe('repeats and out-of-order deliveries', () => {
  it('stores a message delivered three times once, and a status never moves back (READ then DELIVERED stays READ)', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const from = customerWaId();
    const { wamid, payload } = sim.customerMessage(shop.number.phoneNumberId, {
      from,
      text: 'Hola, ¿tienen stock?',
    });
    expect(await sim.deliver(shop.number.phoneNumberId, payload, { times: 3 })).toEqual([200, 200, 200]);
    // The same message again in another body (Meta's retry after a timeout is not always byte-identical).
    const again = sim.customerMessage(shop.number.phoneNumberId, {
      from,
      text: 'Hola, ¿tienen stock?',
      wamid,
    });
    expect(await sim.deliver(shop.number.phoneNumberId, again.payload)).toEqual([200]);
    await ctx.app.drainJobs();
    const rows = await messageRow(wamid);
    expect(rows).toHaveLength(1);
    const leadId = rows[0]?.lead_id ?? '';

    const reply = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/leads/${leadId}/messages`,
      headers: shop.auth,
      payload: { text: 'Sí, nos quedan 4.' },
    });
    expect(reply.statusCode, reply.body).toBe(202);
    await ctx.app.drainJobs();
    await sim.settled();
    await ctx.app.drainJobs();
    const sent = sim.sent.find((s) => s.phoneNumberId === shop.number.phoneNumberId);
    expect(sent).toBeDefined();
    const outWamid = sent?.wamid ?? '';
    expect((await messageRow(outWamid))[0]?.status).toBe('READ');

    // A late DELIVERED and SENT after READ change nothing; a FAILED after READ neither.
    for (const status of ['delivered', 'sent'] as const) {
      const late = sim.statusPayload(shop.number.phoneNumberId, outWamid, status, from);
      expect(await sim.deliver(shop.number.phoneNumberId, late)).toEqual([200]);
    }
    await ctx.app.drainJobs();
    expect((await messageRow(outWamid))[0]?.status).toBe('READ');
  });

  it("keeps Meta's error code and title on a FAILED status, shown on the conversation", async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const from = customerWaId();
    const wamid = await customerWrites(ctx.app, sim, shop, { from, text: 'Hola' });
    const leadId = (await messageRow(wamid))[0]?.lead_id ?? '';
    sim.setAutoStatuses(false);
    try {
      const reply = await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/leads/${leadId}/messages`,
        headers: shop.auth,
        payload: { text: 'Hola, ¿en qué le ayudo?' },
      });
      expect(reply.statusCode).toBe(202);
      await ctx.app.drainJobs();
    } finally {
      sim.setAutoStatuses(true);
    }
    const outWamid = sim.sent.find((s) => s.phoneNumberId === shop.number.phoneNumberId)?.wamid ?? '';
    const delivered = sim.statusPayload(shop.number.phoneNumberId, outWamid, 'delivered', from);
    const failed = sim.statusPayload(shop.number.phoneNumberId, outWamid, 'failed', from, [
      { code: 131026, title: 'Message undeliverable' },
    ]);
    // FAILED first, then a late DELIVERED: FAILED stays, with Meta's reason.
    expect(await sim.deliver(shop.number.phoneNumberId, failed)).toEqual([200]);
    expect(await sim.deliver(shop.number.phoneNumberId, delivered)).toEqual([200]);
    await ctx.app.drainJobs();
    const conversation = await conversationOf(ctx.app, shop, leadId);
    expect(conversation.items.at(-1)).toMatchObject({
      direction: 'OUT',
      status: 'FAILED',
      error: { code: 131026, title: 'Message undeliverable' },
    });
  });
});

describe('scale-out', () => {
  it('stores a delivery received by two app instances once, and its message once', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const second = await startInstance(ctx);
    try {
      const secondUrl = await listen(second.app);
      const { wamid, payload } = sim.customerMessage(shop.number.phoneNumberId, {
        from: customerWaId(),
        text: 'Hola',
      });
      const firstUrl = world.webhookUrl;
      // The same signed bytes to both instances at once, as a balancer retrying on another node would.
      const answers = await Promise.all(
        [firstUrl, secondUrl, firstUrl, secondUrl].map(async (url) => {
          sim.setWebhookUrl(url);
          return sim.deliver(shop.number.phoneNumberId, payload);
        }),
      );
      sim.setWebhookUrl(firstUrl);
      expect(answers.flat()).toEqual([200, 200, 200, 200]);
      await Promise.all([ctx.app.drainJobs(), second.app.drainJobs()]);
      expect(
        await count('select count(*) as n from whatsapp_delivery where tenant_id = $1', [shop.tenantId]),
      ).toBe(1);
      expect(await messageRow(wamid)).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});

describe('media', () => {
  it('fetches a photo into storage, and keeps a video over WHATSAPP_MEDIA_MAX_BYTES marked too large', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const from = customerWaId();
    const photo = Buffer.alloc(600, 1);
    const photoId = sim.addMedia(photo, 'image/jpeg');
    const photoWamid = await customerWrites(ctx.app, sim, shop, {
      from,
      type: 'image',
      content: { image: { id: photoId, mime_type: 'image/jpeg', caption: 'así llegó la pantalla' } },
    });
    // Declared small but 5,000 bytes long: the download stops at the cap.
    const videoId = sim.addMedia(Buffer.alloc(5000, 2), 'video/mp4', 10);
    const videoWamid = await customerWrites(ctx.app, sim, shop, {
      from,
      type: 'video',
      content: { video: { id: videoId, mime_type: 'video/mp4' } },
    });
    // And one declared over the cap: never downloaded.
    const bigId = sim.addMedia(Buffer.alloc(10, 3), 'application/pdf', 50_000);
    const bigWamid = await customerWrites(ctx.app, sim, shop, {
      from,
      type: 'document',
      content: { document: { id: bigId, mime_type: 'application/pdf', filename: 'factura.pdf' } },
    });
    const [photoRow] = await messageRow(photoWamid);
    expect(photoRow).toMatchObject({ media_status: 'STORED', media_byte_size: 600 });
    expect((await messageRow(videoWamid))[0]?.media_status).toBe('TOO_LARGE');
    expect((await messageRow(bigWamid))[0]).toMatchObject({
      media_status: 'TOO_LARGE',
      media_byte_size: 50_000,
    });

    const leadId = photoRow?.lead_id ?? '';
    const conversation = await conversationOf(ctx.app, shop, leadId);
    expect(conversation.items.map((m) => [m.type, m.text, m.media?.status])).toEqual([
      ['image', 'así llegó la pantalla', 'STORED'],
      ['video', '[Video]', 'TOO_LARGE'],
      ['document', '[Document: factura.pdf]', 'TOO_LARGE'],
    ]);
    const bytes = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/leads/${leadId}/messages/${photoRow?.id}/media`,
      headers: shop.auth,
    });
    expect(bytes.statusCode).toBe(200);
    expect(bytes.headers['content-type']).toBe('image/jpeg');
    expect(bytes.rawPayload.equals(photo)).toBe(true);
  });

  it('keeps every kind of message with a summary, and an unknown type as unsupported', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const from = customerWaId();
    const kinds = [
      { type: 'location', content: { location: { latitude: -12.12, longitude: -77.03, name: 'Larcomar' } } },
      {
        type: 'contacts',
        content: { contacts: [{ name: { formatted_name: 'Ana' }, phones: [{ phone: '+51 999 111 222' }] }] },
      },
      {
        type: 'interactive',
        content: {
          interactive: { type: 'button_reply', button_reply: { id: 'b1', title: 'Sí, me interesa' } },
        },
      },
      { type: 'button', content: { button: { text: 'Ver oferta', payload: 'p' } } },
      { type: 'reaction', content: { reaction: { message_id: 'wamid.x', emoji: '👍' } } },
      { type: 'order', content: { order: { catalog_id: '1' } } },
    ];
    let leadId = '';
    for (const kind of kinds) {
      const wamid = await customerWrites(ctx.app, sim, shop, { from, ...kind });
      leadId = (await messageRow(wamid))[0]?.lead_id ?? '';
    }
    const conversation = await conversationOf(ctx.app, shop, leadId);
    expect(conversation.items.map((m) => [m.type, m.text])).toEqual([
      ['location', '[Location: Larcomar (-12.12, -77.03)]'],
      ['contacts', '[Contact: Ana +51 999 111 222]'],
      ['interactive', 'Sí, me interesa'],
      ['button', 'Ver oferta'],
      ['reaction', '[Reaction 👍]'],
      ['unsupported', '[Unsupported message: order]'],
    ]);
  });

  it('stores and skips a notification it does not understand, answering 200 (never a 500)', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const payload = sim.notification(shop.number.phoneNumberId, {
      messages: [{ from: 'not-a-number', id: 'wamid.bad', timestamp: 'x', type: 'text' }],
    });
    const weird = {
      ...payload,
      entry: [
        {
          ...payload.entry[0],
          changes: [
            ...(payload.entry[0]?.changes ?? []),
            { field: 'account_update', value: { metadata: { phone_number_id: shop.number.phoneNumberId } } },
          ],
        },
      ],
    };
    expect(await sim.deliver(shop.number.phoneNumberId, weird)).toEqual([200]);
    await ctx.app.drainJobs();
    const delivery = (
      await ctx.owner.pool.query(
        'select outcome, note, processed_at from whatsapp_delivery where tenant_id = $1',
        [shop.tenantId],
      )
    ).rows[0];
    expect(delivery.processed_at).not.toBeNull();
    expect(delivery.note).toMatch(/account_update/);
    expect(
      await count('select count(*) as n from whatsapp_message where tenant_id = $1', [shop.tenantId]),
    ).toBe(0);
  });
});

describe('the app around the module', () => {
  it('documents the routes in the OpenAPI document, and mounts no simulator unless WHATSAPP_SIMULATOR is on', async () => {
    const { ctx } = world;
    const doc = await ctx.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(doc.statusCode).toBe(200);
    const paths = Object.keys(doc.json().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/webhooks/whatsapp',
        '/api/v1/leads/{id}/messages',
        '/api/v1/tenants/{tenantId}/branches/{branchId}/whatsapp-channel',
      ]),
    );
    const sim = await ctx.app.inject({
      method: 'POST',
      url: '/simulator/whatsapp/customer-messages',
      payload: {},
    });
    expect(sim.statusCode).toBe(404);
  });
});
