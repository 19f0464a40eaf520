import type { FastifyBaseLogger } from 'fastify';
import type { AppModule } from '../../platform/app-module';
import { createLeadAutomation } from '../leads';
import { runTenantEngineJob } from './followups.jobs';
import { followupsRoutes } from './followups.routes';
import { createFollowupsService, type FollowupsDeps, type FollowupsService } from './followups.service';

export { FOLLOWUP_WORK_SQL, followupSweepJob } from './followups.jobs';
export {
  type CampaignTaskInput,
  createFollowupsService,
  type DormantHook,
  type FollowupsService,
} from './followups.service';

export interface FollowupsModuleDeps extends Omit<FollowupsDeps, 'automation' | 'onError'> {
  log: FastifyBaseLogger;
}

/**
 * The follow-ups module's one public face (the worker and the benchmarks import its sweep and service too): the
 * engine, a pass per shop sent by the worker's sweep every minute; tasks; the shop's policy. `service` is what
 * tickets (holidays), analytics (calendars) and campaigns (tasks, the dormant hand-over) ask of it.
 */
export function createFollowupsModule(deps: FollowupsModuleDeps): AppModule & { service: FollowupsService } {
  const { log, ...parts } = deps;
  const followups = createFollowupsService({
    ...parts,
    automation: createLeadAutomation(),
    onError: (error) => log.warn({ err: error }, 'follow-ups: a committed change was not announced'),
  });
  return {
    service: followups,
    jobs: [runTenantEngineJob(followups)],
    /** Under /api/v1. */
    async routes(api) {
      await api.register(followupsRoutes, { followups });
    },
  };
}
