import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  customType,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import { instant, rowId, tenantIdColumn, timestamps } from '../columns';
import { appUser } from './app-user';
import { tenant } from './tenant';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * A file of customers or listings being imported (modules/imports): its preview and column mapping, then the
 * job's progress. `lastRow` is the last row of the file whose batch committed: a retried job starts after it.
 */
export const importJob = pgTable(
  'import_job',
  {
    id: rowId(),
    tenantId: tenantIdColumn().references(() => tenant.id),
    kind: text('kind', { enum: ['contacts', 'listings'] }).notNull(),
    status: text('status', { enum: ['PREVIEW', 'QUEUED', 'RUNNING', 'DONE', 'FAILED'] })
      .notNull()
      .default('PREVIEW'),
    fileName: text('file_name').notNull(),
    format: text('format', { enum: ['csv', 'xlsx'] }).notNull(),
    encoding: text('encoding'),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    headers: jsonb('headers').$type<string[]>().notNull().default([]),
    preview: jsonb('preview').$type<string[][]>().notNull().default([]),
    mapping: jsonb('mapping').$type<Record<string, string>>(),
    total: integer('total'),
    processedRows: integer('processed_rows').notNull().default(0),
    lastRow: integer('last_row').notNull().default(1),
    imported: integer('imported').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    createdByUserId: uuid('created_by_user_id').notNull(),
    startedAt: instant('started_at'),
    finishedAt: instant('finished_at'),
    ...timestamps(),
  },
  (t) => [
    primaryKey({ name: 'import_job_pkey', columns: [t.tenantId, t.id] }),
    index('import_job_tenant_created_idx').on(t.tenantId, t.createdAt),
    check('import_job_kind_check', sql`${t.kind} in ('contacts', 'listings')`),
    check('import_job_status_check', sql`${t.status} in ('PREVIEW', 'QUEUED', 'RUNNING', 'DONE', 'FAILED')`),
    check('import_job_format_check', sql`${t.format} in ('csv', 'xlsx')`),
    foreignKey({ columns: [t.tenantId, t.createdByUserId], foreignColumns: [appUser.tenantId, appUser.id] }),
  ],
);

/** The uploaded file, in pieces of about a megabyte: any instance's job reads it back as a stream. */
export const importFileChunk = pgTable(
  'import_file_chunk',
  {
    tenantId: tenantIdColumn(),
    importId: uuid('import_id').notNull(),
    seq: integer('seq').notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [
    primaryKey({ name: 'import_file_chunk_pk', columns: [t.tenantId, t.importId, t.seq] }),
    foreignKey({
      name: 'import_file_chunk_import_fk',
      columns: [t.tenantId, t.importId],
      foreignColumns: [importJob.tenantId, importJob.id],
    }).onDelete('cascade'),
  ],
);

/** A row of the file that was not imported, and why (one line per field at fault). */
export const importRejection = pgTable(
  'import_rejection',
  {
    tenantId: tenantIdColumn(),
    importId: uuid('import_id').notNull(),
    row: integer('row').notNull(),
    field: text('field').notNull(),
    message: text('message').notNull(),
  },
  (t) => [
    primaryKey({ name: 'import_rejection_pk', columns: [t.tenantId, t.importId, t.row, t.field] }),
    foreignKey({
      name: 'import_rejection_import_fk',
      columns: [t.tenantId, t.importId],
      foreignColumns: [importJob.tenantId, importJob.id],
    }).onDelete('cascade'),
  ],
);

/** The column mapping a shop last used for a kind of import: the next file's suggestion. */
export const importMapping = pgTable(
  'import_mapping',
  {
    tenantId: tenantIdColumn().references(() => tenant.id),
    kind: text('kind', { enum: ['contacts', 'listings'] }).notNull(),
    mapping: jsonb('mapping').$type<Record<string, string>>().notNull(),
    updatedAt: instant('updated_at').notNull().default(sql`now()`),
  },
  (t) => [primaryKey({ name: 'import_mapping_pk', columns: [t.tenantId, t.kind] })],
);
