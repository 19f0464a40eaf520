import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionMaintenanceJob } from '../../platform/partitions';
import { manualClock } from '../leads/leads.fixtures';
import { connectedShop, customerWaId, startWhatsappWorld } from './whatsapp.fixtures';

/*
 * whatsapp_message and whatsapp_delivery are partitioned by month (migration 0030); their de-duplication keys live
 * in side tables, so a repeat is recognised whatever month its first copy is in. The clock starts two minutes
 * before a month ends.
 */
const clock = manualClock(new Date('2030-05-31T23:58:00.000Z'));
let world: Awaited<ReturnType<typeof startWhatsappWorld>>;
beforeAll(async () => {
  world = await startWhatsappWorld({}, { clock });
  world.sim.setAutoStatuses(false);
  // The months around the clock's get their partitions, as the worker's daily job makes them.
  await partitionMaintenanceJob(world.ctx.owner.pool, {}, clock).handle({});
});
afterAll(async () => world?.close());

const rows = async <T extends Record<string, unknown>>(text: string, params: unknown[]) =>
  (await world.ctx.owner.pool.query<T>(text, params)).rows;

/** Where each of the tenant's rows of `table` is stored: its partition's name. */
const partitionsOfRows = async (table: 'whatsapp_message' | 'whatsapp_delivery', tenantId: string) =>
  (
    await rows<{ partition: string }>(
      `select tableoid::regclass::text as partition from ${table} where tenant_id = $1 order by 1`,
      [tenantId],
    )
  ).map((row) => row.partition);

const partitionsOf = async (table: string) =>
  (
    await rows<{ name: string }>(
      `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = $1::regclass order by 1`,
      [table],
    )
  ).map((row) => row.name);

const seconds = () => Math.floor(clock.now().getTime() / 1000);

describe('WhatsApp tables partitioned by month', () => {
  it('recognises a webhook and a message redelivered in the next month: each stored once, in its first month', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const from = customerWaId();
    const first = sim.customerMessage(shop.number.phoneNumberId, {
      from,
      text: 'Hola',
      timestamp: seconds(),
    });
    expect(await sim.deliver(shop.number.phoneNumberId, first.payload)).toEqual([200]);
    await ctx.app.drainJobs();
    expect(await partitionsOfRows('whatsapp_delivery', shop.tenantId)).toEqual(['whatsapp_delivery_p203005']);
    expect(await partitionsOfRows('whatsapp_message', shop.tenantId)).toEqual(['whatsapp_message_p203005']);

    // June: Meta retries the same body, and sends the same message again in another body.
    clock.advance(10 * 60_000);
    expect(await sim.deliver(shop.number.phoneNumberId, first.payload, { times: 2 })).toEqual([200, 200]);
    const again = sim.customerMessage(shop.number.phoneNumberId, {
      from,
      text: 'Hola',
      wamid: first.wamid,
      timestamp: seconds(),
    });
    expect(await sim.deliver(shop.number.phoneNumberId, again.payload)).toEqual([200]);
    await ctx.app.drainJobs();

    // The repeated body is not stored again; the other body is (June), and its message is not.
    expect(await partitionsOfRows('whatsapp_delivery', shop.tenantId)).toEqual([
      'whatsapp_delivery_p203005',
      'whatsapp_delivery_p203006',
    ]);
    expect(await partitionsOfRows('whatsapp_message', shop.tenantId)).toEqual(['whatsapp_message_p203005']);
    const pending = await rows<{ n: number }>(
      'select count(*)::int as n from whatsapp_delivery where tenant_id = $1 and processed_at is null',
      [shop.tenantId],
    );
    expect(pending[0]?.n).toBe(0);

    // A status of June reaches the message of May through its key.
    const [message] = await rows<{ lead_id: string }>(
      'select lead_id from whatsapp_message where tenant_id = $1',
      [shop.tenantId],
    );
    const reply = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/leads/${message?.lead_id}/messages`,
      headers: shop.auth,
      payload: { text: 'Hola, ¿en qué le ayudo?' },
    });
    expect(reply.statusCode, reply.body).toBe(202);
    await ctx.app.drainJobs();
    const outWamid = sim.sent.find((s) => s.phoneNumberId === shop.number.phoneNumberId)?.wamid ?? '';
    expect(outWamid).not.toBe('');
    // The reply's key: its wamid, set when the Graph API accepted it, points at its row.
    const [key] = await rows<{ message_id: string; partition: string }>(
      `select k.message_id, m.tableoid::regclass::text as partition
         from whatsapp_message_key k
         join whatsapp_message m on m.tenant_id = k.tenant_id and m.id = k.message_id and m.created_at = k.created_at
        where k.tenant_id = $1 and k.wa_message_id = $2`,
      [shop.tenantId, outWamid],
    );
    expect(key?.partition).toBe('whatsapp_message_p203006');
    await sim.deliver(
      shop.number.phoneNumberId,
      sim.statusPayload(shop.number.phoneNumberId, outWamid, 'read', from),
    );
    await ctx.app.drainJobs();
    const [out] = await rows<{ status: string }>(
      'select status from whatsapp_message where tenant_id = $1 and wa_message_id = $2',
      [shop.tenantId, outWamid],
    );
    expect(out?.status).toBe('READ');

    // A copy of May's message written in August is skipped (its wamid is known); giving the reply that wamid is
    // refused, as the unique index refused it.
    const copy = await ctx.owner.pool.query(
      `insert into whatsapp_message (id, tenant_id, lead_id, channel_id, direction, wa_message_id, type, status,
                                     created_at, updated_at)
       select gen_random_uuid(), tenant_id, lead_id, channel_id, direction, wa_message_id, type, status,
              '2030-08-02T00:00:00Z', '2030-08-02T00:00:00Z'
         from whatsapp_message where tenant_id = $1 and wa_message_id = $2`,
      [shop.tenantId, first.wamid],
    );
    expect(copy.rowCount).toBe(0);
    await expect(
      ctx.owner.pool.query(
        'update whatsapp_message set wa_message_id = $2 where tenant_id = $1 and wa_message_id = $3',
        [shop.tenantId, first.wamid, outWamid],
      ),
    ).rejects.toMatchObject({ code: '23505', constraint: 'whatsapp_message_key_pkey' });
  });

  it('drops the months past retention with their keys and media, never the current month', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const june = sim.customerMessage(shop.number.phoneNumberId, {
      from: customerWaId(),
      text: 'Junio',
      timestamp: seconds(),
    });
    expect(await sim.deliver(shop.number.phoneNumberId, june.payload)).toEqual([200]);
    await ctx.app.drainJobs();
    // Every stored wamid and delivery has its key, and every key its row.
    const keysMatchRows = async () => {
      const [counts] = await rows<{ keys: number; stored: number; old: number }>(
        `select (select count(*) from whatsapp_message_key) + (select count(*) from whatsapp_delivery_key) as keys,
                (select count(*) from whatsapp_message where wa_message_id is not null)
                  + (select count(*) from whatsapp_delivery) as stored,
                (select count(*) from whatsapp_message_key where created_at < '2030-06-01')
                  + (select count(*) from whatsapp_delivery_key where received_at < '2030-06-01') as old`,
        [],
      );
      expect(Number(counts?.keys)).toBe(Number(counts?.stored));
      return Number(counts?.old);
    };
    expect(await keysMatchRows()).toBeGreaterThan(0);
    // Media fetched in May and in June (the media of a message goes with its month).
    for (const at of ['2030-05-31T23:59:00Z', '2030-06-01T00:09:00Z']) {
      await ctx.owner.pool.query(
        `insert into whatsapp_media (id, tenant_id, message_id, content, mime_type, byte_size, sha256, created_at)
         values (gen_random_uuid(), $1, gen_random_uuid(), '\\x00', 'image/jpeg', 1, 'x', $2)`,
        [shop.tenantId, at],
      );
    }
    const mediaMonths = async () =>
      (
        await rows<{ at: Date }>('select created_at as at from whatsapp_media where tenant_id = $1', [
          shop.tenantId,
        ])
      ).map((row) => row.at.toISOString().slice(0, 7));

    // Keeping one month in June keeps May (the month before) and June: nothing goes.
    const retention = { whatsappMessages: 1, whatsappDeliveries: 1 };
    await partitionMaintenanceJob(ctx.owner.pool, retention, clock).handle({});
    expect(await partitionsOf('whatsapp_message')).toContain('whatsapp_message_p203005');

    // July, keeping one month: May goes with its keys; June and July stay.
    clock.advance(31 * 24 * 3_600_000);
    await partitionMaintenanceJob(ctx.owner.pool, retention, clock).handle({});
    for (const table of ['whatsapp_message', 'whatsapp_delivery']) {
      const names = await partitionsOf(table);
      expect(names).not.toContain(`${table}_p203005`);
      expect(names).toEqual(
        expect.arrayContaining([`${table}_p203006`, `${table}_p203007`, `${table}_p203010`]),
      );
    }
    expect(await keysMatchRows()).toBe(0);
    expect(await mediaMonths()).toEqual(['2030-06']);
    expect(await partitionsOfRows('whatsapp_message', shop.tenantId)).toEqual(['whatsapp_message_p203006']);

    // Keeping one month never drops the current month, even on its first day; fewer than one is refused.
    clock.advance(30 * 24 * 3_600_000);
    expect(clock.now().toISOString().slice(0, 10)).toBe('2030-08-01');
    await partitionMaintenanceJob(ctx.owner.pool, retention, clock).handle({});
    for (const table of ['whatsapp_message', 'whatsapp_delivery']) {
      const names = await partitionsOf(table);
      expect(names).not.toContain(`${table}_p203006`);
      expect(names).toEqual(expect.arrayContaining([`${table}_p203007`, `${table}_p203008`]));
    }
    expect(await partitionsOfRows('whatsapp_message', shop.tenantId)).toEqual([]);
    await expect(
      partitionMaintenanceJob(ctx.owner.pool, { whatsappMessages: 0 }, clock).handle({}),
    ).rejects.toThrow(/keep at least one month/);
  });
});
