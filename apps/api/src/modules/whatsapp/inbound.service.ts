import type { z } from 'zod';
import type { WhatsappMessageRowStatus } from '../../db/schema/whatsapp';
import type { Clock } from '../../platform/clock';
import type { Database, Tx } from '../../platform/db';
import type { JobQueue } from '../../platform/jobs';
import { normalizePhone } from '../../platform/phone';
import type { ContactsService } from '../contacts';
import type { ConversationLeads, LeadFeed } from '../leads';
import { toWireMessage } from './conversation.service';
import { readInboundContent, readLeadRefCode } from './inbound-content';
import type { MessageFeed } from './message-feed';
import {
  changeValueSchema,
  inboundMessageSchema,
  notificationSchema,
  statusUpdateSchema,
} from './meta-schemas';
import { fetchMedia } from './whatsapp.jobs';
import {
  createWhatsappRepository,
  type MessageRow,
  type NewMessage,
  type PendingDelivery,
} from './whatsapp.repository';

/**
 * Reads a stored delivery: each message onto the right lead, each status onto its message. Deliveries repeat
 * and arrive out of order, so both are idempotent: a message is stored once per wamid (the batch locks its
 * wamids in one statement and looks them up in one more, then the unique index), and a status only moves a message forward. What we cannot read is logged and skipped;
 * the delivery row keeps it.
 *
 * The right lead, in this order (DESIGN.md "WhatsApp channel"):
 * 1. the lead of the reference code the text carries, at this channel's branch; its contact learns the
 *    WhatsApp number (merging with the contact that already had it: one person);
 * 2. the contact's open lead at the branch;
 * 3. a new lead, source WHATSAPP, assigned like a tracked click's (leads/capture.ts).
 */

/** Workers per tenant in one pass, each with its own transaction. */
const PENDING_WORKERS = 4;
/** Deliveries one worker claims and processes in one transaction. */
const BATCH_SIZE = 25;
/** Tries of one delivery in one pass before it is left for the next. */
const MAX_ATTEMPTS = 3;

/** Where a number without "+" would be read; WhatsApp ids always carry their country code. */
const ANY_COUNTRY = 'PE';

const statusOf: Record<string, WhatsappMessageRowStatus> = {
  sent: 'SENT',
  delivered: 'DELIVERED',
  read: 'READ',
  failed: 'FAILED',
};

export interface InboundDeps {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
  contacts: Pick<ContactsService, 'findOrCreateByPhone' | 'learnPhone' | 'lockAndFindByPhones'>;
  leads: ConversationLeads;
  feed: Pick<LeadFeed, 'changed'>;
  messages: MessageFeed;
  queue: Pick<JobQueue, 'send'>;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

type ChangeValue = z.infer<typeof changeValueSchema>;

/**
 * What one transaction of deliveries has already found: each sender's contact (its phone lock held) and each
 * contact's open lead at the branch (its lead-open lock held), looked up for the whole batch at once, so a
 * sender's message costs no look-up of its own; and the messages joined to their leads, stored together at the end.
 */
interface BatchMemo {
  contacts: Map<string, { id: string; name: string | null; phone: string | null }>;
  openLeads: Map<string, string>;
  /** The wamids already stored: before the batch (found under their locks) or by it. */
  storedWamids: Set<string>;
  joined: JoinedMessage[];
}

/** An inbound message and the lead it joins, waiting for the batch's one insert. */
interface JoinedMessage {
  values: NewMessage;
  leadId: string;
  created: boolean;
  history: Record<string, unknown>;
  hasMedia: boolean;
}

type InboundMessage = z.infer<typeof inboundMessageSchema> & Record<string, unknown>;

/** A delivery's JSON read once, before its batch touches the database. */
interface ReadDelivery {
  delivery: PendingDelivery;
  understood: boolean;
  skipped: string[];
  /** Its changes for the delivery's channel, each message parsed (null: not a message we can read). */
  changes: { value: ChangeValue; messages: (InboundMessage | null)[] }[];
}

interface FinishedDelivery {
  id: string;
  outcome: 'PROCESSED' | 'SKIPPED';
  note: string | null;
}

/** A batch's transaction failed; it was rolled back, and these deliveries were in it. */
class BatchFailed extends Error {
  constructor(
    readonly claimed: string[],
    cause: unknown,
  ) {
    super('a batch of deliveries failed', { cause });
  }
}

const unwrap = (error: unknown) => (error instanceof BatchFailed ? error.cause : error);

export function createInboundService(deps: InboundDeps) {
  const { database, clock, contacts, leads, feed, messages, queue, log } = deps;
  const repo = createWhatsappRepository();

  /** One inbound message joined to its lead, in the batch's transaction; stored with the batch (storeJoined). */
  async function joinMessage(
    tx: Tx,
    tenantId: string,
    channel: { id: string; branchId: string },
    message: InboundMessage,
    names: Map<string, string>,
    batch: BatchMemo,
  ): Promise<void> {
    const content = readInboundContent(message);
    if (!content) {
      log.warn(
        { tenantId, type: message.type, wamid: message.id },
        'whatsapp: an inbound message was skipped',
      );
      return;
    }
    // The batch holds this wamid's lock and knows whether it is stored (processBatch).
    if (batch.storedWamids.has(message.id)) return;

    // Meta's own time orders the conversation and starts the service window; never one in the future.
    const now = clock.now().getTime();
    const at = new Date(Math.min(Number(message.timestamp) * 1000, now)).toISOString();
    const phone = normalizePhone(`+${message.from}`, ANY_COUNTRY)?.e164 ?? null;

    let leadId: string | null = null;
    let created = false;
    const refCode = readLeadRefCode(content.words);
    const referred = refCode ? await leads.findByRefCode(tx, tenantId, refCode) : null;
    if (referred && referred.branchId === channel.branchId) {
      leadId = referred.id;
      if (phone) {
        await contacts.learnPhone(tx, tenantId, referred.contactId, phone);
        // Contacts may have merged (their leads moved): what the batch remembered may be stale.
        batch.contacts.clear();
        batch.openLeads.clear();
      }
    } else {
      const name = names.get(message.from);
      const known = phone ? batch.contacts.get(phone) : undefined;
      // A sender the batch has looked up (findSenders) or met: its contact is locked and found; only a name it lacks
      // is news.
      const contact =
        known && (known.name !== null || name === undefined)
          ? known
          : await contacts.findOrCreateByPhone(tx, tenantId, {
              name,
              phone: phone ?? undefined,
              defaultCountry: ANY_COUNTRY,
            });
      if (phone) batch.contacts.set(phone, contact);
      const openKey = `${contact.id}:${channel.branchId}`;
      const remembered = batch.openLeads.get(openKey);
      const open = remembered ? null : await leads.findOpen(tx, tenantId, contact.id, channel.branchId);
      if (remembered) leadId = remembered;
      else if (open?.refCode) {
        // The conversation goes on: storeJoined touches the lead.
        leadId = open.id;
      } else {
        const captured = await leads.capture(tx, {
          tenantId,
          branchId: channel.branchId,
          contact,
          source: 'WHATSAPP',
          customerUserId: null,
          listingId: null,
          campaignId: null,
          clickPayload: null,
          message: null,
          at,
          openLead: 'any',
        });
        leadId = captured.lead.id;
        created = captured.created;
      }
      batch.openLeads.set(openKey, leadId);
    }

    batch.storedWamids.add(message.id);
    batch.joined.push({
      values: {
        tenantId,
        leadId,
        channelId: channel.id,
        direction: 'IN',
        waMessageId: message.id,
        customerWaId: message.from,
        type: content.type,
        text: content.text,
        payload: message,
        status: 'RECEIVED',
        mediaId: content.media?.id ?? null,
        mediaStatus: content.media ? 'PENDING' : null,
        mediaMimeType: content.media?.mimeType ?? null,
        waTimestamp: at,
        createdAt: at,
        updatedAt: at,
      },
      leadId,
      created,
      history: {
        channel: 'WHATSAPP',
        waMessageId: message.id,
        type: content.type,
        text: content.text,
        ...(refCode && referred ? { refCode } : {}),
      },
      hasMedia: content.media !== null && content.media !== undefined,
    });
  }

  /**
   * The batch's joined messages stored in one insert and put on their leads' histories in one statement; after
   * commit each lead is announced once (created or updated), then its messages, and media fetches are queued.
   */
  async function storeJoined(
    tx: Tx,
    tenantId: string,
    joined: readonly JoinedMessage[],
    after: AfterCommit[],
  ) {
    if (joined.length === 0) return;
    const rows = await repo.insertMessages(
      tx,
      joined.map((j) => j.values),
    );
    // Every wamid is locked and was checked, so each comes back; one that did not is simply not on the history.
    const byWamid = new Map(rows.map((row) => [row.waMessageId, row]));
    const stored = joined.flatMap((j) => {
      const row = byWamid.get(j.values.waMessageId ?? null);
      return row ? [{ ...j, row }] : [];
    });
    const leadsById = await leads.recordReceived(
      tx,
      tenantId,
      stored.map((s) => ({
        leadId: s.leadId,
        at: s.row.createdAt,
        payload: { channel: 'WHATSAPP', messageId: s.row.id, ...s.history },
      })),
    );
    const byLead = new Map<string, { created: boolean; messages: MessageRow[] }>();
    for (const s of stored) {
      const entry = byLead.get(s.leadId) ?? { created: false, messages: [] };
      entry.created ||= s.created;
      entry.messages.push(s.row);
      byLead.set(s.leadId, entry);
    }
    after.push(async () => {
      for (const [leadId, { created, messages: leadMessages }] of byLead) {
        const lead = leadsById.get(leadId);
        if (!lead) continue;
        await feed.changed(created ? 'lead.created' : 'lead.updated', lead);
        for (const row of leadMessages) {
          await messages.announce('message.created', tenantId, lead.branchId, toWireMessage(row));
          if (row.mediaStatus === 'PENDING') {
            await fetchMedia
              .send(queue, { tenantId, messageId: row.id })
              .catch((error: unknown) => log.warn({ err: error }, 'whatsapp: media job not sent'));
          }
        }
      }
    });
  }

  /** What to do once the delivery's transaction has committed: live events, the media job. */
  type AfterCommit = () => Promise<void>;

  async function applyStatus(tx: Tx, tenantId: string, branchId: string, raw: unknown, after: AfterCommit[]) {
    const parsed = statusUpdateSchema.safeParse(raw);
    const status = parsed.success ? statusOf[parsed.data.status] : undefined;
    if (!parsed.success || !status) {
      log.info({ tenantId, status: parsed.data?.status }, 'whatsapp: a status update was skipped');
      return;
    }
    const [first] = parsed.data.errors ?? [];
    const error =
      status === 'FAILED'
        ? { code: first?.code ?? null, title: (first?.title ?? first?.message ?? 'Failed').slice(0, 500) }
        : null;
    const at = clock.now().toISOString();
    const advanced = await repo.advanceStatus(tx, tenantId, parsed.data.id, status, error, at);
    // The message's channel is at the lead's branch (a message only ever joins a lead of its channel's branch).
    if (advanced)
      after.push(() => messages.announce('message.updated', tenantId, branchId, toWireMessage(advanced)));
  }

  async function processChange(
    tx: Tx,
    tenantId: string,
    channel: { id: string; branchId: string },
    value: ChangeValue,
    inbound: (InboundMessage | null)[],
    after: AfterCommit[],
    batch: BatchMemo,
  ) {
    const names = new Map(
      (value.contacts ?? []).flatMap((c) => (c.profile?.name ? [[c.wa_id, c.profile.name] as const] : [])),
    );
    for (const message of inbound) {
      if (message) await joinMessage(tx, tenantId, channel, message, names, batch);
    }
    for (const raw of value.statuses ?? []) await applyStatus(tx, tenantId, channel.branchId, raw, after);
  }

  /** A claimed delivery's JSON, parsed once: what it holds for its channel, and what was not understood. */
  function readDelivery(tenantId: string, delivery: PendingDelivery): ReadDelivery {
    const { channel } = delivery;
    const read: ReadDelivery = { delivery, understood: false, skipped: [], changes: [] };
    const notification = notificationSchema.safeParse(delivery.payload);
    if (!channel) read.skipped.push('the channel was disconnected');
    else if (!notification.success || notification.data.object !== 'whatsapp_business_account') {
      read.skipped.push('not a whatsapp_business_account notification');
    } else {
      read.understood = true;
      for (const entry of notification.data.entry) {
        for (const change of entry.changes) {
          const value = changeValueSchema.safeParse(change.value);
          if (change.field !== 'messages' || !value.success) {
            read.skipped.push(`change "${change.field.slice(0, 40)}" not understood`);
            continue;
          }
          if (value.data.metadata.phone_number_id !== channel.phoneNumberId) continue;
          const messages = (value.data.messages ?? []).map((raw) => {
            const parsed = inboundMessageSchema.safeParse(raw);
            if (parsed.success) return parsed.data as InboundMessage;
            log.warn(
              { tenantId, issues: parsed.error.issues.slice(0, 3) },
              'whatsapp: an inbound message was skipped',
            );
            return null;
          });
          read.changes.push({ value: value.data, messages });
        }
      }
    }
    return read;
  }

  /** One claimed delivery, read beforehand, processed in the caller's transaction; answers how to mark it. */
  async function processDelivery(
    tx: Tx,
    tenantId: string,
    read: ReadDelivery,
    after: AfterCommit[],
    batch: BatchMemo,
  ): Promise<FinishedDelivery> {
    const { delivery, skipped } = read;
    const { channel } = delivery;
    if (channel) {
      for (const change of read.changes) {
        await processChange(
          tx,
          tenantId,
          { id: channel.id, branchId: channel.branchId },
          change.value,
          change.messages,
          after,
          batch,
        );
      }
    }
    if (skipped.length > 0) {
      log.warn(
        { tenantId, deliveryId: delivery.id, skipped },
        'whatsapp: parts of a delivery were stored but not processed',
      );
    }
    const outcome = read.understood ? 'PROCESSED' : 'SKIPPED';
    const note = skipped.length > 0 ? skipped.join('; ').slice(0, 1000) : null;
    return { id: delivery.id, outcome, note };
  }

  /**
   * The batch's senders and their open leads, found before any message is joined: every phone's lock and look-up
   * in one statement each, then every open-lead lock and look-up likewise (sorted: batches never deadlock on them).
   */
  async function findSenders(tx: Tx, tenantId: string, reads: readonly ReadDelivery[], batch: BatchMemo) {
    const senders: { phone: string; branchId: string }[] = [];
    for (const read of reads) {
      const branchId = read.delivery.channel?.branchId;
      if (!branchId) continue;
      for (const change of read.changes) {
        for (const message of change.messages) {
          if (!message || batch.storedWamids.has(message.id)) continue;
          const phone = normalizePhone(`+${message.from}`, ANY_COUNTRY)?.e164;
          if (phone) senders.push({ phone, branchId });
        }
      }
    }
    if (senders.length === 0) return;
    batch.contacts = await contacts.lockAndFindByPhones(
      tx,
      tenantId,
      senders.map((s) => s.phone),
    );
    const pairs = senders.flatMap(({ phone, branchId }) => {
      const contact = batch.contacts.get(phone);
      return contact ? [{ contactId: contact.id, branchId }] : [];
    });
    for (const [key, open] of await leads.findOpenMany(tx, tenantId, pairs)) {
      // A lead without a reference code goes through capture(), which gives it one.
      if (open.refCode) batch.openLeads.set(key, open.id);
    }
  }

  /**
   * Claims up to `limit` deliveries (`only`: among these ids), processes them in claim order and marks them, all
   * in one transaction; announces after commit. Answers the ids claimed (none: nothing was left), or throws with
   * them on the error.
   */
  async function processBatch(
    tenantId: string,
    options: { except: string[]; limit: number; only?: string[] },
  ): Promise<string[]> {
    const after: AfterCommit[] = [];
    let claimed: string[] = [];
    try {
      await database.withTenant(tenantId, async (tx) => {
        const deliveries = await repo.claimPendingDeliveries(tx, tenantId, options);
        claimed = deliveries.map((d) => d.id);
        if (deliveries.length === 0) return;
        const reads = deliveries.map((delivery) => readDelivery(tenantId, delivery));
        // Every inbound wamid of the batch locked at once, and those already stored found at once: a repeat is
        // then skipped before it touches contacts or leads, and the unique index stays the last word.
        const wamids = reads.flatMap((r) =>
          r.changes.flatMap((c) => c.messages.flatMap((m) => (m ? [m.id] : []))),
        );
        const batch: BatchMemo = {
          contacts: new Map(),
          openLeads: new Map(),
          storedWamids: await repo.lockAndFindWamids(tx, tenantId, wamids),
          joined: [],
        };
        await findSenders(tx, tenantId, reads, batch);
        const finished: FinishedDelivery[] = [];
        for (const read of reads) finished.push(await processDelivery(tx, tenantId, read, after, batch));
        await storeJoined(tx, tenantId, batch.joined, after);
        await repo.finishDeliveries(tx, tenantId, finished, clock.now().toISOString());
      });
    } catch (error) {
      throw new BatchFailed(claimed, error);
    }
    for (const run of after) await run();
    return claimed;
  }

  /**
   * One worker's loop: takes up to BATCH_SIZE of the tenant's oldest pending deliveries that no other worker
   * holds (`for update skip locked`), processes and marks them in one transaction, announces after commit, until
   * none is left. A batch that fails (one bad delivery, a deadlock, the database away) is rolled back and its
   * deliveries are tried again one per transaction, so the others commit; a delivery that fails on its own is tried
   * up to three times in this pass, then left pending for a later pass (the sweep).
   */
  async function work(tenantId: string, attempts: Map<string, number>) {
    const except = () => [...attempts.keys()].filter((id) => (attempts.get(id) ?? 0) >= MAX_ATTEMPTS);
    for (;;) {
      let claimed: string[];
      try {
        claimed = await processBatch(tenantId, { except: except(), limit: BATCH_SIZE });
      } catch (error) {
        if (!(error instanceof BatchFailed) || error.claimed.length === 0) throw unwrap(error);
        claimed = error.claimed;
        for (const id of error.claimed) await retryAlone(tenantId, id, attempts);
      }
      if (claimed.length === 0) return;
    }
  }

  /** One delivery of a failed batch in its own transaction (skipped when another worker holds it). */
  async function retryAlone(tenantId: string, id: string, attempts: Map<string, number>) {
    while ((attempts.get(id) ?? 0) < MAX_ATTEMPTS) {
      try {
        await processBatch(tenantId, { except: [], limit: 1, only: [id] });
        return;
      } catch (error) {
        if (!(error instanceof BatchFailed) || error.claimed.length === 0) throw unwrap(error);
        attempts.set(id, (attempts.get(id) ?? 0) + 1);
        log.warn(
          { err: error.cause, tenantId, deliveryId: id },
          'whatsapp: a delivery was not processed; it stays pending',
        );
      }
    }
  }

  return {
    /**
     * The tenant's pending deliveries, `workers` at a time, until none is left. Idempotent: a processed delivery
     * is never taken again, and each part of one is idempotent on its own.
     */
    async processPending(tenantId: string, workers = PENDING_WORKERS) {
      const attempts = new Map<string, number>();
      await Promise.all(Array.from({ length: workers }, () => work(tenantId, attempts)));
    },
  };
}

export type InboundService = ReturnType<typeof createInboundService>;
