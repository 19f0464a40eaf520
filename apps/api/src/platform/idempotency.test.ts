import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, problem, type SignedUp, signUp } from '../../test/harness';
import { addListing } from '../modules/leads/leads.fixtures';
import { leadFor } from '../modules/quotes/quotes.fixtures';
import {
  connectedShop,
  conversationOf,
  customerWaId,
  customerWrites,
  startWhatsappWorld,
} from '../modules/whatsapp/whatsapp.fixtures';

// Every write honours an Idempotency-Key (platform/idempotency.ts): a double tap or a retry is done once and
// answered the same. Rows are counted on the owner connection, not through the API that is under test.
let world: Awaited<ReturnType<typeof startWhatsappWorld>>;
let shop: SignedUp;
beforeAll(async () => {
  world = await startWhatsappWorld();
  shop = await signUp(world.ctx.app);
});
afterAll(async () => world?.close());

type Caller = { auth: { authorization: string } };
const write = (
  caller: Caller,
  method: 'POST' | 'PATCH',
  url: string,
  payload: unknown,
  key: string | null = randomUUID(),
) =>
  world.ctx.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { ...caller.auth, ...(key ? { 'idempotency-key': key } : {}) },
    payload: payload as Record<string, unknown>,
  });

/** The same request twice with one key: both answers are returned, the first one first. */
const twice = async (caller: Caller, method: 'POST' | 'PATCH', url: string, payload: unknown) => {
  const key = randomUUID();
  return [
    await write(caller, method, url, payload, key),
    await write(caller, method, url, payload, key),
  ] as const;
};

const count = async (sql: string, leadId: string) =>
  Number((await world.ctx.owner.pool.query<{ n: string }>(sql, [leadId])).rows[0]?.n);
const notesOf = (leadId: string) => count('select count(*) as n from lead_note where lead_id = $1', leadId);

function expectReplay(first: LightMyRequestResponse, second: LightMyRequestResponse, status: number) {
  expect(first.statusCode, first.body).toBe(status);
  expect(first.headers['idempotent-replayed']).toBeUndefined();
  expect(second.statusCode, second.body).toBe(status);
  expect(second.headers['idempotent-replayed']).toBe('true');
  expect(second.headers['content-type']).toBe(first.headers['content-type']);
  expect(second.body).toBe(first.body);
}

describe('the same Idempotency-Key twice does the write once and answers the same', () => {
  it('a note', async () => {
    const lead = await leadFor(world.ctx.app, shop);
    const [first, second] = await twice(shop, 'POST', `/leads/${lead.id}/notes`, { text: 'Llamar a las 5' });
    expectReplay(first, second, 201);
    expect(await notesOf(lead.id)).toBe(1);
  });

  it('a note tapped twice at once: the second waits for the first and gets its answer', async () => {
    const lead = await leadFor(world.ctx.app, shop);
    const key = randomUUID();
    const note = { text: 'Pidió factura' };
    const answers = await Promise.all([
      write(shop, 'POST', `/leads/${lead.id}/notes`, note, key),
      write(shop, 'POST', `/leads/${lead.id}/notes`, note, key),
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201]);
    expect(answers[0].body).toBe(answers[1].body);
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(1);
    expect(await notesOf(lead.id)).toBe(1);
  });

  it('a task', async () => {
    const lead = await leadFor(world.ctx.app, shop);
    const task = { title: 'Seguir en 24 h', dueAt: '2031-01-02T15:00:00.000Z' };
    const [first, second] = await twice(shop, 'POST', `/leads/${lead.id}/tasks`, task);
    expectReplay(first, second, 201);
    expect(
      await count("select count(*) as n from task where lead_id = $1 and title = 'Seguir en 24 h'", lead.id),
    ).toBe(1);
  });

  it('a quote keeps one number', async () => {
    const lead = await leadFor(world.ctx.app, shop);
    const listing = await addListing(world.ctx.app, shop);
    const draft = { items: [{ listingId: listing.id, quantity: 1 }] };
    const [first, second] = await twice(shop, 'POST', `/leads/${lead.id}/create-quote`, draft);
    expectReplay(first, second, 201);
    expect(await count('select count(*) as n from quote where lead_id = $1', lead.id)).toBe(1);
  });

  it('a ticket: the retry gets the 201 again, not the 409 of a second conversion', async () => {
    const lead = await leadFor(world.ctx.app, shop);
    const body = { subject: 'Pantalla rota' };
    const [first, second] = await twice(shop, 'POST', `/leads/${lead.id}/convert-to-ticket`, body);
    expectReplay(first, second, 201);
    expect(await count('select count(*) as n from ticket where lead_id = $1', lead.id)).toBe(1);
    problem(await write(shop, 'POST', `/leads/${lead.id}/convert-to-ticket`, body), 409);
  });

  it('a stage move: the retry gets the moved lead, not "someone else changed it"', async () => {
    const lead = await leadFor(world.ctx.app, shop);
    const move = { version: lead.version, status: 'CONTACTED' };
    const [first, second] = await twice(shop, 'PATCH', `/leads/${lead.id}`, move);
    expectReplay(first, second, 200);
    expect(first.json()).toMatchObject({ status: 'CONTACTED' });
    expect(
      await count(
        "select count(*) as n from lead_event where lead_id = $1 and type = 'STATUS_CHANGED'",
        lead.id,
      ),
    ).toBe(1);
    // Without the key the same move is a stale version: what a double tap used to show.
    problem(await write(shop, 'PATCH', `/leads/${lead.id}`, move, null), 409);
  });

  it('a WhatsApp message is queued and sent once', async () => {
    const { ctx, sim } = world;
    const connected = await connectedShop(ctx, sim);
    await customerWrites(ctx.app, sim, connected, { from: customerWaId(), text: '¿Tienen stock?' });
    const leadId = (
      await ctx.owner.pool.query<{ lead_id: string }>(
        'select lead_id from whatsapp_message where tenant_id = $1',
        [connected.tenantId],
      )
    ).rows[0]?.lead_id as string;
    const [first, second] = await twice(connected, 'POST', `/leads/${leadId}/messages`, {
      text: 'Sí, hay 4',
    });
    expectReplay(first, second, 202);
    await ctx.app.drainJobs();
    const out = (await conversationOf(ctx.app, connected, leadId)).items.filter((m) => m.direction === 'OUT');
    expect(out).toHaveLength(1);
  });
});

describe('what a key does not do', () => {
  it('without a key, two requests are two notes', async () => {
    const lead = await leadFor(world.ctx.app, shop);
    for (let i = 0; i < 2; i++)
      expect((await write(shop, 'POST', `/leads/${lead.id}/notes`, { text: 'Hola' }, null)).statusCode).toBe(
        201,
      );
    expect(await notesOf(lead.id)).toBe(2);
  });

  it('the same key with another body is a 422 naming the header, and writes nothing', async () => {
    const lead = await leadFor(world.ctx.app, shop);
    const key = randomUUID();
    expect((await write(shop, 'POST', `/leads/${lead.id}/notes`, { text: 'Uno' }, key)).statusCode).toBe(201);
    const reused = problem(await write(shop, 'POST', `/leads/${lead.id}/notes`, { text: 'Dos' }, key), 422);
    expect(reused.errors?.map((e) => e.path)).toEqual(['Idempotency-Key']);
    expect(await notesOf(lead.id)).toBe(1);
  });

  it('a malformed key is a 400 naming the header', async () => {
    const lead = await leadFor(world.ctx.app, shop);
    const answer = problem(
      await write(shop, 'POST', `/leads/${lead.id}/notes`, { text: 'x' }, 'dos palabras'),
      400,
    );
    expect(answer.errors?.map((e) => e.path)).toEqual(['Idempotency-Key']);
    expect(await notesOf(lead.id)).toBe(0);
  });

  it('an error is not kept: the key is free for a corrected retry', async () => {
    const lead = await leadFor(world.ctx.app, shop);
    const key = randomUUID();
    problem(
      await write(
        shop,
        'PATCH',
        `/leads/${lead.id}`,
        { version: lead.version + 7, status: 'CONTACTED' },
        key,
      ),
      409,
    );
    const retried = await write(
      shop,
      'PATCH',
      `/leads/${lead.id}`,
      { version: lead.version, status: 'CONTACTED' },
      key,
    );
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
  });

  it('a reply holding a secret shown once (an API key) is never stored: the key is ignored there', async () => {
    const key = randomUUID();
    const create = () =>
      write(shop, 'POST', `/tenants/${shop.tenantId}/api-keys`, { name: 'Marketplace' }, key);
    const [first, second] = [await create(), await create()];
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    const secret = first.json().key as string;
    expect(secret.length).toBeGreaterThan(20);
    const kept = await world.ctx.owner.pool.query(
      'select count(*)::int as n from idempotency_key where tenant_id = $1 and response::text like $2',
      [shop.tenantId, `%${secret}%`],
    );
    expect(kept.rows[0].n).toBe(0);
  });

  it("another user's key is not replayed to me", async () => {
    const seller = await addUser(world.ctx.app, shop, 'SELLER');
    const lead = await leadFor(world.ctx.app, shop);
    const key = randomUUID();
    const note = { text: 'Misma clave' };
    const mine = await write(shop, 'POST', `/leads/${lead.id}/notes`, note, key);
    const theirs = await write(seller, 'POST', `/leads/${lead.id}/notes`, note, key);
    expect([mine.statusCode, theirs.statusCode]).toEqual([201, 201]);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.json().id).not.toBe(mine.json().id);
  });

  it("another shop's user with the same key gets nothing of this shop", async () => {
    const other = await signUp(world.ctx.app);
    const lead = await leadFor(world.ctx.app, shop);
    const key = randomUUID();
    await write(shop, 'POST', `/leads/${lead.id}/notes`, { text: 'Privada' }, key);
    const answer = await write(other, 'POST', `/leads/${lead.id}/notes`, { text: 'Privada' }, key);
    problem(answer, 404);
    expect(await notesOf(lead.id)).toBe(1);
  });
});
