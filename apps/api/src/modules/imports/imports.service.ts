import { Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import {
  type Import,
  type ImportKind,
  type ImportMapping,
  importFields,
  requiredImportFields,
} from '@techmarket/contracts';
import Papa from 'papaparse';
import { z } from 'zod';
import { newId } from '../../db/columns';
import type { UserPrincipal } from '../../platform/auth';
import type { Clock } from '../../platform/clock';
import type { Database, Tx } from '../../platform/db';
import { AppError, invalidField, notFound } from '../../platform/errors';
import { defineJob, type JobQueue } from '../../platform/jobs';
import type { CatalogService } from '../catalog';
import type { ContactsService } from '../contacts';
import { COUNTRY_BY_CURRENCY, type IdentityService } from '../identity';
import { detectEncoding, type FileRow, formatOf, readRows } from './file-reader';
import { createImportsRepository, type ImportRow, type RejectionRow } from './imports.repository';
import {
  type Checked,
  checkContact,
  checkListing,
  columnsOf,
  type ImportedContact,
  type ImportedListing,
  type RowContext,
  suggestMapping,
} from './row-rules';

/**
 * Imports: a file of customers or listings, uploaded and kept in the database (in chunks, so any instance's worker
 * reads it back as a stream), previewed with a column mapping the shop confirms, then written by a job in batches,
 * each batch in its own transaction together with the import's progress. A retried job starts after the last batch
 * that committed, so nothing is written twice and nothing is half written. A row that cannot be imported (a bad
 * phone or price, a malformed line, a file that breaks off) is a line of the report, never a failed job. Customers
 * are recognised by phone (E.164) and listings by SKU: importing the same file again updates them.
 */

export const runImportJob = defineJob({
  name: 'imports.run',
  schema: z.object({ tenantId: z.uuid(), importId: z.uuid() }),
});

const CHUNK_BYTES = 1024 * 1024;
const PREVIEW_ROWS = 10;
const ERRORS_SHOWN = 100;
/** Rows read or checked between two turns of the event loop. */
const YIELD_EVERY = 100;

export interface ImportsDeps {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
  queue: Pick<JobQueue, 'send'>;
  identity: Pick<IdentityService, 'findTenant'>;
  contacts: Pick<ContactsService, 'upsertImported'>;
  catalog: Pick<CatalogService, 'upsertManyBySku'>;
  /** Rows per transaction. */
  batchSize?: number;
}

export interface Upload {
  kind: ImportKind;
  fileName: string;
  mimeType: string;
  file: Readable & { truncated?: boolean };
  maxBytes: number;
}

const toImport = (row: ImportRow, errors: RejectionRow[]): Import => ({
  id: row.id,
  tenantId: row.tenantId,
  kind: row.kind,
  status: row.status,
  fileName: row.fileName,
  format: row.format,
  encoding: row.encoding,
  headers: row.headers,
  preview: row.preview,
  mapping: row.mapping ?? {},
  total: row.total,
  processed: row.processedRows,
  imported: row.imported,
  updated: row.updated,
  rejected: row.rejected,
  errors,
  createdAt: row.createdAt,
  startedAt: row.startedAt,
  finishedAt: row.finishedAt,
});

/** Headers as the mapping screen names them: blank ones by position, repeated ones numbered. */
function headerNames(cells: string[]) {
  const seen = new Map<string, number>();
  return cells.map((cell, index) => {
    const base = cell.trim() || `Columna ${index + 1}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base} (${count})`;
  });
}

/** A promise and what settles it (Promise.withResolvers, which Node 20 lacks). */
function signal() {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** The same key twice in a batch: the later row's values win, and what it leaves out keeps the earlier's. */
function mergeByKey<T extends object>(rows: T[], keyOf: (row: T) => string) {
  const merged = new Map<string, T>();
  for (const row of rows) {
    const key = keyOf(row);
    const before = merged.get(key);
    if (!before) {
      merged.set(key, row);
      continue;
    }
    const given = Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null));
    merged.set(key, { ...before, ...given } as T);
  }
  return [...merged.values()];
}

export function createImportsService(deps: ImportsDeps) {
  const { database, clock, queue, identity, contacts, catalog } = deps;
  // Customers 500 at a time: a batch holds one advisory lock per phone until it commits, two batches are written at
  // once (run), and PostgreSQL's lock table has room for max_locks_per_transaction × max_connections (6,400 by
  // default) for everyone: an import holds at most 1,000. Listings take no such locks, so their batches are
  // larger: fewer round trips a row.
  const batchSizeOf = (kind: ImportKind) => deps.batchSize ?? (kind === 'contacts' ? 500 : 5000);
  const repo = createImportsRepository();

  /** The stored file as a stream, one chunk (one short read) at a time. */
  const storedFile = (tenantId: string, importId: string) =>
    Readable.from(
      (async function* () {
        for (let seq = 0; ; seq++) {
          const data = await database.withTenant(tenantId, (tx) => repo.chunk(tx, tenantId, importId, seq));
          if (!data) return;
          yield data;
        }
      })(),
    );

  const rowsOf = (job: ImportRow) => readRows(job.format, storedFile(job.tenantId, job.id), job.encoding);

  async function requireImport(tx: Tx, tenantId: string, importId: string) {
    const row = await repo.get(tx, tenantId, importId);
    if (!row) throw notFound('Import');
    return row;
  }

  /** Stores the upload, one chunk at a time in one transaction: a broken or oversized upload leaves nothing. */
  async function store(actor: UserPrincipal, upload: Upload) {
    const chunks = upload.file[Symbol.asyncIterator]();
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let ended = false;
    /** The next ~1 MB of the upload (less at its end), or null once it is all read. */
    const nextChunk = async (): Promise<Buffer | null> => {
      while (!ended && pendingBytes < CHUNK_BYTES) {
        const next = await chunks.next();
        if (next.done) ended = true;
        else {
          pending.push(next.value as Buffer);
          pendingBytes += (next.value as Buffer).length;
        }
      }
      if (pendingBytes === 0) return null;
      const all = Buffer.concat(pending);
      const chunk = all.subarray(0, CHUNK_BYTES);
      pending = all.length > CHUNK_BYTES ? [all.subarray(CHUNK_BYTES)] : [];
      pendingBytes = all.length - chunk.length;
      return chunk;
    };
    const first = await nextChunk();
    if (!first) throw invalidField('file', 'the file is empty', 'FILE_EMPTY');
    const format = formatOf(upload.fileName, upload.mimeType, first);
    if (!format) throw invalidField('file', 'not a .csv or .xlsx file', 'FILE_FORMAT');
    const tooLarge = () =>
      new AppError('TOO_LARGE', `file: larger than ${upload.maxBytes} bytes`, {
        errors: [{ path: 'file', message: `larger than ${upload.maxBytes} bytes`, code: 'FILE_TOO_LARGE' }],
      });
    return database.withTenant(actor.tenantId, async (tx) => {
      const job = await repo.insert(tx, {
        id: newId(),
        tenantId: actor.tenantId,
        kind: upload.kind,
        fileName: upload.fileName.slice(0, 200),
        format,
        encoding: format === 'csv' ? detectEncoding(first) : null,
        sizeBytes: 0,
        createdByUserId: actor.userId,
      });
      let size = 0;
      let seq = 0;
      for (let chunk: Buffer | null = first; chunk; chunk = await nextChunk()) {
        if (upload.file.truncated) throw tooLarge();
        await repo.insertChunk(tx, actor.tenantId, job.id, seq++, chunk);
        size += chunk.length;
      }
      if (upload.file.truncated) throw tooLarge();
      return (await repo.update(tx, actor.tenantId, job.id, { sizeBytes: size })) ?? job;
    });
  }

  /** The headers and first rows; a file that cannot be read at all is refused (and forgotten) here. */
  async function preview(job: ImportRow) {
    const rows: FileRow[] = [];
    try {
      for await (const row of rowsOf(job)) {
        rows.push(row);
        if (rows.length > PREVIEW_ROWS) break;
      }
    } catch {
      await database.withTenant(job.tenantId, (tx) => repo.remove(tx, job.tenantId, job.id));
      throw invalidField(
        'file',
        `the file could not be read as ${job.format === 'xlsx' ? '.xlsx' : 'CSV'}`,
        'FILE_UNREADABLE',
      );
    }
    const [header, ...sample] = rows;
    if (!header) {
      await database.withTenant(job.tenantId, (tx) => repo.remove(tx, job.tenantId, job.id));
      throw invalidField('file', 'the file has no rows', 'FILE_EMPTY');
    }
    const headers = headerNames(header.cells);
    return database.withTenant(job.tenantId, async (tx) => {
      const remembered = await repo.rememberedMapping(tx, job.tenantId, job.kind);
      const updated = await repo.update(tx, job.tenantId, job.id, {
        headers,
        preview: sample.map((row) => headers.map((_, index) => row.cells[index] ?? '')),
        mapping: suggestMapping(job.kind, headers, remembered),
      });
      return updated ?? job;
    });
  }

  function checkMapping(kind: ImportKind, headers: string[], mapping: ImportMapping) {
    const fields: readonly string[] = importFields[kind];
    for (const [field, header] of Object.entries(mapping)) {
      if (!fields.includes(field))
        throw invalidField(`mapping.${field}`, `not a field of ${kind}`, 'MAPPING_FIELD_UNKNOWN');
      if (!headers.includes(header))
        throw invalidField(`mapping.${field}`, 'no such column in the file', 'MAPPING_COLUMN_MISSING');
    }
    for (const field of requiredImportFields[kind]) {
      if (mapping[field] === undefined)
        throw invalidField(`mapping.${field}`, 'required', 'MAPPING_COLUMN_REQUIRED');
    }
  }

  async function start(actor: UserPrincipal, importId: string, mapping: ImportMapping) {
    const { tenantId } = actor;
    const row = await database.withTenant(tenantId, async (tx) => {
      const job = await requireImport(tx, tenantId, importId);
      if (job.status !== 'PREVIEW') throw new AppError('CONFLICT', 'This import has already started');
      checkMapping(job.kind, job.headers, mapping);
      await repo.rememberMapping(tx, tenantId, job.kind, mapping);
      return repo.update(tx, tenantId, importId, { status: 'QUEUED', mapping });
    });
    if (!row) throw notFound('Import');
    await runImportJob.send(queue, { tenantId, importId });
    return toImport(row, []);
  }

  /** A batch's rows checked (no I/O): what it writes, what it rejects, and where it ends. */
  async function checkBatch(job: ImportRow, context: RowContext, batch: FileRow[], from: number) {
    const columns = columnsOf(job.headers, job.mapping ?? {});
    const rejections: RejectionRow[] = [];
    const accepted: { row: number; key: string; value: ImportedContact | ImportedListing }[] = [];
    let seen = 0;
    for (const { row, cells } of batch) {
      // Checking a batch takes tens of ms; the batch before it, committing meanwhile, needs the event loop for
      // each of its round trips.
      if (++seen % YIELD_EVERY === 0) await setImmediate();
      // A CSV line with fewer or more cells than headers is a broken line (a stray quote or delimiter).
      if (job.format === 'csv' && cells.length !== job.headers.length) {
        const extra = cells.slice(job.headers.length).some((cell) => cell.trim() !== '');
        if (cells.length < job.headers.length || extra) {
          rejections.push({
            row,
            field: 'file',
            message: `La fila tiene ${cells.length} columnas y el encabezado ${job.headers.length}`,
          });
          continue;
        }
      }
      const checked: Checked<ImportedContact | ImportedListing> =
        job.kind === 'contacts'
          ? checkContact(columns(cells), context)
          : checkListing(columns(cells), context);
      if (!checked.ok) rejections.push(...checked.rejections.map((r) => ({ row, ...r })));
      else
        accepted.push({
          row,
          key: 'phone' in checked.value ? checked.value.phone : checked.value.sku,
          value: checked.value,
        });
    }
    return { from, lastRow: batch.at(-1)?.row ?? from, size: batch.length, rejections, accepted };
  }
  type CheckedBatch = Awaited<ReturnType<typeof checkBatch>> & { total?: number | undefined };
  type BatchGates = { started: () => void; before: Promise<void> };
  type InFlight = { started: Promise<void>; written: Promise<void> };

  /**
   * One batch in one transaction: its rows written, its rejections and the import's progress with them. `gates`
   * let it overlap the batch before it (see run): it says when its keys are held (`started`), and moves the
   * progress only once the batch before it has committed (`before`).
   */
  async function writeBatch(job: ImportRow, checked: CheckedBatch, gates: BatchGates) {
    const { from, lastRow, rejections, accepted } = checked;
    await database.withTenant(job.tenantId, async (tx) => {
      let created: Set<string>;
      if (job.kind === 'contacts') {
        const rows = mergeByKey(
          accepted.map((a) => a.value as ImportedContact),
          (c) => c.phone,
        );
        created = await contacts.upsertImported(tx, job.tenantId, rows, gates.started);
      } else {
        const rows = mergeByKey(
          accepted.map((a) => a.value as ImportedListing),
          (l) => l.sku,
        );
        const written = await catalog.upsertManyBySku(tx, job.tenantId, rows);
        // Listings hold their SKUs' rows only once written: the next batch begins after that.
        gates.started();
        created = new Set(written.filter((w) => w.inserted).map((w) => w.sku));
      }
      // A key new to the shop counts as imported the first time the file names it, as updated after.
      let imported = 0;
      for (const key of new Set(accepted.map((a) => a.key))) if (created.has(key)) imported++;
      // The batch before this one must have committed its progress: run earlier, this update would find the row not
      // yet moved and fail for nothing. (Should that batch fail, this one finds it so and fails too.)
      await gates.before.catch(() => undefined);
      const moved = await repo.advance(tx, job.tenantId, job.id, from, {
        rejections,
        lastRow,
        processed: checked.size,
        imported,
        updated: accepted.length - imported,
        rejected: new Set(rejections.map((r) => r.row)).size,
        total: checked.total,
      });
      if (!moved) throw new Error(`import ${job.id}: another run wrote past row ${from}`);
    });
  }

  /**
   * The job: writes the rows in batches from where it stopped, the total (for the progress bar) estimated from the
   * bytes read for a CSV, counted first for an .xlsx.
   */
  async function run(tenantId: string, importId: string) {
    const job = await database.withTenant(tenantId, (tx) => repo.get(tx, tenantId, importId));
    if (!job || (job.status !== 'QUEUED' && job.status !== 'RUNNING')) return;
    const tenant = await database.withTenant(tenantId, (tx) => identity.findTenant(tx, tenantId));
    if (!tenant) return;
    const context: RowContext = {
      country: COUNTRY_BY_CURRENCY[tenant.defaultCurrency] ?? 'PE',
      currency: tenant.defaultCurrency,
      timezone: tenant.timezone,
      now: clock.now(),
      phones: new Map(),
    };
    // A CSV is not read twice: its total is estimated from the bytes read as it goes, and exact at the end. An
    // .xlsx's bytes are compressed, so its rows are counted first.
    const csv = job.format === 'csv';
    let total = job.total;
    if (total === null && !csv) {
      total = 0;
      try {
        for await (const _ of rowsOf(job)) total++;
      } catch {
        // Counted up to where the file breaks off; the writing pass reports that row.
      }
      total = Math.max(0, total - 1);
    }
    await database.withTenant(tenantId, (tx) =>
      repo.update(tx, tenantId, importId, {
        status: 'RUNNING',
        total,
        startedAt: job.startedAt ?? clock.now().toISOString(),
      }),
    );

    // The next batch is read and checked while the one before it is written: the checking is this process's
    // work, the writing PostgreSQL's, and batches still commit one after the other, in file order.
    const batchSize = batchSizeOf(job.kind);
    let from = job.lastRow;
    const read = { bytes: 0, rows: 0 };
    let seen = 0;
    const estimate = () =>
      csv && read.bytes > 0 ? Math.max(seen, Math.round((seen * job.sizeBytes) / read.bytes)) : undefined;
    // Two batches are written at once, each in its own transaction on its own connection: while one moves the
    // progress and commits (PostgreSQL's fsync), the next one's keys are locked and its rows written. The next
    // begins only once this one holds its keys, so a key in both is written in file order (the later batch waits
    // for the earlier's commit, then sees its row), and moves the progress only after this one committed.
    let previous: InFlight = { started: Promise.resolve(), written: Promise.resolve() };
    let older: Promise<void> = Promise.resolve();
    const write = async (rows: FileRow[]) => {
      const checked = { ...(await checkBatch(job, context, rows, from)), total: estimate() };
      from = checked.lastRow;
      // At most two at once: the one before the previous has committed (or failed: then stop here).
      await older;
      await previous.started;
      const started = signal();
      const written = writeBatch(job, checked, {
        started: started.resolve,
        before: previous.written,
      }).finally(
        // A batch that failed before holding its keys must not hold the next one back forever.
        started.resolve,
      );
      // Awaited before the batch after next or at the end; until then a failure must not count as unhandled.
      written.catch(() => undefined);
      older = previous.written;
      previous = { started: started.promise, written };
    };
    const writing = () => Promise.all([older, previous.written]);
    let batch: FileRow[] = [];
    let header = true;
    const rows = readRows(job.format, storedFile(job.tenantId, job.id), job.encoding, read);
    for (;;) {
      let next: IteratorResult<FileRow>;
      try {
        next = await rows.next();
      } catch (error) {
        // The rest of the file cannot be read: what was read is kept, and the report says where it broke off.
        if (batch.length > 0) await write(batch);
        batch = [];
        await writing();
        await database.withTenant(tenantId, async (tx) => {
          await repo.insertRejections(tx, tenantId, importId, [
            {
              row: from + 1,
              field: 'file',
              message: `El archivo no se puede leer desde aquí: ${String((error as Error).message ?? error).slice(0, 200)}`,
            },
          ]);
          await repo.advance(tx, tenantId, importId, from, {
            lastRow: from + 1,
            processed: 0,
            imported: 0,
            updated: 0,
            rejected: 1,
          });
        });
        break;
      }
      if (next.done) break;
      // Reading is promises that settle at once (the parser's rows): without a turn of the event loop now and
      // then, the commit under way could not read its answers until the batch was read.
      if (++read.rows % YIELD_EVERY === 0) await setImmediate();
      if (header) {
        header = false;
        continue;
      }
      seen++;
      if (next.value.row <= from) continue;
      batch.push(next.value);
      if (batch.length >= batchSize) {
        await write(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await write(batch);
    await writing();
    await database.withTenant(tenantId, (tx) =>
      repo.update(tx, tenantId, importId, {
        status: 'DONE',
        finishedAt: clock.now().toISOString(),
        ...(csv ? { total: seen } : {}),
      }),
    );
  }

  return {
    /** Stores a file and answers its preview with a suggested mapping (status PREVIEW). */
    async upload(actor: UserPrincipal, upload: Upload): Promise<Import> {
      const job = await preview(await store(actor, upload));
      return toImport(job, []);
    },

    start,

    async get(actor: UserPrincipal, importId: string): Promise<Import> {
      return database.withTenant(actor.tenantId, async (tx) => {
        const job = await requireImport(tx, actor.tenantId, importId);
        return toImport(job, await repo.rejections(tx, actor.tenantId, importId, ERRORS_SHOWN));
      });
    },

    /** The rejected rows as CSV (row, column, reason), read in pages as it is sent. */
    async rejectionsCsv(actor: UserPrincipal, importId: string) {
      const { tenantId } = actor;
      const job = await database.withTenant(tenantId, (tx) => requireImport(tx, tenantId, importId));
      const page = 1000;
      const fileName = `rechazos-${job.fileName.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_')}.csv`;
      const body = Readable.from(
        (async function* () {
          // The BOM makes Excel read the accents right.
          yield `\ufeff${Papa.unparse([['fila', 'columna', 'motivo']])}\r\n`;
          let after: { row: number; field: string } | undefined;
          for (;;) {
            const rows = await database.withTenant(tenantId, (tx) =>
              repo.rejections(tx, tenantId, importId, page, after),
            );
            if (rows.length > 0)
              yield `${Papa.unparse(
                rows.map((r) => [r.row, r.field, r.message]),
                { escapeFormulae: true },
              )}\r\n`;
            const last = rows.at(-1);
            if (rows.length < page || !last) return;
            after = { row: last.row, field: last.field };
          }
        })(),
      );
      return { fileName, body };
    },

    run,
  };
}

export type ImportsService = ReturnType<typeof createImportsService>;
