import type { WhatsappMessageType } from '@techmarket/contracts';
import type { z } from 'zod';
import { inboundContentSchemas, type inboundMessageSchema } from './meta-schemas';

/**
 * What an inbound message is, in the CRM's terms: its type, a one-line text (the message itself, or a summary of
 * a location, a contact card, a reaction), the media to fetch, and the words a reference code may hide in.
 */
export interface InboundContent {
  type: WhatsappMessageType;
  text: string | null;
  media: { id: string; mimeType: string | null } | null;
  /** Words the customer typed or chose (text, caption, button): where "Ref: K7Q2MX" is looked for. */
  words: string | null;
}

type Inbound = z.infer<typeof inboundMessageSchema> & Record<string, unknown>;

const mediaTypes = ['image', 'audio', 'video', 'document', 'sticker'] as const;
const label: Record<(typeof mediaTypes)[number], string> = {
  image: 'Photo',
  audio: 'Voice note',
  video: 'Video',
  document: 'Document',
  sticker: 'Sticker',
};

/** Null when the message claims a type we know but its content does not match: the caller skips it. */
export function readInboundContent(message: Inbound): InboundContent | null {
  const type = message.type;
  if (type === 'text') {
    const text = inboundContentSchemas.text.safeParse(message.text);
    return text.success ? { type, text: text.data.body, media: null, words: text.data.body } : null;
  }
  if ((mediaTypes as readonly string[]).includes(type)) {
    const mediaType = type as (typeof mediaTypes)[number];
    const media = inboundContentSchemas[mediaType].safeParse(message[mediaType]);
    if (!media.success) return null;
    const caption = media.data.caption ?? null;
    const name = media.data.filename ? `: ${media.data.filename}` : '';
    return {
      type: mediaType,
      text: caption ?? `[${label[mediaType]}${name}]`,
      media: { id: media.data.id, mimeType: media.data.mime_type ?? null },
      words: caption,
    };
  }
  if (type === 'location') {
    const place = inboundContentSchemas.location.safeParse(message.location);
    if (!place.success) return null;
    const named = [place.data.name, place.data.address].filter(Boolean).join(', ');
    return {
      type,
      text: `[Location${named ? `: ${named}` : ''} (${place.data.latitude}, ${place.data.longitude})]`,
      media: null,
      words: null,
    };
  }
  if (type === 'contacts') {
    const cards = inboundContentSchemas.contacts.safeParse(message.contacts);
    if (!cards.success) return null;
    const names = cards.data.map((c) =>
      [c.name?.formatted_name, c.phones?.[0]?.phone].filter(Boolean).join(' '),
    );
    return { type, text: `[Contact: ${names.join('; ')}]`, media: null, words: null };
  }
  if (type === 'interactive') {
    const reply = inboundContentSchemas.interactive.safeParse(message.interactive);
    if (!reply.success) return null;
    const title = reply.data.button_reply?.title ?? reply.data.list_reply?.title ?? null;
    return { type, text: title, media: null, words: title };
  }
  if (type === 'button') {
    const button = inboundContentSchemas.button.safeParse(message.button);
    return button.success ? { type, text: button.data.text, media: null, words: button.data.text } : null;
  }
  if (type === 'reaction') {
    const reaction = inboundContentSchemas.reaction.safeParse(message.reaction);
    if (!reaction.success) return null;
    return {
      type,
      text: reaction.data.emoji ? `[Reaction ${reaction.data.emoji}]` : '[Reaction removed]',
      media: null,
      words: null,
    };
  }
  // 'unsupported', 'order', 'system', and whatever Meta adds next: kept with its payload, shown as such.
  return {
    type: 'unsupported',
    text: `[Unsupported message: ${type.slice(0, 40)}]`,
    media: null,
    words: null,
  };
}

// The alphabet of lead codes (leads/capture.ts): no 0/O, 1/I/L.
const LEAD_CODE = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/;

/**
 * The lead reference code a message carries ("(Ref: K7Q2MX)" from a tracked click's prefilled text), read the way
 * people retype it: any case, "Ref" followed by a colon, dot or spaces, the code possibly split by a space or a
 * dash. A campaign's code (C + 6) is not a lead's, and is not read as one.
 */
export function readLeadRefCode(words: string | null): string | null {
  if (!words) return null;
  const match = /\bREF\W{0,3}((?:[0-9A-Z][ -]?){5}[0-9A-Z])(?![0-9A-Z])/.exec(words.toUpperCase());
  const code = match?.[1]?.replace(/[ -]/g, '');
  return code && LEAD_CODE.test(code) ? code : null;
}
