import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db';
import type { JobDefinition } from '../../platform/jobs';
import type { FollowupsService } from '../followups';
import type { LeadFeed } from '../leads';
import type { AutomaticSends } from '../whatsapp';
import type { CampaignAttribution } from './attribution';
import { createCampaignAssetsService } from './campaign-assets.service';
import { createCampaignLifecycleService } from './campaign-lifecycle.service';
import { createCampaignMetricsService } from './campaign-metrics.service';
import { createCampaignRepliesService } from './campaign-replies.service';
import { reactivateCampaignJob } from './campaigns.jobs';
import { campaignsRoutes } from './campaigns.routes';
import { createReactivationService } from './reactivation.service';
import { createSegmentsService } from './segments.service';

export { type CampaignAttribution, createCampaignAttribution } from './attribution';
export { campaignWindowsJob, foldCampaignMetricsJob } from './campaigns.jobs';
export { createSegmentsService, type SegmentsService } from './segments.service';

export interface CampaignsDeps {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
  attribution: Pick<CampaignAttribution, 'pending' | 'forget' | 'clicked'>;
  followups: Pick<FollowupsService, 'createCampaignTasks' | 'cancelCampaignTasks' | 'completeCampaignTasks'>;
  /** Told after a reply commits: the board hears of the lead (and new leads' own work starts). */
  feed: Pick<LeadFeed, 'changed'>;
  /** Template sends where the lead's branch has a WhatsApp channel; without it, every message is a task. */
  whatsapp?: Pick<AutomaticSends, 'channelBranches' | 'sendTemplate' | 'dispatch'>;
}

/**
 * The campaigns module's one public face: its services built from the app's parts, what other modules may ask of
 * it (the standing campaign's pick-up of dormant leads, stopping a customer's messages on opt-out), its routes
 * and jobs. Each service does one job; README.md lists them.
 */
export function createCampaignsModule(deps: CampaignsDeps) {
  const { database, clock, attribution, followups, feed, whatsapp } = deps;
  const metrics = createCampaignMetricsService({ database, clock, attribution });
  const segments = createSegmentsService({ database, clock });
  const lifecycle = createCampaignLifecycleService({ database, clock, attribution, metrics, segments });
  const reactivation = createReactivationService({ database, clock, followups, whatsapp });
  const replies = createCampaignRepliesService({ database, clock, attribution, followups, feed });
  const assets = createCampaignAssetsService({ database, clock });
  return {
    /** The follow-up engine hands the leads it moves to DORMANT to the standing campaign, in its transaction. */
    pickUpDormant: reactivation.pickUpDormant,
    /** What opting out asks of the campaigns (contacts' consent service). */
    marketing: { cancelOpenMessages: reactivation.cancelOpenMessages },
    jobs: [reactivateCampaignJob(reactivation)] as JobDefinition[],
    /** Under /api/v1. */
    async routes(api: FastifyInstance) {
      await api.register(campaignsRoutes, { lifecycle, metrics, segments, reactivation, replies, assets });
    },
  };
}

export type CampaignsModule = ReturnType<typeof createCampaignsModule>;
