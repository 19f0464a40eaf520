import type { WhatsappMessageRowStatus } from '../../db/schema/whatsapp';
import type { Clock } from '../../platform/clock';
import type { Database, Tx } from '../../platform/db';
import type { JobQueue } from '../../platform/jobs';
import type { ContactsService } from '../contacts';
import type { ConversationLeads, LeadFeed } from '../leads';
import { type ChangeValue, type InboundMessage, type ReadDelivery, readDelivery } from './delivery-reading';
import type { MessageFeed } from './message-feed';
import { type AfterCommit, type BatchMemo, createMessageJoining } from './message-joining';
import { toWireMessage } from './message-wire';
import { statusUpdateSchema } from './meta-schemas';
import { createWhatsappRepository } from './whatsapp.repository';

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
  const { database, clock, messages, log } = deps;
  const joining = createMessageJoining(deps);
  const repo = createWhatsappRepository();

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
      if (message) await joining.joinMessage(tx, tenantId, channel, message, names, batch);
    }
    for (const raw of value.statuses ?? []) await applyStatus(tx, tenantId, channel.branchId, raw, after);
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
        const reads = deliveries.map((delivery) => readDelivery(tenantId, delivery, log));
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
        await joining.findSenders(tx, tenantId, reads, batch);
        const finished: FinishedDelivery[] = [];
        for (const read of reads) finished.push(await processDelivery(tx, tenantId, read, after, batch));
        await joining.storeJoined(tx, tenantId, batch.joined, after);
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
