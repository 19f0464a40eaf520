import type { WhatsappMessage } from '@techmarket/contracts';
import { whatsappMessageTypes } from '@techmarket/contracts';
import type { GraphMessageBody } from './graph-client';
import type { MessageRow } from './whatsapp.repository';

/** A stored message as the wire has it (the CRM's API), and as Meta's send endpoint takes it. */

const knownTypes = new Set<string>(whatsappMessageTypes);

export function toWireMessage(row: MessageRow): WhatsappMessage {
  return {
    id: row.id,
    leadId: row.leadId,
    direction: row.direction,
    waMessageId: row.waMessageId,
    type: knownTypes.has(row.type) ? (row.type as WhatsappMessage['type']) : 'unsupported',
    text: row.text,
    template: row.template,
    status: row.status,
    error: row.errorTitle === null ? null : { code: row.errorCode, title: row.errorTitle },
    media:
      row.mediaStatus === null
        ? null
        : { status: row.mediaStatus, mimeType: row.mediaMimeType, byteSize: row.mediaByteSize },
    createdAt: row.createdAt,
  };
}

/** Meta's body for a message (Cloud API "messages" endpoint). */
export function graphBody(
  row: Pick<MessageRow, 'customerWaId' | 'text' | 'template'>,
  to: string,
): GraphMessageBody {
  if (row.template) {
    const variables = row.template.variables ?? [];
    return {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to,
      type: 'template',
      template: {
        name: row.template.name,
        language: { code: row.template.language },
        ...(variables.length > 0
          ? { components: [{ type: 'body', parameters: variables.map((text) => ({ type: 'text', text })) }] }
          : {}),
      },
    };
  }
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: 'text',
    text: { body: row.text ?? '', preview_url: false },
  };
}
