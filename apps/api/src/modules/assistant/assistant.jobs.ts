import type pg from 'pg';
import type { JobDefinition } from '../../platform/jobs';
import type { AssistantService } from './assistant.service';

export const ASSIST_NEW_LEAD = 'assistant.new-lead';

/** Runs the assistant on a new lead. A lead that already has an assistance is left alone, so retries are harmless. */
export const assistNewLeadJob = (
  assistant: AssistantService,
): JobDefinition<{ tenantId?: string; leadId?: string }> => ({
  name: ASSIST_NEW_LEAD,
  async handle({ tenantId, leadId }) {
    if (!tenantId || !leadId) return;
    if (await assistant.latest(tenantId, leadId)) return;
    await assistant.runForNewLead(tenantId, leadId);
  },
});

/**
 * The safety net: a lead whose job was never sent (the process died between commit and send) still gets
 * its assistance within a few minutes.
 */
export const sweepUnassistedLeadsJob = (
  ownerPool: pg.Pool,
  send: (name: string, data: object) => Promise<void>,
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
    for (const row of rows) await send(ASSIST_NEW_LEAD, { tenantId: row.tenant_id, leadId: row.id });
  },
});
