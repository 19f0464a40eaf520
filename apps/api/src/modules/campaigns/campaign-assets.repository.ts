import { and, asc, eq } from 'drizzle-orm';
import { campaignAsset } from '../../db/schema';
import type { Tx } from '../../platform/db';

/** Campaign assets' data access: copy texts and images (the bytes only where asked for). */
export function createCampaignAssetsRepository() {
  return {
    async insertAsset(tx: Tx, values: typeof campaignAsset.$inferInsert) {
      const [row] = await tx.insert(campaignAsset).values(values).returning(assetColumns);
      if (!row) throw new Error('asset insert returned nothing');
      return row;
    },

    async listAssets(tx: Tx, tenantId: string, campaignId: string) {
      return tx
        .select(assetColumns)
        .from(campaignAsset)
        .where(and(eq(campaignAsset.tenantId, tenantId), eq(campaignAsset.campaignId, campaignId)))
        .orderBy(asc(campaignAsset.createdAt), asc(campaignAsset.id));
    },

    async assetContent(tx: Tx, tenantId: string, campaignId: string, assetId: string) {
      const [row] = await tx
        .select({
          content: campaignAsset.content,
          contentType: campaignAsset.contentType,
          sha256: campaignAsset.sha256,
        })
        .from(campaignAsset)
        .where(
          and(
            eq(campaignAsset.tenantId, tenantId),
            eq(campaignAsset.campaignId, campaignId),
            eq(campaignAsset.id, assetId),
          ),
        );
      return row ?? null;
    },

    async deleteAsset(tx: Tx, tenantId: string, campaignId: string, assetId: string) {
      const rows = await tx
        .delete(campaignAsset)
        .where(
          and(
            eq(campaignAsset.tenantId, tenantId),
            eq(campaignAsset.campaignId, campaignId),
            eq(campaignAsset.id, assetId),
          ),
        )
        .returning({ id: campaignAsset.id });
      return rows.length > 0;
    },
  };
}

/** Every column but the bytes: lists never carry images. */
const assetColumns = {
  id: campaignAsset.id,
  campaignId: campaignAsset.campaignId,
  kind: campaignAsset.kind,
  document: campaignAsset.document,
  contentType: campaignAsset.contentType,
  byteSize: campaignAsset.byteSize,
  createdAt: campaignAsset.createdAt,
  version: campaignAsset.version,
};
export type AssetRow = Awaited<
  ReturnType<ReturnType<typeof createCampaignAssetsRepository>['listAssets']>
>[number];
