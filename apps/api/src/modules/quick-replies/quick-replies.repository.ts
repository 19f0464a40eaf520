import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { quickReply } from '../../db/schema';
import type { Tx } from '../../platform/db';

const columns = {
  id: quickReply.id,
  tenantId: quickReply.tenantId,
  title: quickReply.title,
  text: quickReply.text,
  createdAt: quickReply.createdAt,
  updatedAt: quickReply.updatedAt,
  version: quickReply.version,
};

export type QuickReplyRow = Awaited<ReturnType<QuickRepliesRepository['list']>>[number];

/** Every function takes the tenant first; RLS is the second wall. */
export function createQuickRepliesRepository() {
  return {
    /** A page in creation order (ids are UUIDv7), plus one row to know whether another page follows. */
    list(tx: Tx, tenantId: string, afterId: string | null, limit: number) {
      return tx
        .select(columns)
        .from(quickReply)
        .where(and(eq(quickReply.tenantId, tenantId), afterId ? gt(quickReply.id, afterId) : undefined))
        .orderBy(asc(quickReply.id))
        .limit(limit + 1);
    },
    async get(tx: Tx, tenantId: string, id: string) {
      const [row] = await tx
        .select(columns)
        .from(quickReply)
        .where(and(eq(quickReply.tenantId, tenantId), eq(quickReply.id, id)));
      return row ?? null;
    },
    async insert(tx: Tx, values: typeof quickReply.$inferInsert) {
      const [row] = await tx.insert(quickReply).values(values).returning(columns);
      if (!row) throw new Error('quick reply insert returned nothing');
      return row;
    },
    /** Changes the row only at the version the caller read; null when it moved on (or is gone). */
    async update(
      tx: Tx,
      tenantId: string,
      id: string,
      version: number,
      changes: { title?: string; text?: string },
      at: string,
    ) {
      const [row] = await tx
        .update(quickReply)
        .set({ ...changes, updatedAt: at, version: sql`${quickReply.version} + 1` })
        .where(and(eq(quickReply.tenantId, tenantId), eq(quickReply.id, id), eq(quickReply.version, version)))
        .returning(columns);
      return row ?? null;
    },
    async remove(tx: Tx, tenantId: string, id: string) {
      const rows = await tx
        .delete(quickReply)
        .where(and(eq(quickReply.tenantId, tenantId), eq(quickReply.id, id)))
        .returning({ id: quickReply.id });
      return rows.length > 0;
    },
  };
}

export type QuickRepliesRepository = ReturnType<typeof createQuickRepliesRepository>;
