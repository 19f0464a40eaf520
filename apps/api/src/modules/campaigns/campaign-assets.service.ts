import { createHash } from 'node:crypto';
import type { CampaignAsset, createCopyAssetBody } from '@techmarket/contracts';
import { MAX_ASSET_BYTES } from '@techmarket/contracts';
import { fileTypeFromBuffer } from 'file-type';
import type { z } from 'zod';
import type { Principal, UserPrincipal } from '../../platform/auth';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db';
import { badField, invalidField, notFound } from '../../platform/errors';
import { type AssetRow, createCampaignAssetsRepository } from './campaign-assets.repository';
import { requireCampaign } from './campaign-view';

/** A campaign's assets: copy texts, and images kept with their bytes (served back from the API). */

type CopyInput = z.output<typeof createCopyAssetBody>;

type ImageType = 'image/png' | 'image/jpeg' | 'image/webp';

/** What `file-type` may find, as stored and served: PNG, JPEG and WebP only. */
const ACCEPTED = new Map<string, ImageType>([
  ['image/png', 'image/png'],
  // An animated PNG is a PNG to every browser that shows one.
  ['image/apng', 'image/png'],
  ['image/jpeg', 'image/jpeg'],
  ['image/webp', 'image/webp'],
]);

/** The image type the bytes themselves say, whatever the request claimed; null for anything else. */
export async function imageTypeOf(bytes: Uint8Array): Promise<ImageType | null> {
  const found = await fileTypeFromBuffer(bytes);
  return (found && ACCEPTED.get(found.mime)) ?? null;
}

const toAsset = (row: AssetRow): CampaignAsset => ({
  id: row.id,
  campaignId: row.campaignId,
  kind: row.kind,
  title: row.document.title ?? null,
  text: row.document.text ?? null,
  language: row.document.language ?? null,
  channel: row.document.channel ?? null,
  alt: row.document.alt ?? null,
  filename: row.document.filename ?? null,
  contentType: row.contentType,
  byteSize: row.byteSize,
  contentUrl: row.kind === 'IMAGE' ? `/api/v1/campaigns/${row.campaignId}/assets/${row.id}/content` : null,
  createdAt: row.createdAt,
  version: row.version,
});

export function createCampaignAssetsService(deps: { database: Pick<Database, 'withTenant'>; clock: Clock }) {
  const { database, clock } = deps;
  const repo = createCampaignAssetsRepository();
  const now = () => clock.now().toISOString();

  return {
    async listAssets(viewer: Principal, id: string) {
      return database.withTenant(viewer.tenantId, async (tx) => {
        await requireCampaign(tx, viewer.tenantId, id);
        return { items: (await repo.listAssets(tx, viewer.tenantId, id)).map(toAsset), nextCursor: null };
      });
    },

    async addCopy(actor: UserPrincipal, id: string, input: CopyInput): Promise<CampaignAsset> {
      return database.withTenant(actor.tenantId, async (tx) => {
        await requireCampaign(tx, actor.tenantId, id);
        const at = now();
        const row = await repo.insertAsset(tx, {
          tenantId: actor.tenantId,
          campaignId: id,
          kind: 'COPY',
          document: {
            ...(input.title ? { title: input.title } : {}),
            text: input.text,
            language: input.language,
            channel: input.channel,
          },
          createdAt: at,
          updatedAt: at,
        });
        return toAsset(row);
      });
    },

    /** An image: png, jpeg or webp by its own first bytes (not by what the request claims), at most 2 MB. */
    async addImage(
      actor: UserPrincipal,
      id: string,
      bytes: Buffer,
      declaredType: string | undefined,
      meta: { filename?: string | undefined; alt?: string | undefined },
    ): Promise<CampaignAsset> {
      if (bytes.length === 0) throw badField('body', 'the image is empty', 'FILE_EMPTY');
      if (bytes.length > MAX_ASSET_BYTES)
        throw badField('body', 'the image is larger than 2 MB', 'FILE_TOO_LARGE');
      const sniffed = await imageTypeOf(bytes);
      if (!sniffed) throw invalidField('body', 'not a PNG, JPEG or WebP image', 'IMAGE_FORMAT');
      const declared = declaredType?.split(';')[0]?.trim().toLowerCase();
      if (declared && declared !== 'application/octet-stream' && declared !== sniffed)
        throw invalidField('content-type', `the bytes are ${sniffed}, not ${declared}`, 'IMAGE_FORMAT');
      return database.withTenant(actor.tenantId, async (tx) => {
        await requireCampaign(tx, actor.tenantId, id);
        const at = now();
        const row = await repo.insertAsset(tx, {
          tenantId: actor.tenantId,
          campaignId: id,
          kind: 'IMAGE',
          document: {
            ...(meta.filename ? { filename: meta.filename } : {}),
            ...(meta.alt ? { alt: meta.alt } : {}),
          },
          content: bytes,
          contentType: sniffed,
          byteSize: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          createdAt: at,
          updatedAt: at,
        });
        return toAsset(row);
      });
    },

    async assetContent(viewer: Principal, id: string, assetId: string) {
      const found = await database.withTenant(viewer.tenantId, (tx) =>
        repo.assetContent(tx, viewer.tenantId, id, assetId),
      );
      if (!found?.content || !found.contentType) throw notFound('Asset');
      return { content: found.content, contentType: found.contentType, etag: found.sha256 };
    },

    async deleteAsset(actor: UserPrincipal, id: string, assetId: string) {
      const deleted = await database.withTenant(actor.tenantId, (tx) =>
        repo.deleteAsset(tx, actor.tenantId, id, assetId),
      );
      if (!deleted) throw notFound('Asset');
    },
  };
}

export type CampaignAssetsService = ReturnType<typeof createCampaignAssetsService>;
