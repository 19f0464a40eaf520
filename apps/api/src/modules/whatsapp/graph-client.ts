import type { z } from 'zod';
import { parseStorableJson } from '../../platform/jsonb-text';
import {
  type GraphTemplate,
  graphErrorBodySchema,
  mediaInfoSchema,
  phoneNumberSchema,
  sendResponseSchema,
  templateListSchema,
} from './meta-schemas';

const sameOrigin = (url: string, base: string) => {
  try {
    return new URL(url).origin === new URL(base).origin;
  } catch {
    return false;
  }
};

/**
 * A thin client of the Cloud API over fetch: the calls the CRM makes, each answer read through its zod
 * schema. No SDK: Meta's own Node SDK for WhatsApp is archived, and the community ones are untyped or pin old
 * Graph versions; these calls are small enough to own.
 */

export class GraphError extends Error {
  constructor(
    readonly httpStatus: number,
    /** Meta's error code (e.g. 131047 re-engagement, 130429 rate limit), when it sent one. */
    readonly code: number | null,
    readonly title: string,
    /** 429 and 5xx (and the network): worth another try. */
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
  ) {
    super(`Graph API ${httpStatus}${code === null ? '' : ` (${code})`}: ${title}`);
    this.name = 'GraphError';
  }
}

export interface GraphClientOptions {
  baseUrl: string;
  timeoutMs?: number;
}

export type GraphMessageBody = Record<string, unknown> & { messaging_product: 'whatsapp'; to: string };

const retryAfter = (header: string | null) => {
  const seconds = header === null ? Number.NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, 60_000) : null;
};

export function createGraphClient({ baseUrl, timeoutMs = 10_000 }: GraphClientOptions) {
  const base = baseUrl.replace(/\/$/, '');

  async function call<S extends z.ZodType>(
    schema: S,
    url: string,
    token: string,
    init: { method?: string; body?: unknown } = {},
  ): Promise<z.output<S>> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: init.method ?? 'GET',
        headers: {
          authorization: `Bearer ${token}`,
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new GraphError(0, null, `unreachable: ${(error as Error).message}`, true);
    }
    const text = await response.text();
    let json: unknown = null;
    try {
      // Some answers are stored as jsonb (template components): a NUL or lone surrogate is kept as U+FFFD.
      json = text ? parseStorableJson(text).value : null;
    } catch {
      // Not JSON (a proxy's error page): described below by its status.
    }
    if (!response.ok) {
      const body = graphErrorBodySchema.safeParse(json);
      const error = body.success ? body.data.error : null;
      throw new GraphError(
        response.status,
        error?.code ?? null,
        error?.error_user_title ?? error?.message ?? `HTTP ${response.status}`,
        response.status === 429 || response.status >= 500,
        retryAfter(response.headers.get('retry-after')),
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new GraphError(response.status, null, 'unexpected answer from the Graph API', false);
    return parsed.data;
  }

  return {
    readPhoneNumber: (phoneNumberId: string, token: string) =>
      call(
        phoneNumberSchema,
        `${base}/${encodeURIComponent(phoneNumberId)}?fields=display_phone_number,verified_name,quality_rating`,
        token,
      ),
    async sendMessage(phoneNumberId: string, token: string, body: GraphMessageBody) {
      const answer = await call(
        sendResponseSchema,
        `${base}/${encodeURIComponent(phoneNumberId)}/messages`,
        token,
        {
          method: 'POST',
          body,
        },
      );
      const [first] = answer.messages;
      if (!first) throw new GraphError(200, null, 'the Graph API answered no message id', false);
      return { wamid: first.id };
    },
    mediaInfo: (mediaId: string, token: string) =>
      call(mediaInfoSchema, `${base}/${encodeURIComponent(mediaId)}`, token),
    /**
     * Every template of the business account, following Meta's `paging.next` (up to 20 pages of 100). A next
     * page on another origin than the Graph API's is not followed: the bearer token goes to Meta only.
     */
    async listTemplates(businessAccountId: string, token: string) {
      const templates: GraphTemplate[] = [];
      let url: string | undefined =
        `${base}/${encodeURIComponent(businessAccountId)}/message_templates?limit=100`;
      for (let page = 0; url && page < 20; page++) {
        const answer: z.output<typeof templateListSchema> = await call(templateListSchema, url, token);
        templates.push(...answer.data);
        const next = answer.paging?.next;
        url = next && sameOrigin(next, base) ? next : undefined;
      }
      return templates;
    },
    /**
     * The media's bytes from the short-lived URL `mediaInfo` gave, with the same bearer token. Stops reading at
     * maxBytes + 1: a file over the cap is never held in memory whole.
     */
    async downloadMedia(url: string, token: string, maxBytes: number) {
      let response: Response;
      try {
        response = await fetch(url, {
          headers: { authorization: `Bearer ${token}` },
          signal: AbortSignal.timeout(timeoutMs * 6),
        });
      } catch (error) {
        throw new GraphError(0, null, `unreachable: ${(error as Error).message}`, true);
      }
      if (!response.ok || !response.body) {
        await response.body?.cancel();
        throw new GraphError(
          response.status,
          null,
          `media download HTTP ${response.status}`,
          response.status >= 500,
        );
      }
      const declared = Number(response.headers.get('content-length'));
      if (Number.isFinite(declared) && declared > maxBytes) {
        await response.body.cancel();
        return { tooLarge: true as const, byteSize: declared };
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > maxBytes) {
          await reader.cancel().catch(() => undefined);
          return { tooLarge: true as const, byteSize: null };
        }
        chunks.push(value);
      }
      return {
        tooLarge: false as const,
        bytes: Buffer.concat(chunks),
        contentType: response.headers.get('content-type'),
      };
    },
  };
}

export type GraphClient = ReturnType<typeof createGraphClient>;
