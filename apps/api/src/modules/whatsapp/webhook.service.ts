import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db';
import { AppError, badField } from '../../platform/errors';
import { parseStorableJson } from '../../platform/jsonb-text';
import type { ChannelCache, WebhookChannel } from './channel-cache';
import { hashVerifyToken } from './channels.service';
import { createDeliveryWriter } from './delivery-writer';
import { createWhatsappRepository } from './whatsapp.repository';

/**
 * Meta's webhook, the way in. A notification is trusted only when its X-Hub-Signature-256 is the HMAC-SHA256 of
 * the exact bytes received, keyed with the app secret of the channel it names; then it is stored (once, however
 * often it is delivered) and acknowledged. The stored row is the work item: a nudge wakes the processing
 * (inbound.service.ts `processPending`), which takes pending rows. Nothing is read from it before it is stored.
 */

export interface WebhookDeps {
  database: Pick<Database, 'writeSqlWithTenant' | 'withoutTransaction'>;
  clock: Clock;
  channels: Pick<ChannelCache, 'get'>;
  /** A delivery of this tenant's was stored: its pending deliveries should be processed soon. */
  nudge(tenantId: string): void;
}

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

const unsigned = () =>
  new AppError('UNAUTHENTICATED', 'X-Hub-Signature-256 is missing or does not match any connected channel');

/** The phone number ids a notification names, read without trusting its shape (it is not verified yet). */
function namedPhoneNumberIds(body: unknown): string[] {
  const ids = new Set<string>();
  const entries = (body as { entry?: unknown })?.entry;
  if (!Array.isArray(entries)) return [];
  for (const entry of entries.slice(0, 100)) {
    const changes = (entry as { changes?: unknown })?.changes;
    if (!Array.isArray(changes)) continue;
    for (const change of changes.slice(0, 100)) {
      const id = (change as { value?: { metadata?: { phone_number_id?: unknown } } })?.value?.metadata
        ?.phone_number_id;
      if (typeof id === 'string' && id.length <= 64) ids.add(id);
    }
  }
  return [...ids].slice(0, 20);
}

/** The notification cut down to one channel's changes: a tenant's row holds nothing of another's number. */
function forChannel(body: Record<string, unknown>, phoneNumberId: string, only: boolean) {
  if (only) return body;
  const entries = (body.entry as { changes?: unknown[] }[]).map((entry) => ({
    ...entry,
    changes: (entry.changes ?? []).filter(
      (change) =>
        (change as { value?: { metadata?: { phone_number_id?: unknown } } })?.value?.metadata
          ?.phone_number_id === phoneNumberId,
    ),
  }));
  return { ...body, entry: entries.filter((entry) => entry.changes.length > 0) };
}

export function createWebhookService({ database, clock, channels, nudge }: WebhookDeps) {
  const repo = createWhatsappRepository();
  const writer = createDeliveryWriter(database);

  return {
    /** Meta's subscription check: the challenge back when some channel has this verify token. */
    async verify(query: {
      mode?: string | undefined;
      token?: string | undefined;
      challenge?: string | undefined;
    }) {
      const known =
        query.mode === 'subscribe' &&
        query.token !== undefined &&
        query.challenge !== undefined &&
        (await database.withoutTransaction((db) =>
          repo.verifyTokenKnown(db, hashVerifyToken(query.token ?? '')),
        ));
      if (!known) throw new AppError('FORBIDDEN', 'Unknown verify token');
      return query.challenge ?? '';
    },

    /** Checks, stores and nudges the processing; answers how many channels' deliveries were new. */
    async receive(
      raw: Buffer,
      signatureHeader: string | undefined,
      { onTenants }: { onTenants?: (tenantIds: string[]) => void } = {},
    ) {
      const signature = SIGNATURE.exec(signatureHeader ?? '')?.[1];
      if (!signature) throw unsigned();
      const text = raw.toString('utf8');
      // jsonb refuses a NUL or a lone surrogate that JSON.parse takes: each is kept as U+FFFD, so the delivery
      // is stored, not refused with a 500 Meta would retry forever (the signature and hash are over the raw bytes).
      let parsed: ReturnType<typeof parseStorableJson>;
      try {
        parsed = parseStorableJson(text);
      } catch {
        throw badField('body', 'not JSON', 'MALFORMED');
      }
      const { value: body, cleaned } = parsed;
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw badField('body', 'not a JSON object', 'MALFORMED');
      const ids = namedPhoneNumberIds(body);
      if (ids.length === 0) throw unsigned();
      const expected = Buffer.from(signature, 'hex');
      const signedBy = (channel: WebhookChannel) =>
        timingSafeEqual(createHmac('sha256', channel.appSecret).update(raw).digest(), expected);
      const known = await channels.get(ids);
      let verified = known.channels.filter(signedBy);
      // A table entry may be older than a change made on an instance whose broadcast has not arrived yet: a
      // signature that matches nothing cached is checked once more against the database.
      if (verified.length === 0 && known.cached)
        verified = (await channels.get(ids, { fresh: true })).channels.filter(signedBy);
      if (verified.length === 0) throw unsigned();
      // Signed by these shops' channels: the delivery is theirs (its log lines say so from here on).
      onTenants?.(verified.map((channel) => channel.tenantId));

      const bodySha256 = createHash('sha256').update(raw).digest('hex');
      const receivedAt = clock.now().toISOString();
      let stored = 0;
      for (const channel of verified) {
        // Stored with the tenant's other deliveries of the moment: one insert, one round trip (delivery-writer.ts).
        const deliveryId = await writer.store({
          tenantId: channel.tenantId,
          channelId: channel.channelId,
          bodySha256,
          // The body as received when it is all this channel's (no second serialisation, Meta's exact text).
          payloadJson:
            ids.length === 1 && !cleaned
              ? text
              : JSON.stringify(
                  forChannel(body as Record<string, unknown>, channel.phoneNumberId, ids.length === 1),
                ),
          receivedAt,
        });
        if (!deliveryId) continue;
        stored++;
        // The stored row is the work: the nudge only hastens it (the sweep takes whatever a lost nudge left).
        nudge(channel.tenantId);
      }
      return { stored };
    },
  };
}

export type WebhookService = ReturnType<typeof createWebhookService>;
