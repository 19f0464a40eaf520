/** The follow-ups module's one public face: what app.ts, the worker and other modules may import. */
export { FOLLOWUP_WORK_SQL, followupSweepJob, runTenantEngine, runTenantEngineJob } from './followups.jobs';
export { followupsRoutes } from './followups.routes';
export {
  type CampaignTaskInput,
  createFollowupsService,
  type DormantHook,
  type FollowupsDeps,
  type FollowupsService,
} from './followups.service';
