import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { createTestContext, type SignedUp, type TestContext } from '../../../test/harness';
import type { App } from '../../app';
import type { Clock } from '../../platform/clock';
import { openShop, type Shop } from '../tracking/tracking.fixtures';
import {
  type CloudApiSimulator,
  type SimulatedNumber,
  startCloudApiSimulator,
} from './simulator/cloud-api-simulator';

export type Simulator = CloudApiSimulator & { url: string; close(): Promise<void> };

const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');

/** An app listening on a real port and the Cloud API simulator beside it, each pointing at the other. */
export async function startWhatsappWorld(env: Record<string, string> = {}, options: { clock?: Clock } = {}) {
  const sim = (await startCloudApiSimulator()) as Simulator;
  const ctx = await createTestContext({
    env: { WHATSAPP_GRAPH_URL: sim.url, WHATSAPP_RETRY_BASE_MS: '1', ...env },
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const webhookUrl = await listen(ctx.app);
  sim.setWebhookUrl(webhookUrl);
  return {
    ctx,
    sim,
    webhookUrl,
    async close() {
      await sim.close();
      await ctx.close();
    },
  };
}

/** Listens on a free local port; answers the app's webhook URL. */
export async function listen(app: App) {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}/api/v1/webhooks/whatsapp`;
}

export interface ConnectedShop extends Shop {
  number: SimulatedNumber;
}

/** A shop whose branch is connected to a number of the simulator, through the API. */
export async function connectedShop(
  ctx: TestContext,
  sim: Simulator,
  options: { sellers?: number } = {},
): Promise<ConnectedShop> {
  const shop = await openShop(ctx.app, { sellers: options.sellers ?? 1 });
  const number: SimulatedNumber = {
    phoneNumberId: `1${digits(14)}`,
    businessAccountId: `2${digits(14)}`,
    accessToken: `EAAG${randomBytes(24).toString('hex')}`,
    appSecret: randomBytes(16).toString('hex'),
    displayPhoneNumber: '+51 987 654 321',
    verifiedName: 'Tienda de prueba',
  };
  sim.addNumber(number);
  await connect(ctx.app, shop, number);
  return { ...shop, number };
}

export async function connect(app: App, shop: SignedUp, number: SimulatedNumber) {
  const response = await app.inject({
    method: 'PUT',
    url: `/api/v1/tenants/${shop.tenantId}/branches/${shop.branchId}/whatsapp-channel`,
    headers: shop.auth,
    payload: {
      phoneNumberId: number.phoneNumberId,
      businessAccountId: number.businessAccountId,
      accessToken: number.accessToken,
      appSecret: number.appSecret,
      verifyToken: `verify-${number.phoneNumberId}`,
    },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

/** A Peruvian customer's WhatsApp id (digits, as Meta writes it). */
export const customerWaId = () => `519${digits(8)}`;

/** The customer writes; the webhook is delivered signed, and the app's jobs run. */
export async function customerWrites(
  app: App,
  sim: Simulator,
  shop: ConnectedShop,
  message: Parameters<CloudApiSimulator['customerMessage']>[1],
) {
  const { wamid, payload } = sim.customerMessage(shop.number.phoneNumberId, message);
  const [status] = await sim.deliver(shop.number.phoneNumberId, payload);
  expect(status).toBe(200);
  await app.drainJobs();
  return wamid;
}

export async function conversationOf(app: App, shop: SignedUp, leadId: string) {
  const response = await app.inject({
    method: 'GET',
    url: `/api/v1/leads/${leadId}/messages`,
    headers: shop.auth,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as {
    items: {
      id: string;
      direction: string;
      status: string;
      type: string;
      text: string | null;
      waMessageId: string | null;
      error: { code: number | null; title: string } | null;
      media: { status: string; byteSize: number | null } | null;
    }[];
    nextCursor: string | null;
    window: { open: boolean; endsAt: string | null };
  };
}
