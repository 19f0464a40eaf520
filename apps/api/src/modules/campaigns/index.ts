import type { FastifyBaseLogger } from 'fastify';
import type { AppModule } from '../../platform/app-module';
import type { DayCounters } from '../../platform/cache';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db';
import type { JobQueue } from '../../platform/jobs';
import type { LaggingReads } from '../../platform/read-replica';
import type { FollowupsService } from '../followups';
import type { LeadFeed } from '../leads';
import type { AutomaticSends } from '../whatsapp';
import { type CampaignAttribution, createCampaignAttribution } from './attribution';
import { createCampaignAssetsService } from './campaign-assets.service';
import { createCampaignLifecycleService } from './campaign-lifecycle.service';
import { createCampaignMetricsService } from './campaign-metrics.service';
import { createCampaignRepliesService } from './campaign-replies.service';
import { foldCampaignMetricsJob, reactivateCampaignJob, rebuildCampaignMetricsJob } from './campaigns.jobs';
import { campaignsRoutes } from './campaigns.routes';
import { createReactivationService, type ReactivationService } from './reactivation.service';
import { createSegmentsService } from './segments.service';

export {
  campaignWindowsJob,
  rebuildAllCampaignMetricsJob,
  rebuildCampaignMetrics,
} from './campaigns.jobs';
export { createSegmentsService, type SegmentsService } from './segments.service';

export interface CampaignsDeps {
  database: Pick<Database, 'withTenant'>;
  /** Where segment previews are read (a read replica when one is configured). */
  reads?: LaggingReads<Pick<Database, 'withTenant'>>;
  clock: Clock;
  /** Redis day counters, folded into the table each minute by the worker; without them, one upsert per event. */
  counters: DayCounters | null;
  /** Where the fold sends the rebuild of every campaign's figures when Redis lost its counters. */
  queue: Pick<JobQueue, 'send'>;
  followups: Pick<
    FollowupsService,
    'createCampaignTasks' | 'cancelCampaignTasks' | 'completeCampaignTasks' | 'whenDormant'
  >;
  /** Told after a reply commits (the board hears of the lead); heard for every lead created or changed (funnels). */
  feed: Pick<LeadFeed, 'changed' | 'onCreated' | 'onChanged'>;
  /** Template sends where the lead's branch has a WhatsApp channel; without it, every message is a task. */
  whatsapp?: Pick<AutomaticSends, 'channelBranches' | 'sendTemplate' | 'dispatch'>;
  log: FastifyBaseLogger;
}

/**
 * The campaigns module's one public face: its services built from the app's parts, what other modules may ask of
 * it (counting the marketplace's clicks and views, stopping a customer's messages on opt-out), its routes, jobs
 * and listeners (funnels that follow leads, the standing campaign's pick-up of dormant leads). Each service does
 * one job; README.md lists them.
 */
export function createCampaignsModule(deps: CampaignsDeps): AppModule & {
  attribution: Pick<CampaignAttribution, 'clicked' | 'viewed'>;
  marketing: Pick<ReactivationService, 'cancelOpenMessages'>;
} {
  const { database, reads, clock, counters, queue, followups, feed, whatsapp, log } = deps;
  const attribution = createCampaignAttribution({
    database,
    clock,
    counters,
    onError: (error) => log.warn({ err: error }, 'campaigns: an event was not counted'),
  });
  const metrics = createCampaignMetricsService({ database, clock, attribution });
  const segments = createSegmentsService({ database, reads, clock });
  const lifecycle = createCampaignLifecycleService({ database, clock, attribution, metrics, segments });
  const reactivation = createReactivationService({ database, clock, followups, whatsapp });
  const replies = createCampaignRepliesService({ database, clock, attribution, followups, feed });
  const assets = createCampaignAssetsService({ database, clock });
  return {
    /** The marketplace's clicks and views that carry a campaign, counted into its funnel (tracking). */
    attribution,
    /** What opting out asks of the campaigns (contacts' consent service). */
    marketing: { cancelOpenMessages: reactivation.cancelOpenMessages },
    jobs: [
      reactivateCampaignJob(reactivation),
      rebuildCampaignMetricsJob(attribution),
      ...(counters ? [foldCampaignMetricsJob(attribution, queue)] : []),
    ],
    listen() {
      // Funnels count the leads a campaign brought and, when they are won, its sales (attribution.ts).
      feed.onCreated((lead) => attribution.leadCreated(lead));
      feed.onChanged((_type, lead) => attribution.leadChanged(lead));
      // A standing reactivation campaign picks up each lead the engine moves to DORMANT, in the engine's transaction.
      followups.whenDormant((tx, tenantId, leadIds, at) =>
        reactivation.pickUpDormant(tx, tenantId, leadIds, at),
      );
    },
    /** Under /api/v1. */
    async routes(api) {
      await api.register(campaignsRoutes, { lifecycle, metrics, segments, reactivation, replies, assets });
    },
  };
}
