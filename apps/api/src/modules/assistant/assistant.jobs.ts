import type pg from 'pg';
import { z } from 'zod';
import { defineJob, type JobDefinition, type JobQueue } from '../../platform/jobs';
import type { AssistantService } from './assistant.service';
import { NEW_CORRECTIONS, type ShopModelService } from './shop-model.service';

/** Runs the assistant on a new lead. A lead that already has an assistance is left alone, so retries are harmless. */
export const assistNewLead = defineJob({
  name: 'assistant.new-lead',
  schema: z.object({ tenantId: z.uuid(), leadId: z.uuid() }),
});

export const assistNewLeadJob = (assistant: Pick<AssistantService, 'hasAssistance' | 'runForNewLead'>) =>
  assistNewLead.handledBy(async ({ tenantId, leadId }) => {
    if (await assistant.hasAssistance(tenantId, leadId)) return;
    await assistant.runForNewLead(tenantId, leadId);
  });

/**
 * The safety net: a lead whose job was never sent (the process died between commit and send) still gets
 * its assistance within a few minutes.
 */
export const sweepUnassistedLeadsJob = (
  ownerPool: pg.Pool,
  queue: Pick<JobQueue, 'send'>,
): JobDefinition => ({
  name: 'assistant.sweep',
  cron: '*/5 * * * *',
  async handle() {
    const { rows } = await ownerPool.query<{ tenant_id: string; id: string }>(
      `select l.tenant_id, l.id from lead l
        where l.created_at > now() - interval '1 day' and l.created_at < now() - interval '2 minutes'
          and not exists (select 1 from lead_ai_assistance a where a.tenant_id = l.tenant_id and a.lead_id = l.id)
        limit 500`,
    );
    for (const row of rows) await assistNewLead.send(queue, { tenantId: row.tenant_id, leadId: row.id });
  },
});

/**
 * Trains a new version of a shop's own layer when enough new examples came (shop-model.service.ts). One queued per
 * shop at most: a burst of corrections costs one run. `force`: a person asked, any new example will do.
 */
export const trainShopModel = defineJob({
  name: 'assistant.train-shop-model',
  schema: z.object({ tenantId: z.uuid(), force: z.boolean().default(false) }),
  singleton: true,
});

export const trainShopModelJob = (shopModels: Pick<ShopModelService, 'train'>) =>
  trainShopModel.handledBy(async ({ tenantId, force }) => {
    await shopModels.train(tenantId, force);
  });

/** Every 10 minutes: each shop with enough examples since its last version gets a training job. */
export const sweepShopModelsJob = (ownerPool: pg.Pool, queue: Pick<JobQueue, 'send'>): JobDefinition => ({
  name: 'assistant.shop-model-sweep',
  cron: '*/10 * * * *',
  async handle() {
    const { rows } = await ownerPool.query<{ tenant_id: string }>(
      `select e.tenant_id from assistant_shop_example e
         left join (select tenant_id, max(trained_through) as trained_through
                      from assistant_shop_model group by tenant_id) m on m.tenant_id = e.tenant_id
        where m.trained_through is null or e.updated_at > m.trained_through
        group by e.tenant_id
       having count(*) >= $1
        limit 500`,
      [NEW_CORRECTIONS],
    );
    for (const row of rows)
      await trainShopModel.send(queue, { tenantId: row.tenant_id }, { singletonKey: row.tenant_id });
  },
});
