import type pg from 'pg';
import type { JobDefinition, JobQueue } from '../../platform/jobs';
import { type ConversationService, SEND_MESSAGE } from './conversation.service';
import { FETCH_MEDIA, type InboundService, PROCESS_PENDING } from './inbound.service';
import { PROCESS_DELIVERY } from './webhook.service';

type Ids = { tenantId?: string; messageId?: string; deliveryId?: string };

/** The module's jobs: each carries ids only, and each is idempotent (retries and sweeps re-send them). */
export function whatsappJobs(
  inbound: InboundService,
  conversation: ConversationService,
): JobDefinition<Ids>[] {
  return [
    {
      // One run per tenant at a time, one more queued: a burst of nudges is one pass over the pending rows.
      name: PROCESS_PENDING,
      singleton: true,
      async handle({ tenantId }) {
        if (tenantId) await inbound.processPending(tenantId);
      },
    },
    {
      // Jobs of the earlier one-job-per-delivery design still queued when this version starts.
      name: PROCESS_DELIVERY,
      async handle({ tenantId }) {
        if (tenantId) await inbound.processPending(tenantId);
      },
    },
    {
      name: SEND_MESSAGE,
      async handle({ tenantId, messageId }) {
        if (tenantId && messageId) await conversation.sendQueued(tenantId, messageId);
      },
    },
    {
      name: FETCH_MEDIA,
      async handle({ tenantId, messageId }) {
        if (tenantId && messageId) await conversation.fetchMedia(tenantId, messageId);
      },
    },
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
    queue
      .send(PROCESS_PENDING, { tenantId }, { singletonKey: tenantId })
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
export const whatsappSweepJob = (ownerPool: pg.Pool, send: JobQueue['send']): JobDefinition => ({
  name: 'whatsapp.sweep',
  cron: '* * * * *',
  async handle() {
    const tenants = await ownerPool.query<{ tenant_id: string }>(
      `select distinct tenant_id from whatsapp_delivery
        where processed_at is null and received_at < now() - interval '1 minute'`,
    );
    for (const row of tenants.rows)
      await send(PROCESS_PENDING, { tenantId: row.tenant_id }, { singletonKey: row.tenant_id });
    const queued = await ownerPool.query<{ tenant_id: string; id: string }>(
      `select tenant_id, id from whatsapp_message
        where status = 'QUEUED' and direction = 'OUT' and created_at < now() - interval '2 minutes'
          and created_at > now() - interval '1 day' limit 500`,
    );
    for (const row of queued.rows) await send(SEND_MESSAGE, { tenantId: row.tenant_id, messageId: row.id });
  },
});
