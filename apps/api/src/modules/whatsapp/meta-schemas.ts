import { z } from 'zod';

/**
 * What the CRM reads from Meta (Graph API v23.0): webhook notifications and Graph responses. Objects are
 * `loose`: Meta adds fields without notice, and a field we do not read must never make a payload unreadable.
 */

export const metaErrorSchema = z.looseObject({
  code: z.number().int(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
});

/** The fields every inbound message carries; the rest depends on `type` (see inboundContentSchemas). */
export const inboundMessageSchema = z.looseObject({
  from: z.string().regex(/^\d{5,20}$/),
  id: z.string().min(1).max(200),
  timestamp: z.string().regex(/^\d{1,12}$/),
  type: z.string().min(1),
});

const mediaSchema = z.looseObject({
  id: z.string().min(1),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
});

export const inboundContentSchemas = {
  text: z.looseObject({ body: z.string() }),
  image: mediaSchema,
  audio: mediaSchema,
  video: mediaSchema,
  document: mediaSchema,
  sticker: mediaSchema,
  location: z.looseObject({
    latitude: z.number(),
    longitude: z.number(),
    name: z.string().optional(),
    address: z.string().optional(),
  }),
  contacts: z.array(
    z.looseObject({
      name: z.looseObject({ formatted_name: z.string().optional() }).optional(),
      phones: z.array(z.looseObject({ phone: z.string().optional() })).optional(),
    }),
  ),
  interactive: z.looseObject({
    type: z.string(),
    button_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
    list_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
  }),
  button: z.looseObject({ text: z.string(), payload: z.string().optional() }),
  reaction: z.looseObject({ message_id: z.string(), emoji: z.string().optional() }),
} as const;

export const statusUpdateSchema = z.looseObject({
  id: z.string().min(1).max(200),
  status: z.string(),
  timestamp: z.string().regex(/^\d{1,12}$/),
  recipient_id: z.string().optional(),
  errors: z.array(metaErrorSchema).optional(),
});

export const changeValueSchema = z.looseObject({
  messaging_product: z.string().optional(),
  metadata: z.looseObject({ phone_number_id: z.string(), display_phone_number: z.string().optional() }),
  contacts: z
    .array(
      z.looseObject({ wa_id: z.string(), profile: z.looseObject({ name: z.string() }).partial().optional() }),
    )
    .optional(),
  /** Read one by one: a message we cannot read must not take its neighbours down with it. */
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  errors: z.array(metaErrorSchema).optional(),
});

export const notificationSchema = z.looseObject({
  object: z.string(),
  entry: z.array(
    z.looseObject({
      id: z.string(),
      changes: z.array(z.looseObject({ field: z.string(), value: z.unknown() })),
    }),
  ),
});
export type Notification = z.infer<typeof notificationSchema>;

/** `GET /{phone-number-id}?fields=display_phone_number,verified_name,quality_rating` */
export const phoneNumberSchema = z.looseObject({
  id: z.string().optional(),
  display_phone_number: z.string(),
  verified_name: z.string().optional(),
  quality_rating: z.string().optional(),
});

/** `POST /{phone-number-id}/messages` */
export const sendResponseSchema = z.looseObject({
  messaging_product: z.string().optional(),
  contacts: z.array(z.looseObject({ input: z.string().optional(), wa_id: z.string() })).optional(),
  messages: z.array(z.looseObject({ id: z.string().min(1) })).min(1),
});

/** `GET /{media-id}` */
export const mediaInfoSchema = z.looseObject({
  url: z.url(),
  mime_type: z.string(),
  sha256: z.string().optional(),
  file_size: z.coerce.number().int().min(0).optional(),
  id: z.string().optional(),
});

/** `GET /{waba-id}/message_templates` */
export const templateListSchema = z.looseObject({
  data: z.array(
    z.looseObject({
      name: z.string().min(1).max(512),
      language: z.string().min(1).max(20),
      status: z.string().min(1).max(40),
      category: z.string().max(40).optional(),
      /** HEADER, BODY (`text` with {{1}} placeholders), FOOTER, BUTTONS. */
      components: z.array(z.looseObject({ type: z.string(), text: z.string().optional() })).optional(),
    }),
  ),
  paging: z.looseObject({ next: z.string().optional() }).optional(),
});
export type GraphTemplate = z.infer<typeof templateListSchema>['data'][number];

/** Every Graph API error: `{error: {message, type, code, error_subcode?, error_data?}}`. */
export const graphErrorBodySchema = z.looseObject({
  error: z.looseObject({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number().int().optional(),
    error_subcode: z.number().int().optional(),
    error_user_title: z.string().optional(),
    error_data: z.looseObject({ details: z.string().optional() }).optional(),
  }),
});
