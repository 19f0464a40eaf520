import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, problem, type TestContext } from '../../../test/harness';
import { addBranch, createLead, createLeadsTestContext, manualClock } from '../leads/leads.fixtures';
import { openShop, type Shop } from '../tracking/tracking.fixtures';
import { csvStatement } from './exports.repository';
import type { Column } from './table-writer';

// 14:00 UTC is 09:00 in Lima, the shops' time zone.
const clock = manualClock(new Date('2030-03-01T14:00:00.000Z'));
let ctx: TestContext;
let shop: Shop;
let other: Shop;
let secondBranch: string;

type Caller = { auth: { authorization: string } };

const exportOf = (caller: Caller, path: string, tenantId = shop.tenantId) =>
  ctx.app.inject({ method: 'GET', url: `/api/v1/tenants/${tenantId}/exports/${path}`, headers: caller.auth });

async function csvRows(caller: Caller, path: string) {
  const response = await exportOf(caller, path);
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toContain('text/csv');
  return parse(response.rawPayload, { bom: true }) as string[][];
}

beforeAll(async () => {
  ctx = await createLeadsTestContext(clock);
  shop = await openShop(ctx.app);
  other = await openShop(ctx.app);
  secondBranch = await addBranch(ctx.app, shop, 'San Isidro');
  await createLead(ctx.app, shop, {
    branchId: shop.branchId,
    contact: { name: '=HYPERLINK("http://evil.example","clic")', phone: '987 111 222' },
    listingId: shop.listingId,
  });
  clock.advance(60_000);
  await createLead(ctx.app, shop, {
    branchId: shop.branchId,
    contact: { name: 'Rosa Díaz', phone: '987 333 444' },
  });
  clock.advance(60_000);
  await createLead(ctx.app, shop, {
    branchId: secondBranch,
    contact: { name: 'Jorge Paz', phone: '987 555 666' },
  });
});
afterAll(() => ctx.close());

describe('GET /tenants/{id}/exports/leads', () => {
  it('writes every lead as CSV, newest first, in the shop time zone and currency, formulas neutralised', async () => {
    const [header, ...rows] = await csvRows(shop, 'leads?format=csv');
    expect(header?.slice(0, 4)).toEqual(['Código', 'Creado', 'Etapa', 'Origen']);
    expect(rows.map((r) => r[8])).toEqual([
      'Jorge Paz',
      'Rosa Díaz',
      `'=HYPERLINK("http://evil.example","clic")`,
    ]);
    const first = rows[2] ?? [];
    // 14:00 UTC is 09:00 in Lima.
    expect(first[1]).toBe('2030-03-01 09:00');
    expect(first[2]).toBe('NEW');
    // The phone is text that starts with "+": neutralised like any other such cell.
    expect(first[9]).toBe("'+51987111222");
    expect(first.slice(11, 14)).toEqual(['Laptop Lenovo IdeaPad 3 15" Ryzen 5', '2499.00', 'PEN']);
  });

  it('names the file with the date and takes the inbox filters', async () => {
    const response = await exportOf(shop, 'leads.csv?q=rosa');
    expect(response.headers['content-disposition']).toBe('attachment; filename="leads-2030-03-01.csv"');
    const rows = parse(response.rawPayload, { bom: true }) as string[][];
    expect(rows.slice(1).map((r) => r[8])).toEqual(['Rosa Díaz']);
  });

  it('writes the same rows as .xlsx, with dates, numbers and currency formats', async () => {
    const response = await exportOf(shop, `leads?format=xlsx&branchId=${shop.branchId}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-disposition']).toBe('attachment; filename="leads-2030-03-01.xlsx"');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('no sheet');
    expect(sheet.rowCount).toBe(3);
    expect(sheet.getRow(1).getCell(9).value).toBe('Cliente');
    const row = sheet.getRow(3);
    expect(row.getCell(9).value).toBe(`'=HYPERLINK("http://evil.example","clic")`);
    expect(row.getCell(9).formula).toBeUndefined();
    expect(row.getCell(13).value).toBe(2499);
    expect(row.getCell(13).numFmt).toContain('S/');
    expect(row.getCell(2).value).toEqual(new Date(Date.UTC(2030, 2, 1, 9, 0)));
  });

  it('gives a seller the leads of their branches only', async () => {
    const seller = shop.sellers[0] as Caller;
    const rows = (await csvRows(seller, 'leads')).slice(1);
    expect(rows.map((r) => r[8]).sort()).toEqual([`'=HYPERLINK("http://evil.example","clic")`, 'Rosa Díaz']);
    // A branch that is not theirs is nothing, not that branch.
    expect(await csvRows(seller, `leads?branchId=${secondBranch}`)).toHaveLength(1);
  });

  it("answers 404 for another shop's export and 400 naming a bad filter", async () => {
    problem(await exportOf(other, 'leads.csv'), 404);
    problem(await exportOf(other, 'kpis.xlsx'), 404);
    const bad = problem(await exportOf(shop, 'leads?status=ALMOST'), 400);
    expect(bad.errors?.[0]?.path).toBe('querystring.status');
    problem(await exportOf(shop, 'leads?format=pdf'), 400);
  });
});

describe('the other exports', () => {
  it('writes customers, quotes, tickets, tasks and the KPI table', async () => {
    const contacts = await csvRows(shop, 'contacts.csv');
    expect(contacts.slice(1).map((r) => r[0])).toContain('Rosa Díaz');
    const manager = await addUser(ctx.app, shop, 'MANAGER');
    for (const kind of ['quotes', 'tickets', 'tasks']) {
      const [header] = await csvRows(manager, `${kind}.csv`);
      expect(header?.length).toBeGreaterThan(5);
    }
    const kpis = await csvRows(shop, 'kpis.csv?groupBy=branch&to=2030-03-02T00:00:00Z');
    expect(kpis[1]?.slice(0, 2)).toEqual(['Total', '3']);
    expect(
      kpis
        .slice(2)
        .map((r) => r[0])
        .sort(),
    ).toEqual(['Miraflores', 'San Isidro']);
  });
});

describe('the CSV as PostgreSQL writes it (COPY)', () => {
  const copied = async (tenantId: string, query: Parameters<typeof csvStatement>[0], columns: Column[]) => {
    const chunks: Buffer[] = [];
    for await (const chunk of ctx.database.copyWithTenant(
      tenantId,
      csvStatement(query, columns),
      'format csv, header',
    ))
      chunks.push(chunk);
    return parse(Buffer.concat(chunks)) as string[][];
  };

  it("obeys row-level security: another shop's rows never appear, even with no tenant filter", async () => {
    const columns: Column[] = [{ header: 'Código', type: 'text' }];
    const everyLead = sql`select ref_code from lead`;
    expect(await copied(other.tenantId, everyLead, columns)).toEqual([['Código']]);
    expect(await copied(shop.tenantId, everyLead, columns)).toHaveLength(4);
    // Through the API: the other shop's file has its header and nothing of this shop's.
    const own = await exportOf(other, 'leads.csv', other.tenantId);
    expect(own.statusCode, own.body).toBe(200);
    expect(parse(own.rawPayload, { bom: true })).toHaveLength(1);
  });

  it('a reader that stops early ends the COPY and leaves the pool usable', async () => {
    const columns: Column[] = [{ header: 'n', type: 'number' }];
    const many = csvStatement(sql`select g from generate_series(1, 500000) g`, columns);
    for await (const chunk of ctx.database.copyWithTenant(shop.tenantId, many, 'format csv')) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    // No connection is left checked out half way through a COPY, and the next COPY runs.
    const { pool } = ctx.database;
    expect(pool.totalCount - pool.idleCount).toBe(0);
    expect(await copied(shop.tenantId, sql`select 1`, columns)).toEqual([['n'], ['1']]);
  });

  it('neutralises every formula start and writes money in each currency, as the writers do', async () => {
    const columns: Column[] = [
      { header: 'Texto', type: 'text' },
      { header: 'Precio', type: 'money', currencyColumn: 2 },
      { header: 'Moneda', type: 'text' },
    ];
    const rows = sql`select * from (values
      ('=1+1', 249950, 'PEN'), ('+51', 1500000, 'CLP'), ('-2', 5, 'USD'), ('@SUM(A1)', null, 'PEN'),
      (chr(9) || 'x', 100, null), (chr(13) || 'y', 0, 'BRL'), ('Año 2030', 42, 'MXN'), (null, 7, 'COP')
    ) v`;
    const [header, ...cells] = await copied(shop.tenantId, rows, columns);
    expect(header).toEqual(['Texto', 'Precio', 'Moneda']);
    expect(cells).toEqual([
      ["'=1+1", '2499.50', 'PEN'],
      ["'+51", '1500000', 'CLP'],
      ["'-2", '0.05', 'USD'],
      ["'@SUM(A1)", '', 'PEN'],
      ["'\tx", '', ''],
      ["'\ry", '0.00', 'BRL'],
      ['Año 2030', '0.42', 'MXN'],
      // Intl (and so moneyInputText) writes the peso colombiano without decimals.
      ['', '7', 'COP'],
    ]);
  });
});
