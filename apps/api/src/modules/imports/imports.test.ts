import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestContext, type SignedUp, signUp, type TestContext } from '../../../test/harness';

// Through real HTTP: the upload is a multipart body as a browser sends it.
let ctx: TestContext;
let base: string;
let shop: SignedUp;
beforeAll(async () => {
  ctx = await createTestContext({ env: { IMPORT_MAX_BYTES: String(2 * 1024 * 1024) } });
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const address = ctx.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${address.port}/api/v1`;
  shop = await signUp(ctx.app);
});
afterAll(() => ctx.close());

const csv = (rows: unknown[][], delimiter = ',') => Papa.unparse(rows, { delimiter });

async function xlsx(rows: unknown[][]) {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Clientes');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function upload(
  tenant: { tenantId: string; auth: Record<string, string> },
  kind: string,
  name: string,
  content: string | Buffer,
  mapping?: Record<string, string>,
) {
  const form = new FormData();
  form.append('kind', kind);
  if (mapping) form.append('mapping', JSON.stringify(mapping));
  form.append('file', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), name);
  return fetch(`${base}/tenants/${tenant.tenantId}/imports`, {
    method: 'POST',
    headers: tenant.auth,
    body: form,
  });
}

async function call(method: string, path: string, auth: Record<string, string>, body?: unknown) {
  return fetch(`${base}${path}`, {
    method,
    headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Starts the import with the mapping suggested, runs the job, and answers the finished import. */
async function importWithSuggestion(tenant: SignedUp, kind: string, name: string, content: string | Buffer) {
  const uploaded = await upload(tenant, kind, name, content);
  expect(uploaded.status).toBe(202);
  const preview = await uploaded.json();
  const started = await call('POST', `/imports/${preview.id}/start`, tenant.auth, {
    mapping: preview.mapping,
  });
  expect(started.status, await started.clone().text()).toBe(202);
  await ctx.app.drainJobs();
  const done = await (await call('GET', `/imports/${preview.id}`, tenant.auth)).json();
  expect(done.status).toBe('DONE');
  return { preview, done };
}

const contactsOf = async (tenantId: string) =>
  (
    await ctx.owner.pool.query(
      'select name, phone, email, tags, marketing_consent, consent_source from contact where tenant_id = $1 order by phone',
      [tenantId],
    )
  ).rows;

describe('happy', () => {
  it('previews a CSV with a suggested mapping, imports it, and a second import updates instead of duplicating', async () => {
    const tenant = await signUp(ctx.app);
    const file = csv([
      ['Nombre', 'Teléfono', 'Correo', 'Etiquetas', 'Consentimiento', 'Fecha consentimiento'],
      ['Ana Quispe', '987 654 321', 'ana@example.com', 'vip, gamer', 'sí', '15/03/2026'],
      ['Luis Rojas', '+51 912 345 678', '', '', 'no', ''],
      ['Sin teléfono', '', 'x@example.com', '', '', ''],
      ['Mal número', '12', 'nope', '', 'quizás', ''],
    ]);
    const { preview, done } = await importWithSuggestion(tenant, 'contacts', 'clientes.csv', file);
    expect(preview).toMatchObject({
      status: 'PREVIEW',
      format: 'csv',
      encoding: 'utf-8',
      headers: ['Nombre', 'Teléfono', 'Correo', 'Etiquetas', 'Consentimiento', 'Fecha consentimiento'],
      mapping: {
        name: 'Nombre',
        phone: 'Teléfono',
        email: 'Correo',
        tags: 'Etiquetas',
        consent: 'Consentimiento',
        consentAt: 'Fecha consentimiento',
      },
    });
    expect(preview.preview[0]).toEqual([
      'Ana Quispe',
      '987 654 321',
      'ana@example.com',
      'vip, gamer',
      'sí',
      '15/03/2026',
    ]);
    expect(done).toMatchObject({ total: 4, processed: 4, imported: 2, updated: 0, rejected: 2 });
    expect(done.errors).toEqual(
      expect.arrayContaining([
        { row: 4, field: 'phone', message: expect.stringContaining('Falta') },
        { row: 5, field: 'phone', message: expect.stringContaining('no válido') },
        { row: 5, field: 'email', message: expect.any(String) },
        { row: 5, field: 'consent', message: expect.any(String) },
      ]),
    );
    expect(await contactsOf(tenant.tenantId)).toEqual([
      {
        name: 'Luis Rojas',
        phone: '+51912345678',
        email: null,
        tags: [],
        marketing_consent: false,
        consent_source: null,
      },
      {
        name: 'Ana Quispe',
        phone: '+51987654321',
        email: 'ana@example.com',
        tags: ['vip', 'gamer'],
        marketing_consent: true,
        consent_source: 'import',
      },
    ]);

    // The same customers again, one renamed: updated by phone, nobody duplicated; the mapping was remembered.
    const again = csv([
      ['Nombre', 'Teléfono', 'Correo', 'Etiquetas', 'Consentimiento', 'Fecha consentimiento'],
      ['Ana Quispe Díaz', '+51987654321', 'ana@example.com', 'vip', 'sí', '15/03/2026'],
      ['Luis Rojas', '912345678', '', '', 'no', ''],
    ]);
    const second = await importWithSuggestion(tenant, 'contacts', 'clientes.csv', again);
    expect(second.done).toMatchObject({ imported: 0, updated: 2, rejected: 0 });
    const rows = await contactsOf(tenant.tenantId);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ name: 'Ana Quispe Díaz', tags: ['vip'] });
  });

  it('reads a Latin-1 CSV written by Excel (semicolons) and an .xlsx of listings', async () => {
    const tenant = await signUp(ctx.app);
    const latin1 = iconv.encode(
      csv(
        [
          ['Nombre', 'Teléfono'],
          ['José Peña', '987 111 222'],
          ['María Ñahui', '987 333 444'],
        ],
        ';',
      ),
      'windows-1252',
    );
    const { preview, done } = await importWithSuggestion(tenant, 'contacts', 'excel.csv', latin1);
    expect(preview.encoding).toBe('windows-1252');
    expect(preview.headers).toEqual(['Nombre', 'Teléfono']);
    expect(done).toMatchObject({ imported: 2, rejected: 0 });
    expect((await contactsOf(tenant.tenantId)).map((c) => c.name)).toEqual(['José Peña', 'María Ñahui']);

    const catalog = await xlsx([
      ['SKU', 'Producto', 'Categoría', 'Precio', 'Moneda', 'Stock'],
      ['LEN-IP3', 'Laptop Lenovo IdeaPad 3', 'Laptops', 2499.9, 'PEN', 4],
      ['LOG-G203', 'Mouse Logitech G203', 'accesorios', 'S/ 89.90', '', 12],
      ['BAD-1', 'Precio malo', 'Laptops', 'gratis', 'PEN', 1],
      ['', 'Sin SKU', 'Laptops', 10, 'PEN', 1],
    ]);
    const listings = await importWithSuggestion(tenant, 'listings', 'catalogo.xlsx', catalog);
    expect(listings.preview).toMatchObject({
      format: 'xlsx',
      mapping: { sku: 'SKU', title: 'Producto', category: 'Categoría', price: 'Precio', currency: 'Moneda' },
    });
    expect(listings.done).toMatchObject({ total: 4, imported: 2, rejected: 2 });
    expect(listings.done.errors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual([
      [4, 'price'],
      [5, 'sku'],
    ]);
    const page = await (await call('GET', `/tenants/${tenant.tenantId}/listings`, tenant.auth)).json();
    expect(
      page.items
        .map((l: { sku: string; price: number; category: string }) => [l.sku, l.price, l.category])
        .sort(),
    ).toEqual([
      ['LEN-IP3', 249990, 'LAPTOPS'],
      ['LOG-G203', 8990, 'ACCESSORIES'],
    ]);

    // The report of rejected rows, as CSV.
    const report = await call('GET', `/imports/${listings.done.id}/rejections.csv`, tenant.auth);
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toMatch(/^text\/csv/);
    const parsed = Papa.parse<string[]>((await report.text()).replace(/^\ufeff/, '').trim()).data;
    expect(parsed[0]).toEqual(['fila', 'columna', 'motivo']);
    expect(parsed.slice(1).map((r) => [r[0], r[1]])).toEqual([
      ['4', 'price'],
      ['5', 'sku'],
    ]);
  });

  it('imports in batches and reports a broken line', async () => {
    const tenant = await signUp(ctx.app);
    const rows = [['Nombre', 'Teléfono']];
    for (let i = 0; i < 2500; i++) rows.push([`Cliente ${i}`, `+51 9${String(10_000_000 + i)}`]);
    let file = csv(rows);
    // A quote left open: the rest of the file is one broken line.
    file += '\r\n"roto,+51 987 000 000\r\n';
    const uploaded = await upload(tenant, 'contacts', 'muchos.csv', file, {
      name: 'Nombre',
      phone: 'Teléfono',
    });
    expect(uploaded.status).toBe(202);
    const started = await uploaded.json();
    expect(started.status).toBe('QUEUED');
    await ctx.app.drainJobs();
    const done = await (await call('GET', `/imports/${started.id}`, tenant.auth)).json();
    expect(done).toMatchObject({ status: 'DONE', imported: 2500 });
    expect(done.rejected).toBe(1);
    expect(done.errors[0]).toMatchObject({ row: 2502, field: 'file' });
    const count = await ctx.owner.pool.query('select count(*)::int as n from contact where tenant_id = $1', [
      tenant.tenantId,
    ]);
    expect(count.rows[0].n).toBe(2500);
  });

  it('a retried job starts after the last batch that committed', async () => {
    const tenant = await signUp(ctx.app);
    const rows = [['Teléfono']];
    for (let i = 0; i < 1500; i++) rows.push([`+51 9${String(20_000_000 + i)}`]);
    const started = await (
      await upload(tenant, 'contacts', 'r.csv', csv(rows), { phone: 'Teléfono' })
    ).json();
    // As if a first run had committed rows 2 to 1001 and then died.
    await ctx.owner.pool.query(
      `update import_job set status = 'RUNNING', last_row = 1001, processed_rows = 1000 where id = $1`,
      [started.id],
    );
    await ctx.app.drainJobs();
    const done = await (await call('GET', `/imports/${started.id}`, tenant.auth)).json();
    expect(done).toMatchObject({ status: 'DONE', total: 1500, processed: 1500, imported: 500 });
    const phones = await ctx.owner.pool.query(
      'select phone from contact where tenant_id = $1 order by phone',
      [tenant.tenantId],
    );
    expect(phones.rows).toHaveLength(500);
    expect(phones.rows[0].phone).toBe('+51920001000');
  });
});

describe('progress', () => {
  it("shows a CSV's total as an estimate while it runs, exact once done", async () => {
    const tenant = await signUp(ctx.app);
    const rows = [['Teléfono']];
    for (let i = 0; i < 3000; i++) rows.push([`+51 9${String(30_000_000 + i)}`]);
    const started = await (
      await upload(tenant, 'contacts', 'p.csv', csv(rows), { phone: 'Teléfono' })
    ).json();
    // The second batch waits on a phone of its own, locked here as a click's find-or-create would lock it.
    const holder = await ctx.owner.pool.connect();
    const key = `contact:${tenant.tenantId}:+51930001500`;
    let running: Promise<void> | undefined;
    try {
      await holder.query('select pg_advisory_lock(hashtextextended($1, 0))', [key]);
      running = ctx.app.drainJobs();
      // The batches before the locked phone's commit (1,000 or 1,500 rows, as two batches run at once); the
      // import cannot get past that batch while the lock is held, so it is still running, short of the end.
      let during: { status: string; processed: number; total: number | null } | undefined;
      while ((during?.processed ?? 0) < 1000) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        during = await (await call('GET', `/imports/${started.id}`, tenant.auth)).json();
      }
      expect(during?.status).toBe('RUNNING');
      expect(during?.processed).toBeLessThan(3000);
      expect(during?.total).toBeGreaterThanOrEqual(during?.processed ?? 0);
      expect(during?.total).toBeLessThanOrEqual(3000);
    } finally {
      await holder.query('select pg_advisory_unlock(hashtextextended($1, 0))', [key]);
      holder.release();
    }
    await running;
    const done = await (await call('GET', `/imports/${started.id}`, tenant.auth)).json();
    expect(done).toMatchObject({ status: 'DONE', total: 3000, processed: 3000, imported: 3000 });
  });
});

describe('errors', () => {
  it('names the bad field: kind, file, mapping', async () => {
    const noKind = new FormData();
    noKind.append('file', new Blob(['a,b\n1,2']), 'x.csv');
    const missing = await fetch(`${base}/tenants/${shop.tenantId}/imports`, {
      method: 'POST',
      headers: shop.auth,
      body: noKind,
    });
    expect(missing.status).toBe(400);
    expect((await missing.json()).errors[0].path).toBe('kind');

    const pdf = await upload(shop, 'contacts', 'notes.pdf', Buffer.from('%PDF-1.4'));
    expect(pdf.status).toBe(422);
    expect((await pdf.json()).errors[0].path).toBe('file');

    const corrupt = await upload(
      shop,
      'listings',
      'broken.xlsx',
      Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(100)]),
    );
    expect(corrupt.status).toBe(422);
    expect((await corrupt.json()).errors[0].path).toBe('file');

    const ok = await (
      await upload(
        shop,
        'listings',
        'c.csv',
        csv([
          ['SKU', 'Titulo'],
          ['A', 'B'],
        ]),
      )
    ).json();
    const unmapped = await call('POST', `/imports/${ok.id}/start`, shop.auth, { mapping: { sku: 'SKU' } });
    expect(unmapped.status).toBe(422);
    expect((await unmapped.json()).errors[0].path).toBe('mapping.title');
    const wrongColumn = await call('POST', `/imports/${ok.id}/start`, shop.auth, {
      mapping: { sku: 'SKU', title: 'Nope', category: 'SKU', price: 'SKU' },
    });
    expect((await wrongColumn.json()).errors[0].path).toBe('mapping.title');
  });

  it('refuses a file over the size limit with 413', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 'a');
    const response = await upload(shop, 'contacts', 'big.csv', big);
    expect(response.status).toBe(413);
  });
});

describe('security', () => {
  it("answers another tenant's import with 404 and keeps sellers out (403)", async () => {
    const mine = await (await upload(shop, 'contacts', 'c.csv', csv([['Teléfono'], ['987654321']]))).json();
    const other = await signUp(ctx.app);
    expect((await call('GET', `/imports/${mine.id}`, other.auth)).status).toBe(404);
    expect((await call('GET', `/imports/${mine.id}/rejections.csv`, other.auth)).status).toBe(404);
    expect(
      (await call('POST', `/imports/${mine.id}/start`, other.auth, { mapping: { phone: 'Teléfono' } }))
        .status,
    ).toBe(404);
    expect(
      (await upload({ tenantId: shop.tenantId, auth: other.auth }, 'contacts', 'c.csv', 'a')).status,
    ).toBe(404);

    const seller = await addUser(ctx.app, shop, 'SELLER');
    expect(
      (await upload({ tenantId: shop.tenantId, auth: seller.auth }, 'contacts', 'c.csv', 'a')).status,
    ).toBe(403);
    expect((await call('GET', `/imports/${mine.id}`, seller.auth)).status).toBe(403);
  });

  it('lets an API key with catalog:write upsert a listing by SKU, and no other key or tenant', async () => {
    const created = await call('POST', `/tenants/${shop.tenantId}/api-keys`, shop.auth, {
      name: 'marketplace',
      scopes: ['catalog:write'],
    });
    expect(created.status).toBe(201);
    const key = { authorization: `Bearer ${(await created.json()).key}` };
    const body = {
      title: 'Monitor LG 24"',
      category: 'ACCESSORIES',
      price: 59900,
      currency: 'PEN',
      stock: 3,
    };
    const first = await call('PUT', `/tenants/${shop.tenantId}/listings/by-sku/LG-24MK`, key, body);
    expect(first.status).toBe(201);
    const listing = await first.json();
    expect(listing).toMatchObject({ sku: 'LG-24MK', price: 59900, version: 1 });
    const second = await call('PUT', `/tenants/${shop.tenantId}/listings/by-sku/LG-24MK`, key, {
      ...body,
      price: 54900,
    });
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ id: listing.id, price: 54900, version: 2 });
    const bad = await call('PUT', `/tenants/${shop.tenantId}/listings/by-sku/LG-24MK`, key, {
      ...body,
      price: -1,
    });
    expect(bad.status).toBe(400);

    const readOnly = await call('POST', `/tenants/${shop.tenantId}/api-keys`, shop.auth, {
      name: 'reader',
      scopes: ['shop:read'],
    });
    const reader = { authorization: `Bearer ${(await readOnly.json()).key}` };
    expect(
      (await call('PUT', `/tenants/${shop.tenantId}/listings/by-sku/LG-24MK`, reader, body)).status,
    ).toBe(403);
    const other = await signUp(ctx.app);
    expect((await call('PUT', `/tenants/${other.tenantId}/listings/by-sku/LG-24MK`, key, body)).status).toBe(
      404,
    );
    const seller = await addUser(ctx.app, shop, 'SELLER');
    expect(
      (await call('PUT', `/tenants/${shop.tenantId}/listings/by-sku/LG-24MK`, seller.auth, body)).status,
    ).toBe(403);
  });
});
