import { and, eq, inArray, sql } from 'drizzle-orm';
import { escapeLiteral } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { whatsappMessageKey } from '../../db/schema';
import type { Tx } from '../../platform/db';

import type { NewDelivery, PendingDelivery } from './whatsapp-rows';

/** Stored webhook deliveries: the work items of the processing, and the wamid locks of a batch. */
export function createDeliveriesRepository() {
  return {
    /**
     * The webhook's insert of deliveries, unless already stored (the same body for the same channel, in any month:
     * the table's trigger skips a row whose key `whatsapp_delivery_key` holds, migration 0030), as SQL text for
     * `Database.writeSqlWithTenant`: each value escaped as a literal, no query builder on the hottest path.
     * Its rows answer `id`, `channel_id` and `body_sha256` of the new deliveries.
     */
    insertDeliveriesSql(rows: readonly NewDelivery[]) {
      const values = rows.map(
        (row) =>
          `(${[uuidv7(), row.tenantId, row.channelId, row.bodySha256].map(escapeLiteral).join(', ')}, ` +
          `${escapeLiteral(row.payloadJson)}::jsonb, ${escapeLiteral(row.receivedAt)}::timestamptz)`,
      );
      return `insert into whatsapp_delivery (id, tenant_id, channel_id, body_sha256, payload, received_at)
              values ${values.join(',\n')}
              returning id, channel_id, body_sha256`;
    },
    /**
     * The tenant's oldest pending delivery that no other transaction holds, locked until this one ends (`for
     * update skip locked`, on the pending partial index), with its channel (null when disconnected since); `except`
     * are left out (those that failed in this pass).
     */
    /**
     * Up to `limit` of the tenant's oldest pending deliveries that no other transaction holds (`for update skip
     * locked`), oldest first; `only` narrows the choice to those ids (a failed batch retried one by one).
     */
    async claimPendingDeliveries(
      tx: Tx,
      tenantId: string,
      options: { except: string[]; limit: number; only?: string[] | undefined },
    ): Promise<PendingDelivery[]> {
      const { except, limit, only } = options;
      const result = await tx.execute<{
        id: string;
        payload: unknown;
        channel_id: string | null;
        branch_id: string | null;
        phone_number_id: string | null;
      }>(sql`
        select d.id, d.payload, c.id as channel_id, c.branch_id, c.phone_number_id
          from whatsapp_delivery d
          left join whatsapp_channel c on c.tenant_id = d.tenant_id and c.id = d.channel_id
         where d.tenant_id = ${tenantId} and d.processed_at is null
           ${except.length > 0 ? sql`and d.id <> all(${sql.param(except)}::uuid[])` : sql``}
           ${only ? sql`and d.id = any(${sql.param(only)}::uuid[])` : sql``}
         order by d.received_at, d.id
         limit ${limit}
         for update of d skip locked`);
      return result.rows.map((row) => ({
        id: row.id,
        payload: row.payload,
        channel:
          row.channel_id && row.branch_id && row.phone_number_id
            ? { id: row.channel_id, branchId: row.branch_id, phoneNumberId: row.phone_number_id }
            : null,
      }));
    },
    /** Several deliveries marked at once, each with its outcome and note: one statement. */
    async finishDeliveries(
      tx: Tx,
      tenantId: string,
      finished: { id: string; outcome: 'PROCESSED' | 'SKIPPED'; note: string | null }[],
      at: string,
    ) {
      if (finished.length === 0) return;
      await tx.execute(sql`
        update whatsapp_delivery d
           set processed_at = ${at}::timestamptz, outcome = f.outcome, note = f.note
          from unnest(${sql.param(finished.map((f) => f.id))}::uuid[],
                      ${sql.param(finished.map((f) => f.outcome))}::text[],
                      ${sql.param(finished.map((f) => f.note))}::text[]) as f(id, outcome, note)
         where d.tenant_id = ${tenantId} and d.id = f.id`);
    },

    /**
     * Takes the wamids' locks for the transaction, all in one statement and in one order (so two batches that
     * share wamids cannot deadlock on them), then answers which of them are already stored. Two statements: the
     * look-up's snapshot must be taken after the locks are held, to see what their last holder committed.
     */
    async lockAndFindWamids(tx: Tx, tenantId: string, wamids: string[]) {
      const keys = [...new Set(wamids)].sort();
      if (keys.length === 0) return new Set<string>();
      await tx.execute(
        sql`select pg_advisory_xact_lock(hashtextextended('wamid:' || ${tenantId}::text || ':' || t.w, 0))
              from unnest(${sql.param(keys)}::text[]) with ordinality as t(w, i) order by t.i`,
      );
      // The wamids stored in any month: whatsapp_message's key, kept by its triggers (migration 0030).
      const rows = await tx
        .select({ wamid: whatsappMessageKey.waMessageId })
        .from(whatsappMessageKey)
        .where(and(eq(whatsappMessageKey.tenantId, tenantId), inArray(whatsappMessageKey.waMessageId, keys)));
      return new Set(rows.map((r) => r.wamid));
    },
  };
}
