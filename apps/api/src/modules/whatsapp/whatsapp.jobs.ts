import type pg from 'pg';
import type { JobDefinition } from '../../platform/jobs';
import { type ConversationService, SEND_MESSAGE } from './conversation.service';
import { FETCH_MEDIA, type InboundService } from './inbound.service';
import { PROCESS_DELIVERY } from './webhook.service';

type Ids = { tenantId?: string; messageId?: string; deliveryId?: string };

/** The module's jobs: each carries ids only, and each is idempotent (retries and sweeps re-send them). */
export function whatsappJobs(
  inbound: InboundService,
  conversation: ConversationService,
): JobDefinition<Ids>[] {
  return [
    {
      name: PROCESS_DELIVERY,
      async handle({ tenantId, deliveryId }) {
        if (tenantId && deliveryId) await inbound.processDelivery(tenantId, deliveryId);
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
 * The safety net: a delivery stored but never processed, or a message queued but never sent (the process died
 * between commit and enqueue), gets its job again. Both jobs check state first, so a second run is harmless.
 */
export const whatsappSweepJob = (
  ownerPool: pg.Pool,
  send: (name: string, data: object) => Promise<void>,
): JobDefinition => ({
  name: 'whatsapp.sweep',
  cron: '* * * * *',
  async handle() {
    const deliveries = await ownerPool.query<{ tenant_id: string; id: string }>(
      `select tenant_id, id from whatsapp_delivery
        where processed_at is null and received_at < now() - interval '1 minute' limit 500`,
    );
    for (const row of deliveries.rows)
      await send(PROCESS_DELIVERY, { tenantId: row.tenant_id, deliveryId: row.id });
    const queued = await ownerPool.query<{ tenant_id: string; id: string }>(
      `select tenant_id, id from whatsapp_message
        where status = 'QUEUED' and direction = 'OUT' and created_at < now() - interval '2 minutes'
          and created_at > now() - interval '1 day' limit 500`,
    );
    for (const row of queued.rows) await send(SEND_MESSAGE, { tenantId: row.tenant_id, messageId: row.id });
  },
});
