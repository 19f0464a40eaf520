import https from 'node:https';
import type { Lead, PushMessage } from '@techmarket/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, problem, type SignedUp, signUp, startInstance } from '../../../test/harness';
import { type Device, type PushService, startPushService } from '../../../test/push-service';
import { pushSubscription, pushVapidKey } from '../../db/schema';
import {
  lima,
  newLead,
  openFollowupShop,
  runEngine,
  setPolicy,
  settableClock,
} from '../followups/followups.fixtures';
import { addListing, changeLead, createLead } from '../leads/leads.fixtures';
import { quoteFor } from '../quotes/quotes.fixtures';
import {
  connectedShop,
  customerWaId,
  customerWrites,
  startWhatsappWorld,
} from '../whatsapp/whatsapp.fixtures';

/**
 * Web Push end to end through the API: devices subscribe over HTTP, the events happen through the API (and the
 * WhatsApp webhook), the jobs run, and a real HTTP push service on a local port receives each push, decrypts it with
 * the device's private key (RFC 8291) and checks its VAPID signature (RFC 8292): nothing of web-push is stubbed.
 */

type Caller = { auth: { authorization: string } };

const clock = settableClock(lima('mon', '10:00'));
let world: Awaited<ReturnType<typeof startWhatsappWorld>>;
let pushes: PushService;

beforeAll(async () => {
  // The local push service is on 127.0.0.1: allowed only by the explicit setting (push.endpoint.security.test.ts).
  world = await startWhatsappWorld({ PUSH_ALLOW_PRIVATE_ENDPOINTS: 'true' }, { clock });
  pushes = await startPushService();
  // The app sends from this process: it trusts the local push service's certificate as it would a real one's.
  https.globalAgent.options.ca = pushes.cert;
});
afterAll(async () => {
  await pushes?.close();
  await world?.close();
});

const app = () => world.ctx.app;

async function subscribe(caller: Caller, device: Device, language?: string) {
  const response = await app().inject({
    method: 'POST',
    url: '/api/v1/me/push-subscriptions',
    headers: caller.auth,
    payload: { ...device.subscription, expirationTime: null, ...(language ? { language } : {}) },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string };
}

/** What the device received since `from`, decrypted. */
const messagesOf = (device: Device) =>
  pushes.pushesTo(device).map((push) => JSON.parse(push.plaintext) as PushMessage);

async function assign(owner: Caller, lead: Lead, userId: string) {
  // An owner's hand-entered lead may already be the seller's: the branch's strategy gave it, and pushed for that.
  const updated =
    lead.assignedToUserId === userId
      ? lead
      : await changeLead(app(), owner, lead, { assignedToUserId: userId });
  await app().drainJobs();
  return updated;
}

async function subscriptionRows(tenantId: string) {
  return world.ctx.owner.db.select().from(pushSubscription).where(eq(pushSubscription.tenantId, tenantId));
}

async function preferences(caller: Caller, body: Record<string, unknown>) {
  return app().inject({
    method: 'PUT',
    url: '/api/v1/me/push-preferences',
    headers: caller.auth,
    payload: body,
  });
}

const allAlerts = {
  leadAssigned: true,
  customerReplied: true,
  taskDue: true,
  escalation: true,
  quoteDecided: true,
};

describe('a push, from the event to the device', () => {
  it('tells a seller of a lead assigned to them, encrypted to their device and signed with the server key', async () => {
    const shop = await openFollowupShop(app());
    const [seller, other] = shop.sellers;
    if (!seller || !other) throw new Error('no sellers');
    const phone = pushes.device();
    const laptop = pushes.device();
    const othersPhone = pushes.device();
    await subscribe(seller, phone);
    await subscribe(seller, laptop, 'pt-BR');
    const lead = await newLead(app(), shop, other, { contact: { name: 'Rosa Quispe Huamán' } });
    await subscribe(other, othersPhone);

    await assign(shop, lead, seller.id);

    const [message] = messagesOf(phone).filter((m) => m.leadId === lead.id);
    expect(message).toEqual({
      alert: 'leadAssigned',
      title: 'Nuevo lead: Rosa Quispe Huamán',
      body: 'Te lo asignaron. Tócalo para abrirlo.',
      leadId: lead.id,
      url: `/leads/${lead.id}`,
      tag: `lead:${lead.id}`,
    });
    // Each device in the language it was using.
    expect(messagesOf(laptop).find((m) => m.leadId === lead.id)?.title).toBe('Novo lead: Rosa Quispe Huamán');
    // Pushed as the API publishes its key, with a day to live and high urgency.
    const publicKey = (await app().inject({ method: 'GET', url: '/api/v1/push/public-key' })).json()
      .publicKey;
    const [received] = pushes.pushesTo(phone);
    expect(received?.vapidKey).toBe(publicKey);
    expect(received?.headers).toMatchObject({ ttl: '86400', urgency: 'high' });
    // The other seller's device heard nothing of a lead that is not theirs.
    expect(messagesOf(othersPhone).filter((m) => m.leadId === lead.id && m.alert === 'leadAssigned')).toEqual(
      [],
    );
    expect(pushes.refused).toEqual([]);
  });

  it('tells the seller when their customer writes on WhatsApp, with the first words', async () => {
    const shop = await connectedShop(world.ctx, world.sim, { sellers: 1 });
    const [seller] = shop.sellers;
    if (!seller) throw new Error('no seller');
    const device = pushes.device();
    await subscribe(seller, device);
    const from = customerWaId();
    await customerWrites(app(), world.sim, shop, {
      from,
      name: 'Carlos Díaz',
      text: 'Hola, ¿tienen la laptop?',
    });
    const leadId = messagesOf(device).find((m) => m.alert === 'customerReplied')?.leadId;
    expect(leadId).toBeDefined();

    await customerWrites(app(), world.sim, shop, {
      from,
      name: 'Carlos Díaz',
      text: 'Sí, la quiero hoy mismo',
    });

    expect(
      messagesOf(device)
        .filter((m) => m.alert === 'customerReplied')
        .at(-1),
    ).toMatchObject({
      title: 'Carlos Díaz te escribió',
      body: 'Sí, la quiero hoy mismo',
      leadId,
      url: `/leads/${leadId}`,
    });
  });

  it('tells of a task that came due, and a manager of an escalation', async () => {
    const shop = await openFollowupShop(app());
    const [first, second] = shop.sellers;
    if (!first || !second) throw new Error('no sellers');
    const firstPhone = pushes.device();
    const managerPhone = pushes.device();
    await subscribe(first, firstPhone);
    await subscribe(shop.manager, managerPhone);
    await setPolicy(app(), shop, { reassignAfterMinutes: 30 });
    clock.set(lima('mon', '10:00'));
    const lead = await newLead(app(), shop, first, { contact: { name: 'Lucía Torres' } });

    clock.set(lima('mon', '11:00'));
    await runEngine(app(), shop);
    await app().drainJobs();
    expect(messagesOf(firstPhone).filter((m) => m.leadId === lead.id && m.alert === 'taskDue')).toHaveLength(
      1,
    );
    expect(messagesOf(firstPhone).find((m) => m.alert === 'taskDue')?.title).toBe(
      'Tarea pendiente: Lucía Torres',
    );

    clock.set(lima('mon', '11:30'));
    await runEngine(app(), shop);
    await app().drainJobs();
    expect(messagesOf(managerPhone).filter((m) => m.leadId === lead.id)).toEqual([
      expect.objectContaining({ alert: 'escalation', title: 'Lead sin respuesta: Lucía Torres' }),
    ]);
  });

  it("tells the lead's seller that the customer accepted or declined a quote, unless they said so themselves", async () => {
    const shop = await signUp(app());
    const seller = await addUser(app(), shop, 'SELLER');
    const device = pushes.device();
    await subscribe(seller, device);
    const listing = await addListing(app(), shop, { branchId: shop.branchId });
    const lead = await createLead(app(), shop, { branchId: shop.branchId, contact: { name: 'Ana Flores' } });
    const assigned = await assign(shop, lead, seller.id);
    const accepted = await quoteFor(app(), shop, assigned, {
      items: [{ listingId: listing.id, quantity: 1 }],
    });
    const declined = await quoteFor(app(), seller, assigned, {
      items: [{ listingId: listing.id, quantity: 1 }],
    });

    const answer = (caller: Caller, id: string, version: number, body: Record<string, unknown>) =>
      app().inject({
        method: 'PATCH',
        url: `/api/v1/quotes/${id}`,
        headers: caller.auth,
        payload: { version, ...body },
      });
    expect((await answer(shop, accepted.id, accepted.version, { status: 'ACCEPTED' })).statusCode).toBe(200);
    await app().drainJobs();
    const declinedBySeller = await answer(seller, declined.id, declined.version, {
      status: 'REJECTED',
      lostReason: 'PRICE',
    });
    expect(declinedBySeller.statusCode, declinedBySeller.body).toBe(200);
    await app().drainJobs();

    const quoteAlerts = messagesOf(device).filter((m) => m.alert === 'quoteDecided');
    expect(quoteAlerts).toEqual([
      expect.objectContaining({
        title: 'Ana Flores aceptó la cotización',
        body: `Cotización N.º ${accepted.number}`,
        leadId: lead.id,
      }),
    ]);
  });
});

describe('subscriptions the push service no longer knows', () => {
  it('are deleted on a 404 or a 410, and kept (the job retried) while the service answers 503', async () => {
    const shop = await signUp(app());
    const seller = await addUser(app(), shop, 'SELLER');
    const gone = pushes.device(410);
    const missing = pushes.device(404);
    const busy = pushes.device(503);
    for (const device of [gone, missing, busy]) await subscribe(seller, device);
    const lead = await createLead(app(), shop, { branchId: shop.branchId, contact: { name: 'Pedro Ruiz' } });

    await assign(shop, lead, seller.id);

    const left = await subscriptionRows(shop.tenantId);
    expect(left.map((row) => row.endpoint)).toEqual([busy.subscription.endpoint]);
    // The delivery job fails on a 503, so pg-boss tries it again later; a later 201 delivers it.
    const deliver = app().jobDefinitions.find((job) => job.name === 'push.deliver');
    const message = {
      alert: 'leadAssigned',
      title: 'Nuevo lead: Pedro Ruiz',
      body: '',
      leadId: lead.id,
      url: `/leads/${lead.id}`,
      tag: `lead:${lead.id}`,
    };
    const job = { tenantId: shop.tenantId, subscriptionId: left[0]?.id, message, urgency: 'high' };
    await expect(deliver?.handle(job)).rejects.toThrow(/503/);
    pushes.answer(busy, 201);
    await deliver?.handle(job);
    expect(messagesOf(busy)).toEqual([message]);
  });
});

describe("a user's push preferences", () => {
  let shop: SignedUp;
  let seller: Awaited<ReturnType<typeof addUser>>;
  let device: Device;
  beforeAll(async () => {
    shop = await signUp(app(), { timezone: 'America/Lima' });
    seller = await addUser(app(), shop, 'SELLER');
    device = pushes.device();
    await subscribe(seller, device);
  });

  const assignNewLead = async (name: string) => {
    const lead = await createLead(app(), shop, { branchId: shop.branchId, contact: { name } });
    await assign(shop, lead, seller.id);
    return messagesOf(device).filter((m) => m.leadId === lead.id);
  };

  it('start with every alert at any hour, and are saved whole', async () => {
    const read = await app().inject({
      method: 'GET',
      url: '/api/v1/me/push-preferences',
      headers: seller.auth,
    });
    expect(read.json()).toEqual({ alerts: allAlerts, quietHours: null, timeZone: null });
    const saved = {
      alerts: { ...allAlerts, taskDue: false },
      quietHours: { from: '22:00', to: '07:00' },
      timeZone: null,
    };
    expect((await preferences(seller, saved)).json()).toEqual(saved);
    const again = await app().inject({
      method: 'GET',
      url: '/api/v1/me/push-preferences',
      headers: seller.auth,
    });
    expect(again.json()).toEqual(saved);
  });

  it('leave out an alert turned off', async () => {
    await preferences(seller, {
      alerts: { ...allAlerts, leadAssigned: false },
      quietHours: null,
      timeZone: null,
    });
    expect(await assignNewLead('Sin aviso')).toEqual([]);
    await preferences(seller, { alerts: allAlerts, quietHours: null, timeZone: null });
    expect(await assignNewLead('Con aviso')).toHaveLength(1);
  });

  it("hold pushes in quiet hours, read in the branch's time zone or the user's own", async () => {
    // 10:00 in Lima is midnight in Tokyo.
    clock.set(lima('tue', '10:00'));
    await preferences(seller, {
      alerts: allAlerts,
      quietHours: { from: '09:00', to: '12:00' },
      timeZone: null,
    });
    expect(await assignNewLead('En horas de silencio')).toEqual([]);
    await preferences(seller, {
      alerts: allAlerts,
      quietHours: { from: '09:00', to: '12:00' },
      timeZone: 'Asia/Tokyo',
    });
    expect(await assignNewLead('Fuera de horas de silencio')).toHaveLength(1);
    await preferences(seller, {
      alerts: allAlerts,
      quietHours: { from: '23:00', to: '06:00' },
      timeZone: 'Asia/Tokyo',
    });
    expect(await assignNewLead('Silencio de noche en Tokio')).toEqual([]);
  });

  it('refuse a bad hour or time zone, naming the field', async () => {
    const badHour = problem(
      await preferences(seller, {
        alerts: allAlerts,
        quietHours: { from: '25:00', to: '07:00' },
        timeZone: null,
      }),
      400,
    );
    expect(badHour.errors?.map((e) => e.path)).toContain('body.quietHours.from');
    const badZone = problem(
      await preferences(seller, { alerts: allAlerts, quietHours: null, timeZone: 'Lima/Peru' }),
      400,
    );
    expect(badZone.errors?.map((e) => e.path)).toContain('body.timeZone');
  });
});

describe('who may subscribe and unsubscribe', () => {
  it('refuses keys that are not a browser’s and an endpoint that is not https, naming the field', async () => {
    const shop = await signUp(app());
    const device = pushes.device();
    const bad = await app().inject({
      method: 'POST',
      url: '/api/v1/me/push-subscriptions',
      headers: shop.auth,
      payload: {
        endpoint: device.subscription.endpoint,
        keys: { p256dh: 'abc', auth: device.subscription.keys.auth },
      },
    });
    expect(problem(bad, 400).errors?.map((e) => e.path)).toContain('body.keys.p256dh');

    const plain = await app().inject({
      method: 'POST',
      url: '/api/v1/me/push-subscriptions',
      headers: shop.auth,
      payload: { ...device.subscription, endpoint: device.subscription.endpoint.replace('https:', 'http:') },
    });
    expect(problem(plain, 400).errors?.map((e) => e.path)).toEqual(['body.endpoint']);
    const anonymous = await app().inject({
      method: 'POST',
      url: '/api/v1/me/push-subscriptions',
      payload: device.subscription,
    });
    problem(anonymous, 401);
  });

  it("keeps each shop's devices its own, and a device removed is pushed no more", async () => {
    const shopA = await signUp(app());
    const shopB = await signUp(app());
    const sellerA = await addUser(app(), shopA, 'SELLER');
    const sellerB = await addUser(app(), shopB, 'SELLER');
    const deviceA = pushes.device();
    await subscribe(sellerA, deviceA);
    const remove = (caller: Caller, endpoint: string) =>
      app().inject({
        method: 'DELETE',
        url: '/api/v1/me/push-subscriptions',
        headers: caller.auth,
        payload: { endpoint },
      });

    // Another shop's user (or another user of the shop) cannot remove it: it is not theirs.
    problem(await remove(sellerB, deviceA.subscription.endpoint), 404);
    problem(await remove(shopA, deviceA.subscription.endpoint), 404);
    // Shop B's leads never reach it, even when shop B's seller subscribes the same endpoint.
    await subscribe(sellerB, deviceA);
    const leadA = await createLead(app(), shopA, {
      branchId: shopA.branchId,
      contact: { name: 'Cliente A' },
    });
    const leadB = await createLead(app(), shopB, {
      branchId: shopB.branchId,
      contact: { name: 'Cliente B' },
    });
    await assign(shopA, leadA, sellerA.id);
    await assign(shopB, leadB, sellerB.id);
    expect(messagesOf(deviceA).filter((m) => m.leadId === leadA.id)).toHaveLength(1);
    expect((await subscriptionRows(shopA.tenantId)).map((row) => row.userId)).toEqual([sellerA.id]);
    expect((await subscriptionRows(shopB.tenantId)).map((row) => row.userId)).toEqual([sellerB.id]);

    expect((await remove(sellerA, deviceA.subscription.endpoint)).statusCode).toBe(204);
    const later = await createLead(app(), shopA, {
      branchId: shopA.branchId,
      contact: { name: 'Cliente A2' },
    });
    await assign(shopA, later, sellerA.id);
    expect(messagesOf(deviceA).filter((m) => m.leadId === later.id)).toEqual([]);
    problem(await remove(sellerA, deviceA.subscription.endpoint), 404);
  });
});

describe("the server's VAPID key", () => {
  it('is made once, kept sealed in the database, and the same on every instance', async () => {
    const first = (await app().inject({ method: 'GET', url: '/api/v1/push/public-key' })).json();
    const second = await startInstance(world.ctx);
    try {
      const other = (await second.app.inject({ method: 'GET', url: '/api/v1/push/public-key' })).json();
      expect(other).toEqual(first);
    } finally {
      await second.close();
    }
    const rows = await world.ctx.owner.db.select().from(pushVapidKey);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.publicKey).toBe(first.publicKey);
    expect(rows[0]?.privateKeySealed).toMatch(/^v1\./);
    expect(Buffer.from(first.publicKey, 'base64url')).toHaveLength(65);
  });
});
