import type pg from 'pg';
import { z } from 'zod';
import { defineJob, type JobDefinition, type JobQueue } from '../../platform/jobs';
import type { FollowupsService } from './followups.service';

/** One engine pass over one shop. Idempotent (rule keys are unique), so a retry or a duplicate is harmless. */
export const runTenantEngine = defineJob({
  name: 'followups.run-tenant',
  schema: z.object({ tenantId: z.uuid() }),
});

export const runTenantEngineJob = (followups: Pick<FollowupsService, 'runEngine'>) =>
  runTenantEngine.handledBy(({ tenantId }) => followups.runEngine(tenantId));

/**
 * Every minute, on the owner connection (it looks across shops): the shops that have follow-up work, each
 * found by a probe of the same partial indexes the pass reads, so a shop with nothing new and nothing due costs
 * four index probes. Each such shop gets a pass of its own, worked by whichever worker is free.
 */
export const followupSweepJob = (ownerPool: pg.Pool, queue: Pick<JobQueue, 'send'>): JobDefinition => ({
  name: 'followups.sweep',
  cron: '* * * * *',
  async handle() {
    const { rows } = await ownerPool.query<{ id: string }>(FOLLOWUP_WORK_SQL);
    for (const row of rows) await runTenantEngine.send(queue, { tenantId: row.id });
  },
});

// The conditions repeat the partial indexes' predicates (db/schema/lead.ts, task.ts) so each probe uses one.
export const FOLLOWUP_WORK_SQL = `
select t.id from tenant t
where exists (
    select 1 from lead l where l.tenant_id = t.id
      and (l.status_code in (0, 1, 2, 3) or l.followup_stage_at is not null)
      and l.followup_stage_at is distinct from l.status_changed_at)
  or exists (
    select 1 from lead l where l.tenant_id = t.id and l.status_code in (0, 1, 2, 3) and l.followup_due_at <= now())
  or exists (
    select 1 from task k where k.tenant_id = t.id and k.status = 'OPEN' and k.reminded_at is null
      and k.due_at <= now())
  or exists (
    select 1 from lead l where l.tenant_id = t.id
      and l.first_response_at is not null and l.first_response_business_seconds is null)`;
