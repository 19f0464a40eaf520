// Over 350 lines: the routes of the campaigns module's six services, each a short declaration.
import {
  campaignAssetParams,
  campaignAssetSchema,
  campaignBreakdownSchema,
  campaignListQuery,
  campaignMetricsQuery,
  campaignMetricsSchema,
  campaignReplyBody,
  campaignReplySchema,
  campaignSchema,
  campaignSendSchema,
  createCampaignBody,
  createCopyAssetBody,
  idParams,
  imageAssetQuery,
  MAX_ASSET_BYTES,
  page,
  reactivationRunSchema,
  segmentPreviewBody,
  segmentPreviewSchema,
  tenantParams,
  updateCampaignBody,
} from '@techmarket/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal, requireTenant, requireUser } from '../../platform/auth';
import { problems } from '../../platform/http';
import type { CampaignAssetsService } from './campaign-assets.service';
import type { CampaignLifecycleService } from './campaign-lifecycle.service';
import type { CampaignMetricsService } from './campaign-metrics.service';
import type { CampaignRepliesService } from './campaign-replies.service';
import type { ReactivationService } from './reactivation.service';
import type { SegmentsService } from './segments.service';

const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'application/octet-stream'];

export interface CampaignServices {
  lifecycle: CampaignLifecycleService;
  metrics: Pick<CampaignMetricsService, 'metrics' | 'breakdown'>;
  segments: Pick<SegmentsService, 'preview'>;
  reactivation: Pick<ReactivationService, 'runReactivation' | 'listSends'>;
  replies: CampaignRepliesService;
  assets: CampaignAssetsService;
}

export const campaignsRoutes: FastifyPluginAsyncZod<CampaignServices> = async (
  app,
  { lifecycle, metrics, segments, reactivation, replies, assets },
) => {
  // Images arrive as the request body itself (fetch(url, {body: file})): no multipart parsing to trust.
  app.addContentTypeParser(
    IMAGE_TYPES,
    { parseAs: 'buffer', bodyLimit: MAX_ASSET_BYTES },
    (_req, body, done) => done(null, body),
  );

  app.post(
    '/campaigns',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'Create a campaign (DRAFT) (OWNER, MANAGER)',
        body: createCampaignBody,
        response: { 201: campaignSchema, ...problems(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      requireTenant(request, request.body.tenantId);
      const actor = requireUser(request, 'OWNER', 'MANAGER');
      return reply.status(201).send(await lifecycle.createCampaign(actor, request.body));
    },
  );

  app.get(
    '/tenants/:tenantId/campaigns',
    {
      schema: {
        tags: ['campaigns'],
        summary: "The shop's campaigns, newest first, with their totals",
        params: tenantParams,
        querystring: campaignListQuery,
        response: { 200: page(campaignSchema), ...problems(400, 401, 404) },
      },
    },
    async (request) =>
      lifecycle.listCampaigns(
        requireTenant(request, request.params.tenantId),
        request.params.tenantId,
        request.query,
      ),
  );

  app.get(
    '/campaigns/:id',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'A campaign with its segment and totals',
        params: idParams,
        response: { 200: campaignSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) => lifecycle.getCampaign(requirePrincipal(request), request.params.id),
  );

  app.patch(
    '/campaigns/:id',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'Edit a campaign (send the version read) (OWNER, MANAGER)',
        params: idParams,
        body: updateCampaignBody,
        response: { 200: campaignSchema, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) =>
      lifecycle.updateCampaign(requireUser(request, 'OWNER', 'MANAGER'), request.params.id, request.body),
  );

  for (const [action, summary] of [
    ['activate', 'DRAFT or PAUSED -> ACTIVE (live inside its window)'],
    ['pause', 'ACTIVE -> PAUSED'],
    ['end', 'Any -> ENDED (final)'],
  ] as const) {
    app.post(
      `/campaigns/:id/${action}`,
      {
        schema: {
          tags: ['campaigns'],
          summary: `${summary} (OWNER, MANAGER)`,
          params: idParams,
          response: { 200: campaignSchema, ...problems(400, 401, 403, 404, 422) },
        },
      },
      async (request) => {
        const actor = requireUser(request, 'OWNER', 'MANAGER');
        if (action === 'activate') return lifecycle.activate(actor, request.params.id);
        if (action === 'pause') return lifecycle.pause(actor, request.params.id);
        return lifecycle.end(actor, request.params.id);
      },
    );
  }

  app.get(
    '/campaigns/:id/metrics',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'Impressions, clicks, leads and wins per day (shop time zone) and in total',
        params: idParams,
        querystring: campaignMetricsQuery,
        response: { 200: campaignMetricsSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) => metrics.metrics(requirePrincipal(request), request.params.id, request.query),
  );

  app.get(
    '/campaigns/:id/breakdown',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'The funnel per branch and per listing over the range',
        params: idParams,
        querystring: campaignMetricsQuery,
        response: { 200: campaignBreakdownSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) => metrics.breakdown(requirePrincipal(request), request.params.id, request.query),
  );

  app.post(
    '/tenants/:tenantId/segments/preview',
    {
      schema: {
        tags: ['campaigns'],
        summary: "How many of the shop's contacts a segment holds, and a sample (OWNER, MANAGER)",
        params: tenantParams,
        body: segmentPreviewBody,
        response: { 200: segmentPreviewSchema, ...problems(400, 401, 403, 404, 422) },
      },
    },
    async (request) =>
      segments.preview(
        requireTenant(request, request.params.tenantId),
        request.params.tenantId,
        request.body.segment,
      ),
  );

  app.post(
    '/campaigns/:id/reactivation/run',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'Hand out the personal WhatsApp links of a live REACTIVATION campaign now (OWNER, MANAGER)',
        description:
          'The pass the worker runs every 5 minutes: idempotent, one link per contact and campaign.',
        params: idParams,
        response: { 200: reactivationRunSchema, ...problems(400, 401, 403, 404, 422) },
      },
    },
    async (request) =>
      reactivation.runReactivation(requireUser(request, 'OWNER', 'MANAGER'), request.params.id),
  );

  app.get(
    '/campaigns/:id/sends',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'The personal links a reactivation campaign handed out (latest 200) (OWNER, MANAGER)',
        params: idParams,
        response: { 200: page(campaignSendSchema), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => reactivation.listSends(requirePrincipal(request), request.params.id),
  );

  app.post(
    '/tenants/:tenantId/campaign-replies',
    {
      schema: {
        tags: ['campaigns'],
        summary: "Record a customer's reply to a reactivation message, by its reference code",
        description:
          'The seller saw the answer in WhatsApp. The reply lands as a WhatsApp click of source CAMPAIGN: a new ' +
          "lead carrying the campaign, or the contact's open lead at the branch; the message's task is done and " +
          'the campaign counts the click (and the lead). 201 when recorded now; 200 with the same lead when it ' +
          'had been. An unknown code is a 422 naming refCode; a seller of another branch gets a 404.',
        params: tenantParams,
        body: campaignReplyBody,
        response: {
          201: campaignReplySchema,
          200: campaignReplySchema,
          ...problems(400, 401, 403, 404, 422),
        },
      },
    },
    async (request, reply) => {
      requireTenant(request, request.params.tenantId);
      const answer = await replies.recordReply(requireUser(request), request.params.tenantId, request.body);
      return reply.status(answer.status).send(answer.body);
    },
  );

  app.get(
    '/campaigns/:id/assets',
    {
      schema: {
        tags: ['campaigns'],
        summary: "The campaign's copy texts and images",
        params: idParams,
        response: { 200: page(campaignAssetSchema), ...problems(400, 401, 404) },
      },
    },
    async (request) => assets.listAssets(requirePrincipal(request), request.params.id),
  );

  app.post(
    '/campaigns/:id/assets',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'Add a copy text (OWNER, MANAGER)',
        params: idParams,
        body: createCopyAssetBody,
        response: { 201: campaignAssetSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const asset = await assets.addCopy(
        requireUser(request, 'OWNER', 'MANAGER'),
        request.params.id,
        request.body,
      );
      return reply.status(201).send(asset);
    },
  );

  app.post(
    '/campaigns/:id/assets/images',
    {
      bodyLimit: MAX_ASSET_BYTES,
      schema: {
        tags: ['campaigns'],
        summary: 'Upload an image as the request body: image/png, image/jpeg or image/webp, at most 2 MB',
        params: idParams,
        querystring: imageAssetQuery,
        response: { 201: campaignAssetSchema, ...problems(400, 401, 403, 404, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const actor = requireUser(request, 'OWNER', 'MANAGER');
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const asset = await assets.addImage(
        actor,
        request.params.id,
        body,
        request.headers['content-type'],
        request.query,
      );
      return reply.status(201).send(asset);
    },
  );

  app.get(
    '/campaigns/:id/assets/:assetId/content',
    {
      schema: {
        tags: ['campaigns'],
        summary: "An image's bytes",
        params: campaignAssetParams,
        response: { 200: z.any().describe('the image'), ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const file = await assets.assetContent(
        requirePrincipal(request),
        request.params.id,
        request.params.assetId,
      );
      return reply
        .type(file.contentType)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, max-age=3600')
        .header('etag', `"${file.etag}"`)
        .send(file.content);
    },
  );

  app.delete(
    '/campaigns/:id/assets/:assetId',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'Remove an asset (OWNER, MANAGER)',
        params: campaignAssetParams,
        response: { 204: z.null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await assets.deleteAsset(
        requireUser(request, 'OWNER', 'MANAGER'),
        request.params.id,
        request.params.assetId,
      );
      return reply.status(204).send(null);
    },
  );
};
