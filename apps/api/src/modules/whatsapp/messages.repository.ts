import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { whatsappMedia, whatsappMessage } from '../../db/schema';
import type { WhatsappMessageRowStatus } from '../../db/schema/whatsapp';
import type { Tx } from '../../platform/db';

import { INSERT_CHUNK, messageColumns, type NewMessage, rankOf, statusRank } from './whatsapp-rows';

/** The conversation's messages, either way, and their media. Every function takes the tenant first. */
export function createMessagesRepository() {
  return {
    /** The customer's last message on each of the leads (those with none are left out). */
    async lastInboundByLead(tx: Tx, tenantId: string, leadIds: string[]) {
      if (leadIds.length === 0) return new Map<string, string>();
      const rows = await tx
        .select({ leadId: whatsappMessage.leadId, at: sql<string>`max(${whatsappMessage.createdAt})` })
        .from(whatsappMessage)
        .where(
          and(
            eq(whatsappMessage.tenantId, tenantId),
            inArray(whatsappMessage.leadId, leadIds),
            eq(whatsappMessage.direction, 'IN'),
          ),
        )
        .groupBy(whatsappMessage.leadId);
      return new Map(rows.map((r) => [r.leadId, new Date(r.at).toISOString()]));
    },
    async findMessage(tx: Tx, tenantId: string, messageId: string) {
      const [row] = await tx
        .select(messageColumns)
        .from(whatsappMessage)
        .where(and(eq(whatsappMessage.tenantId, tenantId), eq(whatsappMessage.id, messageId)));
      return row ?? null;
    },
    /** Holds the message until the transaction ends: one sender at a time, however many retries run. */
    async lockMessage(tx: Tx, tenantId: string, messageId: string) {
      const [row] = await tx
        .select(messageColumns)
        .from(whatsappMessage)
        .where(and(eq(whatsappMessage.tenantId, tenantId), eq(whatsappMessage.id, messageId)))
        .for('update');
      return row ?? null;
    },
    /**
     * Inserts several messages in as few statements as the parameter limit allows, skipping any whose wamid is
     * already stored (in any month: the table's trigger skips a row whose wamid `whatsapp_message_key` holds);
     * answers the rows inserted.
     */
    async insertMessages(tx: Tx, values: readonly NewMessage[]) {
      const chunks = [];
      for (let start = 0; start < values.length; start += INSERT_CHUNK) {
        const rows = await tx
          .insert(whatsappMessage)
          .values(values.slice(start, start + INSERT_CHUNK))
          .returning(messageColumns);
        chunks.push(rows);
      }
      return chunks.flat();
    },
    /** Inserts the message unless its wamid is already stored (null then). */
    async insertMessage(tx: Tx, values: NewMessage) {
      const [row] = await tx.insert(whatsappMessage).values(values).returning(messageColumns);
      return row ?? null;
    },
    /** Moves the status forward only; null when the message is unknown or already further along. */
    async advanceStatus(
      tx: Tx,
      tenantId: string,
      wamid: string,
      status: WhatsappMessageRowStatus,
      error: { code: number | null; title: string } | null,
      at: string,
    ) {
      const [row] = await tx
        .update(whatsappMessage)
        .set({
          status,
          ...(error ? { errorCode: error.code, errorTitle: error.title } : {}),
          updatedAt: at,
        })
        .where(
          and(
            eq(whatsappMessage.tenantId, tenantId),
            // Found by its key, which names its month: one partition read, not one per month.
            sql`(${whatsappMessage.id}, ${whatsappMessage.createdAt}) = (select k.message_id, k.created_at from whatsapp_message_key k where k.tenant_id = ${tenantId} and k.wa_message_id = ${wamid})`,
            eq(whatsappMessage.waMessageId, wamid),
            sql`${rankOf} < ${statusRank[status]}`,
          ),
        )
        .returning(messageColumns);
      return row ?? null;
    },
    async markSent(tx: Tx, tenantId: string, messageId: string, wamid: string, attempts: number, at: string) {
      await tx
        .update(whatsappMessage)
        .set({ status: 'SENT', waMessageId: wamid, sendAttempts: attempts, waTimestamp: at, updatedAt: at })
        .where(
          and(
            eq(whatsappMessage.tenantId, tenantId),
            eq(whatsappMessage.id, messageId),
            eq(whatsappMessage.status, 'QUEUED'),
          ),
        );
    },
    async markFailed(
      tx: Tx,
      tenantId: string,
      messageId: string,
      error: { code: number | null; title: string },
      attempts: number,
      at: string,
    ) {
      await tx
        .update(whatsappMessage)
        .set({
          status: 'FAILED',
          errorCode: error.code,
          errorTitle: error.title,
          sendAttempts: attempts,
          updatedAt: at,
        })
        .where(and(eq(whatsappMessage.tenantId, tenantId), eq(whatsappMessage.id, messageId)));
    },
    /** One page of a lead's conversation, oldest first, plus one row to know whether another page follows. */
    async listMessages(
      tx: Tx,
      tenantId: string,
      leadId: string,
      after: { at: string; id: string } | null,
      limit: number,
    ) {
      return tx
        .select(messageColumns)
        .from(whatsappMessage)
        .where(
          and(
            eq(whatsappMessage.tenantId, tenantId),
            eq(whatsappMessage.leadId, leadId),
            after
              ? sql`(${whatsappMessage.createdAt}, ${whatsappMessage.id}) > (${after.at}::timestamptz, ${after.id}::uuid)`
              : undefined,
          ),
        )
        .orderBy(asc(whatsappMessage.createdAt), asc(whatsappMessage.id))
        .limit(limit + 1);
    },
    /** The customer's last message on the lead: when it came (the service window) and from which WhatsApp id. */
    async lastInbound(tx: Tx, tenantId: string, leadId: string) {
      const [row] = await tx
        .select({ at: whatsappMessage.createdAt, customerWaId: whatsappMessage.customerWaId })
        .from(whatsappMessage)
        .where(
          and(
            eq(whatsappMessage.tenantId, tenantId),
            eq(whatsappMessage.leadId, leadId),
            eq(whatsappMessage.direction, 'IN'),
          ),
        )
        .orderBy(sql`${whatsappMessage.createdAt} desc`)
        .limit(1);
      return row ?? null;
    },
    async setMedia(
      tx: Tx,
      tenantId: string,
      messageId: string,
      media: {
        status: 'STORED' | 'TOO_LARGE' | 'FAILED';
        mimeType?: string | null;
        byteSize?: number | null;
      },
      at: string,
    ) {
      await tx
        .update(whatsappMessage)
        .set({
          mediaStatus: media.status,
          ...(media.mimeType !== undefined ? { mediaMimeType: media.mimeType } : {}),
          ...(media.byteSize !== undefined ? { mediaByteSize: media.byteSize } : {}),
          updatedAt: at,
        })
        .where(and(eq(whatsappMessage.tenantId, tenantId), eq(whatsappMessage.id, messageId)));
    },
    async insertMedia(tx: Tx, values: typeof whatsappMedia.$inferInsert) {
      await tx
        .insert(whatsappMedia)
        .values(values)
        .onConflictDoNothing({ target: [whatsappMedia.tenantId, whatsappMedia.messageId] });
    },
    async findMedia(tx: Tx, tenantId: string, messageId: string) {
      const [row] = await tx
        .select({
          content: whatsappMedia.content,
          mimeType: whatsappMedia.mimeType,
          byteSize: whatsappMedia.byteSize,
        })
        .from(whatsappMedia)
        .where(and(eq(whatsappMedia.tenantId, tenantId), eq(whatsappMedia.messageId, messageId)));
      return row ?? null;
    },
  };
}
