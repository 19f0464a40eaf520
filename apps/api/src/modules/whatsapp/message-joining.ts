import type { Clock } from '../../platform/clock';
import type { Tx } from '../../platform/db';
import type { JobQueue } from '../../platform/jobs';
import { normalizePhone } from '../../platform/phone';
import type { ContactsService } from '../contacts';
import type { ConversationLeads, LeadFeed } from '../leads';
import type { InboundMessage, ReadDelivery } from './delivery-reading';
import { readInboundContent, readLeadRefCode } from './inbound-content';
import type { MessageFeed } from './message-feed';
import { toWireMessage } from './message-wire';
import { fetchMedia } from './whatsapp.jobs';
import { createWhatsappRepository, type MessageRow, type NewMessage } from './whatsapp.repository';

/**
 * Inbound messages onto their leads, for one batch of deliveries (inbound.service.ts): the batch's senders and open
 * leads looked up at once, each message joined to the right lead (DESIGN.md "WhatsApp channel"), and the joined
 * messages stored and put on their leads' histories together.
 */

/** Where a number without "+" would be read; WhatsApp ids always carry their country code. */
const ANY_COUNTRY = 'PE';

/**
 * What one transaction of deliveries has already found: each sender's contact (its phone lock held) and each
 * contact's open lead at the branch (its lead-open lock held), looked up for the whole batch at once, so a
 * sender's message costs no look-up of its own; and the messages joined to their leads, stored together at the end.
 */
export interface BatchMemo {
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
}

/** What to do once the batch's transaction has committed: live events, the media job. */
export type AfterCommit = () => Promise<void>;

export interface JoiningDeps {
  clock: Clock;
  contacts: Pick<ContactsService, 'findOrCreateByPhone' | 'learnPhone' | 'lockAndFindByPhones'>;
  leads: ConversationLeads;
  feed: Pick<LeadFeed, 'changed'>;
  messages: MessageFeed;
  queue: Pick<JobQueue, 'send'>;
  log: { warn(obj: object, msg: string): void };
}

export function createMessageJoining(deps: JoiningDeps) {
  const { clock, contacts, leads, feed, messages, queue, log } = deps;
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

  return { findSenders, joinMessage, storeJoined };
}
