// Over 350 lines: one stand-in for Meta's Graph API, its state and the customer phone's chats, kept whole so it
// reads like the API it imitates (the webhook payloads and their signing are in meta-webhooks.ts).
import { createHash, randomBytes } from 'node:crypto';
import Fastify, { type FastifyPluginAsync, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  type CustomerMessage,
  customerNotification,
  type NotificationValue,
  newWamid,
  notificationOf,
  postSigned,
  type SignatureMode,
  type StatusName,
  statusNotification,
} from './meta-webhooks';

export { newWamid, type SignatureMode } from './meta-webhooks';

/**
 * A stand-in for Meta's Cloud API (Graph API v23.0), for tests and the demo: the Graph calls the CRM makes
 * (read a phone number, send a message, media, templates), and webhooks signed like Meta's
 * (X-Hub-Signature-256 over the exact bytes) sent to the CRM, with repeats, reordering and bad signatures on
 * demand. It never runs in production: the app mounts it only when WHATSAPP_SIMULATOR is on, which the config
 * refuses in production.
 */

export interface SimulatedNumber {
  phoneNumberId: string;
  businessAccountId: string;
  accessToken: string;
  appSecret: string;
  displayPhoneNumber: string;
  verifiedName: string;
  qualityRating?: string;
}

export interface SentMessage {
  phoneNumberId: string;
  wamid: string;
  body: Record<string, unknown>;
}

export interface SimulatedTemplate {
  name: string;
  language: string;
  status: string;
  category: string;
  components?: Record<string, unknown>[];
}

/** One line of a customer's chat with a number, as the customer phone page shows it. */
export interface ChatLine {
  id: string;
  /** `customer` wrote it (a webhook to the CRM), or the `shop` sent it (a Graph API send from the CRM). */
  from: 'customer' | 'shop';
  text: string;
  at: string;
  /** The customer's message: `sent` once the CRM acknowledged its webhook, else `failed`. The shop's: its ticks. */
  status: 'sent' | 'delivered' | 'read' | 'failed';
}

const sendBodySchema = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  to: z.string().regex(/^\d{5,20}$/),
  type: z.enum(['text', 'template', 'image', 'document', 'audio', 'video', 'interactive', 'reaction']),
  text: z.looseObject({ body: z.string().min(1).max(4096) }).optional(),
  template: z.looseObject({ name: z.string(), language: z.looseObject({ code: z.string() }) }).optional(),
});

const graphError = (
  reply: FastifyReply,
  status: number,
  code: number,
  message: string,
  type = 'OAuthException',
) =>
  reply.status(status).send({ error: { message, type, code, fbtrace_id: randomBytes(6).toString('hex') } });

export function createCloudApiSimulator(
  options: {
    webhookUrl?: string;
    autoStatuses?: boolean;
    /**
     * When the customer "reads" what the shop sent: `auto`, right after delivery (tests); `on-view`, when the
     * customer phone page shows it (the demo: the seller watches the ticks turn).
     */
    readReceipts?: 'auto' | 'on-view';
  } = {},
) {
  const numbers = new Map<string, SimulatedNumber>();
  const media = new Map<string, { bytes: Buffer; mimeType: string; declaredSize?: number }>();
  const templates = new Map<string, SimulatedTemplate[]>();
  const sent: SentMessage[] = [];
  const inFlight = new Set<Promise<unknown>>();
  let failNext = { count: 0, status: 429 };
  let webhookUrl = options.webhookUrl ?? null;
  let autoStatuses = options.autoStatuses ?? true;
  const readReceipts = options.readReceipts ?? 'auto';
  /** The chats the customer phone page shows, per number and customer WhatsApp id (in memory, like the rest). */
  const chats = new Map<string, ChatLine[]>();
  const chatOf = (phoneNumberId: string, customer: string) => {
    const key = `${phoneNumberId}:${customer}`;
    let lines = chats.get(key);
    if (!lines) {
      lines = [];
      chats.set(key, lines);
    }
    return lines;
  };
  const shopLines = new Map<string, { line: ChatLine; phoneNumberId: string; to: string }>();

  const tokenOf = (request: FastifyRequest) => /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  const knownToken = (token: string | undefined) =>
    [...numbers.values()].some((n) => n.accessToken === token);
  const numberOf = (phoneNumberId: string) => {
    const number = numbers.get(phoneNumberId);
    if (!number) throw new Error(`the simulator has no number ${phoneNumberId}`);
    return number;
  };

  const notification = (phoneNumberId: string, value: NotificationValue) =>
    notificationOf(numberOf(phoneNumberId), value);

  /** POSTs a notification to the CRM as Meta would; answers the HTTP status of each delivery. */
  async function deliver(
    phoneNumberId: string,
    payload: unknown,
    opts: { signature?: SignatureMode; times?: number; secret?: string } = {},
  ): Promise<number[]> {
    if (!webhookUrl) throw new Error('the simulator has no webhook URL');
    return postSigned(webhookUrl, opts.secret ?? numberOf(phoneNumberId).appSecret, payload, opts);
  }

  const statusPayload = (
    phoneNumberId: string,
    wamid: string,
    status: StatusName,
    recipient: string,
    errors?: { code: number; title: string; message?: string }[],
  ) => statusNotification(numberOf(phoneNumberId), wamid, status, recipient, errors);

  const customerMessage = (phoneNumberId: string, message: CustomerMessage) =>
    customerNotification(numberOf(phoneNumberId), message);

  const track = <T>(promise: Promise<T>) => {
    const tracked = promise.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    return promise;
  };

  const plugin: FastifyPluginAsync<{ prefix?: string }> = async (app, pluginOptions) => {
    const base = (request: FastifyRequest) =>
      `${request.protocol}://${request.headers.host ?? 'localhost'}${pluginOptions.prefix ?? ''}`;

    app.get<{ Params: { id: string } }>('/media-download/:id', async (request, reply) => {
      const item = media.get(request.params.id);
      if (!knownToken(tokenOf(request))) return graphError(reply, 401, 190, 'Invalid OAuth access token.');
      if (!item) return graphError(reply, 404, 100, 'Unknown media');
      return reply.type(item.mimeType).send(item.bytes);
    });

    app.get<{ Params: { id: string } }>('/:id', async (request, reply) => {
      const token = tokenOf(request);
      const number = numbers.get(request.params.id);
      if (number) {
        if (token !== number.accessToken) return graphError(reply, 401, 190, 'Invalid OAuth access token.');
        return {
          id: number.phoneNumberId,
          display_phone_number: number.displayPhoneNumber,
          verified_name: number.verifiedName,
          quality_rating: number.qualityRating ?? 'GREEN',
        };
      }
      const item = media.get(request.params.id);
      if (item) {
        if (!knownToken(token)) return graphError(reply, 401, 190, 'Invalid OAuth access token.');
        return {
          messaging_product: 'whatsapp',
          url: `${base(request)}/media-download/${request.params.id}`,
          mime_type: item.mimeType,
          sha256: createHash('sha256').update(item.bytes).digest('hex'),
          file_size: item.declaredSize ?? item.bytes.length,
          id: request.params.id,
        };
      }
      return graphError(
        reply,
        400,
        100,
        `Unsupported get request. Object with ID '${request.params.id}' does not exist`,
        'GraphMethodException',
      );
    });

    app.get<{ Params: { id: string } }>('/:id/message_templates', async (request, reply) => {
      const number = [...numbers.values()].find((n) => n.businessAccountId === request.params.id);
      if (!number || tokenOf(request) !== number.accessToken)
        return graphError(reply, 401, 190, 'Invalid OAuth access token.');
      return { data: templates.get(request.params.id) ?? [], paging: { cursors: {} } };
    });

    app.post<{ Params: { id: string } }>('/:id/messages', async (request, reply) => {
      const number = numbers.get(request.params.id);
      if (!number || tokenOf(request) !== number.accessToken)
        return graphError(reply, 401, 190, 'Invalid OAuth access token.');
      if (failNext.count > 0) {
        failNext = { ...failNext, count: failNext.count - 1 };
        return failNext.status === 429
          ? graphError(reply, 429, 130429, 'Rate limit hit', 'OAuthException')
          : graphError(reply, failNext.status, 131000, 'Something went wrong', 'OAuthException');
      }
      const body = sendBodySchema.safeParse(request.body);
      if (!body.success) return graphError(reply, 400, 100, 'Invalid parameter');
      if (body.data.type === 'template') {
        const known = (templates.get(number.businessAccountId) ?? []).some(
          (t) =>
            t.name === body.data.template?.name &&
            t.language === body.data.template.language.code &&
            t.status === 'APPROVED',
        );
        if (!known) return graphError(reply, 404, 132001, 'Template name does not exist in the translation');
      }
      const wamid = newWamid();
      sent.push({
        phoneNumberId: number.phoneNumberId,
        wamid,
        body: request.body as Record<string, unknown>,
      });
      const to = body.data.to;
      const line: ChatLine = {
        id: wamid,
        from: 'shop',
        text: body.data.text?.body ?? `[${body.data.template?.name ?? body.data.type}]`,
        at: new Date().toISOString(),
        status: 'sent',
      };
      chatOf(number.phoneNumberId, to).push(line);
      shopLines.set(wamid, { line, phoneNumberId: number.phoneNumberId, to });
      if (autoStatuses && webhookUrl) {
        // After the answer, like Meta: the statuses arrive on the webhook, in order.
        const statuses =
          readReceipts === 'auto'
            ? (['sent', 'delivered', 'read'] as const)
            : (['sent', 'delivered'] as const);
        setImmediate(() => {
          void track(
            (async () => {
              for (const status of statuses) {
                await deliver(number.phoneNumberId, statusPayload(number.phoneNumberId, wamid, status, to));
                line.status = status;
              }
            })().catch(() => undefined),
          );
        });
      }
      return {
        messaging_product: 'whatsapp',
        contacts: [{ input: body.data.to, wa_id: body.data.to }],
        messages: [{ id: wamid }],
      };
    });
  };

  /** What the customer writes from the phone page: delivered signed to the CRM, and kept in the chat. */
  async function customerSays(input: { phoneNumberId: string; from: string; name?: string; text: string }) {
    const { wamid, payload } = customerMessage(input.phoneNumberId, input);
    const line: ChatLine = {
      id: wamid,
      from: 'customer',
      text: input.text,
      at: new Date().toISOString(),
      status: 'sent',
    };
    chatOf(input.phoneNumberId, input.from).push(line);
    const [status] = await deliver(input.phoneNumberId, payload).catch(() => [0]);
    if (status !== 200) line.status = 'failed';
    return { wamid, webhookStatus: status ?? 0 };
  }

  /**
   * The chat as the customer's phone shows it. With `on-view` read receipts, showing the shop's delivered
   * messages is reading them: their `read` webhooks go to the CRM.
   */
  function chatView(phoneNumberId: string, customer: string): ChatLine[] {
    const lines = chats.get(`${phoneNumberId}:${customer}`) ?? [];
    if (readReceipts === 'on-view' && webhookUrl) {
      for (const line of lines) {
        if (line.from !== 'shop' || line.status !== 'delivered') continue;
        const sentLine = shopLines.get(line.id);
        if (!sentLine) continue;
        line.status = 'read';
        void track(
          deliver(phoneNumberId, statusPayload(phoneNumberId, line.id, 'read', sentLine.to)).catch(
            () => undefined,
          ),
        );
      }
    }
    return lines.map((line) => ({ ...line }));
  }

  return {
    plugin,
    sent,
    addNumber(number: SimulatedNumber) {
      numbers.set(number.phoneNumberId, number);
    },
    /** The numbers, without their secrets: what the customer phone page offers to write to. */
    listNumbers() {
      return [...numbers.values()].map((n) => ({
        phoneNumberId: n.phoneNumberId,
        displayPhoneNumber: n.displayPhoneNumber,
        verifiedName: n.verifiedName,
      }));
    },
    customerSays,
    chatView,
    setWebhookUrl(url: string) {
      webhookUrl = url;
    },
    /** Whether a send is followed by its sent, delivered and read webhooks (on by default). */
    setAutoStatuses(on: boolean) {
      autoStatuses = on;
    },
    /** The next n sends answer `status` (429 by default: Meta's rate limit, code 130429). */
    failNextSends(count: number, status = 429) {
      failNext = { count, status };
    },
    /** A template of the business account (APPROVED, UTILITY unless told); `components` as Meta lists them. */
    addTemplate(
      businessAccountId: string,
      template: {
        name: string;
        language: string;
        status?: string;
        category?: string;
        components?: Record<string, unknown>[];
      },
    ) {
      const list = templates.get(businessAccountId) ?? [];
      list.push({ status: 'APPROVED', category: 'UTILITY', ...template });
      templates.set(businessAccountId, list);
    },
    /** Media the customer sends; `declaredSize` makes the media endpoint claim another size than the bytes'. */
    addMedia(bytes: Buffer, mimeType: string, declaredSize?: number) {
      const id = String(10 ** 15 + Math.floor(Math.random() * 10 ** 14));
      media.set(id, { bytes, mimeType, ...(declaredSize === undefined ? {} : { declaredSize }) });
      return id;
    },
    notification,
    statusPayload,
    deliver,
    /** A customer writes to the number: the notification (Meta's shape) and its wamid; `deliver` sends it. */
    customerMessage,
    /** Resolves once every webhook the simulator started on its own (statuses after a send) has been answered. */
    async settled() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}

export type CloudApiSimulator = ReturnType<typeof createCloudApiSimulator>;

/** The simulator on a port of its own (tests; a demo that runs it beside the CRM). */
export async function startCloudApiSimulator(
  options: { webhookUrl?: string; autoStatuses?: boolean; port?: number; host?: string } = {},
) {
  const simulator = createCloudApiSimulator(options);
  const server = Fastify({ logger: false });
  await server.register(simulator.plugin);
  const address = await server.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  return {
    ...simulator,
    url: address,
    async close() {
      await simulator.settled();
      await server.close();
    },
  };
}
