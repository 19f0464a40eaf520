import { z } from 'zod';
import { id, isoInstant, textField } from './common';

/**
 * The WhatsApp channel (Meta's Cloud API): a branch's connected number, and the conversation of a lead.
 * Secrets (access token, app secret, verify token) go in and never come back out.
 */

const graphId = z
  .string()
  .trim()
  .regex(/^\d{5,30}$/, 'the numeric id Meta shows in the WhatsApp Manager');

export const whatsappChannelBody = z.object({
  phoneNumberId: graphId,
  businessAccountId: graphId,
  accessToken: textField().trim().min(20, 'at least 20 characters').max(2000),
  appSecret: textField().trim().min(16, 'at least 16 characters').max(200),
  verifyToken: textField().trim().min(16, 'at least 16 characters').max(200),
});
export type WhatsappChannelInput = z.infer<typeof whatsappChannelBody>;

export const whatsappChannelStatuses = ['PENDING', 'CONNECTED', 'ERROR'] as const;

export const whatsappChannelSchema = z
  .object({
    id,
    tenantId: id,
    branchId: id,
    phoneNumberId: z.string(),
    businessAccountId: z.string(),
    displayPhoneNumber: z.string().nullable(),
    verifiedName: z.string().nullable(),
    qualityRating: z.string().nullable(),
    status: z.enum(whatsappChannelStatuses),
    lastError: z.string().nullable(),
    lastTestedAt: isoInstant.nullable(),
    createdAt: isoInstant,
    updatedAt: isoInstant,
  })
  .meta({ id: 'WhatsappChannel' });
export type WhatsappChannel = z.infer<typeof whatsappChannelSchema>;

/** `GET /tenants/{tenantId}/whatsapp-channels`: the shop's connected numbers, one per branch at most. */
export const whatsappChannelListSchema = z
  .object({ items: z.array(whatsappChannelSchema) })
  .meta({ id: 'WhatsappChannelList' });
export type WhatsappChannelList = z.infer<typeof whatsappChannelListSchema>;

/** `GET /demo`: where this server's customer phone page is, when its WhatsApp simulator is on (null otherwise). */
export const demoInfoSchema = z.object({ customerPhoneUrl: z.string().nullable() }).meta({ id: 'DemoInfo' });
export type DemoInfo = z.infer<typeof demoInfoSchema>;

export const branchChannelParams = z.object({ tenantId: id, branchId: id });

export const whatsappDirections = ['IN', 'OUT'] as const;
export const whatsappMessageStatuses = ['RECEIVED', 'QUEUED', 'SENT', 'DELIVERED', 'READ', 'FAILED'] as const;
export type WhatsappMessageStatus = (typeof whatsappMessageStatuses)[number];
export const whatsappMessageTypes = [
  'text',
  'image',
  'audio',
  'video',
  'document',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'button',
  'reaction',
  'template',
  'unsupported',
] as const;
export type WhatsappMessageType = (typeof whatsappMessageTypes)[number];
export const whatsappMediaStatuses = ['PENDING', 'STORED', 'TOO_LARGE', 'FAILED'] as const;

export const whatsappTemplateRef = z.object({
  name: z
    .string()
    .trim()
    .regex(/^[a-z0-9_]{1,512}$/, 'a template name: lowercase letters, digits and underscores'),
  language: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a language code such as es, es_MX or pt_BR'),
  variables: z.array(textField().trim().min(1).max(1024)).max(20).optional(),
});
export type WhatsappTemplateRef = z.infer<typeof whatsappTemplateRef>;

/**
 * An approved template that the follow-up engine or a campaign sends by itself when the lead's branch has a
 * channel. Its variables are texts in which `{name}` becomes the customer's first name and, in a campaign,
 * `{ref}` the message's reference code; they fill the template's body parameters in order.
 */
export const automaticTemplateSchema = z
  .object({
    name: textField()
      .trim()
      .regex(/^[a-z0-9_]{1,512}$/, 'a template name: lowercase letters, digits and underscores'),
    language: textField()
      .trim()
      .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a language code such as es, es_MX or pt_BR'),
    variables: z.array(textField().trim().min(1).max(200)).max(10).default([]),
  })
  .meta({ id: 'AutomaticTemplate' });
export type AutomaticTemplate = z.output<typeof automaticTemplateSchema>;

export const whatsappMessageSchema = z
  .object({
    id,
    leadId: id,
    direction: z.enum(whatsappDirections),
    waMessageId: z.string().nullable(),
    type: z.enum(whatsappMessageTypes),
    /** What the message says, or a one-line summary of what it is (a location, a photo, a reaction). */
    text: z.string().nullable(),
    template: whatsappTemplateRef.nullable(),
    status: z.enum(whatsappMessageStatuses),
    error: z.object({ code: z.number().int().nullable(), title: z.string() }).nullable(),
    media: z
      .object({
        status: z.enum(whatsappMediaStatuses),
        mimeType: z.string().nullable(),
        byteSize: z.number().int().nullable(),
      })
      .nullable(),
    createdAt: isoInstant,
  })
  .meta({ id: 'WhatsappMessage' });
export type WhatsappMessage = z.infer<typeof whatsappMessageSchema>;

export const conversationQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: textField().min(1).max(500).optional(),
});

export const conversationSchema = z
  .object({
    items: z.array(whatsappMessageSchema),
    nextCursor: z.string().nullable(),
    /** Meta's 24-hour customer-service window: free text only while it is open. */
    window: z.object({ open: z.boolean(), endsAt: isoInstant.nullable() }),
    /** Whether the lead's branch has a WhatsApp number connected now (without one, replies go by wa.me). */
    channel: z.object({ connected: z.boolean() }),
  })
  .meta({ id: 'WhatsappConversation' });
export type Conversation = z.infer<typeof conversationSchema>;

export const sendMessageBody = z
  .object({
    text: textField().trim().min(1).max(4096).optional(),
    template: whatsappTemplateRef.optional(),
  })
  .refine((body) => (body.text === undefined) !== (body.template === undefined), {
    message: 'send either text or a template',
    path: ['text'],
  });
export type SendMessageInput = z.infer<typeof sendMessageBody>;

export const channelTestResultSchema = z
  .object({
    displayPhoneNumber: z.string(),
    verifiedName: z.string().nullable(),
    qualityRating: z.string().nullable(),
    channel: whatsappChannelSchema,
  })
  .meta({ id: 'WhatsappChannelTest' });

/** Live events on GET /tenants/{tenantId}/stream for a conversation: a message arrived or was sent, or moved on. */
export const messageStreamEventTypes = ['message.created', 'message.updated'] as const;
export type MessageStreamEventType = (typeof messageStreamEventTypes)[number];
export const messageStreamEventSchema = z
  .object({ leadId: id, message: whatsappMessageSchema })
  .meta({ id: 'WhatsappMessageEvent' });
export type MessageStreamEvent = z.infer<typeof messageStreamEventSchema>;

/** A message template of the branch's business account, as last synced from the Graph API. */
export const whatsappTemplateSchema = z
  .object({
    id,
    name: z.string(),
    language: z.string(),
    /** Meta's review status: APPROVED, PENDING, REJECTED, PAUSED, DISABLED, ... Only APPROVED ones can be sent. */
    status: z.string(),
    category: z.string().nullable(),
    /** The body's text with its {{1}}, {{2}} placeholders, when Meta sent one. */
    bodyText: z.string().nullable(),
    /** How many variables the body takes ({{1}} .. {{n}}). */
    variableCount: z.number().int().min(0),
    /** Meta's components as it sent them (header, body, footer, buttons). */
    components: z.array(z.record(z.string(), z.unknown())),
    syncedAt: isoInstant,
  })
  .meta({ id: 'WhatsappTemplate' });
export type WhatsappTemplate = z.infer<typeof whatsappTemplateSchema>;

export const whatsappTemplateListSchema = z
  .object({ items: z.array(whatsappTemplateSchema) })
  .meta({ id: 'WhatsappTemplateList' });
export type WhatsappTemplateList = z.infer<typeof whatsappTemplateListSchema>;
