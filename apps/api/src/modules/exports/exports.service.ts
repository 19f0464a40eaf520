import type { Readable } from 'node:stream';
import type { ExportFilter, ExportFormat, ExportKind, Kpis } from '@techmarket/contracts';
import type { SQL } from 'drizzle-orm';
import { branchScope, narrowScope, type Principal } from '../../platform/auth';
import { startOfLocalDay } from '../../platform/business-time';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db';
import { badField, notFound } from '../../platform/errors';
import { type LaggingReads, primaryReads } from '../../platform/read-replica';
import { createExportsRepository, csvStatement, type TaskWindow } from './exports.repository';
import { exportTables, exportTitles } from './exports.tables';
import { csvFromChunks, type Row, writeTable } from './table-writer';

/**
 * Exports: the rows a list shows, with the list's filters, as a CSV or .xlsx file.
 * - A list's CSV is written by PostgreSQL (COPY of the kind's statement, under the tenant's RLS) and streamed to
 *   the client chunk by chunk; an .xlsx streams from a server-side cursor through exceljs, a batch at a time. A
 *   shop with a million leads exports them without the server holding them (see docs/benchmarks.md).
 * - Who sees what is the lists' rule: a SELLER exports their branches only; another shop's export is a 404.
 * - Times are the shop's wall clock (its time zone), money is in each row's currency; text cells that a
 *   spreadsheet would run as a formula are neutralised (csvStatement in SQL, table-writer.ts for .xlsx).
 * - The first batch is read before the answer starts, so a failure the caller can act on is still a problem+json;
 *   one after that can only cut the download short.
 */

export interface ExportsDeps {
  database: Pick<Database, 'withTenant' | 'streamWithTenant' | 'copyWithTenant'>;
  /** Where the lists are read: the read replica when one is configured (a file may lag a moment). */
  reads?: LaggingReads;
  clock: Clock;
  /** The KPI tables are the dashboard's figures, computed by analytics. */
  analytics: { kpis(viewer: Principal, tenantId: string, query: ExportFilter<'kpis'>): Promise<Kpis> };
}

export interface ExportFile {
  fileName: string;
  contentType: string;
  body: Readable;
}

const contentTypes: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * How the rows are read: as PostgreSQL's text (the writers write text or parse the few numbers themselves, so pg's
 * parsing is wasted work), 2,000 a round trip. 10,000 a round trip was measured no faster (docs/benchmarks.md,
 * "Exports": csv-stringify and exceljs set the pace, not the round trips) and holds five times the rows.
 */
const STREAM = { batchSize: 2000, text: true } as const;

/** The CSV as PostgreSQL writes it: RFC 4180 quoting, NULL as an empty field, the column names as the header. */
const COPY_CSV = 'format csv, header';

/** A generator whose first batch has already been read: errors before the first byte stay answerable. */
async function primed<T>(batches: AsyncGenerator<T>): Promise<AsyncGenerator<T>> {
  const first = await batches.next();
  return (async function* () {
    if (first.done) return;
    yield first.value;
    yield* batches;
  })();
}

async function* nothing(): AsyncGenerator<Row[]> {}

async function* once(rows: Row[]): AsyncGenerator<Row[]> {
  yield rows;
}

/** The KPI figures as rows: the totals first, then one per group. */
function kpiRows(kpis: Kpis): Row[] {
  const figures = (label: string, f: Kpis['totals']): Row => [
    label,
    f.leads,
    f.firstResponse.responded,
    f.firstResponse.unanswered,
    f.firstResponse.medianMinutes,
    f.firstResponse.p90Minutes,
    f.won,
    f.lost,
    f.conversionRate,
    f.winRate,
    f.followUp.due,
    f.followUp.onTime,
    f.followUp.compliance,
  ];
  return [
    figures('Total', kpis.totals),
    ...kpis.groups.map((group) => figures(group.label ?? group.key ?? 'Sin asignar', group)),
  ];
}

export function createExportsService({
  database,
  reads = primaryReads(database),
  clock,
  analytics,
}: ExportsDeps) {
  const repo = createExportsRepository();

  /** The statement of one kind for one caller and filter, or null when the caller's scope leaves nothing. */
  function statement<K extends Exclude<ExportKind, 'kpis'>>(
    viewer: Principal,
    tenantId: string,
    kind: K,
    filter: ExportFilter<K>,
    tz: string,
    now: Date,
  ): SQL | null {
    const scope = narrowScope(branchScope(viewer), filter.branchId);
    if (scope?.length === 0) return null;
    switch (kind) {
      case 'leads':
        return repo.leads(tenantId, scope, filter as ExportFilter<'leads'>, tz);
      case 'contacts':
        return repo.contacts(tenantId, branchScope(viewer), filter as ExportFilter<'contacts'>, tz);
      case 'quotes':
        return repo.quotes(tenantId, scope, filter as ExportFilter<'quotes'>, tz);
      case 'tickets':
        return repo.tickets(tenantId, scope, filter as ExportFilter<'tickets'>, tz);
      default: {
        const { assignee, due, ...rest } = filter as ExportFilter<'tasks'>;
        let assigneeUserId = assignee;
        if (assignee === 'me') {
          if (viewer.kind !== 'user')
            throw badField('assignee', '"me" needs a signed-in user', 'SIGN_IN_REQUIRED');
          assigneeUserId = viewer.userId;
        }
        let window: TaskWindow = {};
        if (due === 'overdue') window = { dueBefore: now.toISOString(), status: 'OPEN' };
        if (due === 'upcoming') window = { dueFrom: now.toISOString() };
        if (due === 'today')
          window = {
            dueFrom: startOfLocalDay(now, tz).toISOString(),
            dueBefore: startOfLocalDay(now, tz, 1).toISOString(),
          };
        return repo.tasks(tenantId, scope, { ...rest, assigneeUserId }, window, tz);
      }
    }
  }

  return {
    async exportTable<K extends ExportKind>(
      viewer: Principal,
      tenantId: string,
      kind: K,
      format: ExportFormat,
      filter: ExportFilter<K>,
    ): Promise<ExportFile> {
      if (viewer.tenantId !== tenantId) throw notFound('Tenant');
      const source = await reads.forReader(viewer);
      const shop = await source.withTenant(tenantId, (tx) => repo.shop(tx, tenantId));
      if (!shop) throw notFound('Tenant');
      const now = clock.now();
      // en-CA writes a date as YYYY-MM-DD: the shop's today.
      const date = new Intl.DateTimeFormat('en-CA', { timeZone: shop.timezone }).format(now);
      const title = exportTitles[kind];
      const file = (body: Readable): ExportFile => ({
        fileName: `${title}-${date}.${format}`,
        contentType: contentTypes[format],
        body,
      });
      let batches: AsyncGenerator<Row[]>;
      if (kind === 'kpis') {
        batches = once(kpiRows(await analytics.kpis(viewer, tenantId, filter as ExportFilter<'kpis'>)));
      } else {
        const query = statement(
          viewer,
          tenantId,
          kind as Exclude<ExportKind, 'kpis'>,
          filter as ExportFilter<Exclude<ExportKind, 'kpis'>>,
          shop.timezone,
          now,
        );
        // A list's CSV is PostgreSQL's to write (COPY): writing it here cost as much again as reading the rows.
        if (format === 'csv' && query) {
          const csv = csvStatement(query, exportTables[kind]);
          return file(csvFromChunks(await primed(source.copyWithTenant(tenantId, csv, COPY_CSV))));
        }
        batches = query
          ? await primed(source.streamWithTenant(tenantId, query, STREAM) as AsyncGenerator<Row[]>)
          : nothing();
      }
      return file(writeTable(format, exportTables[kind], batches, title));
    },
  };
}

export type ExportsService = ReturnType<typeof createExportsService>;
