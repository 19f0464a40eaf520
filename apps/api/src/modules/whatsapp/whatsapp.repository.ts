import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import {
  whatsappChannel,
  whatsappDelivery,
  whatsappMedia,
  whatsappMessage,
  whatsappTemplate,
} from '../../db/schema';
import type { WhatsappMessageRowStatus } from '../../db/schema/whatsapp';
import type { Queryable, Tx } from '../../platform/db';

const channelColumns = {
  id: whatsappChannel.id,
  tenantId: whatsappChannel.tenantId,
  branchId: whatsappChannel.branchId,
  phoneNumberId: whatsappChannel.phoneNumberId,
  businessAccountId: whatsappChannel.businessAccountId,
  displayPhoneNumber: whatsappChannel.displayPhoneNumber,
  verifiedName: whatsappChannel.verifiedName,
  qualityRating: whatsappChannel.qualityRating,
  status: whatsappChannel.status,
  lastError: whatsappChannel.lastError,
  lastTestedAt: whatsappChannel.lastTestedAt,
  createdAt: whatsappChannel.createdAt,
  updatedAt: whatsappChannel.updatedAt,
};
/** With the sealed secrets: for the services that call the Graph API, never for an answer. */
const channelWithSecrets = {
  ...channelColumns,
  accessTokenEnc: whatsappChannel.accessTokenEnc,
  appSecretEnc: whatsappChannel.appSecretEnc,
};

const messageColumns = {
  id: whatsappMessage.id,
  leadId: whatsappMessage.leadId,
  channelId: whatsappMessage.channelId,
  direction: whatsappMessage.direction,
  waMessageId: whatsappMessage.waMessageId,
  customerWaId: whatsappMessage.customerWaId,
  type: whatsappMessage.type,
  text: whatsappMessage.text,
  template: whatsappMessage.template,
  status: whatsappMessage.status,
  errorCode: whatsappMessage.errorCode,
  errorTitle: whatsappMessage.errorTitle,
  mediaId: whatsappMessage.mediaId,
  mediaStatus: whatsappMessage.mediaStatus,
  mediaMimeType: whatsappMessage.mediaMimeType,
  mediaByteSize: whatsappMessage.mediaByteSize,
  sentByUserId: whatsappMessage.sentByUserId,
  sendAttempts: whatsappMessage.sendAttempts,
  createdAt: whatsappMessage.createdAt,
};

/**
 * How far along a message is. Statuses only move up this ladder, whatever order Meta's webhooks arrive in:
 * a FAILED after DELIVERED counts (the send did fail), a DELIVERED after READ does not.
 */
export const statusRank: Record<WhatsappMessageRowStatus, number> = {
  RECEIVED: 0,
  QUEUED: 0,
  SENT: 1,
  DELIVERED: 2,
  FAILED: 3,
  READ: 4,
};
const rankOf = sql`case ${whatsappMessage.status} when 'SENT' then 1 when 'DELIVERED' then 2 when 'FAILED' then 3 when 'READ' then 4 else 0 end`;

export type ChannelRow = NonNullable<Awaited<ReturnType<WhatsappRepository['findChannelByBranch']>>>;
export type ChannelWithSecrets = NonNullable<
  Awaited<ReturnType<WhatsappRepository['findChannelWithSecrets']>>
>;
export type MessageRow = NonNullable<Awaited<ReturnType<WhatsappRepository['findMessage']>>>;
export type NewMessage = typeof whatsappMessage.$inferInsert;
export type NewDelivery = typeof whatsappDelivery.$inferInsert & { tenantId: string };
/** Rows per multi-row insert: about twenty columns each stays well under PostgreSQL's 65,535 parameters. */
const INSERT_CHUNK = 500;
export interface PendingDelivery {
  id: string;
  payload: unknown;
  channel: { id: string; branchId: string; phoneNumberId: string } | null;
}

/** Every function takes the tenant first (but the two webhook look-ups, which run before it is known). */
export function createWhatsappRepository() {
  return {
    async upsertChannel(
      tx: Tx,
      values: Omit<typeof whatsappChannel.$inferInsert, 'id'> & { tenantId: string; branchId: string },
    ) {
      const [row] = await tx
        .insert(whatsappChannel)
        .values(values)
        .onConflictDoUpdate({
          target: [whatsappChannel.tenantId, whatsappChannel.branchId],
          set: {
            phoneNumberId: values.phoneNumberId,
            businessAccountId: values.businessAccountId,
            accessTokenEnc: values.accessTokenEnc,
            appSecretEnc: values.appSecretEnc,
            verifyTokenHash: values.verifyTokenHash,
            // New credentials are untested until "test connection" says otherwise.
            status: 'PENDING',
            lastError: null,
            displayPhoneNumber: null,
            verifiedName: null,
            qualityRating: null,
            lastTestedAt: null,
            updatedAt: sql`now()`,
            version: sql`${whatsappChannel.version} + 1`,
          },
        })
        .returning(channelColumns);
      if (!row) throw new Error('channel upsert returned nothing');
      return row;
    },
    async findChannelByBranch(tx: Tx, tenantId: string, branchId: string) {
      const [row] = await tx
        .select(channelColumns)
        .from(whatsappChannel)
        .where(and(eq(whatsappChannel.tenantId, tenantId), eq(whatsappChannel.branchId, branchId)));
      return row ?? null;
    },
    /** The branches of the shop with a channel connected. */
    async channelBranches(tx: Tx, tenantId: string) {
      const rows = await tx
        .select({ branchId: whatsappChannel.branchId })
        .from(whatsappChannel)
        .where(eq(whatsappChannel.tenantId, tenantId));
      return new Set(rows.map((r) => r.branchId));
    },
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
    async listChannels(tx: Tx, tenantId: string) {
      return tx
        .select(channelColumns)
        .from(whatsappChannel)
        .where(eq(whatsappChannel.tenantId, tenantId))
        .orderBy(asc(whatsappChannel.createdAt));
    },
    async findChannelWithSecrets(tx: Tx, tenantId: string, by: { branchId: string } | { channelId: string }) {
      const [row] = await tx
        .select(channelWithSecrets)
        .from(whatsappChannel)
        .where(
          and(
            eq(whatsappChannel.tenantId, tenantId),
            'branchId' in by
              ? eq(whatsappChannel.branchId, by.branchId)
              : eq(whatsappChannel.id, by.channelId),
          ),
        );
      return row ?? null;
    },
    async deleteChannel(tx: Tx, tenantId: string, branchId: string) {
      const rows = await tx
        .delete(whatsappChannel)
        .where(and(eq(whatsappChannel.tenantId, tenantId), eq(whatsappChannel.branchId, branchId)))
        .returning({ id: whatsappChannel.id });
      return rows.length > 0;
    },
    async recordTest(
      tx: Tx,
      tenantId: string,
      channelId: string,
      result:
        | { ok: true; displayPhoneNumber: string; verifiedName: string | null; qualityRating: string | null }
        | { ok: false; error: string },
      at: string,
    ) {
      const [row] = await tx
        .update(whatsappChannel)
        .set(
          result.ok
            ? {
                status: 'CONNECTED',
                lastError: null,
                displayPhoneNumber: result.displayPhoneNumber,
                verifiedName: result.verifiedName,
                qualityRating: result.qualityRating,
                lastTestedAt: at,
                updatedAt: at,
              }
            : { status: 'ERROR', lastError: result.error, lastTestedAt: at, updatedAt: at },
        )
        .where(and(eq(whatsappChannel.tenantId, tenantId), eq(whatsappChannel.id, channelId)))
        .returning(channelColumns);
      return row ?? null;
    },

    /** The channels a webhook names, across tenants, through the migration's SECURITY DEFINER function. */
    async webhookChannels(db: Queryable, phoneNumberIds: string[]) {
      const result = await db.execute<{
        channel_id: string;
        tenant_id: string;
        branch_id: string;
        phone_number_id: string;
        app_secret_enc: string;
      }>(sql`select * from whatsapp_webhook_channels(${sql.param(phoneNumberIds)}::text[])`);
      return result.rows.map((r) => ({
        channelId: r.channel_id,
        tenantId: r.tenant_id,
        branchId: r.branch_id,
        phoneNumberId: r.phone_number_id,
        appSecretEnc: r.app_secret_enc,
      }));
    },
    async verifyTokenKnown(db: Queryable, tokenHash: string) {
      const result = await db.execute<{ known: boolean }>(
        sql`select whatsapp_verify_token_known(${tokenHash}) as known`,
      );
      return result.rows[0]?.known === true;
    },

    /** The delivery's id, or null when this very body was stored before (a repeat). */
    /**
     * Stores deliveries unless already stored (the same body for the same channel); answers the new rows' ids by
     * `${channelId}:${bodySha256}`.
     */
    async insertDeliveries(tx: Tx, rows: readonly NewDelivery[]) {
      const inserted = await tx
        .insert(whatsappDelivery)
        .values([...rows])
        .onConflictDoNothing({
          target: [whatsappDelivery.tenantId, whatsappDelivery.channelId, whatsappDelivery.bodySha256],
        })
        .returning({
          id: whatsappDelivery.id,
          channelId: whatsappDelivery.channelId,
          bodySha256: whatsappDelivery.bodySha256,
        });
      return new Map(inserted.map((row) => [`${row.channelId}:${row.bodySha256}`, row.id]));
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
      const rows = await tx
        .select({ wamid: whatsappMessage.waMessageId })
        .from(whatsappMessage)
        .where(and(eq(whatsappMessage.tenantId, tenantId), inArray(whatsappMessage.waMessageId, keys)));
      return new Set(rows.map((r) => r.wamid).filter((w): w is string => w !== null));
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
     * already stored; answers the rows inserted.
     */
    async insertMessages(tx: Tx, values: readonly NewMessage[]) {
      const inserted: MessageRow[] = [];
      for (let start = 0; start < values.length; start += INSERT_CHUNK) {
        const rows = await tx
          .insert(whatsappMessage)
          .values(values.slice(start, start + INSERT_CHUNK))
          .onConflictDoNothing({
            target: [whatsappMessage.tenantId, whatsappMessage.waMessageId],
            where: sql`${whatsappMessage.waMessageId} is not null`,
          })
          .returning(messageColumns);
        inserted.push(...rows);
      }
      return inserted;
    },
    /** Inserts the message unless its wamid is already stored (null then). */
    async insertMessage(tx: Tx, values: NewMessage) {
      const [row] = await tx
        .insert(whatsappMessage)
        .values(values)
        .onConflictDoNothing({
          target: [whatsappMessage.tenantId, whatsappMessage.waMessageId],
          where: sql`${whatsappMessage.waMessageId} is not null`,
        })
        .returning(messageColumns);
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
    /**
     * The channel's templates become exactly these (upserted by name and language; the ones Meta no longer
     * lists are removed), in the caller's transaction.
     */
    async replaceTemplates(
      tx: Tx,
      tenantId: string,
      channelId: string,
      templates: {
        name: string;
        language: string;
        status: string;
        category: string | null;
        components: Record<string, unknown>[];
      }[],
      at: string,
    ) {
      const keys = templates.map((t) => `${t.name}\u0001${t.language}`);
      await tx
        .delete(whatsappTemplate)
        .where(
          and(
            eq(whatsappTemplate.tenantId, tenantId),
            eq(whatsappTemplate.channelId, channelId),
            keys.length > 0
              ? notInArray(sql`${whatsappTemplate.name} || chr(1) || ${whatsappTemplate.language}`, keys)
              : undefined,
          ),
        );
      if (templates.length === 0) return;
      await tx
        .insert(whatsappTemplate)
        .values(templates.map((t) => ({ tenantId, channelId, ...t, syncedAt: at })))
        .onConflictDoUpdate({
          target: [
            whatsappTemplate.tenantId,
            whatsappTemplate.channelId,
            whatsappTemplate.name,
            whatsappTemplate.language,
          ],
          set: {
            status: sql`excluded.status`,
            category: sql`excluded.category`,
            components: sql`excluded.components`,
            syncedAt: sql`excluded.synced_at`,
          },
        });
    },
    async clearTemplates(tx: Tx, tenantId: string, channelId: string) {
      await tx
        .delete(whatsappTemplate)
        .where(and(eq(whatsappTemplate.tenantId, tenantId), eq(whatsappTemplate.channelId, channelId)));
    },
    async listTemplates(tx: Tx, tenantId: string, channelId: string) {
      return tx
        .select({
          id: whatsappTemplate.id,
          name: whatsappTemplate.name,
          language: whatsappTemplate.language,
          status: whatsappTemplate.status,
          category: whatsappTemplate.category,
          components: whatsappTemplate.components,
          syncedAt: whatsappTemplate.syncedAt,
        })
        .from(whatsappTemplate)
        .where(and(eq(whatsappTemplate.tenantId, tenantId), eq(whatsappTemplate.channelId, channelId)))
        .orderBy(asc(whatsappTemplate.name), asc(whatsappTemplate.language));
    },
    async findTemplate(tx: Tx, tenantId: string, channelId: string, name: string, language: string) {
      const [row] = await tx
        .select({ status: whatsappTemplate.status, components: whatsappTemplate.components })
        .from(whatsappTemplate)
        .where(
          and(
            eq(whatsappTemplate.tenantId, tenantId),
            eq(whatsappTemplate.channelId, channelId),
            eq(whatsappTemplate.name, name),
            eq(whatsappTemplate.language, language),
          ),
        );
      return row ?? null;
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

export type WhatsappRepository = ReturnType<typeof createWhatsappRepository>;
