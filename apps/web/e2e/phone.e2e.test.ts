/**
 * A seller's thumb on a 390×844 touch screen (issue #16, "thumb-sized"): every control big enough to hit, the
 * bottom navigation, the back button closing a dialog instead of leaving the lead, half-typed notes and quotes
 * surviving a reload, toasts at the bottom, and the offline banner while writes wait for the connection.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from './browser';
import { DEMO_SELLER, type DemoServer, startDemoServer } from './demo-server';

const PHONE = { width: 390, height: 844 };
const MIN_TARGET = 44;

describe.skipIf(!hasChromium)('on a phone, by thumb', () => {
  let server: DemoServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startDemoServer({ name: 'e2e-phone', embeddedPortOffset: 5 });
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

  /** A touch phone in Spanish, signed in as the demo seller. */
  async function sellerPhone() {
    const context = await browser.newContext({
      viewport: PHONE,
      hasTouch: true,
      isMobile: true,
      locale: 'es-PE',
      timezoneId: 'America/Lima',
      colorScheme: 'light',
    });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/login`);
    await page.getByLabel('Correo electrónico').fill(DEMO_SELLER.email);
    await page.getByLabel('Contraseña').fill(DEMO_SELLER.password);
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await page.getByRole('heading', { name: 'Bandeja de leads' }).waitFor();
    return { context, page };
  }

  /** One of the seller's leads that can be quoted (contacted, with a product). */
  async function quotableLead(page: Page) {
    const me = await (await page.request.get(`${server.baseUrl}/api/v1/me`)).json();
    const { items } = await (
      await page.request.get(
        `${server.baseUrl}/api/v1/tenants/${me.tenant.id}/leads?status=CONTACTED&limit=50`,
      )
    ).json();
    const lead = (items as { id: string; listingId: string | null }[]).find((l) => l.listingId);
    if (!lead) throw new Error('the demo seller has no contacted lead with a product');
    return lead.id;
  }

  /**
   * Every visible button, link and form control smaller than 44 px on a side, as "name: width×height". A check
   * box or radio counts with its label (the label takes the tap too). Off the screen to the left are the skip
   * link (until focused) and the closed menu, neither of which can be tapped.
   */
  const tooSmall = (page: Page) =>
    page.evaluate((min) => {
      const selector = [
        'a[href]',
        'button',
        'input:not([type="hidden"])',
        'select',
        'textarea',
        '[role="button"]',
        '[role="link"]',
        '[role="tab"]',
        '[role="checkbox"]',
        '[role="radio"]',
        '[role="switch"]',
        '[role="menuitem"]',
        '[role="option"]',
      ].join(',');
      const small: string[] = [];
      for (const element of document.querySelectorAll<HTMLElement>(selector)) {
        const style = getComputedStyle(element);
        if (style.visibility !== 'visible' || style.display === 'none' || Number(style.opacity) === 0)
          continue;
        if (element.closest('[aria-hidden="true"], [inert]')) continue;
        let { width, height, right } = element.getBoundingClientRect();
        if (width === 0 || height === 0 || right <= 0) continue;
        if (
          element instanceof HTMLInputElement &&
          (element.type === 'checkbox' || element.type === 'radio')
        ) {
          for (const label of element.labels ?? []) {
            const box = label.closest('.mantine-Checkbox-body, .mantine-Radio-body') ?? label;
            const rect = box.getBoundingClientRect();
            width = Math.max(width, rect.width);
            height = Math.max(height, rect.height);
            right = Math.max(right, rect.right);
          }
        }
        // Sub-pixel layout: 43.99 is a 44 px box.
        if (Math.round(width) < min || Math.round(height) < min) {
          const name =
            element.getAttribute('aria-label') ||
            element.textContent?.trim().slice(0, 40) ||
            element.getAttribute('placeholder') ||
            element.tagName.toLowerCase();
          small.push(`${name}: ${Math.round(width)}×${Math.round(height)}`);
        }
      }
      return small;
    }, MIN_TARGET);

  /** The page's own width in CSS pixels (the phone's layout viewport grows to fit a wider page). */
  const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

  it('gives every control on the inbox, a lead, the quote builder and the board at least 44 px', async () => {
    const { context, page } = await sellerPhone();
    expect(await page.evaluate(() => matchMedia('(pointer: coarse)').matches)).toBe(true);
    await page.getByTestId('lead-row').first().waitFor();
    expect(await tooSmall(page), 'inbox').toEqual([]);
    // No wider than the screen: a wider page makes the phone zoom out, and the bottom bar leaves the screen.
    expect(await pageWidth(page), 'inbox').toBe(PHONE.width);

    await page.goto(`${server.baseUrl}/leads/${await quotableLead(page)}`);
    await page.getByTestId('lead-timeline').waitFor();
    await page.waitForLoadState('networkidle');
    expect(await tooSmall(page), 'lead').toEqual([]);
    expect(await pageWidth(page), 'lead').toBe(PHONE.width);

    await page.getByRole('button', { name: 'Cotizar' }).click();
    const builder = page.getByRole('dialog', { name: 'Nueva cotización' });
    await builder.getByLabel('Buscar en el catálogo').fill('a');
    await builder
      .getByRole('button', { name: /^Agregar / })
      .first()
      .waitFor();
    expect(await tooSmall(page), 'quote builder').toEqual([]);
    await page.keyboard.press('Escape');
    await builder.waitFor({ state: 'hidden' });

    await page
      .getByRole('navigation', { name: 'Accesos rápidos' })
      .getByRole('link', { name: 'Tablero' })
      .tap();
    await page.getByTestId('board-card').first().waitFor();
    await page.waitForLoadState('networkidle');
    expect(await tooSmall(page), 'board').toEqual([]);
    await context.close();
  });

  it('goes by the bottom navigation; "Más" opens the menu and the back button closes it', async () => {
    const { context, page } = await sellerPhone();
    const bottom = page.getByRole('navigation', { name: 'Accesos rápidos' });
    const box = await bottom.boundingBox();
    expect(box && Math.round(box.y + box.height)).toBe(PHONE.height);
    await bottom.getByRole('link', { name: 'Tareas' }).tap();
    await page.getByRole('heading', { name: 'Tareas' }).waitFor();
    await bottom.getByRole('link', { name: 'Bandeja' }).tap();
    await page.getByRole('heading', { name: 'Bandeja de leads' }).waitFor();

    const menu = page.getByRole('navigation', { name: 'Menú' });
    await bottom.getByRole('button', { name: 'Más' }).tap();
    await expect
      .poll(() => bottom.getByRole('button', { name: 'Más' }).getAttribute('aria-expanded'))
      .toBe('true');
    await menu.getByRole('link', { name: 'Cotizaciones' }).waitFor();
    await page.goBack();
    await expect
      .poll(() => bottom.getByRole('button', { name: 'Más' }).getAttribute('aria-expanded'))
      .toBe('false');
    expect(new URL(page.url()).pathname).toBe('/');

    // A page chosen from the menu opens and stays; back from it returns to the page the menu was opened on.
    await bottom.getByRole('button', { name: 'Más' }).tap();
    await menu.getByRole('link', { name: 'Cotizaciones' }).tap();
    await page.getByRole('heading', { name: 'Cotizaciones' }).waitFor();
    await expect
      .poll(() => bottom.getByRole('button', { name: 'Más' }).getAttribute('aria-expanded'))
      .toBe('false');
    expect(new URL(page.url()).pathname).toBe('/quotes');
    await page.goBack();
    await page.getByRole('heading', { name: 'Bandeja de leads' }).waitFor();
    await context.close();
  });

  it("closes the quote builder with the back button and stays on the lead; a closed builder's entry is gone", async () => {
    const { context, page } = await sellerPhone();
    const leadId = await quotableLead(page);
    await page.goto(`${server.baseUrl}/leads/${leadId}`);
    await page.getByTestId('lead-timeline').waitFor();
    const builder = page.getByRole('dialog', { name: 'Nueva cotización' });

    await page.getByRole('button', { name: 'Cotizar' }).tap();
    await builder.getByLabel('Buscar en el catálogo').waitFor();
    await page.goBack();
    await builder.waitFor({ state: 'hidden' });
    expect(new URL(page.url()).pathname).toBe(`/leads/${leadId}`);
    await page.getByTestId('lead-timeline').waitFor();

    // Closed by its own ×: the next back leaves the lead, as it would have before the builder opened.
    await page.getByRole('button', { name: 'Cotizar' }).tap();
    await builder.getByLabel('Buscar en el catálogo').waitFor();
    await builder.locator('.mantine-Modal-close').tap();
    await builder.waitFor({ state: 'hidden' });
    await page.goBack();
    await page.getByRole('heading', { name: 'Bandeja de leads' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await context.close();
  });

  it('keeps a half-typed note and quote through a reload, and forgets the note once added', async () => {
    const { context, page } = await sellerPhone();
    const leadId = await quotableLead(page);
    await page.goto(`${server.baseUrl}/leads/${leadId}`);
    const note = page.getByLabel('Notas internas');
    await note.fill('Quiere la funda también; llamar a las 5');

    await page.getByRole('button', { name: 'Cotizar' }).tap();
    const builder = page.getByRole('dialog', { name: 'Nueva cotización' });
    await builder.getByLabel('Buscar en el catálogo').fill('a');
    await builder
      .getByRole('button', { name: /^Agregar / })
      .first()
      .tap();
    await builder.getByLabel('Notas para el cliente').fill('Precio válido con pago en efectivo');
    const lines = await builder.getByTestId('quote-line').count();
    expect(lines).toBeGreaterThan(0);

    await page.reload();
    await expect.poll(() => note.inputValue()).toBe('Quiere la funda también; llamar a las 5');
    await page.getByRole('button', { name: 'Cotizar' }).tap();
    await expect
      .poll(() => builder.getByLabel('Notas para el cliente').inputValue())
      .toBe('Precio válido con pago en efectivo');
    expect(await builder.getByTestId('quote-line').count()).toBe(lines);
    await page.keyboard.press('Escape');
    await builder.waitFor({ state: 'hidden' });

    // Added: the toast comes up from the bottom, and the draft is gone.
    await page.getByRole('button', { name: 'Agregar nota' }).tap();
    const toast = page.getByText('Nota agregada');
    await toast.waitFor();
    const box = await toast.boundingBox();
    expect(box?.y).toBeGreaterThan(PHONE.height / 2);
    await page.getByTestId('lead-timeline').getByText('Quiere la funda también; llamar a las 5').waitFor();
    await page.reload();
    await page.getByTestId('lead-timeline').getByText('Quiere la funda también; llamar a las 5').waitFor();
    expect(await note.inputValue()).toBe('');
    await context.close();
  });

  it('says so while offline, keeps a note for later and sends it once back', async () => {
    const { context, page } = await sellerPhone();
    const leadId = await quotableLead(page);
    await page.goto(`${server.baseUrl}/leads/${leadId}`);
    await page.getByTestId('lead-timeline').waitFor();
    const banner = page.getByTestId('offline-banner');
    expect(await banner.count()).toBe(0);

    await context.setOffline(true);
    await expect.poll(() => banner.textContent()).toBe('Sin conexión: lo que hagas se enviará al volver');
    await page.getByLabel('Notas internas').fill('Escrita sin señal en el almacén');
    await page.getByRole('button', { name: 'Agregar nota' }).tap();
    await expect.poll(() => banner.textContent()).toContain('1 cambio espera la conexión');

    await context.setOffline(false);
    await banner.waitFor({ state: 'detached' });
    await page.getByTestId('lead-timeline').getByText('Escrita sin señal en el almacén').waitFor();
    await context.close();
  });
});
