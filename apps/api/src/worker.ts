import type pg from 'pg';
import { reputationSweepJob } from './modules/analytics';
import { sweepShopModelsJob, sweepUnassistedLeadsJob } from './modules/assistant';
import { campaignWindowsJob, rebuildAllCampaignMetricsJob } from './modules/campaigns';
import { followupSweepJob } from './modules/followups';
import { purgeSessionsJob } from './modules/identity';
import { importsSweepJob } from './modules/imports';
import { retentionSweepJob } from './modules/privacy';
import { expireQuotesJob } from './modules/quotes';
import { purgeIdempotencyKeysJob } from './modules/tracking';
import { whatsappSweepJob } from './modules/whatsapp';
import type { JobDefinition, JobQueue } from './platform/jobs';
import { type PartitionRetention, partitionMaintenanceJob } from './platform/partitions';

/** The maintenance jobs that work across tenants on the owner connection; domain jobs come from the app. */
export function maintenanceJobs(
  ownerPool: pg.Pool,
  queue: JobQueue,
  retention: PartitionRetention = {},
): JobDefinition[] {
  return [
    purgeSessionsJob(ownerPool),
    purgeIdempotencyKeysJob(ownerPool),
    expireQuotesJob(ownerPool),
    sweepUnassistedLeadsJob(ownerPool, queue),
    // Every 10 minutes: a new version of each shop's own assistant model where enough corrections came.
    sweepShopModelsJob(ownerPool, queue),
    // Every minute: a follow-up engine pass for each shop with leads that changed or fell due.
    followupSweepJob(ownerPool, queue),
    // Every minute: campaigns past their end become ENDED; live reactivation campaigns get a pass every 5.
    campaignWindowsJob(ownerPool, queue),
    // Every hour (and when Redis lost its counters): campaigns' recent figures counted again from the stored rows.
    rebuildAllCampaignMetricsJob(ownerPool, queue),
    // Every minute: WhatsApp deliveries stored but not processed, and messages queued but not sent.
    whatsappSweepJob(ownerPool, queue),
    // Every hour: each shop's branch reputation stored for the marketplace's feed.
    reputationSweepJob(ownerPool, queue),
    // Daily: the customers of leads closed longer ago than their shop's retention period are anonymised.
    retentionSweepJob(ownerPool),
    // Every minute: imports whose job was lost before it was stored are sent again; those whose job gave up fail.
    importsSweepJob(ownerPool, queue),
    // Daily: the coming months' partitions of lead_event, listing_view and the WhatsApp tables made, those past
    // retention dropped.
    partitionMaintenanceJob(ownerPool, retention),
  ];
}
