import { and, asc, eq, gt, or, type SQL, sql } from 'drizzle-orm';
import { importFileChunk, importJob, importMapping, importRejection } from '../../db/schema';
import type { Tx } from '../../platform/db';

export type ImportRow = typeof importJob.$inferSelect;
type ImportKind = ImportRow['kind'];

export interface RejectionRow {
  row: number;
  field: string;
  message: string;
}

/** Every function takes the tenant first; RLS is the second wall, these filters are the first. */
export function createImportsRepository() {
  const byId = (tenantId: string, importId: string) =>
    and(eq(importJob.tenantId, tenantId), eq(importJob.id, importId));
  return {
    async insert(tx: Tx, row: typeof importJob.$inferInsert) {
      const [created] = await tx.insert(importJob).values(row).returning();
      if (!created) throw new Error('import insert returned nothing');
      return created;
    },
    async get(tx: Tx, tenantId: string, importId: string) {
      const [row] = await tx.select().from(importJob).where(byId(tenantId, importId));
      return row ?? null;
    },
    async update(
      tx: Tx,
      tenantId: string,
      importId: string,
      changes: Partial<typeof importJob.$inferInsert>,
    ) {
      const [row] = await tx
        .update(importJob)
        .set({ ...changes, updatedAt: sql`now()` })
        .where(byId(tenantId, importId))
        .returning();
      return row ?? null;
    },
    async remove(tx: Tx, tenantId: string, importId: string) {
      await tx.delete(importJob).where(byId(tenantId, importId));
    },

    async insertChunk(tx: Tx, tenantId: string, importId: string, seq: number, data: Buffer) {
      await tx.insert(importFileChunk).values({ tenantId, importId, seq, data });
    },
    async chunk(tx: Tx, tenantId: string, importId: string, seq: number) {
      const [row] = await tx
        .select({ data: importFileChunk.data })
        .from(importFileChunk)
        .where(
          and(
            eq(importFileChunk.tenantId, tenantId),
            eq(importFileChunk.importId, importId),
            eq(importFileChunk.seq, seq),
          ),
        );
      return row?.data ?? null;
    },

    /**
     * Moves the import past a batch, with the batch's counts and its rejections, only if it still stands where the
     * batch began: false means another run got there first, and the caller rolls its batch back. One statement:
     * the rejections are written by a part of its WITH.
     */
    async advance(
      tx: Tx,
      tenantId: string,
      importId: string,
      from: number,
      batch: {
        lastRow: number;
        processed: number;
        imported: number;
        updated: number;
        rejected: number;
        /** The file's data rows as now known (a CSV's estimate from the bytes read). */
        total?: number;
        rejections?: readonly RejectionRow[];
      },
    ) {
      const rejections = batch.rejections ?? [];
      const written =
        rejections.length === 0
          ? sql``
          : sql`with written as (
                  insert into import_rejection (tenant_id, import_id, "row", field, message)
                  select ${tenantId}::uuid, ${importId}::uuid, r."row", r.field, r.message
                    from jsonb_to_recordset(${JSON.stringify(rejections)}::jsonb)
                      as r("row" integer, field text, message text)
                  on conflict do nothing
                ) `;
      const result = await tx.execute<{ id: string }>(sql`${written}
        update import_job
           set total = ${batch.total === undefined ? sql`total` : sql`${batch.total}::integer`},
               last_row = ${batch.lastRow}::integer,
               processed_rows = processed_rows + ${batch.processed}::integer,
               imported = imported + ${batch.imported}::integer,
               updated = updated + ${batch.updated}::integer,
               rejected = rejected + ${batch.rejected}::integer,
               updated_at = now()
         where tenant_id = ${tenantId} and id = ${importId} and last_row = ${from}::integer
        returning id`);
      return result.rows.length === 1;
    },

    async insertRejections(tx: Tx, tenantId: string, importId: string, rows: readonly RejectionRow[]) {
      if (rows.length === 0) return;
      await tx
        .insert(importRejection)
        .values(rows.map((row) => ({ tenantId, importId, ...row })))
        .onConflictDoNothing();
    },
    /** Rejections in file order, after (row, field): the report is read in pages. */
    async rejections(
      tx: Tx,
      tenantId: string,
      importId: string,
      limit: number,
      after?: { row: number; field: string },
    ) {
      const conditions: (SQL | undefined)[] = [
        eq(importRejection.tenantId, tenantId),
        eq(importRejection.importId, importId),
      ];
      if (after)
        conditions.push(
          or(
            gt(importRejection.row, after.row),
            and(eq(importRejection.row, after.row), gt(importRejection.field, after.field)),
          ),
        );
      return tx
        .select({ row: importRejection.row, field: importRejection.field, message: importRejection.message })
        .from(importRejection)
        .where(and(...conditions))
        .orderBy(asc(importRejection.row), asc(importRejection.field))
        .limit(limit);
    },

    async rememberedMapping(tx: Tx, tenantId: string, kind: ImportKind) {
      const [row] = await tx
        .select({ mapping: importMapping.mapping })
        .from(importMapping)
        .where(and(eq(importMapping.tenantId, tenantId), eq(importMapping.kind, kind)));
      return row?.mapping ?? null;
    },
    async rememberMapping(tx: Tx, tenantId: string, kind: ImportKind, mapping: Record<string, string>) {
      await tx
        .insert(importMapping)
        .values({ tenantId, kind, mapping })
        .onConflictDoUpdate({
          target: [importMapping.tenantId, importMapping.kind],
          set: { mapping, updatedAt: sql`now()` },
        });
    },
  };
}
