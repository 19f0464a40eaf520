import type pg from 'pg';
import { purgeSessionsJob } from './modules/identity/identity.jobs';
import { purgeIdempotencyKeysJob } from './modules/tracking/tracking.jobs';
import { type JobRunner, startJobs } from './platform/jobs';

/** The background worker: every domain's scheduled and queued jobs. Runs in the API process or alone (--role worker). */
export function startWorker(
  ownerUrl: string,
  ownerPool: pg.Pool,
  onError: (error: Error) => void,
): Promise<JobRunner> {
  return startJobs(ownerUrl, [purgeSessionsJob(ownerPool), purgeIdempotencyKeysJob(ownerPool)], onError);
}
