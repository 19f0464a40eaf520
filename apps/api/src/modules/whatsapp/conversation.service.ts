import type { Conversation, Lead, SendMessageInput, WhatsappMessage } from '@techmarket/contracts';
import { branchScope, type Principal, type UserPrincipal } from '../../platform/auth';
import type { Clock } from '../../platform/clock';
import { paginate, timeAndIdCursor } from '../../platform/cursor';
import type { Database, Tx } from '../../platform/db';
import { invalidField, notFound } from '../../platform/errors';
import type { JobQueue } from '../../platform/jobs';
import type { ConversationLeads, LeadFeed } from '../leads';
import { accessTokenOf } from './channels.service';
import { type GraphClient, GraphError } from './graph-client';
import { createMediaFetch } from './media-fetch';
import type { MessageFeed } from './message-feed';
import { graphBody, toWireMessage } from './message-wire';
import type { SecretBox } from './secret-box';
import { checkTemplateSendable } from './templates.service';
import { sendMessage } from './whatsapp.jobs';
import { createWhatsappRepository } from './whatsapp.repository';

/**
 * A lead's conversation: read it, and answer. Meta's rule is the 24-hour customer-service window: free text
 * only within 24 hours of the customer's last message (on this lead); outside it, only an approved template.
 * A send is stored QUEUED and answered 202; a job calls the Graph API, retrying 429 and 5xx with backoff,
 * and marks a permanent refusal FAILED with Meta's reason. The job holds the message's row lock while it
 * sends and sends only a QUEUED message, so a message goes out once however many times its job runs.
 * Each number sends at most `sendRatePerSecond` messages a second (Meta's throughput, counted in Redis across
 * instances): a send over it is not an error, its job runs again when the next second begins, the message QUEUED.
 */

export const WINDOW_MS = 24 * 3600_000;
const MAX_ATTEMPTS = 5;
const MAX_BACKOFF_MS = 30_000;

export interface ConversationDeps {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
  box: SecretBox;
  graph: Pick<GraphClient, 'sendMessage' | 'mediaInfo' | 'downloadMedia'>;
  leads: ConversationLeads;
  feed: Pick<LeadFeed, 'changed'>;
  messages: MessageFeed;
  queue: Pick<JobQueue, 'send'>;
  /** One send of the number within its per-second budget, or how long until the next second's budget. */
  sendSlot(phoneNumberId: string): Promise<{ allowed: boolean; retryAfterMs: number }>;
  retryBaseMs: number;
  mediaMaxBytes: number;
  log: { warn(obj: object, msg: string): void };
  /** A seller's text on a lead, in the send's transaction (the assistant measures its suggestion against it). */
  onSellerText?: (
    tx: Tx,
    sent: { tenantId: string; leadId: string; userId: string; text: string; at: string },
  ) => Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createConversationService(deps: ConversationDeps) {
  const { database, clock, box, graph, leads, feed, messages, queue, sendSlot, retryBaseMs, log } = deps;
  const repo = createWhatsappRepository();

  /** The lead's branch, for tagging a live event (whoever may see the lead may see its messages). */
  const branchOfLead = async (tx: Tx, tenantId: string, leadId: string) =>
    (await leads.findVisible(tx, tenantId, leadId, null))?.branchId ?? null;

  /** Reads the message again and announces where it stands now. */
  async function announceUpdated(tenantId: string, messageId: string, branchId?: string | null) {
    const found = await database.withTenant(tenantId, async (tx) => {
      const row = await repo.findMessage(tx, tenantId, messageId);
      if (!row) return null;
      return { row, branchId: branchId ?? (await branchOfLead(tx, tenantId, row.leadId)) };
    });
    if (found?.branchId)
      await messages.announce('message.updated', tenantId, found.branchId, toWireMessage(found.row));
  }

  const windowOf = (lastInboundAt: string | null) => {
    if (!lastInboundAt) return { open: false, endsAt: null };
    const endsAt = new Date(Date.parse(lastInboundAt) + WINDOW_MS);
    return { open: endsAt.getTime() > clock.now().getTime(), endsAt: endsAt.toISOString() };
  };

  return {
    async list(
      viewer: Principal,
      leadId: string,
      query: { limit: number; cursor?: string | undefined },
    ): Promise<Conversation> {
      const after = query.cursor ? timeAndIdCursor.decode(query.cursor) : null;
      const { tenantId } = viewer;
      return database.withTenant(tenantId, async (tx) => {
        const lead = await leads.findVisible(tx, tenantId, leadId, branchScope(viewer));
        if (!lead) throw notFound('Lead');
        const page = paginate(
          await repo.listMessages(tx, tenantId, leadId, after, query.limit),
          query.limit,
          timeAndIdCursor,
          (row) => ({ at: row.createdAt, id: row.id }),
        );
        const inbound = await repo.lastInbound(tx, tenantId, leadId);
        const channel = await repo.findChannelByBranch(tx, tenantId, lead.branchId);
        return {
          items: page.rows.map(toWireMessage),
          nextCursor: page.nextCursor,
          window: windowOf(inbound?.at ?? null),
          channel: { connected: channel !== null },
        };
      });
    },

    async send(actor: UserPrincipal, leadId: string, input: SendMessageInput): Promise<WhatsappMessage> {
      const { tenantId } = actor;
      const at = clock.now().toISOString();
      const message = await database.withTenant(tenantId, async (tx) => {
        const lead = await leads.findVisible(tx, tenantId, leadId, branchScope(actor));
        if (!lead) throw notFound('Lead');
        const channel = await repo.findChannelByBranch(tx, tenantId, lead.branchId);
        if (!channel)
          throw invalidField(
            'channel',
            "the lead's branch has no WhatsApp channel connected",
            'NO_WHATSAPP_CHANNEL',
          );
        const inbound = await repo.lastInbound(tx, tenantId, leadId);
        const window = windowOf(inbound?.at ?? null);
        if (input.text !== undefined && !window.open) {
          throw invalidField(
            'text',
            window.endsAt
              ? `the 24-hour customer-service window closed at ${window.endsAt}; send an approved template`
              : 'the customer has not written yet; start the conversation with an approved template',
            'WINDOW_CLOSED',
          );
        }
        if (input.template) await checkTemplateSendable(tx, tenantId, channel.id, input.template);
        const to = inbound?.customerWaId ?? lead.contact.phone?.replace(/\D/g, '') ?? null;
        if (!to)
          throw invalidField(
            'contact.phone',
            'the customer has no phone number to write to',
            'CONTACT_WITHOUT_PHONE',
          );
        const row = await repo.insertMessage(tx, {
          tenantId,
          leadId,
          channelId: channel.id,
          direction: 'OUT',
          customerWaId: to,
          type: input.template ? 'template' : 'text',
          text: input.text ?? null,
          template: input.template ?? null,
          status: 'QUEUED',
          sentByUserId: actor.userId,
          createdAt: at,
          updatedAt: at,
        });
        if (!row) throw new Error('outbound message insert returned nothing');
        if (input.text !== undefined)
          await deps.onSellerText?.(tx, { tenantId, leadId, userId: actor.userId, text: input.text, at });
        return { row, branchId: lead.branchId };
      });
      // After commit: a job that ran first would not find the message. A lost send is picked up by the sweep.
      const wire = toWireMessage(message.row);
      await messages.announce('message.created', tenantId, message.branchId, wire);
      await sendMessage
        .send(queue, { tenantId, messageId: wire.id })
        .catch((error: unknown) =>
          log.warn({ err: error }, 'whatsapp: send job not sent; the sweep will send the message'),
        );
      return wire;
    },

    /** The send job: idempotent per message (its id is the key), see the top of this file. */
    async sendQueued(tenantId: string, messageId: string) {
      const outcome = await database.withTenant(tenantId, async (tx) => {
        const message = await repo.lockMessage(tx, tenantId, messageId);
        if (message?.status !== 'QUEUED' || message.direction !== 'OUT' || !message.customerWaId) return null;
        const done = (lead: Lead | null, branchId: string | null) => ({ lead, branchId, waitMs: 0 });
        const channel = await repo.findChannelWithSecrets(tx, tenantId, { channelId: message.channelId });
        let attempts = message.sendAttempts;
        if (!channel) {
          await repo.markFailed(
            tx,
            tenantId,
            messageId,
            { code: null, title: 'The WhatsApp channel was disconnected' },
            attempts,
            clock.now().toISOString(),
          );
          return done(null, await branchOfLead(tx, tenantId, message.leadId));
        }
        // Over the number's throughput: this run sends nothing, and the message waits for the next window.
        const slot = await sendSlot(channel.phoneNumberId);
        if (!slot.allowed) return { lead: null, branchId: null, waitMs: slot.retryAfterMs };
        const token = accessTokenOf(box, channel);
        for (;;) {
          attempts++;
          try {
            const { wamid } = await graph.sendMessage(
              channel.phoneNumberId,
              token,
              graphBody(message, message.customerWaId),
            );
            const at = clock.now().toISOString();
            await repo.markSent(tx, tenantId, messageId, wamid, attempts, at);
            const lead = await leads.recordMessage(tx, {
              tenantId,
              leadId: message.leadId,
              direction: 'OUT',
              at,
              actorUserId: message.sentByUserId,
              payload: {
                channel: 'WHATSAPP',
                messageId,
                waMessageId: wamid,
                type: message.type,
                text: message.text,
                ...(message.template ? { template: message.template.name } : {}),
              },
            });
            return done(lead, channel.branchId);
          } catch (error) {
            if (!(error instanceof GraphError)) throw error;
            if (error.retryable && attempts < MAX_ATTEMPTS) {
              const backoff = Math.min(retryBaseMs * 2 ** (attempts - 1), MAX_BACKOFF_MS);
              await sleep(Math.max(backoff, Math.min(error.retryAfterMs ?? 0, MAX_BACKOFF_MS)));
              continue;
            }
            await repo.markFailed(
              tx,
              tenantId,
              messageId,
              { code: error.code, title: error.title.slice(0, 500) },
              attempts,
              clock.now().toISOString(),
            );
            return done(null, channel.branchId);
          }
        }
      });
      if (!outcome) return;
      if (outcome.waitMs > 0) {
        // Not caught: a delay that could not be queued fails this job, which the queue (or the sweep) retries.
        await sendMessage.send(queue, { tenantId, messageId }, { delayMs: outcome.waitMs });
        return;
      }
      if (outcome.lead) await feed.changed('lead.updated', outcome.lead);
      // The row's status can only have moved forward since (a webhook): what is read now is what is announced.
      await announceUpdated(tenantId, messageId, outcome.branchId);
    },

    /** The media job: fetch an inbound photo, voice note, video or document into storage, within the size cap. */
    fetchMedia: createMediaFetch({ ...deps, repo, announceUpdated }),

    /** The stored bytes of a message's media, for someone who may see the lead. */
    async media(viewer: Principal, leadId: string, messageId: string) {
      const { tenantId } = viewer;
      const found = await database.withTenant(tenantId, async (tx) => {
        if (!(await leads.findVisible(tx, tenantId, leadId, branchScope(viewer)))) return null;
        const message = await repo.findMessage(tx, tenantId, messageId);
        if (message?.leadId !== leadId) return null;
        return repo.findMedia(tx, tenantId, messageId);
      });
      if (!found) throw notFound('Media');
      return found;
    },
  };
}

export type ConversationService = ReturnType<typeof createConversationService>;
