/**
 * The installable app in a real browser: the built web app with its service worker, served by the real API on a
 * fresh PostgreSQL database with the demo shop, driven by Debian's Chromium through playwright-core.
 *
 * Pushes: the API sends a real Web Push (encrypted, VAPID-signed) to a push service on a local port, which decrypts it
 * with the device's key (apps/api/test/push-service.ts). Headless Chromium cannot subscribe to a real push service
 * (its own is Google's, out of reach here), so the decrypted payload is then handed to the page's service worker as a
 * push event through the DevTools protocol (ServiceWorker.deliverPushMessage): the worker shows the notification as
 * it would any push. Nor can a test click a notification of the operating system: the worker's own click handler is
 * run with a synthetic `notificationclick` carrying the notification it showed.
 */
import https from 'node:https';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type PushService, startPushService } from '../../api/test/push-service';
import { hasChromium, launchChromium } from './browser';
import { type DemoServer, DEMO_OWNER as OWNER, DEMO_SELLER as SELLER, startDemoServer } from './demo-server';

describe.skipIf(!hasChromium)('the installable app in a real browser', () => {
  let server: DemoServer;
  let baseUrl: string;
  let browser: Browser;
  let pushes: PushService;

  beforeAll(async () => {
    server = await startDemoServer({ name: 'e2e-pwa', embeddedPortOffset: 3 });
    baseUrl = server.baseUrl;
    pushes = await startPushService();
    // The API sends from this process: it trusts the local push service's certificate as it would a real one's.
    https.globalAgent.options.ca = pushes.cert;

    browser = await launchChromium();
  });

  // A failed test shows what the API logged meanwhile: a 500's error and stack, a database or Redis away.
  afterEach(({ task }) => {
    if (task.result?.state === 'fail') server?.apiLog.printNew(task.name);
  });

  afterAll(async () => {
    await browser?.close();
    await pushes?.close();
    await server?.stop();
  });

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'es-PE',
      timezoneId: 'America/Lima',
      isMobile: true,
      hasTouch: true,
    });
    await context.grantPermissions(['notifications'], { origin: baseUrl });
    return { context, page: await context.newPage() };
  }

  async function logIn(page: Page, who = SELLER) {
    await page.goto(`${baseUrl}/`);
    await page.getByLabel('Correo electrónico').fill(who.email);
    await page.getByLabel('Contraseña').fill(who.password);
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await page.getByRole('heading', { name: 'Bandeja de leads' }).waitFor();
    // The worker installed by this visit controls the page (it claims it once installed).
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 30_000 })
      .toBe(true);
  }

  async function bearer(who: { email: string; password: string }) {
    const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(who),
    });
    const body = (await login.json()) as { token: string; user: { id: string; tenantId: string } };
    return { authorization: `Bearer ${body.token}`, userId: body.user.id, tenantId: body.user.tenantId };
  }

  it('installs: the manifest and its icons, and a service worker at the root', async () => {
    const manifest = await fetch(`${baseUrl}/manifest.webmanifest`);
    expect(manifest.headers.get('content-type')).toContain('application/manifest+json');
    const body = (await manifest.json()) as { name: string; display: string; icons: { src: string }[] };
    expect(body).toMatchObject({ name: 'TechMarket CRM', display: 'standalone', start_url: '/' });
    for (const icon of body.icons) expect((await fetch(`${baseUrl}${icon.src}`)).status).toBe(200);
    const worker = await fetch(`${baseUrl}/sw.js`);
    expect(worker.status).toBe(200);
    expect(worker.headers.get('cache-control')).toBe('no-cache');
  });

  it('serves the shell and the last inbox and lead pages offline, and forgets them on logout', async () => {
    const { context, page } = await newPage();
    await logIn(page);
    // The visit that installed the worker read the session before the worker was there: the next visit is the one
    // whose reads it keeps.
    await page.reload();
    await page.getByRole('heading', { name: 'Bandeja de leads' }).waitFor();
    const firstRow = page.getByTestId('lead-row').first();
    await firstRow.waitFor();
    await firstRow.click();
    await page.waitForURL(/\/leads\/[0-9a-f-]{36}$/);
    const leadUrl = page.url();
    // The URL changes before the lead's page is drawn: read its heading once the inbox's is gone.
    const heading = page.getByRole('heading', { level: 1 }).filter({ hasNotText: 'Bandeja de leads' });
    await heading.waitFor();
    const name = (await heading.textContent()) ?? '';
    expect(name).not.toBe('');
    // The lead's read is in the offline cache once the network answered it.
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const cache = await caches.open('tm-api');
          return (await cache.keys()).map((request) => new URL(request.url).pathname);
        }),
      )
      .toContain(new URL(leadUrl).pathname.replace('/leads/', '/api/v1/leads/'));

    await context.setOffline(true);
    await page.reload();
    await page.getByRole('heading', { level: 1, name }).waitFor();
    await page.goto(`${baseUrl}/`);
    await page.getByRole('heading', { name: 'Bandeja de leads' }).waitFor();
    await page.getByTestId('lead-row').first().waitFor();
    await context.setOffline(false);

    await page.getByRole('button', { name: 'Más' }).click();
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await page.getByLabel('Correo electrónico').waitFor();
    await expect.poll(() => page.evaluate(async () => (await caches.keys()).includes('tm-api'))).toBe(false);
    await context.close();
  });

  it('shows a push the API sent as a notification, whose tap opens the lead', async () => {
    const { context, page } = await newPage();
    await logIn(page);
    const seller = await bearer(SELLER);
    const shop = await bearer(OWNER);

    // The API pushes to a device of Lucía's (the local push service decrypts what arrives).
    const device = pushes.device();
    const subscribed = await fetch(`${baseUrl}/api/v1/me/push-subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: seller.authorization },
      body: JSON.stringify(device.subscription),
    });
    expect(subscribed.status).toBe(201);
    // A new lead, assigned to her by the owner.
    const branches = (await (
      await fetch(`${baseUrl}/api/v1/tenants/${shop.tenantId}/branches`, {
        headers: { authorization: shop.authorization },
      })
    ).json()) as { items?: { id: string }[] } | { id: string }[];
    const branchList = Array.isArray(branches) ? branches : (branches.items ?? []);
    const me = (await (
      await fetch(`${baseUrl}/api/v1/me`, { headers: { authorization: seller.authorization } })
    ).json()) as {
      user: { branchIds: string[] };
    };
    const branchId = me.user.branchIds[0] ?? branchList[0]?.id;
    const created = await fetch(`${baseUrl}/api/v1/tenants/${shop.tenantId}/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: shop.authorization },
      body: JSON.stringify({ branchId, contact: { name: 'Marisol Push', phone: '+51 912 345 678' } }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const lead = (await created.json()) as { id: string; version: number };
    const assigned = await fetch(`${baseUrl}/api/v1/leads/${lead.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: shop.authorization },
      body: JSON.stringify({ assignedToUserId: seller.userId, version: lead.version }),
    });
    expect(assigned.status, await assigned.clone().text()).toBe(200);
    await expect
      .poll(() => pushes.pushesTo(device).find((push) => push.plaintext.includes(lead.id))?.plaintext)
      .toBeDefined();
    const sent = pushes.pushesTo(device).find((push) => push.plaintext.includes(lead.id));
    expect(JSON.parse(sent?.plaintext ?? '{}')).toMatchObject({
      title: 'Nuevo lead: Marisol Push',
      leadId: lead.id,
    });

    // The same payload, delivered to the page's service worker as a push.
    const cdp = await context.newCDPSession(page);
    const registrationId = new Promise<string>((resolve) =>
      cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
        const ours = registrations.find((r) => r.scopeURL === `${baseUrl}/` && !r.isDeleted);
        if (ours) resolve(ours.registrationId);
      }),
    );
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin: baseUrl,
      registrationId: await registrationId,
      data: sent?.plaintext ?? '',
    });
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const registration = await navigator.serviceWorker.ready;
          return (await registration.getNotifications()).map((n) => ({ title: n.title, data: n.data }));
        }),
      )
      .toEqual([{ title: 'Nuevo lead: Marisol Push', data: { url: `/leads/${lead.id}` } }]);

    // The tap, through the worker's own handler: the open window routes to the lead.
    const [worker] = context.serviceWorkers();
    expect(worker).toBeDefined();
    await worker?.evaluate(async () => {
      const scope = self as unknown as {
        registration: ServiceWorkerRegistration;
        dispatchEvent(event: Event): boolean;
      };
      const [notification] = await scope.registration.getNotifications();
      const Click = (
        globalThis as unknown as {
          NotificationEvent: new (type: string, init: { notification: Notification }) => Event;
        }
      ).NotificationEvent;
      if (notification) scope.dispatchEvent(new Click('notificationclick', { notification }));
    });
    await page.waitForURL(`${baseUrl}/leads/${lead.id}`);
    await page.getByRole('heading', { level: 1, name: 'Marisol Push' }).waitFor();
    await context.close();
  });
});
