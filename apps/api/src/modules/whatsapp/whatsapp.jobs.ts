import type pg from 'pg';
import { z } from 'zod';
import { defineJob, type JobDefinition, type JobQueue } from '../../platform/jobs';
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
 * The webhook's nudge: a PROCESS_PENDING job for the tenant, deduplicated by the queue (singleton key), and here
 * at most one send in flight per tenant, plus one after it for the deliveries stored meanwhile: a burst of
 * deliveries costs a few sends, not one each. A send that fails is logged; the sweep takes the rows later.
 */
export function createPendingNudge(queue: Pick<JobQueue, 'send'>, onError: (error: unknown) => void) {
  const inFlight = new Map<string, { again: boolean }>();
  const send = (tenantId: string, state: { again: boolean }): void => {
    processPending
      .send(queue, { tenantId }, { singletonKey: tenantId })
      .catch(onError)
      .finally(() => {
        if (!state.again) {
          inFlight.delete(tenantId);
          return;
        }
        state.again = false;
        send(tenantId, state);
      });
  };
  return (tenantId: string) => {
    const state = inFlight.get(tenantId);
    if (state) {
      state.again = true;
      return;
    }
    const fresh = { again: false };
    inFlight.set(tenantId, fresh);
    send(tenantId, fresh);
  };
}

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
