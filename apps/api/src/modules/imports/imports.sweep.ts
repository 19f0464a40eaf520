import type pg from 'pg';
import type { JobDefinition, JobQueue } from '../../platform/jobs';
import { runImportJob } from './imports.service';

/** How long an import may sit QUEUED or RUNNING with no job of its own alive before the sweep looks at it. */
const STALE = '1 minute';

/**
 * Every minute, across tenants (the owner connection): imports left QUEUED or RUNNING for over a minute with no
 * `imports.run` job alive in pg-boss (created, retry or active). With no job at all, its send was lost (the
 * process died between the commit and the send, or pg-boss already deleted a finished job): it is sent again, and
 * the run resumes after its last committed batch. With a last job that failed (its retries spent), was cancelled,
 * or completed without finishing it, it would otherwise stay RUNNING forever: it becomes FAILED, with the reason
 * as a line of its report (what committed stays imported).
 */
export const importsSweepJob = (ownerPool: pg.Pool, queue: Pick<JobQueue, 'send'>): JobDefinition => ({
  name: 'imports.sweep',
  cron: '* * * * *',
  async handle() {
    const { rows } = await ownerPool.query<{
      tenant_id: string;
      id: string;
      last_row: number;
      job_state: string | null;
      job_error: string | null;
    }>(
      `select i.tenant_id, i.id, i.last_row, j.state::text as job_state, j.output->>'message' as job_error
         from import_job i
         left join lateral (
           select j.state, j.output from pgboss.job j
            where j.name = $1 and j.data->>'importId' = i.id::text
            order by j.created_on desc limit 1
         ) j on true
        where i.status in ('QUEUED', 'RUNNING') and i.updated_at < now() - interval '${STALE}'
          and (j.state is null or j.state not in ('created', 'retry', 'active'))
        limit 500`,
      [runImportJob.name],
    );
    for (const row of rows) {
      if (row.job_state === null) {
        await runImportJob.send(queue, { tenantId: row.tenant_id, importId: row.id });
        continue;
      }
      const reason = row.job_error ? `: ${row.job_error.slice(0, 200)}` : '';
      const client = await ownerPool.connect();
      try {
        await client.query('begin');
        // Only if still stuck: a run that moved it meanwhile keeps it.
        const failed = await client.query(
          `update import_job set status = 'FAILED', finished_at = now(), updated_at = now()
            where tenant_id = $1 and id = $2 and status in ('QUEUED', 'RUNNING')
              and updated_at < now() - interval '${STALE}'`,
          [row.tenant_id, row.id],
        );
        if (failed.rowCount === 1)
          await client.query(
            `insert into import_rejection (tenant_id, import_id, row, field, message) values ($1, $2, $3, 'job', $4)
             on conflict do nothing`,
            [
              row.tenant_id,
              row.id,
              row.last_row + 1,
              `La importación se detuvo por un error${reason}. Las filas anteriores quedaron importadas; ` +
                'sube el archivo otra vez para terminarla (lo ya importado se actualiza, no se duplica).',
            ],
          );
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      } finally {
        client.release();
      }
    }
  },
});
