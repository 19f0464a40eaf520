import type pg from 'pg';
import { z } from 'zod';
import { defineJob, type JobDefinition, type JobQueue } from '../../platform/jobs';
import type { Ticker } from '../../platform/ticker';
import type { ConversationService } from './conversation.service';
import type { InboundService } from './inbound.service';

const ofTenant = z.object({ tenantId: z.uuid() });
const ofMessage = z.object({ tenantId: z.uuid(), messageId: z.uuid() });

/** The nudge: "this tenant has pending deliveries". One run per tenant at a time, one more queued: a burst of
 * nudges is one pass over the pending rows. */
export const processPending = defineJob({
  name: 'whatsapp.process-pending',
  schema: ofTenant,
  singleton: true,
});
/** The earlier one-job-per-delivery design's job, still answered for jobs queued before it was replaced. */
const processDelivery = defineJob({ name: 'whatsapp.process-delivery', schema: ofTenant });
/** One queued outbound message to the Graph API (idempotent: a sent one is not sent again). */
export const sendMessage = defineJob({ name: 'whatsapp.send-message', schema: ofMessage });
/** One inbound message's media into storage. */
export const fetchMedia = defineJob({ name: 'whatsapp.fetch-media', schema: ofMessage });

/** The module's jobs: each carries ids only, and each is idempotent (retries and sweeps re-send them). */
export function whatsappJobs(
  inbound: Pick<InboundService, 'processPending'>,
  conversation: Pick<ConversationService, 'sendQueued' | 'fetchMedia'>,
): JobDefinition[] {
  return [
    processPending.handledBy(({ tenantId }) => inbound.processPending(tenantId)),
    processDelivery.handledBy(({ tenantId }) => inbound.processPending(tenantId)),
    sendMessage.handledBy(({ tenantId, messageId }) => conversation.sendQueued(tenantId, messageId)),
    fetchMedia.handledBy(({ tenantId, messageId }) => conversation.fetchMedia(tenantId, messageId)),
  ];
}

/**
 * The webhook's nudge: a PROCESS_PENDING job for the tenant (the queue keeps one queued per tenant: singleton key),
 * sent at most once per tenant per window. The first delivery of a quiet tenant nudges at once; those stored during
 * the window after it nudge once, when it ends (the ticker's next beat), after every one of them was stored. Under a
 * burst that is a few sends a second instead of one per group insert: each send is a pg-boss insert, and they
 * competed with the deliveries' own inserts for the database. Nothing rests on a nudge: the stored rows are the
 * work, and the sweep takes what a lost one (a failed send, a process gone before the window ended) left.
 */
export function createPendingNudge(
  queue: Pick<JobQueue, 'send'>,
  onError: (error: unknown) => void,
  window: { ms: number; ticker: Ticker },
) {
  // The tenants nudged in this window; `again`: a delivery of theirs was stored after the send.
  const recent = new Map<string, { again: boolean }>();
  let stopBeats: (() => void) | null = null;
  let closed = false;
  const send = (tenantId: string) =>
    processPending.send(queue, { tenantId }, { singletonKey: tenantId }).catch(onError);

  /** Ends the window: one send for each tenant stored to during it; a tenant with none is quiet again. */
  async function flush() {
    const sends: Promise<void>[] = [];
    for (const [tenantId, state] of recent) {
      if (!state.again) {
        recent.delete(tenantId);
        continue;
      }
      state.again = false;
      sends.push(send(tenantId));
    }
    if (recent.size === 0) {
      stopBeats?.();
      stopBeats = null;
    }
    await Promise.all(sends);
  }

  return {
    nudge(tenantId: string) {
      const state = recent.get(tenantId);
      if (state) {
        state.again = true;
        return;
      }
      recent.set(tenantId, { again: false });
      void send(tenantId);
      // Beats only while some tenant is in its window, and never once the app has closed: a request it finishes
      // then (one its caller gave up on) nudges once per tenant, the rest is the sweep's, as when a process dies.
      if (!closed) stopBeats ??= window.ticker.every(window.ms, flush);
    },
    /** Sends now what the window holds (the inline queue's drain calls it). */
    flush,
    /** The app has stopped serving: sends what the window holds, and opens no window after. */
    async close() {
      closed = true;
      const held = [...recent].flatMap(([tenantId, state]) => (state.again ? [tenantId] : []));
      recent.clear();
      stopBeats?.();
      stopBeats = null;
      await Promise.all(held.map(send));
    },
  };
}

export type PendingNudge = ReturnType<typeof createPendingNudge>;

/**
 * The safety net: deliveries stored but never processed (the process died after the 200, a nudge was lost),
 * or a message queued but never sent (the process died between commit and enqueue), get their job again. Both
 * jobs check state first, so a second run is harmless.
 */
export const whatsappSweepJob = (ownerPool: pg.Pool, queue: Pick<JobQueue, 'send'>): JobDefinition => ({
  name: 'whatsapp.sweep',
  cron: '* * * * *',
  async handle() {
    const tenants = await ownerPool.query<{ tenant_id: string }>(
      `select distinct tenant_id from whatsapp_delivery
        where processed_at is null and received_at < now() - interval '1 minute'`,
    );
    for (const row of tenants.rows)
      await processPending.send(queue, { tenantId: row.tenant_id }, { singletonKey: row.tenant_id });
    const queued = await ownerPool.query<{ tenant_id: string; id: string }>(
      `select tenant_id, id from whatsapp_message
        where status = 'QUEUED' and direction = 'OUT' and created_at < now() - interval '2 minutes'
          and created_at > now() - interval '1 day' limit 500`,
    );
    for (const row of queued.rows)
      await sendMessage.send(queue, { tenantId: row.tenant_id, messageId: row.id });
  },
});
