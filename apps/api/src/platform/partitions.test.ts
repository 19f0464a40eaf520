import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/harness';
import { maintenanceJobs } from '../worker';
import { MONTHS_AHEAD, PARTITION_MAINTENANCE, partitionMaintenanceJob } from './partitions';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const at = (iso: string) => ({ now: () => new Date(iso) });
const monthName = (table: string, date: Date) =>
  `${table}_p${date.getUTCFullYear()}${String(date.getUTCMonth() + 1).padStart(2, '0')}`;

async function partitionsOf(table: string): Promise<string[]> {
  const { rows } = await ctx.owner.pool.query<{ name: string }>(
    `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = $1::regclass order by 1`,
    [table],
  );
  return rows.map((row) => row.name);
}

/** Page views written as the marketplace writes them (no foreign keys on listing_view), on the owner connection. */
async function views(tenantId: string, createdAt: string[]) {
  for (const when of createdAt) {
    await ctx.owner.pool.query(
      `insert into listing_view (tenant_id, listing_id, visitor_id, created_at) values ($1, $2, 'v', $3)`,
      [tenantId, randomUUID(), when],
    );
  }
}

async function countIn(relation: string, tenantId: string) {
  const { rows } = await ctx.owner.pool.query<{ n: number }>(
    `select count(*)::int as n from ${relation} where tenant_id = $1`,
    [tenantId],
  );
  return rows[0]?.n;
}

describe('monthly partitions', () => {
  it('partitions lead_event and listing_view by month, this month and the next ones made, with a DEFAULT', async () => {
    const now = new Date();
    for (const table of ['lead_event', 'listing_view']) {
      const { rows } = await ctx.owner.pool.query<{ key: string }>(
        `select pg_get_partkeydef($1::regclass) as key`,
        [table],
      );
      expect(rows[0]?.key).toBe('RANGE (created_at)');
      const names = await partitionsOf(table);
      expect(names).toContain(`${table}_default`);
      for (let ahead = 0; ahead <= MONTHS_AHEAD; ahead++) {
        expect(names).toContain(
          monthName(table, new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + ahead, 1))),
        );
      }
    }
  });

  it('is kept by a daily worker job', () => {
    const names = maintenanceJobs(ctx.owner.pool, { send: async () => {}, drain: async () => {} }).map(
      (job) => job.name,
    );
    expect(names).toContain(PARTITION_MAINTENANCE);
  });

  it('makes the coming months ahead, moving in the rows that waited in DEFAULT, and drops months past retention', async () => {
    const tenantId = randomUUID();
    // Rows of months no partition was made for yet: they wait in DEFAULT.
    await views(tenantId, ['2031-05-20T10:00:00Z', '2031-06-01T00:00:00Z', '2031-06-30T23:59:59.999Z']);
    expect(await countIn('listing_view_default', tenantId)).toBe(3);

    await partitionMaintenanceJob(ctx.owner.pool, {}, at('2031-05-15T12:00:00Z')).handle({});
    const made = await partitionsOf('listing_view');
    for (const month of ['203105', '203106', '203107', '203108'])
      expect(made).toContain(`listing_view_p${month}`);
    expect(await countIn('listing_view_default', tenantId)).toBe(0);
    expect(await countIn('listing_view_p203105', tenantId)).toBe(1);
    expect(await countIn('listing_view_p203106', tenantId)).toBe(2);
    // Nothing lost, and the parent still reads them all.
    expect(await countIn('listing_view', tenantId)).toBe(3);

    // Running again changes nothing.
    await partitionMaintenanceJob(ctx.owner.pool, {}, at('2031-05-15T12:00:00Z')).handle({});
    expect(await countIn('listing_view', tenantId)).toBe(3);

    // September, keeping 2 months: July and August stay (and September), May and June go; lead_event keeps all.
    await views(tenantId, ['2031-07-02T00:00:00Z']);
    const leadEventsBefore = await partitionsOf('lead_event');
    await partitionMaintenanceJob(ctx.owner.pool, { listingViews: 2 }, at('2031-09-10T08:00:00Z')).handle({});
    const left = await partitionsOf('listing_view');
    expect(left).not.toContain('listing_view_p203105');
    expect(left).not.toContain('listing_view_p203106');
    expect(left).toContain('listing_view_p203107');
    expect(left).toContain('listing_view_p203112');
    expect(await countIn('listing_view', tenantId)).toBe(1);
    expect(await partitionsOf('lead_event')).toEqual(
      expect.arrayContaining([...leadEventsBefore, 'lead_event_p203109', 'lead_event_p203112']),
    );
  });

  it('binds row-level security on a partition read directly, as on its parent', async () => {
    const [mine, theirs] = [randomUUID(), randomUUID()];
    await views(mine, ['2031-07-10T00:00:00Z']);
    await views(theirs, ['2031-07-11T00:00:00Z']);
    const seen = await ctx.database.withTenant(mine, async (tx) => {
      const { rows } = await tx.execute<{ tenant_id: string }>(
        sql`select tenant_id from listing_view_p203107 where created_at >= '2031-07-10' order by 1`,
      );
      return rows.map((row) => row.tenant_id);
    });
    expect(seen).toEqual([mine]);
  });
});
