/**
 * End to end: the built web app, served by the real API (buildApp) on a fresh PostgreSQL database
 * with the demo shop, driven by Debian's Chromium through playwright-core. Screenshots of every
 * screen at phone and desktop sizes land in e2e/screenshots/ (gitignored).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../api/src/app';
import { loadConfig } from '../../api/src/config';
import { seedDemo } from '../../api/src/db/seed/demo';
import { connectDemoWhatsapp, demoPhoneNumberId } from '../../api/src/db/seed/demo-whatsapp';
import { createSecretBox, whatsappSecretsKey } from '../../api/src/modules/whatsapp/secret-box';
import { ensureAppLogin } from '../../api/src/platform/app-login';
import { createDatabase, createOwnerDb, type Database, runMigrations } from '../../api/src/platform/db';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../../api/src/platform/embedded-postgres';
import { createApiLog, E2E_API_LOG_LEVEL } from './api-log';
import { hasChromium, launchChromium } from './browser';

const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shots = path.join(webRoot, 'e2e', 'screenshots');
const OWNER = { email: 'owner@techperu.pe', password: 'techmarket2026' };
const SELLER = { email: 'lucia.ramos@techperu.pe', password: 'techmarket2026' };
const viewports = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1440, height: 900 },
} as const;

describe.skipIf(!hasChromium)('the CRM board in a real browser', () => {
  let embedded: EmbeddedDatabase | null = null;
  let adminUrl: string;
  let dbName: string;
  let dist: string;
  let app: App;
  let database: Database;
  let owner: ReturnType<typeof createOwnerDb>;
  let baseUrl: string;
  let browser: Browser;
  const problems: string[] = [];
  const apiLog = createApiLog('crm');

  beforeAll(async () => {
    dist = mkdtempSync(path.join(tmpdir(), 'tm-web-e2e-'));
    await build({
      root: webRoot,
      configFile: path.join(webRoot, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: dist, emptyOutDir: true },
    });

    if (process.env.DATABASE_URL) {
      adminUrl = process.env.DATABASE_URL;
    } else {
      embedded = await startEmbeddedPostgres({
        dataDir: path.join(webRoot, '../../.data/pg-e2e'),
        port: Number(process.env.EMBEDDED_PG_PORT ?? 54329) + 2,
      });
      adminUrl = embedded.adminUrl;
    }
    dbName = `crm_e2e_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database "${dbName}"`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${dbName}`;
    const databaseUrl = url.toString();
    await runMigrations(databaseUrl);
    owner = createOwnerDb(databaseUrl, 2);
    await seedDemo(owner.db);

    // The demo's WhatsApp simulator runs in the app and posts its webhooks to the app's own port: pick it first.
    const port = await new Promise<number>((resolve, reject) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const taken = probe.address();
        probe.close(() =>
          taken && typeof taken === 'object' ? resolve(taken.port) : reject(new Error('no port')),
        );
      });
    });
    const config = loadConfig(
      {},
      {
        NODE_ENV: 'test',
        DATABASE_URL: databaseUrl,
        LOG_LEVEL: E2E_API_LOG_LEVEL,
        SEED_DEMO: 'false',
        COOKIE_SECURE: 'false',
        WEB_DIST_DIR: dist,
        PORT: String(port),
        WHATSAPP_SIMULATOR: 'true',
        ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
      },
    );
    database = createDatabase({ appUrl: await ensureAppLogin(databaseUrl), poolSize: 5 });
    app = await buildApp({ config, database, logStream: apiLog.stream });
    await app.listen({ port, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${port}`;
    // What `npm start` does for the demo: its branches on the simulator.
    if (!app.whatsappSimulator) throw new Error('the WhatsApp simulator is not mounted');
    await connectDemoWhatsapp(owner.db, {
      box: createSecretBox(whatsappSecretsKey(config)),
      simulator: app.whatsappSimulator,
    });

    browser = await launchChromium([
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
    ]);
    mkdirSync(shots, { recursive: true });
  });

  // A failed test shows what the API logged meanwhile: a 500's error and stack, a database or Redis away.
  afterEach(({ task }) => {
    if (task.result?.state === 'fail') apiLog.printNew(task.name);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await database?.close();
    await owner?.pool.end();
    if (adminUrl && dbName) {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`drop database if exists "${dbName}" with (force)`);
      await admin.end();
    }
    await embedded?.stop();
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  /** A fresh browser profile at a viewport (a touch screen when asked), in Spanish, collecting page errors. */
  async function newPage(
    viewport: keyof typeof viewports,
    { touch = false }: { touch?: boolean } = {},
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      viewport: viewports[viewport],
      ...(touch ? { hasTouch: true, isMobile: true } : {}),
      locale: 'es-PE',
      timezoneId: 'America/Lima',
      colorScheme: 'light',
    });
    const page = await context.newPage();
    // The one error answer a visit may see is the wrong password the first test types on purpose.
    const expected = (url: string, status: number) =>
      status === 401 && url === `${baseUrl}/api/v1/auth/login`;
    page.on('response', (response) => {
      if (response.status() >= 400 && !expected(response.url(), response.status())) {
        problems.push(`${viewport} ${response.status()} ${response.request().method()} ${response.url()}`);
      }
    });
    page.on('pageerror', (error) => problems.push(`${viewport} page error: ${error.message}`));
    // PDF.js parses in a worker: what goes wrong there is logged there.
    page.on('worker', (worker) =>
      worker.on('console', (message) => {
        if (message.type() === 'error') problems.push(`${viewport} worker console: ${message.text()}`);
      }),
    );
    page.on('console', (message) => {
      // Chrome logs every error answer as "Failed to load resource"; CSP violations are console errors too.
      const deliberate =
        message.text().startsWith('Failed to load resource') && expected(message.location().url, 401);
      if (message.type() === 'error' && !deliberate) {
        problems.push(`${viewport} console: ${message.text()} (${message.location().url})`);
      }
    });
    return { context, page };
  }

  /** The app's menu (the side bar; on a phone, the drawer "Más" opens), apart from the phone's bottom navigation. */
  const menu = (page: Page) => page.getByRole('navigation', { name: 'Menú' });

  const shot = (page: Page, viewport: keyof typeof viewports, name: string, fullPage = false) =>
    page.screenshot({ path: path.join(shots, `${viewport}-${name}.png`), fullPage });

  async function logIn(page: Page, who: { email: string; password: string } = OWNER) {
    await page.goto(`${baseUrl}/`);
    await page.getByLabel('Correo electrónico').fill(who.email);
    await page.getByLabel('Contraseña').fill(who.password);
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await page.getByRole('heading', { name: 'Bandeja de leads' }).waitFor();
  }

  /** The shop's API key, as the marketplace's server holds it: only its clicks may name the customer. */
  async function marketplaceKey(tenantId: string) {
    const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(OWNER),
    });
    const { token } = (await login.json()) as { token: string };
    const key = await fetch(`${baseUrl}/api/v1/tenants/${tenantId}/api-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: 'marketplace' }),
    });
    expect(key.status).toBe(201);
    return `Bearer ${((await key.json()) as { key: string }).key}`;
  }

  it('shows a first, logged-out visit the login without an error in the console or the network', async () => {
    const { context, page } = await newPage('phone');
    const seen: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') seen.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400) seen.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(`${baseUrl}/`);
    await page.getByRole('button', { name: 'Ingresar' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(seen).toEqual([]);
    // The answers carry the security headers: a strict policy, and no framing by other sites.
    const index = await page.request.get(`${baseUrl}/`);
    expect(index.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(index.headers()['x-content-type-options']).toBe('nosniff');
    // The API docs (Swagger UI) live under the same policy.
    await page.goto(`${baseUrl}/api/docs`);
    await page.getByText('TechMarket CRM API').first().waitFor();
    await page.waitForLoadState('networkidle');
    expect(seen).toEqual([]);
    await context.close();
  });

  it('logs in, shows a tracked click live, works a lead, drags a card and switches language', async () => {
    const { context, page } = await newPage('desktop');
    await page.goto(`${baseUrl}/`);
    await page.getByRole('button', { name: 'Ingresar' }).waitFor();
    await shot(page, 'desktop', 'login');

    // A wrong password is explained in Spanish.
    await page.getByLabel('Correo electrónico').fill(OWNER.email);
    await page.getByLabel('Contraseña').fill('not-the-password');
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('El correo o la contraseña no son correctos');

    await logIn(page);
    await page.getByTestId('lead-row').first().waitFor();
    await shot(page, 'desktop', 'inbox');

    // The session survives a reload.
    await page.reload();
    await page.getByRole('heading', { name: 'Bandeja de leads' }).waitFor();

    // A WhatsApp click made through the API appears without reload, with a notification.
    await page.goto(`${baseUrl}/?sort=-createdAt&status=NEW`);
    await page.getByTestId('lead-row').first().waitFor();
    const me = await (await page.request.get(`${baseUrl}/api/v1/me`)).json();
    const branches = await (
      await page.request.get(`${baseUrl}/api/v1/tenants/${me.tenant.id}/branches`)
    ).json();
    await page.locator('html[data-live="open"]').waitFor();
    // The marketplace's server: its API key, no session cookie (a cookie would make it a CSRF-checked browser write).
    const click = await fetch(`${baseUrl}/api/v1/tracking/whatsapp-click`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: await marketplaceKey(me.tenant.id) },
      body: JSON.stringify({
        tenantId: me.tenant.id,
        branchId: branches.items[0].id,
        source: 'LISTING',
        name: 'Cliente En Vivo',
        phone: '+51 955 111 222',
        message: '¿Tienen stock de la laptop?',
      }),
    });
    expect(click.status).toBe(201);
    const { leadId } = (await click.json()) as { leadId: string };
    await page.getByText('Nuevo lead: Cliente En Vivo').waitFor({ timeout: 15_000 });
    const liveRow = page.getByRole('link', { name: /^Cliente En Vivo/ });
    await liveRow.waitFor({ timeout: 15_000 });

    // The assistant reads the new lead off the request; once it has, the lead view shows its suggestion.
    await expect
      .poll(
        async () => (await (await page.request.get(`${baseUrl}/api/v1/leads/${leadId}`)).json()).assistance,
        {
          timeout: 30_000,
        },
      )
      .toBeTruthy();

    // Open the lead, see the suggested reply, move it to CONTACTED, add a note.
    await liveRow.click();
    await page.getByRole('heading', { name: 'Cliente En Vivo' }).waitFor();
    await expect.poll(() => page.getByTestId('suggested-reply').textContent()).toMatch(/.{20,}/);
    // The demo's branches have a WhatsApp channel: the answer goes from the lead page, not a wa.me link. The
    // customer has not written yet, so the 24-hour window is closed and only an approved template may go.
    await page.getByRole('form', { name: 'Responder por WhatsApp' }).waitFor();
    await page.getByTestId('window-closed-hint').waitFor();
    expect(await page.getByRole('link', { name: 'Escribir por WhatsApp' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Mover a Contactado' }).click();
    await page.getByText('Lead movido a Contactado').waitFor();
    await page.getByLabel('Notas internas').fill('Le escribí por WhatsApp; pasa mañana a la tienda.');
    await page.getByRole('button', { name: 'Agregar nota' }).click();
    const timeline = page.getByTestId('lead-timeline');
    await timeline.getByText('Le escribí por WhatsApp; pasa mañana a la tienda.').waitFor();
    await timeline.getByText('Etapa: Nuevo → Contactado').waitFor();
    await shot(page, 'desktop', 'lead');
    const moved = await (await page.request.get(`${baseUrl}/api/v1/leads/${leadId}`)).json();
    expect(moved.status).toBe('CONTACTED');

    // Convert it to a service ticket from the lead view: the ticket's page opens.
    await page.getByRole('button', { name: 'Convertir a ticket' }).click();
    await page.getByLabel('Asunto').fill('Revisión de laptop');
    await page.getByRole('button', { name: 'Crear ticket' }).click();
    await page.getByRole('heading', { name: 'Revisión de laptop' }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/tickets\/[0-9a-f-]{36}$/);

    // Drag a card from NEW to CONTACTED on the board.
    await menu(page).getByRole('link', { name: 'Tablero' }).click();
    const newColumn = page.getByTestId('board-column-NEW');
    const contactedColumn = page.getByTestId('board-column-CONTACTED');
    const card = newColumn.getByTestId('board-card').first();
    await card.waitFor();
    await shot(page, 'desktop', 'board');
    const cardId = await card.getAttribute('data-lead-id');
    const from = await card.boundingBox();
    const to = await contactedColumn.boundingBox();
    if (!from || !to || !cardId) throw new Error('board not laid out');
    // Grab the card by its lower edge (the name on top is a link to the lead).
    await page.mouse.move(from.x + from.width / 2, from.y + from.height - 8);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2 + 10, from.y + from.height / 2 + 10, { steps: 5 });
    await page.mouse.move(to.x + to.width / 2, to.y + 120, { steps: 15 });
    await page.mouse.up();
    await page.getByText('Lead movido a Contactado').first().waitFor();
    await expect
      .poll(async () => (await (await page.request.get(`${baseUrl}/api/v1/leads/${cardId}`)).json()).status)
      .toBe('CONTACTED');
    await contactedColumn.locator(`[data-lead-id="${cardId}"]`).waitFor();

    // Settings.
    await menu(page).getByRole('link', { name: 'Ajustes' }).click();
    await page.getByRole('heading', { name: 'Ajustes' }).waitFor();
    await shot(page, 'desktop', 'settings');
    // A tracked link for the counter, with its QR code.
    await page.getByRole('tab', { name: 'Enlaces y QR' }).click();
    await page.getByRole('button', { name: 'Nuevo enlace' }).click();
    // The branch is chosen, never guessed: the link opens that branch's WhatsApp.
    await page
      .getByRole('dialog')
      .getByRole('combobox', { name: /Sucursal/ })
      .click();
    await page.getByRole('listbox').getByRole('option').first().click();
    await page.getByLabel('Etiqueta (p. ej. mostrador, Instagram)').fill('Mostrador');
    await page.getByRole('button', { name: 'Guardar' }).click();
    await page.getByRole('img', { name: 'Código QR de Mostrador' }).waitFor();
    expect(await page.getByRole('link', { name: 'Descargar SVG' }).getAttribute('download')).toBe(
      'qr-mostrador.svg',
    );
    await shot(page, 'desktop', 'settings-links');

    // Switch to English; it is remembered after a reload.
    await menu(page).getByRole('link', { name: 'Bandeja' }).click();
    await page.getByLabel('Idioma').selectOption('en');
    await page.getByRole('heading', { name: 'Lead inbox' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Lead inbox' }).waitFor();
    await shot(page, 'desktop', 'inbox-en');

    // Dark theme.
    await page.getByRole('button', { name: 'Switch between light and dark theme' }).click();
    await shot(page, 'desktop', 'inbox-dark');

    // Log out: back to the login, and the session is gone.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect((await page.request.get(`${baseUrl}/api/v1/me`)).status()).toBe(401);
    await context.close();
  });

  it("a customer writes on the simulator's phone page; the seller sees the lead live with its message, and opens it", async () => {
    const seller = await newPage('phone');
    await logIn(seller.page, SELLER);
    // The new lead may go to either seller of the branch: the team's inbox shows it whoever gets it.
    await seller.page.goto(`${baseUrl}/?sort=-createdAt&scope=team`);
    await seller.page.getByTestId('lead-row').first().waitFor();
    await seller.page.locator('html[data-live="open"]').waitFor();

    // A newcomer finds the customer phone from the login page of the demo.
    const customer = await newPage('phone');
    await customer.page.goto(`${baseUrl}/`);
    const tryIt = customer.page.getByRole('link', { name: 'Probar como cliente' });
    expect(await tryIt.getAttribute('href')).toBe('/simulator/whatsapp/phone');
    await customer.page.goto(`${baseUrl}/simulator/whatsapp/phone`);
    await customer.page.getByLabel('Número de la tienda').selectOption(demoPhoneNumberId('+51946218735'));
    await customer.page.getByLabel('Tu nombre').fill('Rosa Simulada');
    await customer.page.getByLabel('Tu WhatsApp').fill('+51 955 333 444');
    await customer.page.getByLabel('Mensaje').fill('Hola, ¿tienen la laptop Lenovo en stock?');
    await customer.page.getByRole('button', { name: 'Enviar' }).click();
    // The CRM acknowledged the webhook: one tick on the customer's bubble.
    await customer.page.locator('.bubble.customer[data-status="sent"]').first().waitFor();
    await shot(customer.page, 'phone', 'customer-phone');

    // The seller's inbox shows the new lead live, its last message and the unread badge.
    const row = seller.page.getByTestId('lead-row').filter({ hasText: 'Rosa Simulada' });
    await row.waitFor({ timeout: 15_000 });
    await expect
      .poll(() => row.getByTestId('last-message').textContent())
      .toContain('¿tienen la laptop Lenovo');
    await expect.poll(() => row.getByTestId('unread-badge').textContent()).toBe('1');
    await shot(seller.page, 'phone', 'inbox-whatsapp');
    await row.click();
    await seller.page.getByRole('heading', { name: 'Rosa Simulada' }).waitFor();
    await shot(seller.page, 'phone', 'lead-whatsapp');

    // The conversation is on the lead page; opening it marks it read. The seller answers from the composer.
    const chat = seller.page.getByRole('log', { name: 'Conversación de WhatsApp' });
    await chat.getByText('Hola, ¿tienen la laptop Lenovo en stock?').waitFor();
    const composer = seller.page.getByRole('form', { name: 'Responder por WhatsApp' });
    await composer.getByLabel('Mensaje').fill('¡Hola Rosa! Sí, nos quedan 3. ¿Te la separo?');
    await composer.getByRole('button', { name: 'Enviar' }).click();
    // The customer's phone shows the reply; showing it is reading it, and the ticks turn on the seller's page.
    await customer.page
      .locator('.bubble.shop')
      .filter({ hasText: 'nos quedan 3' })
      .waitFor({ timeout: 15_000 });
    await seller.page.locator('[data-testid="bubble-out"] [data-status="READ"]').waitFor({ timeout: 15_000 });
    await shot(seller.page, 'phone', 'lead-whatsapp-replied');
    // Back in the inbox the lead shows the reply as its last message and nothing unread.
    await seller.page.goBack();
    await expect.poll(() => row.getByTestId('last-message').textContent()).toContain('nos quedan 3');
    await expect.poll(() => row.getByTestId('unread-badge').count()).toBe(0);

    await customer.context.close();
    await seller.context.close();
  });

  it("a seller's inbox opens on their own open leads, longest-waiting first; Equipo shows the others'", async () => {
    // As the owner, over the API: a customer waiting 99 days for Lucía and one waiting 100 days for Diego
    // (the demo's history is 90 days, so these two wait longest of all).
    const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(OWNER),
    });
    const { token, user } = (await login.json()) as { token: string; user: { tenantId: string } };
    const api = async (method: string, url: string, body?: unknown) => {
      const response = await fetch(`${baseUrl}/api/v1${url}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      expect(response.status, `${method} ${url}`).toBeLessThan(300);
      return response.json();
    };
    const tenantId = user.tenantId;
    const users = (await api('GET', `/tenants/${tenantId}/users`)).items as { id: string; email: string }[];
    const idOf = (email: string) => users.find((u) => u.email === email)?.id ?? '';
    const lucia = idOf(SELLER.email);
    const diego = idOf('diego.paredes@techperu.pe');
    const branches = (await api('GET', `/tenants/${tenantId}/branches`)).items as {
      id: string;
      name: string;
    }[];
    const miraflores = branches.find((b) => b.name.includes('Miraflores'))?.id;
    expect(lucia && diego && miraflores).toBeTruthy();
    const waitingFor = async (name: string, phone: string, sellerId: string, daysAgo: number) => {
      const created = await api('POST', `/tenants/${tenantId}/leads`, {
        branchId: miraflores,
        contact: { name, phone },
      });
      const assigned = await api('PATCH', `/leads/${created.id}`, {
        assignedToUserId: sellerId,
        version: created.version,
      });
      await owner.pool.query(`update lead set created_at = now() - make_interval(days => $2) where id = $1`, [
        assigned.id,
        daysAgo,
      ]);
      return assigned.id as string;
    };
    const luciasOldest = await waitingFor('Espera Larga Lucía', '+51 955 700 001', lucia, 99);
    const diegosOldest = await waitingFor('Espera Larga Diego', '+51 955 700 002', diego, 100);

    const { context, page } = await newPage('phone');
    await logIn(page, SELLER);
    // Mine, open stages, longest-waiting first: the defaults, so the URL says nothing.
    const rows = page.getByTestId('lead-row');
    await expect.poll(() => rows.first().getAttribute('href')).toBe(`/leads/${luciasOldest}`);
    expect(new URL(page.url()).search).toBe('');
    await expect.poll(() => rows.first().getByTestId('lead-wait').textContent()).toBe('esperando 99 días');
    expect(await page.locator(`a[href="/leads/${diegosOldest}"]`).count()).toBe(0);
    const shown = await rows.allTextContents();
    expect(shown.length).toBeGreaterThan(1);
    for (const text of shown) {
      expect(text).toContain('Lucía Ramos');
      expect(text).toMatch(/Nuevo|Contactado|Calificado|Cotizado/);
    }
    // The order is the API's waiting order of her open leads, read independently of the page.
    const mine = (await api(
      'GET',
      `/tenants/${tenantId}/leads?status=OPEN&assignedTo=${lucia}&sort=-createdAt&limit=200`,
    )) as { items: { id: string; createdAt: string; firstResponseAt: string | null }[] };
    const waitingOrder = mine.items
      .sort(
        (a, b) =>
          Number(a.firstResponseAt !== null) - Number(b.firstResponseAt !== null) ||
          a.createdAt.localeCompare(b.createdAt) ||
          a.id.localeCompare(b.id),
      )
      .map((l) => `/leads/${l.id}`);
    const hrefs = await rows.evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(hrefs).toEqual(waitingOrder.slice(0, hrefs.length));
    await shot(page, 'phone', 'inbox-mine');

    // Equipo: the branch's open leads, everyone's; Diego's customer has waited longest.
    await page.getByTestId('inbox-scope').getByText('Equipo').click();
    await expect.poll(() => rows.first().getAttribute('href')).toBe(`/leads/${diegosOldest}`);
    expect(new URL(page.url()).searchParams.get('scope')).toBe('team');
    await expect.poll(() => rows.first().textContent()).toContain('Diego Paredes');
    await expect.poll(() => rows.nth(1).getAttribute('href')).toBe(`/leads/${luciasOldest}`);
    await shot(page, 'phone', 'inbox-team');
    // Back to Míos.
    await page.getByTestId('inbox-scope').getByText('Míos').click();
    await expect.poll(() => rows.first().getAttribute('href')).toBe(`/leads/${luciasOldest}`);
    expect(new URL(page.url()).search).toBe('');

    // A new lead arrives while she looks: one tap on the toast opens it.
    await page.locator('html[data-live="open"]').waitFor();
    const fresh = await api('POST', `/tenants/${tenantId}/leads`, {
      branchId: miraflores,
      contact: { name: 'Cliente Del Aviso', phone: '+51 955 700 003' },
    });
    const toast = page.locator('.mantine-Notification-root', { hasText: 'Nuevo lead: Cliente Del Aviso' });
    await toast.waitFor({ timeout: 15_000 });
    await toast.getByRole('button', { name: 'Abrir lead' }).click();
    await page.getByRole('heading', { name: 'Cliente Del Aviso' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/leads/${fresh.id}`);
    await context.close();
  });

  it('runs the follow-up engine and shows its task on the lead, and adds a task by hand', async () => {
    const { context, page } = await newPage('desktop');
    await logIn(page);
    const me = await (await page.request.get(`${baseUrl}/api/v1/me`)).json();
    const branches = await (
      await page.request.get(`${baseUrl}/api/v1/tenants/${me.tenant.id}/branches`)
    ).json();
    const click = await fetch(`${baseUrl}/api/v1/tracking/whatsapp-click`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: await marketplaceKey(me.tenant.id) },
      body: JSON.stringify({
        tenantId: me.tenant.id,
        branchId: branches.items[0].id,
        source: 'LISTING',
        name: 'Cliente Olvidado',
        phone: '+51 955 333 444',
        message: 'Hola, ¿precio del monitor?',
      }),
    });
    expect(click.status).toBe(201);
    const { leadId } = (await click.json()) as { leadId: string };
    // Nobody answered it for a week: well past the alert's hour of business time.
    await owner.pool.query(
      `update lead set created_at = now() - interval '7 days', status_changed_at = now() - interval '7 days',
              last_activity_at = now() - interval '7 days'
        where id = $1`,
      [leadId],
    );
    const tasksOf = async () =>
      (
        await (
          await page.request.get(
            `${baseUrl}/api/v1/tenants/${me.tenant.id}/tasks?leadId=${leadId}&status=OPEN`,
          )
        ).json()
      ).items as { kind: string; title: string }[];
    expect(await tasksOf()).toEqual([]);

    await menu(page).getByRole('link', { name: 'Tareas' }).click();
    await page.getByRole('heading', { name: 'Tareas' }).waitFor();
    await page.getByRole('button', { name: 'Revisar seguimientos ahora' }).click();
    await page.getByText(/^Seguimientos revisados: [1-9]\d* tareas nuevas/).waitFor();
    await shot(page, 'desktop', 'tasks');
    expect((await tasksOf()).map((task) => task.kind)).toContain('NEW_LEAD_ALERT');

    // The lead shows the engine's alert among its tasks; the seller adds "enviar promo" in two taps.
    await page.goto(`${baseUrl}/leads/${leadId}`);
    const leadTasks = page.getByTestId('lead-tasks');
    await leadTasks.getByText('Lead nuevo sin respuesta').first().waitFor();
    await page.getByRole('button', { name: 'Enviar promo' }).click();
    await page.getByRole('button', { name: 'Agregar tarea' }).click();
    await leadTasks.getByText('Enviar promo').waitFor();
    await shot(page, 'desktop', 'lead-tasks');
    expect(await tasksOf()).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'FOLLOW_UP', title: 'Enviar promo' })]),
    );
    await context.close();
  });

  it('a seller on a phone quotes a lead, opens its PDF, sends it and records the answer', async () => {
    const { context, page } = await newPage('phone');
    // The machine has no network: wa.me answers locally, as WhatsApp would open.
    await context.route('https://wa.me/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<title>WhatsApp</title>' }),
    );
    await logIn(page, SELLER);
    const me = await (await page.request.get(`${baseUrl}/api/v1/me`)).json();
    const open = await (
      await page.request.get(`${baseUrl}/api/v1/tenants/${me.tenant.id}/leads?status=CONTACTED&limit=50`)
    ).json();
    const lead = (open.items as { id: string; listingId: string | null }[]).find((l) => l.listingId);
    if (!lead) throw new Error('the demo seller has no contacted lead with a product');

    await page.goto(`${baseUrl}/leads/${lead.id}`);
    await page.getByRole('button', { name: 'Cotizar' }).click();
    const builder = page.getByRole('dialog', { name: 'Nueva cotización' });
    await builder.getByLabel('Buscar en el catálogo').fill('a');
    await builder
      .getByRole('button', { name: /^Agregar / })
      .first()
      .click();
    // The totals are the server's arithmetic under the shop's rule (IGV inside the prices in the demo shop).
    await builder.getByTestId('quote-total').waitFor();
    await builder.getByText('Los precios incluyen IGV.').waitFor();
    await shot(page, 'phone', 'quote-builder');
    // Nothing runs off the side of a 390 px screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await builder.evaluate((dialog) => dialog.scrollWidth <= dialog.clientWidth)).toBe(true);
    await builder.getByRole('button', { name: 'Crear cotización' }).click();
    await page.getByRole('heading', { name: /^N\.º \d{6}$/ }).waitFor();
    const quoteId = new URL(page.url()).pathname.split('/').pop();
    await shot(page, 'phone', 'quote', true);

    // The PDF opens with the seller's session.
    const pdfHref = await page.getByRole('link', { name: 'Ver PDF' }).getAttribute('href');
    expect(pdfHref).toBe(`/api/v1/quotes/${quoteId}/pdf`);
    const pdf = await page.request.get(`${baseUrl}${pdfHref}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    // The preview draws the same PDF in the page, where a phone cannot embed one.
    await page.getByRole('button', { name: 'Vista previa' }).click();
    const preview = page.getByTestId('quote-pdf-preview');
    await expect.poll(() => preview.getAttribute('data-state'), { timeout: 15_000 }).toBe('ready');
    const firstPage = page.getByRole('img', { name: /^Página 1 de \d+ de la cotización$/ });
    const drawn = await firstPage.evaluate((canvas) => {
      const { width, height } = canvas as HTMLCanvasElement;
      const pixels = (canvas as HTMLCanvasElement).getContext('2d')?.getImageData(0, 0, width, height).data;
      let ink = 0;
      for (let i = 0; pixels && i < pixels.length; i += 4) if ((pixels[i] ?? 255) < 128) ink++;
      return { width, ink };
    });
    expect(drawn.width).toBeGreaterThan(300);
    expect(drawn.ink).toBeGreaterThan(1000);
    await shot(page, 'phone', 'quote-preview', true);
    await page.getByRole('button', { name: 'Ocultar vista previa' }).click();

    // Sending opens WhatsApp with the summary and the signed link, and the lead becomes QUOTED.
    const [whatsapp] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('button', { name: 'Enviar' }).click(),
    ]);
    expect(decodeURIComponent(whatsapp.url())).toMatch(/^https:\/\/wa\.me\/\d+\?text=.*\/q\//s);
    await whatsapp.close();
    await page.getByText('Enviada', { exact: true }).waitFor();
    const leadStatus = async () =>
      (await (await page.request.get(`${baseUrl}/api/v1/leads/${lead.id}`)).json()).status;
    expect(await leadStatus()).toBe('QUOTED');

    // The customer said yes: confirmed, the quote is accepted and the lead won.
    await page.getByRole('button', { name: 'Aceptó' }).click();
    await page
      .getByRole('dialog', { name: /^¿El cliente aceptó la cotización/ })
      .getByRole('button', { name: 'Sí, aceptó' })
      .click();
    await page.getByText('Aceptada', { exact: true }).waitFor();
    await expect.poll(leadStatus).toBe('WON');
    await context.close();
  });

  it('finds the way back from a forgotten password; an owner\'s "Nuevo lead" from the inbox goes to a seller and opens', async () => {
    const { context, page } = await newPage('desktop');
    await page.goto(`${baseUrl}/login`);
    await page.getByRole('link', { name: '¿Olvidaste tu contraseña?' }).click();
    await page.getByRole('heading', { name: '¿Olvidaste tu contraseña?' }).waitFor();
    await page.getByText(/Ajustes → Equipo → «Enviar enlace para restablecer contraseña»/).waitFor();
    await shot(page, 'desktop', 'forgot-password');
    await page.getByRole('link', { name: /Volver a ingresar/ }).click();
    await logIn(page);

    await page.getByRole('button', { name: 'Nuevo lead' }).click();
    const dialog = page.getByRole('dialog', { name: 'Nuevo lead' });
    // Mantine's segmented control hides its radios under their labels: a person taps the label.
    await dialog.locator('label', { hasText: 'Llamada' }).click();
    await expect.poll(() => dialog.getByRole('radio', { name: 'Llamada' }).isChecked()).toBe(true);
    await dialog.getByLabel('Nombre').fill('Carmen Llamada E2E');
    await dialog.getByLabel('Teléfono').fill('987 111 333');
    await dialog.getByText('Se guardará como +51 987 111 333').waitFor();
    await shot(page, 'desktop', 'new-lead');
    await dialog.getByRole('button', { name: 'Crear lead' }).click();
    await page.getByRole('heading', { name: 'Carmen Llamada E2E' }).waitFor();
    await page.getByText('Llamada', { exact: true }).waitFor();

    // Entered by the owner, it went to a seller of the branch by the branch's strategy, not to nobody.
    const leadId = new URL(page.url()).pathname.split('/').pop();
    const lead = await (await page.request.get(`${baseUrl}/api/v1/leads/${leadId}`)).json();
    expect(lead).toMatchObject({ source: 'MANUAL', contact: { phone: '+51987111333' } });
    const users = await (await page.request.get(`${baseUrl}/api/v1/tenants/${lead.tenantId}/users`)).json();
    const assignee = (users.items as { id: string; role: string; branchIds: string[] }[]).find(
      (u) => u.id === lead.assignedToUserId,
    );
    expect(assignee).toMatchObject({ role: 'SELLER' });
    expect(assignee?.branchIds).toContain(lead.branchId);
    await context.close();
  });

  it('an owner imports a CSV of customers: preview, mapping, a progress bar, and the rejected rows', async () => {
    const { context, page } = await newPage('desktop');
    await logIn(page);
    await page.getByRole('link', { name: 'Importar' }).click();
    await page.getByRole('heading', { name: 'Importar clientes o catálogo' }).waitFor();
    const csv = [
      'Nombre;Celular;Correo',
      'Rosa Importada E2E;955 000 101;rosa@example.com',
      'Pedro Importado E2E;+51 955 000 102;',
      'Número Malo E2E;12;',
    ].join('\r\n');
    await page.locator('input[type="file"]').setInputFiles({
      name: 'clientes.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'utf8'),
    });
    await page.getByRole('button', { name: 'Subir y ver la vista previa' }).click();
    await page.getByRole('cell', { name: 'Rosa Importada E2E' }).waitFor();
    // The columns were recognised from their headers.
    await expect.poll(() => page.getByLabel(/Teléfono/).inputValue()).toBe('Celular');
    await expect.poll(() => page.getByLabel('Correo').inputValue()).toBe('Correo');
    await shot(page, 'desktop', 'import-preview');
    await page.getByRole('button', { name: 'Importar', exact: true }).click();
    await page.getByRole('progressbar', { name: 'Avance de la importación' }).waitFor();
    await page.getByText('Terminado').waitFor();
    await page.getByText('2 nuevos, 0 actualizados, 1 rechazados').waitFor();
    await page.getByRole('row', { name: /Teléfono no válido/ }).waitFor();
    const report = await page
      .getByRole('link', { name: 'Descargar las filas rechazadas (CSV)' })
      .getAttribute('href');
    const answer = await page.request.get(`${baseUrl}${report}`);
    expect(answer.status()).toBe(200);
    expect(await answer.text()).toContain('4,phone,');
    await shot(page, 'desktop', 'import-done');
    const imported = await owner.pool.query(
      "select name, phone from contact where name like '% E2E' and phone like '+5195500010%' order by phone",
    );
    expect(imported.rows).toEqual([
      { name: 'Rosa Importada E2E', phone: '+51955000101' },
      { name: 'Pedro Importado E2E', phone: '+51955000102' },
    ]);
    await context.close();
  });

  it('an owner creates a campaign, activates it, and sees its tracked clicks in the metrics', async () => {
    const { context, page } = await newPage('desktop');
    await logIn(page);
    const me = await (await page.request.get(`${baseUrl}/api/v1/me`)).json();
    const tenantId: string = me.tenant.id;
    const branches = await (await page.request.get(`${baseUrl}/api/v1/tenants/${tenantId}/branches`)).json();
    const listings = await (
      await page.request.get(`${baseUrl}/api/v1/tenants/${tenantId}/listings?limit=1`)
    ).json();

    await menu(page).getByRole('link', { name: 'Campañas' }).click();
    await page.getByRole('heading', { name: 'Campañas' }).waitFor();
    await page.getByRole('link', { name: 'Nueva campaña' }).click();
    await page.getByLabel('Nombre').fill('Navidad gamer e2e');
    await page.getByLabel('Mensaje').fill('Consolas y monitores con 15% en diciembre');
    // The window is typed on the shop's clock: it opened yesterday and closes in a week.
    const localInput = (offsetDays: number) =>
      new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 16);
    await page.getByLabel('Inicio').fill(localInput(-1));
    await page.getByLabel('Fin').fill(localInput(7));
    await page.getByRole('button', { name: 'Guardar campaña' }).click();
    await page.getByRole('heading', { name: 'Navidad gamer e2e' }).waitFor();
    await expect.poll(() => page.getByTestId('campaign-status').first().textContent()).toBe('Borrador');
    const campaignId = new URL(page.url()).pathname.split('/').pop();

    await page.getByRole('button', { name: 'Activar' }).click();
    await expect.poll(() => page.getByTestId('campaign-status').first().textContent()).toBe('Activa');
    expect(await page.getByTestId('metric-clicks').textContent()).toBe('0');

    // The marketplace reports three views and two WhatsApp clicks that carry the campaign.
    const views = await fetch(`${baseUrl}/api/v1/tracking/listing-view`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        ['v1', 'v2', 'v3'].map((visitorId) => ({
          tenantId,
          listingId: listings.items[0].id,
          campaign: campaignId,
          visitorId: `e2e-campaign-${visitorId}`,
        })),
      ),
    });
    expect(views.status).toBeLessThan(300);
    for (const visitorId of ['v1', 'v2']) {
      const click = await fetch(`${baseUrl}/api/v1/tracking/whatsapp-click`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          tenantId,
          branchId: branches.items[0].id,
          listingId: listings.items[0].id,
          campaign: campaignId,
          visitorId: `e2e-campaign-${visitorId}`,
        }),
      });
      expect(click.status).toBe(201);
    }

    await page.reload();
    await expect.poll(() => page.getByTestId('metric-clicks').textContent(), { timeout: 15_000 }).toBe('2');
    expect(await page.getByTestId('metric-impressions').textContent()).toBe('3');
    expect(await page.getByTestId('metric-leads').textContent()).toBe('2');
    await shot(page, 'desktop', 'campaign', true);

    // The list shows it live with the same figures.
    await page.goto(`${baseUrl}/campaigns`);
    const row = page.getByTestId('campaign-row').filter({ hasText: 'Navidad gamer e2e' });
    await expect.poll(() => row.getByTestId('campaign-clicks').textContent()).toBe('2');
    await shot(page, 'desktop', 'campaigns');
    await context.close();
  });

  it('a double-tapped «Agregar nota» on a touch phone stores one note, sent with an Idempotency-Key', async () => {
    const { context, page } = await newPage('phone', { touch: true });
    await logIn(page, SELLER);
    const me = await (await page.request.get(`${baseUrl}/api/v1/me`)).json();
    const open = await (
      await page.request.get(`${baseUrl}/api/v1/tenants/${me.tenant.id}/leads?status=CONTACTED&limit=1`)
    ).json();
    const leadId: string = open.items[0].id;
    await page.goto(`${baseUrl}/leads/${leadId}`);
    const text = 'Doble toque: pasa el sábado por la laptop.';
    await page.getByLabel('Notas internas').fill(text);
    const keys: (string | undefined)[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith(`/leads/${leadId}/notes`))
        keys.push(request.headers()['idempotency-key']);
    });
    const button = page.getByRole('button', { name: 'Agregar nota' });
    await button.scrollIntoViewIfNeeded();
    const box = await button.boundingBox();
    if (!box) throw new Error('the note button is not on screen');
    // Two taps on the spot, as a thumb does: no wait between them for the button to change.
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    await page.touchscreen.tap(x, y);
    await page.touchscreen.tap(x, y);
    await page.getByTestId('lead-timeline').getByText(text).waitFor();
    await expect.poll(() => page.getByLabel('Notas internas').inputValue()).toBe('');
    // What the database holds, not what the screen shows.
    const stored = await owner.pool.query(
      'select count(*)::int as n from lead_note where lead_id = $1 and text = $2',
      [leadId, text],
    );
    expect(stored.rows[0].n).toBe(1);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(keys).size).toBe(1);
    await context.close();
  });

  it('every screen works on a phone (390x844)', async () => {
    const { context, page } = await newPage('phone');
    await page.goto(`${baseUrl}/`);
    await page.getByRole('button', { name: 'Ingresar' }).waitFor();
    await shot(page, 'phone', 'login');
    await logIn(page);
    await page.getByTestId('lead-row').first().waitFor();
    await shot(page, 'phone', 'inbox');
    await page.getByRole('button', { name: 'Filtros' }).click();
    await page.getByLabel('Prioridad').waitFor();
    await shot(page, 'phone', 'inbox-filters');
    await page.getByTestId('lead-row').first().click();
    await page.getByTestId('lead-timeline').waitFor();
    await shot(page, 'phone', 'lead', true);
    // An owner's builder has a price and a discount per line, and still fits the phone.
    const me = await (await page.request.get(`${baseUrl}/api/v1/me`)).json();
    const contacted = await (
      await page.request.get(`${baseUrl}/api/v1/tenants/${me.tenant.id}/leads?status=CONTACTED&limit=1`)
    ).json();
    await page.goto(`${baseUrl}/leads/${contacted.items[0].id}`);
    await page.getByRole('button', { name: 'Cotizar' }).click();
    const builder = page.getByRole('dialog', { name: 'Nueva cotización' });
    await builder.getByLabel('Buscar en el catálogo').fill('a');
    await builder
      .getByRole('button', { name: /^Agregar / })
      .first()
      .click();
    await builder
      .getByLabel(/^Descuento de /)
      .first()
      .fill('10');
    await builder.getByTestId('quote-discount').waitFor();
    await shot(page, 'phone', 'quote-builder-owner');
    expect(await builder.evaluate((dialog) => dialog.scrollWidth <= dialog.clientWidth)).toBe(true);
    await page.keyboard.press('Escape');
    await builder.waitFor({ state: 'hidden' });
    await page.goto(`${baseUrl}/board`);
    await page.getByTestId('board-card').first().waitFor();
    await shot(page, 'phone', 'board');
    await page.goto(`${baseUrl}/settings`);
    await page.getByRole('heading', { name: 'Ajustes' }).waitFor();
    await shot(page, 'phone', 'settings');
    // The bottom navigation has the seller's three screens; "Más" opens the menu with the rest.
    await page
      .getByRole('navigation', { name: 'Accesos rápidos' })
      .getByRole('link', { name: 'Tablero' })
      .waitFor();
    await page.getByRole('button', { name: 'Más' }).click();
    await menu(page).getByRole('link', { name: 'Cotizaciones' }).waitFor();
    // The drawer slides in: the picture once it is all there.
    await expect.poll(async () => (await menu(page).boundingBox())?.x).toBe(0);
    await shot(page, 'phone', 'menu');
    // Nothing is wider than the phone.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });

  it('on a touch phone, a long press drags a card to the next stage, and "Mover a…" moves it on', async () => {
    const { context, page } = await newPage('phone', { touch: true });
    await logIn(page);
    await page.goto(`${baseUrl}/board`);
    const newColumn = page.getByTestId('board-column-NEW');
    const contactedColumn = page.getByTestId('board-column-CONTACTED');
    const card = newColumn.getByTestId('board-card').first();
    await card.waitFor();

    // The column heads count every lead of the stage, as the API does, not the page of cards they show.
    const me = await (await page.request.get(`${baseUrl}/api/v1/me`)).json();
    const countsUrl = `${baseUrl}/api/v1/tenants/${me.tenant.id}/leads/counts`;
    const before = await (await page.request.get(countsUrl)).json();
    await expect
      .poll(() => newColumn.getByTestId('board-column-count').textContent())
      .toBe(String(before.counts.NEW));
    await shot(page, 'phone', 'board-touch');

    const leadId = await card.getAttribute('data-lead-id');
    const from = await card.boundingBox();
    const to = await contactedColumn.boundingBox();
    if (!leadId || !from || !to) throw new Error('board not laid out');
    // Chromium's own touch input: a finger held on the card (below its name, which is a link) until the card
    // is picked up, then moved onto the next column, whose left part shows at the phone's right edge.
    const cdp = await context.newCDPSession(page);
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x = 0, y = 0) =>
      cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
    const start = { x: from.x + 24, y: from.y + from.height - 14 };
    const end = { x: Math.min(to.x + 50, viewports.phone.width - 20), y: to.y + 150 };
    await touch('touchStart', start.x, start.y);
    await page.locator(`[data-lead-id="${leadId}"][aria-pressed="true"]`).waitFor();
    for (let step = 1; step <= 12; step++) {
      await touch(
        'touchMove',
        start.x + ((end.x - start.x) * step) / 12,
        start.y + ((end.y - start.y) * step) / 12,
      );
    }
    await touch('touchEnd');
    await expect
      .poll(async () => (await (await page.request.get(`${baseUrl}/api/v1/leads/${leadId}`)).json()).status)
      .toBe('CONTACTED');
    // The drag moved the card; the swipe did not take the browser back.
    expect(new URL(page.url()).pathname).toBe('/board');
    const moved = contactedColumn.locator(`[data-lead-id="${leadId}"]`);
    await moved.waitFor();
    const after = await (await page.request.get(countsUrl)).json();
    expect(after.counts.NEW).toBe(before.counts.NEW - 1);
    await expect
      .poll(() => newColumn.getByTestId('board-column-count').textContent())
      .toBe(String(after.counts.NEW));

    // Its "Mover a…" menu offers the stages a CONTACTED lead may go to, never back to New.
    await moved.getByRole('button', { name: /^Mover a… / }).tap();
    const menu = page.getByRole('menu');
    await menu.waitFor();
    const offered = await menu.getByRole('menuitem').allTextContents();
    expect(offered).toEqual(['Calificado', 'Cotizado', 'Ganado', 'Perdido', 'Enfriado']);
    await shot(page, 'phone', 'board-move-menu');
    await menu.getByRole('menuitem', { name: 'Calificado' }).tap();
    await expect
      .poll(async () => (await (await page.request.get(`${baseUrl}/api/v1/leads/${leadId}`)).json()).status)
      .toBe('QUALIFIED');
    await page.getByTestId('board-column-QUALIFIED').locator(`[data-lead-id="${leadId}"]`).waitFor();
    await context.close();
  });

  it('had no page errors and no console errors', () => {
    expect(problems).toEqual([]);
  });
});
