import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, problem, type TestContext } from '../../../test/harness';
import { openStream } from '../../../test/sse';
import { click, openShop, type Shop } from '../tracking/tracking.fixtures';
import { createLeadsTestContext } from './leads.fixtures';

let ctx: TestContext;
let base: string;
let shop: Shop;
let secondBranchId: string;

beforeAll(async () => {
  // A heartbeat each second, so that the test of it waits one second, not fifteen.
  ctx = await createLeadsTestContext(undefined, { STREAM_HEARTBEAT_SECONDS: '1' });
  base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  shop = await openShop(ctx.app, { sellers: 1 });
  const branch = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/tenants/${shop.tenantId}/branches`,
    headers: shop.auth,
    payload: { name: 'Arequipa', whatsappPhone: '+51 954 111 222', timezone: 'America/Lima' },
  });
  expect(branch.statusCode, branch.body).toBe(201);
  secondBranchId = branch.json().id;
});
afterAll(() => ctx.close());

const streamUrl = (tenantId: string) => `${base}/api/v1/tenants/${tenantId}/stream`;
const clickAt = async (branchId: string) => {
  const response = await click(ctx.app, { tenantId: shop.tenantId, branchId, visitorId: randomUUID() });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().leadId as string;
};

describe('GET /tenants/:tenantId/stream', () => {
  it('pushes a new lead and an assignment to the owner as they happen', async () => {
    const stream = await openStream(streamUrl(shop.tenantId), shop.auth);
    expect(stream.contentType).toMatch(/^text\/event-stream/);
    const leadId = await clickAt(shop.branchId);
    const created = await stream.next((e) => e.event === 'lead.created' && JSON.parse(e.data).id === leadId);
    expect(JSON.parse(created.data)).toMatchObject({ id: leadId, branchId: shop.branchId, status: 'NEW' });

    const seller = shop.sellers[0];
    const reassigned = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/leads/${leadId}`,
      headers: shop.auth,
      payload: { assignedToUserId: null, version: JSON.parse(created.data).version },
    });
    expect(reassigned.statusCode, reassigned.body).toBe(200);
    const assigned = await stream.next((e) => e.event === 'lead.assigned');
    expect(JSON.parse(assigned.data)).toMatchObject({ id: leadId, assignedToUserId: null });
    expect(seller).toBeDefined();
    stream.close();
  });

  it('gives a seller the leads of their own branches only', async () => {
    const seller = await addUser(ctx.app, shop, 'SELLER', [shop.branchId]);
    const stream = await openStream(streamUrl(shop.tenantId), seller.auth);
    const elsewhere = await clickAt(secondBranchId);
    const mine = await clickAt(shop.branchId);
    await stream.next((e) => e.event === 'lead.created' && JSON.parse(e.data).id === mine);
    expect(stream.received.map((e) => JSON.parse(e.data).id)).not.toContain(elsewhere);
    stream.close();
  });

  it('replays what a reconnecting client missed, from its Last-Event-ID', async () => {
    const first = await openStream(streamUrl(shop.tenantId), shop.auth);
    const before = await clickAt(shop.branchId);
    const seen = await first.next((e) => JSON.parse(e.data).id === before);
    first.close();
    const missed = [await clickAt(shop.branchId), await clickAt(secondBranchId)];
    const resumed = await openStream(streamUrl(shop.tenantId), {
      ...shop.auth,
      'last-event-id': seen.id ?? '',
    });
    for (const id of missed)
      await resumed.next((e) => e.event === 'lead.created' && JSON.parse(e.data).id === id);
    expect(resumed.received.map((e) => JSON.parse(e.data).id)).not.toContain(before);
    resumed.close();
  });

  it('keeps a quiet stream open with heartbeats (comments, which the browser skips)', async () => {
    const stream = await openStream(streamUrl(shop.tenantId), shop.auth);
    expect(stream.contentType).toBe('text/event-stream; charset=utf-8');
    await stream.comment((text) => text === 'heartbeat');
    expect(stream.open).toBe(true);
    stream.close();
  });

  it('refuses anonymous callers and another tenant', async () => {
    const other = await openShop(ctx.app, { sellers: 0 });
    problem(await ctx.app.inject({ method: 'GET', url: `/api/v1/tenants/${shop.tenantId}/stream` }), 401);
    problem(
      await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/tenants/${shop.tenantId}/stream`,
        headers: other.auth,
      }),
      404,
    );
  });
});
