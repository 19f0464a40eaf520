import { createHmac, randomBytes } from 'node:crypto';

/**
 * Webhooks as Meta sends them, for the simulator: the notification around messages and statuses (Meta's shape,
 * Graph API v23.0), and its POST signed with the app secret (`X-Hub-Signature-256` over the exact bytes), right,
 * wrong or missing on demand.
 */

export type SignatureMode = 'valid' | 'wrong' | 'missing';
export type StatusName = 'sent' | 'delivered' | 'read' | 'failed';

/** The number a notification is about. */
export interface WebhookNumber {
  phoneNumberId: string;
  businessAccountId: string;
  displayPhoneNumber: string;
}

export interface NotificationValue {
  messages?: unknown[];
  statuses?: unknown[];
  contacts?: unknown[];
}

/** What a customer writes: a text by default, or any type with its content as Meta nests it. */
export interface CustomerMessage {
  from: string;
  name?: string;
  text?: string;
  type?: string;
  content?: Record<string, unknown>;
  timestamp?: number;
  wamid?: string;
}

export const newWamid = () => `wamid.${randomBytes(24).toString('base64url')}`;

export function notificationOf(number: WebhookNumber, value: NotificationValue) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: number.businessAccountId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: number.displayPhoneNumber.replace(/\D/g, ''),
                phone_number_id: number.phoneNumberId,
              },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

export function statusNotification(
  number: WebhookNumber,
  wamid: string,
  status: StatusName,
  recipient: string,
  errors?: { code: number; title: string; message?: string }[],
) {
  return notificationOf(number, {
    statuses: [
      {
        id: wamid,
        status,
        timestamp: String(Math.floor(Date.now() / 1000)),
        recipient_id: recipient,
        ...(errors ? { errors } : {}),
      },
    ],
  });
}

/** A customer writes to the number: the notification and its wamid. */
export function customerNotification(number: WebhookNumber, message: CustomerMessage) {
  const wamid = message.wamid ?? newWamid();
  const type = message.type ?? 'text';
  const payload = notificationOf(number, {
    contacts: [{ profile: { name: message.name ?? 'Cliente' }, wa_id: message.from }],
    messages: [
      {
        from: message.from,
        id: wamid,
        timestamp: String(message.timestamp ?? Math.floor(Date.now() / 1000)),
        type,
        ...(type === 'text' ? { text: { body: message.text ?? '' } } : {}),
        ...(message.content ?? {}),
      },
    ],
  });
  return { wamid, payload };
}

/** POSTs a payload to `url` signed like Meta's, `times` times; answers the HTTP status of each. */
export async function postSigned(
  url: string,
  secret: string,
  payload: unknown,
  opts: { signature?: SignatureMode; times?: number } = {},
): Promise<number[]> {
  const raw = Buffer.from(JSON.stringify(payload));
  const mode = opts.signature ?? 'valid';
  const hmac = createHmac('sha256', mode === 'wrong' ? `${secret}-not` : secret)
    .update(raw)
    .digest('hex');
  const statuses: number[] = [];
  for (let i = 0; i < (opts.times ?? 1); i++) {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(mode === 'missing' ? {} : { 'x-hub-signature-256': `sha256=${hmac}` }),
      },
      body: raw,
    });
    await response.arrayBuffer();
    statuses.push(response.status);
  }
  return statuses;
}
