import {
  branchChannelParams,
  channelTestResultSchema,
  conversationQuery,
  conversationSchema,
  idParams,
  sendMessageBody,
  tenantParams,
  textField,
  whatsappChannelBody,
  whatsappChannelListSchema,
  whatsappChannelSchema,
  whatsappMessageSchema,
  whatsappTemplateListSchema,
} from '@techmarket/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal, requireUser } from '../../platform/auth';
import { problems } from '../../platform/http';
import { bindTenant } from '../../platform/tracing';
import type { ChannelsService } from './channels.service';
import type { ConversationService } from './conversation.service';
import type { TemplatesService } from './templates.service';
import type { WebhookService } from './webhook.service';

export const whatsappRoutes: FastifyPluginAsyncZod<{
  channels: ChannelsService;
  conversation: ConversationService;
  templates: TemplatesService;
}> = async (app, { channels, conversation, templates }) => {
  const channelUrl = '/tenants/:tenantId/branches/:branchId/whatsapp-channel';

  app.get(
    channelUrl,
    {
      schema: {
        tags: ['whatsapp'],
        summary: "The branch's WhatsApp channel (secrets are never answered)",
        params: branchChannelParams,
        response: { 200: whatsappChannelSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireUser(request, 'OWNER', 'MANAGER');
      return channels.getChannel(actor, request.params.tenantId, request.params.branchId);
    },
  );

  app.get(
    '/tenants/:tenantId/whatsapp-channels',
    {
      schema: {
        tags: ['whatsapp'],
        summary: "The shop's WhatsApp channels, one per connected branch (secrets are never answered)",
        params: tenantParams,
        response: { 200: whatsappChannelListSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireUser(request, 'OWNER', 'MANAGER');
      return channels.listChannels(actor, request.params.tenantId);
    },
  );

  app.put(
    channelUrl,
    {
      schema: {
        tags: ['whatsapp'],
        summary: "Connect (or reconnect) the branch's WhatsApp Business number on the Cloud API",
        params: branchChannelParams,
        body: whatsappChannelBody,
        response: { 200: whatsappChannelSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const actor = requireUser(request, 'OWNER');
      return channels.putChannel(actor, request.params.tenantId, request.params.branchId, request.body);
    },
  );

  app.delete(
    channelUrl,
    {
      schema: {
        tags: ['whatsapp'],
        summary: "Disconnect the branch's number; its conversations stay readable",
        params: branchChannelParams,
        response: { 204: z.null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const actor = requireUser(request, 'OWNER');
      await channels.deleteChannel(actor, request.params.tenantId, request.params.branchId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    `${channelUrl}/test`,
    {
      schema: {
        tags: ['whatsapp'],
        summary: 'Test the connection: reads the number (display name, quality) from the Graph API',
        params: branchChannelParams,
        response: { 200: channelTestResultSchema, ...problems(400, 401, 403, 404, 422) },
      },
    },
    async (request) => {
      const actor = requireUser(request, 'OWNER');
      return channels.testChannel(actor, request.params.tenantId, request.params.branchId);
    },
  );

  app.get(
    `${channelUrl}/templates`,
    {
      schema: {
        tags: ['whatsapp'],
        summary: "The message templates of the branch's business account, as last synced (status, language)",
        params: branchChannelParams,
        response: { 200: whatsappTemplateListSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireUser(request);
      return templates.list(actor, request.params.tenantId, request.params.branchId);
    },
  );

  app.post(
    `${channelUrl}/templates/sync`,
    {
      schema: {
        tags: ['whatsapp'],
        summary: "Sync the templates from the branch's business account (Graph API message_templates)",
        params: branchChannelParams,
        response: { 200: whatsappTemplateListSchema, ...problems(400, 401, 403, 404, 422) },
      },
    },
    async (request) => {
      const actor = requireUser(request, 'OWNER', 'MANAGER');
      return templates.sync(actor, request.params.tenantId, request.params.branchId);
    },
  );

  app.get(
    '/leads/:id/messages',
    {
      schema: {
        tags: ['whatsapp'],
        summary: "The lead's WhatsApp conversation, oldest first, with the customer-service window",
        params: idParams,
        querystring: conversationQuery,
        response: { 200: conversationSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) => conversation.list(requirePrincipal(request), request.params.id, request.query),
  );

  app.post(
    '/leads/:id/messages',
    {
      schema: {
        tags: ['whatsapp'],
        summary: 'Answer on WhatsApp: free text inside the 24-hour window, an approved template at any time',
        params: idParams,
        body: sendMessageBody,
        response: { 202: whatsappMessageSchema, ...problems(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const actor = requireUser(request);
      return reply.status(202).send(await conversation.send(actor, request.params.id, request.body));
    },
  );

  app.get(
    '/leads/:id/messages/:messageId/media',
    {
      schema: {
        tags: ['whatsapp'],
        summary: "An inbound message's photo, voice note, video or document, as stored",
        params: z.object({ id: z.uuid(), messageId: z.uuid() }),
        response: {
          200: z.unknown().describe('the bytes, with their content type'),
          ...problems(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const media = await conversation.media(
        requirePrincipal(request),
        request.params.id,
        request.params.messageId,
      );
      return reply
        .header('content-type', media.mimeType)
        .header('content-disposition', 'attachment')
        .header('x-content-type-options', 'nosniff')
        .send(media.content);
    },
  );
};

/**
 * Meta's webhook. Its own plugin, so the content-type parser that keeps the raw bytes (the signature is over
 * them, not over re-serialised JSON) applies to this route only.
 */
export const whatsappWebhookRoutes: FastifyPluginAsyncZod<{ webhook: WebhookService }> = async (
  app,
  { webhook },
) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.get(
    '/webhooks/whatsapp',
    {
      schema: {
        tags: ['whatsapp'],
        summary: "Meta's webhook verification: the challenge back for a known verify token",
        querystring: z.object({
          'hub.mode': textField().max(50).optional(),
          'hub.verify_token': textField().max(500).optional(),
          'hub.challenge': textField().max(500).optional(),
        }),
        response: { 200: z.string(), ...problems(400, 403) },
      },
    },
    async (request, reply) => {
      const challenge = await webhook.verify({
        mode: request.query['hub.mode'],
        token: request.query['hub.verify_token'],
        challenge: request.query['hub.challenge'],
      });
      return reply.type('text/plain').send(challenge);
    },
  );

  app.post(
    '/webhooks/whatsapp',
    {
      schema: {
        tags: ['whatsapp'],
        summary: "Meta's notifications (messages, statuses), signed with X-Hub-Signature-256",
        response: { 200: z.object({ received: z.literal(true) }), ...problems(400, 401) },
      },
    },
    async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const signature = request.headers['x-hub-signature-256'];
      await webhook.receive(raw, typeof signature === 'string' ? signature : undefined, {
        onTenants: (tenantIds) => bindTenant(request, reply, tenantIds),
      });
      return { received: true as const };
    },
  );
};
