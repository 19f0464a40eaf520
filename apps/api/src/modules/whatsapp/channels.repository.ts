import { and, asc, eq, notInArray, sql } from 'drizzle-orm';
import { whatsappChannel, whatsappTemplate } from '../../db/schema';
import type { Queryable, Tx } from '../../platform/db';

import { channelColumns, channelWithSecrets } from './whatsapp-rows';

/** A branch's channel (its number and sealed secrets), the webhook's two look-ups by number, and its templates. */
export function createChannelsRepository() {
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
  };
}
