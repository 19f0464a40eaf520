import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../../test/harness';
import { openStream, type SseEvent } from '../../../test/sse';
import { addBranch } from '../leads/leads.fixtures';
import { connectedShop, customerWaId, customerWrites, startWhatsappWorld } from './whatsapp.fixtures';

/**
 * A conversation is live: each message that arrives or goes out is announced on the tenant's stream as
 * `message.created`, and each step after (QUEUED → SENT → DELIVERED → READ, FAILED, media stored) as
 * `message.updated`, both carrying `{leadId, message}`, scoped like lead events (a seller: their branches).
 * Read over a real listening server.
 */

let world: Awaited<ReturnType<typeof startWhatsappWorld>>;
let base: string;
beforeAll(async () => {
  world = await startWhatsappWorld();
  base = new URL(world.webhookUrl).origin;
});
afterAll(async () => world?.close());

type Announced = {
  leadId: string;
  message: { id: string; direction: string; status: string; text: string | null; media: unknown };
};
const read = (event: SseEvent) => JSON.parse(event.data) as Announced;
const about =
  (type: string, match: (data: Announced) => boolean) =>
  (event: SseEvent): boolean =>
    event.event === type && match(read(event));

describe('the live stream of a conversation', () => {
  it('announces an inbound message, then a reply from QUEUED through SENT, DELIVERED and READ', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const stream = await openStream(`${base}/api/v1/tenants/${shop.tenantId}/stream`, shop.auth);
    try {
      const wamid = await customerWrites(ctx.app, sim, shop, {
        from: customerWaId(),
        text: '¿Tienen stock?',
      });
      const inbound = read(
        await stream.next(about('message.created', (d) => d.message.text === '¿Tienen stock?')),
      );
      expect(inbound.message).toMatchObject({ direction: 'IN', status: 'RECEIVED', waMessageId: wamid });
      const { leadId } = inbound;
      expect(inbound.message).toMatchObject({ leadId });

      const reply = await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/leads/${leadId}/messages`,
        headers: shop.auth,
        payload: { text: 'Sí, nos quedan 4.' },
      });
      expect(reply.statusCode, reply.body).toBe(202);
      const messageId = reply.json().id as string;
      const mine = (d: Announced) => d.message.id === messageId && d.leadId === leadId;
      expect(read(await stream.next(about('message.created', mine))).message.status).toBe('QUEUED');

      // The send job, then Meta's status webhooks (the simulator sends sent, delivered, read) and their job.
      await ctx.app.drainJobs();
      await sim.settled();
      await ctx.app.drainJobs();
      for (const status of ['SENT', 'DELIVERED', 'READ']) {
        await stream.next(about('message.updated', (d) => mine(d) && d.message.status === status));
      }
      // A repeated or late status moves nothing, and is not announced again.
      const updates = () =>
        stream.received.filter(about('message.updated', mine)).map((e) => read(e).message.status);
      expect(updates()).toEqual(['SENT', 'DELIVERED', 'READ']);
    } finally {
      stream.close();
    }
  });

  it('announces a failed send with the reason, and a photo once it is stored', async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const stream = await openStream(`${base}/api/v1/tenants/${shop.tenantId}/stream`, shop.auth);
    try {
      const photoId = sim.addMedia(Buffer.alloc(300, 7), 'image/jpeg');
      await customerWrites(ctx.app, sim, shop, {
        from: customerWaId(),
        type: 'image',
        content: { image: { id: photoId, mime_type: 'image/jpeg', caption: 'la pantalla' } },
      });
      const photo = read(
        await stream.next(about('message.created', (d) => d.message.text === 'la pantalla')),
      );
      expect(photo.message.media).toMatchObject({ status: 'PENDING' });
      await ctx.app.drainJobs();
      const stored = await stream.next(
        about(
          'message.updated',
          (d) => d.message.id === photo.message.id && JSON.stringify(d.message.media).includes('STORED'),
        ),
      );
      expect(read(stored).message.media).toEqual({ status: 'STORED', mimeType: 'image/jpeg', byteSize: 300 });

      sim.failNextSends(1, 400);
      const reply = await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/leads/${photo.leadId}/messages`,
        headers: shop.auth,
        payload: { text: 'La cambiamos hoy.' },
      });
      expect(reply.statusCode).toBe(202);
      await ctx.app.drainJobs();
      const failed = await stream.next(
        about('message.updated', (d) => d.message.id === reply.json().id && d.message.status === 'FAILED'),
      );
      expect(read(failed).message).toMatchObject({ error: { code: 131000, title: 'Something went wrong' } });
    } finally {
      stream.close();
    }
  });

  it("reaches the branch's seller, not a seller of another branch", async () => {
    const { ctx, sim } = world;
    const shop = await connectedShop(ctx, sim);
    const mall = await addBranch(ctx.app, shop, 'Jockey Plaza');
    const elsewhere = await addUser(ctx.app, shop, 'SELLER', [mall]);
    const seller = shop.sellers[0];
    if (!seller) throw new Error('the shop has a seller');
    const url = `${base}/api/v1/tenants/${shop.tenantId}/stream`;
    const own = await openStream(url, seller.auth);
    const other = await openStream(url, elsewhere.auth);
    try {
      await customerWrites(ctx.app, sim, shop, { from: customerWaId(), text: 'Hola desde Miraflores' });
      await own.next(about('message.created', (d) => d.message.text === 'Hola desde Miraflores'));
      // A later event the other seller does see (a lead of their branch), so the stream has caught up past the
      // message before the assertion.
      const walkIn = await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/tenants/${shop.tenantId}/leads`,
        headers: shop.auth,
        payload: { branchId: mall, contact: { name: 'Luis' }, source: 'MANUAL' },
      });
      expect(walkIn.statusCode, walkIn.body).toBe(201);
      await other.next((e) => e.event === 'lead.created' && JSON.parse(e.data).id === walkIn.json().id);
      expect(other.received.filter((e) => e.event.startsWith('message.'))).toEqual([]);
    } finally {
      own.close();
      other.close();
    }
  });
});
