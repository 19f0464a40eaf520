/**
 * Every screen, logged out and logged in as the demo seller and owner, in Debian's Chromium on a phone: none may
 * log a console error, throw a page error or get an error answer (issue #16: no console error on any screen), and
 * none may show a raw code (`WINDOW_CLOSED`, `NEW`) or an English sentence where Spanish belongs.
 */
import {
  campaignStatuses,
  campaignTypes,
  leadEventTypes,
  leadPriorities,
  leadSources,
  leadStatuses,
  listingCategories,
  lostReasons,
  quoteStatuses,
  taskKinds,
  ticketStatuses,
  userRoles,
  whatsappMessageStatuses,
} from '@techmarket/contracts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from './browser';
import { DEMO_OWNER, DEMO_SELLER, type DemoServer, startDemoServer } from './demo-server';

type Who = { email: string; password: string };

/** An enum value or error code as the API spells it: upper-case words joined by underscores… */
const RAW_CODE = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g;
/** …or one upper-case word of the contracts' enums (`NEW`, `DRAFT`), which acronyms such as `PEN` or `SKU` are not. */
const RAW_WORD = new RegExp(
  `\\b(?:${[
    ...campaignStatuses,
    ...campaignTypes,
    ...leadEventTypes,
    ...leadPriorities,
    ...leadSources,
    ...leadStatuses,
    ...listingCategories,
    ...lostReasons,
    ...quoteStatuses,
    ...taskKinds,
    ...ticketStatuses,
    ...userRoles,
    ...whatsappMessageStatuses,
  ]
    .filter((value) => /^[A-Z]+$/.test(value))
    .join('|')})\\b`,
  'g',
);
/** Words of the API's English messages that no Spanish sentence (nor a product or shop name) uses. */
const ENGLISH =
  /\b(?:the|must|should|this|your|with|only|cannot|already|invalid|required|not found|failed)\b/gi;

describe.skipIf(!hasChromium)('every screen, without a console error', () => {
  let server: DemoServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startDemoServer({ name: 'e2e-screens', embeddedPortOffset: 4 });
    browser = await launchChromium(['--disable-quic']);
  });

  // A failed test shows what the API logged meanwhile: a 500's error and stack, a database or Redis away.
  afterEach(({ task }) => {
    if (task.result?.state === 'fail') server?.apiLog.printNew(task.name);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A fresh phone profile in Spanish that records every console error, page error and error answer. */
  async function phone() {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      isMobile: true,
      locale: 'es-PE',
      timezoneId: 'America/Lima',
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    return { context, page, problems };
  }

  /** What the main content shows that is not Spanish: raw codes and English words, none expected. */
  async function untranslated(page: Page) {
    // What a person sees, hidden text left out, is the point.
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText, read from the rendered page.
    const text = await page.locator('#main').innerText();
    return [RAW_CODE, RAW_WORD, ENGLISH].flatMap((pattern) => text.match(pattern) ?? []);
  }

  /** Opens a screen and waits until it has drawn its heading and its requests have settled. */
  async function visit(page: Page, path: string) {
    await page.goto(`${server.baseUrl}${path}`);
    await page.getByRole('heading').first().waitFor();
    await page.waitForLoadState('networkidle');
  }

  /** The API as this person, for the ids the screens need. */
  async function api(who: Who) {
    const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(who),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const get = async <T>(path: string) => {
      const answer = await fetch(`${server.baseUrl}/api/v1${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(answer.status, path).toBe(200);
      return (await answer.json()) as T;
    };
    const me = await get<{ tenant: { id: string } }>('/me');
    return { get, tenantId: me.tenant.id };
  }

  async function logIn(page: Page, who: Who) {
    await visit(page, '/login');
    await page.getByLabel('Correo electrónico').fill(who.email);
    await page.getByLabel('Contraseña').fill(who.password);
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await page.getByRole('heading', { name: 'Bandeja de leads' }).waitFor();
    await page.waitForLoadState('networkidle');
  }

  async function screensOf(who: Who, { admin }: { admin: boolean }) {
    const { get, tenantId } = await api(who);
    type Items = { items: { id: string }[] };
    const first = async (path: string) => {
      const { items } = await get<Items>(path);
      expect(items.length, `${path} lists something to open`).toBeGreaterThan(0);
      return items[0]?.id;
    };
    const lead = await first(`/tenants/${tenantId}/leads?limit=1`);
    const quote = await first(`/tenants/${tenantId}/quotes?limit=1`);
    const ticket = await first(`/tenants/${tenantId}/tickets?limit=1`);
    const customer = await first(`/tenants/${tenantId}/contacts?limit=1`);
    const screens = ['/', '/board', `/leads/${lead}`, '/tasks', '/tickets', `/tickets/${ticket}`, '/quotes'];
    screens.push('/customers', `/customers/${customer}`);
    screens.push(`/quotes/${quote}`, '/dashboard', '/account');
    if (admin) {
      const campaign = await first(`/tenants/${tenantId}/campaigns?limit=1`);
      screens.push(
        '/settings',
        '/imports',
        '/campaigns',
        '/campaigns/new',
        `/campaigns/${campaign}`,
        `/campaigns/${campaign}/edit`,
      );
    }
    return screens;
  }

  it('shows the logged-out screens without a console error', async () => {
    const { context, page, problems } = await phone();
    for (const path of ['/', '/login', '/reset-password', '/invitation']) {
      await visit(page, path);
      expect(problems, path).toEqual([]);
    }
    await context.close();
  });

  it.each([
    ['seller', DEMO_SELLER, false],
    ['owner', DEMO_OWNER, true],
  ])('shows every screen of the %s in Spanish, without a console error', async (_, who, admin) => {
    const screens = await screensOf(who, { admin });
    const { context, page, problems } = await phone();
    await logIn(page, who);
    for (const path of screens) {
      await visit(page, path);
      expect(problems, path).toEqual([]);
      expect(await untranslated(page), path).toEqual([]);
    }
    await context.close();
  });
});
