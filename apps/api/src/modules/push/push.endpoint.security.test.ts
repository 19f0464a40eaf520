import https from 'node:https';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type SignedUp, signUp, type TestContext } from '../../../test/harness';
import { type PushService, startPushService } from '../../../test/push-service';
import { pushSubscription } from '../../db/schema';
import { isPublicAddress, publicOnlyLookup } from '../../platform/public-address';

/**
 * A push endpoint is an address the server calls on a client's word: only an https URL of a public host, refused
 * at subscribe (422 naming `body.endpoint`) when it is a private, loopback, link-local or metadata address or a
 * private name, and refused again at each send after DNS resolution (a public-looking name resolving to this
 * machine). The local push service of the other tests is reached only with PUSH_ALLOW_PRIVATE_ENDPOINTS, which
 * this file leaves off.
 */

let ctx: TestContext;
let shop: SignedUp;
let pushes: PushService;

beforeAll(async () => {
  ctx = await createTestContext();
  shop = await signUp(ctx.app);
  pushes = await startPushService();
  https.globalAgent.options.ca = pushes.cert;
});
afterAll(async () => {
  await pushes?.close();
  await ctx?.close();
});

const keys = () => pushes.device().subscription.keys;
const subscribe = (endpoint: string) =>
  ctx.app.inject({
    method: 'POST',
    url: '/api/v1/me/push-subscriptions',
    headers: shop.auth,
    payload: { endpoint, keys: keys(), expirationTime: null },
  });

describe('push endpoints', () => {
  it.each([
    'https://127.0.0.1/push/a',
    'https://127.8.9.10:8443/push/a',
    'https://10.1.2.3/push/a',
    'https://172.20.0.5/push/a',
    'https://192.168.1.1/push/a',
    'https://169.254.169.254/latest/meta-data/',
    'https://100.64.0.1/push/a',
    'https://0.0.0.0/push/a',
    'https://[::1]/push/a',
    'https://[fd00:ec2::254]/push/a',
    'https://[fe80::1]/push/a',
    'https://[::ffff:127.0.0.1]/push/a',
    'https://[::ffff:a9fe:a9fe]/push/a',
    'https://localhost/push/a',
    'https://push.localhost/push/a',
    'https://metadata.google.internal/computeMetadata/v1/',
    'https://printer.local/push/a',
    'https://intranet/push/a',
  ])('refuses %s with a 422 naming body.endpoint', async (endpoint) => {
    const response = await subscribe(endpoint);
    expect(response.statusCode, response.body).toBe(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().errors).toEqual([
      expect.objectContaining({ path: 'body.endpoint', code: 'NOT_PUBLIC_ADDRESS' }),
    ]);
  });

  it('refuses a plain http endpoint (400 naming body.endpoint) and takes a public push service', async () => {
    const plain = await subscribe('http://fcm.googleapis.com/fcm/send/abc');
    expect(plain.statusCode).toBe(400);
    expect(plain.json().errors[0].path).toBe('body.endpoint');
    const accepted = await subscribe('https://fcm.googleapis.com/fcm/send/abc');
    expect(accepted.statusCode, accepted.body).toBe(201);
    const mozilla = await subscribe('https://updates.push.services.mozilla.com/wpush/v2/abc');
    expect(mozilla.statusCode, mozilla.body).toBe(201);
  });

  it('refuses, at send time, a stored endpoint whose name resolves to this machine: nothing is sent, the device goes', async () => {
    // A device stored as if its name had resolved to a public address then (or before this rule): it points at the
    // local push service, which would take and decrypt the push if the server called it.
    const device = pushes.device();
    const endpoint = device.subscription.endpoint.replace('127.0.0.1', 'localhost');
    const [row] = await ctx.owner.db
      .insert(pushSubscription)
      .values({
        tenantId: shop.tenantId,
        userId: shop.ownerId,
        endpoint,
        p256dh: device.subscription.keys.p256dh,
        auth: device.subscription.keys.auth,
      })
      .returning({ id: pushSubscription.id });
    if (!row) throw new Error('no subscription stored');
    const deliver = ctx.app.jobDefinitions.find((job) => job.name === 'push.deliver');
    if (!deliver) throw new Error('push.deliver is defined');
    await deliver.handle({
      tenantId: shop.tenantId,
      subscriptionId: row.id,
      urgency: 'normal',
      message: {
        alert: 'leadAssigned',
        title: 'Nuevo lead',
        body: 'Rosa',
        leadId: row.id,
        url: '/leads/x',
        tag: 'x',
      },
    });
    expect(pushes.pushesTo(device)).toHaveLength(0);
    const left = await ctx.owner.db
      .select({ id: pushSubscription.id })
      .from(pushSubscription)
      .where(eq(pushSubscription.id, row.id));
    expect(left).toHaveLength(0);
  });

  it('resolves names before judging them: loopback and private answers are refused, public ones pass', async () => {
    const resolve = (hostname: string) =>
      new Promise<string>((done, fail) =>
        publicOnlyLookup(hostname, {}, (error, address) => (error ? fail(error) : done(String(address)))),
      );
    await expect(resolve('localhost')).rejects.toThrow(/not a public address/);
    expect(isPublicAddress('8.8.8.8')).toBe(true);
    expect(isPublicAddress('2001:4860:4860::8888')).toBe(true);
    expect(isPublicAddress('::ffff:8.8.8.8')).toBe(true);
    for (const address of [
      '127.0.0.1',
      '169.254.169.254',
      '10.0.0.1',
      '::1',
      'fd00:ec2::254',
      '::ffff:10.0.0.1',
    ])
      expect(isPublicAddress(address), address).toBe(false);
  });
});
