import type pg from 'pg';
import { z } from 'zod';
import { defineJob, type JobDefinition, type JobQueue } from '../../platform/jobs';
import type { AssistantService } from './assistant.service';

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
