/**
 * Customers in a real browser: the demo owner finds a customer by the phone as a person types it, opens the
 * customer, and merges the other record of the same person after reading what will move; then takes the inbox's
 * leads away as a CSV file.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from './browser';
import { DEMO_OWNER, type DemoServer, startDemoServer } from './demo-server';

describe.skipIf(!hasChromium)('customers', () => {
  let server: DemoServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startDemoServer({ name: 'e2e-customers', embeddedPortOffset: 5 });
    browser = await launchChromium(['--disable-quic']);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** The API as the demo owner, for the records the test starts from and the checks after. */
  async function ownerApi() {
    const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(DEMO_OWNER),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const call = async <T>(method: string, path: string, body?: unknown) => {
      const answer = await fetch(`${server.baseUrl}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      expect(answer.status, `${method} ${path}: ${answer.status}`).toBeLessThan(300);
      return (await answer.json()) as T;
    };
    const me = await call<{ tenant: { id: string }; user: { branchIds: string[] } }>('GET', '/me');
    const branches = await call<{ items: { id: string }[] }>('GET', `/tenants/${me.tenant.id}/branches`);
    return { call, tenantId: me.tenant.id, branchId: branches.items[0]?.id ?? '' };
  }

  it('finds a customer by the phone typed as a person would, merges their other record, and exports the leads', async () => {
    const { call, tenantId, branchId } = await ownerApi();
    type Lead = { id: string; contact: { id: string } };
    const carla = await call<Lead>('POST', `/tenants/${tenantId}/leads`, {
      branchId,
      contact: { name: 'Carla Mendoza Ríos', phone: '+51 944 512 387' },
      message: 'Quiero una impresora multifuncional',
    });
    // The same person, written down at the counter under another number, later corrected to hers.
    const other = await call<Lead>('POST', `/tenants/${tenantId}/leads`, {
      branchId,
      contact: { name: 'Carla M.', phone: '+51 944 000 111' },
    });
    const otherCustomer = await call<{ version: number }>('GET', `/contacts/${other.contact.id}`);
    await call('PATCH', `/contacts/${other.contact.id}`, {
      phone: '+51 944 512 387',
      version: otherCustomer.version,
    });

    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'es-PE',
      timezoneId: 'America/Lima',
    });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/login`);
    await page.getByLabel('Correo electrónico').fill(DEMO_OWNER.email);
    await page.getByLabel('Contraseña').fill(DEMO_OWNER.password);
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await page.getByRole('heading', { name: 'Bandeja de leads' }).waitFor();

    await page.getByRole('link', { name: 'Clientes' }).click();
    await page.getByRole('heading', { name: 'Clientes' }).waitFor();
    // As a person reads it off a card: with the dashes, without the country code.
    await page.getByLabel('Buscar cliente').fill('944-512-387');
    const rows = page.getByTestId('customer-row');
    await expect.poll(() => rows.count()).toBe(2);
    await page.getByRole('link', { name: 'Carla Mendoza Ríos' }).click();
    await page.getByRole('heading', { name: 'Carla Mendoza Ríos' }).waitFor();

    const duplicate = page.getByTestId('duplicate-row');
    await duplicate.waitFor();
    await expect.poll(() => duplicate.textContent()).toContain('Mismo teléfono');
    await duplicate.getByRole('button', { name: 'Unir con este cliente' }).click();
    const dialog = page.getByRole('dialog', { name: 'Unir clientes' });
    await dialog.waitFor();
    await expect
      .poll(() => dialog.getByTestId('merge-moves').textContent())
      .toContain('Se moverán 1 leads, 0 tickets, 0 cotizaciones');
    await dialog.getByRole('button', { name: 'Sí, unir' }).click();
    await page.getByText('No hay otros registros de este cliente').waitFor();

    // One customer now, with both leads and the whole history of each.
    const found = await call<{ items: { id: string; leads: number }[] }>(
      'GET',
      `/tenants/${tenantId}/contacts?q=${encodeURIComponent('944 512 387')}`,
    );
    expect(found.items).toEqual([expect.objectContaining({ id: carla.contact.id, leads: 2 })]);
    const moved = await call<{ items: { type: string }[] }>('GET', `/leads/${other.id}/events`);
    expect(moved.items.map((e) => e.type)).toEqual(expect.arrayContaining(['CREATED', 'CONTACTS_MERGED']));

    // A customer whose data was erased on request: out of the list, their page says so.
    const gone = await call<Lead>('POST', `/tenants/${tenantId}/leads`, {
      branchId,
      contact: { name: 'Lucía Borrada Paz', phone: '+51 944 777 001' },
    });
    await call('POST', `/contacts/${gone.contact.id}/erase`, { confirm: true });
    await page.goto(`${server.baseUrl}/customers`);
    await page.getByLabel('Buscar cliente').fill('944 777 001');
    await page.getByText('Ningún cliente coincide').waitFor();
    await page.goto(`${server.baseUrl}/customers/${gone.contact.id}`);
    await page.getByTestId('customer-erased').getByText('Datos borrados a pedido del cliente').waitFor();

    // The inbox's leads as a file, downloaded as a person would: Exportar, then CSV.
    await page.goto(`${server.baseUrl}/`);
    await page.getByRole('heading', { name: 'Bandeja de leads' }).waitFor();
    await page.getByRole('button', { name: 'Exportar' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: 'CSV (.csv)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^leads-\d{4}-\d{2}-\d{2}\.csv$/);
    const file = await download.path();
    const exported = parse(await readFile(file), { bom: true, columns: true }) as Record<string, string>[];
    expect(exported.length).toBeGreaterThan(0);
    const carlas = exported.filter((row) => row.Cliente === 'Carla Mendoza Ríos');
    expect(carlas.length).toBe(2);
    // A phone starts with "+": written so that a spreadsheet reads it as text, never as a formula.
    expect(carlas.every((row) => row.Teléfono === "'+51944512387")).toBe(true);
    await context.close();
  });
});
