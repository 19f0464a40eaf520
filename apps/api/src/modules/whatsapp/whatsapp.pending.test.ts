import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInstance } from '../../../test/harness';
import { manualTicker } from '../../../test/ticker';
import { createInlineQueue } from '../../platform/jobs';
import { connect, connectedShop, customerWaId, listen, startWhatsappWorld } from './whatsapp.fixtures';
import { createPendingNudge, processPending, whatsappSweepJob } from './whatsapp.jobs';

let world: Awaited<ReturnType<typeof startWhatsappWorld>>;
beforeAll(async () => {
  world = await startWhatsappWorld();
});
afterAll(async () => world?.close());

/** Meta's POST, signed with `secret`, to one instance's webhook URL; answers the status. */
async function post(url: string, payload: unknown, secret: string) {
  const raw = JSON.stringify(payload);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`,
    },
    body: raw,
  });
  await response.arrayBuffer();
  return response.status;
}

const inboundMessages = async (tenantId: string) =>
  Number(
    (
      await world.ctx.owner.pool.query<{ n: string }>(
        `select count(*) as n from whatsapp_message where tenant_id = $1 and direction = 'IN'`,
        [tenantId],
      )
    ).rows[0]?.n,
  );

/** One message from `from`, processed; answers its lead. */
async function customerWritesAndDrain(
  shop: Awaited<ReturnType<typeof connectedShop>>,
  from: string,
  text: string,
  timestamp: number,
) {
  const { wamid, payload } = world.sim.customerMessage(shop.number.phoneNumberId, { from, text, timestamp });
  expect(await post(world.webhookUrl, payload, shop.number.appSecret)).toBe(200);
  await world.ctx.app.drainJobs();
  const row = await world.ctx.owner.pool.query<{ lead_id: string }>(
    'select lead_id from whatsapp_message where wa_message_id = $1',
    [wamid],
  );
  return row.rows[0]?.lead_id;
}

describe('the routing cache: a channel change takes effect at once', () => {
  it('refuses the old app secret and takes the new one on the next webhook, on this instance', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const message = () =>
      sim.customerMessage(shop.number.phoneNumberId, { from: customerWaId(), text: 'Hola' }).payload;
    const oldSecret = shop.number.appSecret;
    // The number's channel and opened secret are now in this instance's table.
    expect(await post(world.webhookUrl, message(), oldSecret)).toBe(200);
    expect(await post(world.webhookUrl, message(), oldSecret)).toBe(200);

    const newSecret = `${oldSecret}-rotated`;
    await connect(ctx.app, shop, { ...shop.number, appSecret: newSecret });
    expect(await post(world.webhookUrl, message(), oldSecret)).toBe(401);
    expect(await post(world.webhookUrl, message(), newSecret)).toBe(200);
  });

  it('forgets a removed channel at once: its number is refused', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const message = () =>
      sim.customerMessage(shop.number.phoneNumberId, { from: customerWaId(), text: 'Hola' }).payload;
    expect(await post(world.webhookUrl, message(), shop.number.appSecret)).toBe(200);
    const removed = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/v1/tenants/${shop.tenantId}/branches/${shop.branchId}/whatsapp-channel`,
      headers: shop.auth,
    });
    expect(removed.statusCode).toBe(204);
    expect(await post(world.webhookUrl, message(), shop.number.appSecret)).toBe(401);
  });

  it.skipIf(!process.env.REDIS_URL)(
    'refuses the old app secret on a second instance too (the change is broadcast through Redis)',
    async () => {
      const { ctx, sim } = world;
      const shop = await connectedShop(ctx, sim);
      const second = await startInstance(ctx);
      try {
        const secondUrl = await listen(second.app);
        const message = () =>
          sim.customerMessage(shop.number.phoneNumberId, { from: customerWaId(), text: 'Hola' }).payload;
        const oldSecret = shop.number.appSecret;
        // Both instances have the number in their table.
        expect(await post(world.webhookUrl, message(), oldSecret)).toBe(200);
        expect(await post(secondUrl, message(), oldSecret)).toBe(200);

        const newSecret = `${oldSecret}-rotated`;
        await connect(ctx.app, shop, { ...shop.number, appSecret: newSecret });
        // The old one stops as soon as the broadcast has reached the second instance (pub/sub, not a transaction):
        // waited on as a condition, a few calls at most, far within the table's few seconds.
        const stale = sim.customerMessage(shop.number.phoneNumberId, { from: customerWaId(), text: 'Hola' });
        let answer = await post(secondUrl, stale.payload, oldSecret);
        for (let tries = 0; answer !== 401 && tries < 20; tries++)
          answer = await post(secondUrl, stale.payload, oldSecret);
        expect(answer).toBe(401);
        expect(await post(secondUrl, message(), newSecret)).toBe(200);
        expect(await post(secondUrl, message(), oldSecret)).toBe(401);
      } finally {
        await second.close();
      }
    },
  );
});

describe('the stored delivery is the work item', () => {
  it('processes a burst of deliveries in one pass, each message once, on the right lead', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const from = customerWaId();
    const payloads = Array.from(
      { length: 6 },
      (_, i) => sim.customerMessage(shop.number.phoneNumberId, { from, text: `Mensaje ${i}` }).payload,
    );
    const answers = await Promise.all(payloads.map((p) => post(world.webhookUrl, p, shop.number.appSecret)));
    expect(answers).toEqual([200, 200, 200, 200, 200, 200]);
    await ctx.app.drainJobs();
    expect(await inboundMessages(shop.tenantId)).toBe(6);
    const leads = await ctx.owner.pool.query(
      `select distinct lead_id from whatsapp_message where tenant_id = $1`,
      [shop.tenantId],
    );
    expect(leads.rows).toHaveLength(1);
    const pending = await ctx.owner.pool.query(
      'select count(*)::int as n from whatsapp_delivery where tenant_id = $1 and processed_at is null',
      [shop.tenantId],
    );
    expect(pending.rows[0].n).toBe(0);
  });

  it('stores a wamid repeated inside one batch and again in a later pass once, with one history event', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const from = customerWaId();
    const { payload } = sim.customerMessage(shop.number.phoneNumberId, { from, text: 'Repetido' });
    const other = sim.customerMessage(shop.number.phoneNumberId, { from, text: 'Otro' }).payload;
    // Meta re-sends a notification with other bytes (the body is stored once per body, not per wamid).
    const resent = { ...payload, resent: true };
    for (const body of [payload, other, resent])
      expect(await post(world.webhookUrl, body, shop.number.appSecret)).toBe(200);
    await ctx.app.drainJobs();
    expect(await post(world.webhookUrl, { ...payload, resent: 2 }, shop.number.appSecret)).toBe(200);
    await ctx.app.drainJobs();
    const stored = await ctx.owner.pool.query<{ text: string }>(
      `select text from whatsapp_message where tenant_id = $1 and direction = 'IN' order by text`,
      [shop.tenantId],
    );
    expect(stored.rows.map((r) => r.text)).toEqual(['Otro', 'Repetido']);
    const events = await ctx.owner.pool.query<{ n: number; leads: number }>(
      `select count(*)::int as n, count(distinct lead_id)::int as leads from lead_event
        where tenant_id = $1 and type = 'MESSAGE_RECEIVED'`,
      [shop.tenantId],
    );
    expect(events.rows[0]).toEqual({ n: 2, leads: 1 });
    const pending = await ctx.owner.pool.query<{ n: number }>(
      'select count(*)::int as n from whatsapp_delivery where tenant_id = $1 and processed_at is null',
      [shop.tenantId],
    );
    expect(pending.rows[0]?.n).toBe(0);
  });

  it('puts a batch of several senders on their leads at once: newest message as the preview, each unread, each on the history', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const known = customerWaId();
    const newcomer = customerWaId();
    const now = Math.floor(Date.now() / 1000);
    const first = await customerWritesAndDrain(shop, known, 'Hola', now - 120);
    // One notification with four messages, out of Meta's order, as Meta may send them.
    const parts = [
      { from: known, text: 'Segundo', timestamp: now - 30 },
      { from: newcomer, text: 'Soy nuevo', timestamp: now - 10 },
      { from: known, text: 'Tercero', timestamp: now },
      { from: known, text: 'Primero tardío', timestamp: now - 60 },
    ].map((m) => sim.customerMessage(shop.number.phoneNumberId, m).payload);
    type Value = { messages: unknown[]; contacts: unknown[] };
    const value = (p: unknown) =>
      (p as { entry: { changes: { value: Value }[] }[] }).entry[0]?.changes[0]?.value as Value;
    const together = structuredClone(parts[0]);
    Object.assign(value(together), {
      messages: parts.flatMap((p) => value(p).messages),
      contacts: parts.flatMap((p) => value(p).contacts),
    });
    expect(await post(world.webhookUrl, together, shop.number.appSecret)).toBe(200);
    await ctx.app.drainJobs();

    const leads = await ctx.owner.pool.query<{
      id: string;
      source: string;
      unread_count: number;
      last_message_preview: string;
      events: number;
      linked: number;
    }>(
      `select l.id, l.source, l.unread_count, l.last_message_preview,
              (select count(*)::int from lead_event e where e.lead_id = l.id and e.type = 'MESSAGE_RECEIVED') as events,
              (select count(*)::int from lead_event e join whatsapp_message m
                  on m.id = (e.payload->>'messageId')::uuid and m.lead_id = e.lead_id
                where e.lead_id = l.id and e.type = 'MESSAGE_RECEIVED') as linked
         from lead l where l.tenant_id = $1 order by l.created_at`,
      [shop.tenantId],
    );
    expect(leads.rows).toHaveLength(2);
    expect(leads.rows[0]).toMatchObject({
      id: first,
      unread_count: 4,
      last_message_preview: 'Tercero',
      events: 4,
      linked: 4,
    });
    expect(leads.rows[1]).toMatchObject({
      source: 'WHATSAPP',
      unread_count: 1,
      last_message_preview: 'Soy nuevo',
      events: 1,
      linked: 1,
    });
    expect(await inboundMessages(shop.tenantId)).toBe(5);
  });

  it('stores a burst of calls together, each repeat once, and a row PostgreSQL refuses fails alone', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const bodies = Array.from(
      { length: 8 },
      (_, i) =>
        sim.customerMessage(shop.number.phoneNumberId, { from: customerWaId(), text: `Hola ${i}` }).payload,
    );
    const refused = sim.customerMessage(shop.number.phoneNumberId, {
      from: customerWaId(),
      text: 'refuse-me',
    });
    // The database refuses one row of the group (a trigger stands in for any row-level failure).
    await ctx.owner.pool.query(`
      create function refuse_marked_delivery() returns trigger language plpgsql as $$
      begin
        if new.payload::text like '%refuse-me%' then raise exception 'refused'; end if;
        return new;
      end $$;
      create trigger refuse_marked before insert on whatsapp_delivery
        for each row execute function refuse_marked_delivery();`);
    try {
      const calls = [...bodies, bodies[0], bodies[1], refused.payload];
      const answers = await Promise.all(
        calls.map((body) => post(world.webhookUrl, body, shop.number.appSecret)),
      );
      expect(answers.slice(0, 10)).toEqual(Array(10).fill(200));
      expect(answers[10]).not.toBe(200);
    } finally {
      await ctx.owner.pool.query(
        'drop trigger refuse_marked on whatsapp_delivery; drop function refuse_marked_delivery()',
      );
    }
    const stored = await ctx.owner.pool.query<{ n: number }>(
      'select count(*)::int as n from whatsapp_delivery where tenant_id = $1',
      [shop.tenantId],
    );
    expect(stored.rows[0]?.n).toBe(8);
  });

  it('keeps a NUL character Meta sends (jsonb cannot hold it) as U+FFFD: stored and processed, not a 500', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const { wamid, payload } = sim.customerMessage(shop.number.phoneNumberId, {
      from: customerWaId(),
      text: 'a\u0000b',
    });
    expect(await post(world.webhookUrl, payload, shop.number.appSecret)).toBe(200);
    await ctx.app.drainJobs();
    const row = await ctx.owner.pool.query<{ text: string }>(
      'select text from whatsapp_message where wa_message_id = $1',
      [wamid],
    );
    expect(row.rows[0]?.text).toBe('a\uFFFDb');
  });

  it('stores the body as Meta wrote it, whatever its text holds (quotes, backslashes, $1, emoji, newlines)', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const text = `It's "50\\%" off? $1 $2 \\u0041 ');\ndrop table lead; -- 😀 ñ`;
    const { wamid, payload } = sim.customerMessage(shop.number.phoneNumberId, { from: customerWaId(), text });
    expect(await post(world.webhookUrl, payload, shop.number.appSecret)).toBe(200);
    const stored = await ctx.owner.pool.query<{ payload: unknown }>(
      'select payload from whatsapp_delivery where tenant_id = $1',
      [shop.tenantId],
    );
    expect(stored.rows).toEqual([{ payload: JSON.parse(JSON.stringify(payload)) }]);
    await ctx.app.drainJobs();
    const row = await ctx.owner.pool.query<{ text: string }>(
      'select text from whatsapp_message where wa_message_id = $1',
      [wamid],
    );
    expect(row.rows[0]?.text).toBe(text);
  });

  it('leaves a delivery that fails pending and commits the others of its batch, each message once', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    // A real failure inside the batch's transaction: the database refuses this one message.
    await ctx.owner.pool.query(`
      create or replace function test_refuse_message() returns trigger language plpgsql as $$
      begin
        if new.text = 'rechazado' then raise exception 'refused for the test'; end if;
        return new;
      end $$;
      create trigger test_refuse_message before insert on whatsapp_message
        for each row execute function test_refuse_message();`);
    try {
      const from = customerWaId();
      const texts = ['uno', 'dos', 'rechazado', 'tres', 'cuatro'];
      for (const text of texts) {
        const { payload } = sim.customerMessage(shop.number.phoneNumberId, { from, text });
        expect(await post(world.webhookUrl, payload, shop.number.appSecret)).toBe(200);
      }
      await ctx.app.drainJobs();
      const stored = await ctx.owner.pool.query<{ text: string }>(
        `select text from whatsapp_message where tenant_id = $1 and direction = 'IN' order by text`,
        [shop.tenantId],
      );
      expect(stored.rows.map((r) => r.text)).toEqual(['cuatro', 'dos', 'tres', 'uno']);
      const pending = await ctx.owner.pool.query<{ n: number }>(
        `select count(*)::int as n from whatsapp_delivery
          where tenant_id = $1 and processed_at is null and payload::text like '%rechazado%'`,
        [shop.tenantId],
      );
      expect(pending.rows[0]?.n).toBe(1);
      const events = await ctx.owner.pool.query<{ n: number }>(
        `select count(*)::int as n from lead_event where tenant_id = $1 and type = 'MESSAGE_RECEIVED'`,
        [shop.tenantId],
      );
      expect(events.rows[0]?.n).toBe(4);
    } finally {
      await ctx.owner.pool.query(
        'drop trigger test_refuse_message on whatsapp_message; drop function test_refuse_message()',
      );
    }
  });

  it('takes later the deliveries acknowledged but never processed (the process died after the 200): the sweep', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const from = customerWaId();
    const first = sim.customerMessage(shop.number.phoneNumberId, { from, text: 'Hola, ¿tienen stock?' });
    const second = sim.customerMessage(shop.number.phoneNumberId, { from, text: '¿Y en azul?' });
    // Acknowledged by an instance that dies before its processing runs: the first delivery's nudge went to a queue
    // that dies with it, the second's was still held in the nudge's window.
    const doomed = await startInstance(ctx);
    const doomedUrl = await listen(doomed.app);
    expect(await post(doomedUrl, first.payload, shop.number.appSecret)).toBe(200);
    expect(await post(doomedUrl, second.payload, shop.number.appSecret)).toBe(200);
    await doomed.close();
    expect(await inboundMessages(shop.tenantId)).toBe(0);
    // A minute later (the rows aged instead of waiting), the worker's sweep nudges the tenant and they are processed.
    await ctx.owner.pool.query(
      `update whatsapp_delivery set received_at = received_at - interval '2 minutes' where tenant_id = $1`,
      [shop.tenantId],
    );
    const job = (name: string) => ctx.app.jobDefinitions.find((d) => d.name === name);
    const sweep = whatsappSweepJob(ctx.owner.pool, { send: async (name, data) => job(name)?.handle(data) });
    await sweep.handle({});
    const rows = await ctx.owner.pool.query(
      'select wa_message_id, direction from whatsapp_message where wa_message_id = any($1) order by wa_timestamp, text',
      [[first.wamid, second.wamid]],
    );
    expect(rows.rows).toHaveLength(2);
    expect(new Set(rows.rows.map((r) => r.wa_message_id))).toEqual(new Set([first.wamid, second.wamid]));
  });

  it('nudges once per tenant for a burst, and once more at the end of the window for what came during it', async () => {
    const queue = createInlineQueue(() => undefined, 'deferred');
    const runs: string[] = [];
    queue.register([
      {
        name: processPending.name,
        singleton: true,
        async handle(data: unknown) {
          runs.push((data as { tenantId: string }).tenantId);
        },
      },
    ]);
    const ticker = manualTicker();
    const { nudge } = createPendingNudge(queue, () => undefined, { ms: 100, ticker });
    // The first of a quiet tenant goes at once.
    nudge('tenant-a');
    nudge('tenant-b');
    await queue.drain();
    expect(runs.sort()).toEqual(['tenant-a', 'tenant-b']);
    // Those during the window wait for its end: one send for all of them.
    for (let i = 0; i < 5; i++) nudge('tenant-a');
    await queue.drain();
    expect(runs).toHaveLength(2);
    await ticker.tick();
    await queue.drain();
    expect(runs).toEqual(['tenant-a', 'tenant-b', 'tenant-a']);
    // A window without deliveries sends nothing, and the tenant is quiet again: its next delivery nudges at once.
    await ticker.tick();
    await ticker.tick();
    await queue.drain();
    expect(runs).toHaveLength(3);
    nudge('tenant-b');
    await queue.drain();
    expect(runs).toEqual(['tenant-a', 'tenant-b', 'tenant-a', 'tenant-b']);
  });

  it('sends what the window holds when the app closes, then nudges once per tenant and leaves the rest to the sweep', async () => {
    const queue = createInlineQueue(() => undefined, 'deferred');
    const runs: string[] = [];
    queue.register([
      {
        name: processPending.name,
        singleton: true,
        async handle(data: unknown) {
          runs.push((data as { tenantId: string }).tenantId);
        },
      },
    ]);
    const ticker = manualTicker();
    const nudges = createPendingNudge(queue, () => undefined, { ms: 100, ticker });
    nudges.nudge('tenant-a');
    await queue.drain();
    nudges.nudge('tenant-a');
    await nudges.close();
    await queue.drain();
    expect(runs).toEqual(['tenant-a', 'tenant-a']);
    // Requests finished while the app closes (their callers gave up): one nudge at once, no window after.
    nudges.nudge('tenant-a');
    nudges.nudge('tenant-a');
    await ticker.tick();
    await queue.drain();
    expect(runs).toHaveLength(3);
  });
});
