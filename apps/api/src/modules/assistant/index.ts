import type { FastifyBaseLogger } from 'fastify';
import type { AppConfig } from '../../config';
import type { AppModule } from '../../platform/app-module';
import type { Clock } from '../../platform/clock';
import type { Database, Tx } from '../../platform/db';
import type { JobQueue } from '../../platform/jobs';
import type { LeadFeed } from '../leads';
import { type Acceptance, createAcceptance } from './acceptance';
import { assistNewLead, assistNewLeadJob, trainShopModelJob } from './assistant.jobs';
import { assistantRoutes } from './assistant.routes';
import { type AssistantService, createAssistantService } from './assistant.service';
import { shopFactsRoutes } from './shop-facts.routes';
import { createShopFactsService } from './shop-facts.service';
import { shopModelRoutes } from './shop-model.routes';
import { createShopModelService } from './shop-model.service';

export { assistNewLead, sweepShopModelsJob, sweepUnassistedLeadsJob } from './assistant.jobs';
export { warmUpClassifier } from './classifier';

export interface AssistantModuleDeps {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
  config: Pick<AppConfig, 'AI_PROVIDER' | 'AI_MODEL' | 'AI_BASE_URL' | 'AI_API_KEY' | 'AI_TIMEOUT_MS'>;
  /** Told when a reading changes a lead's priority or type; heard for every new lead. */
  feed: Pick<LeadFeed, 'changed' | 'onCreated'>;
  queue: Pick<JobQueue, 'send'>;
  log: FastifyBaseLogger;
}

/** What the leads module tells the assistant, in the lead's own transaction: a person set its type or priority. */
export interface ShopCorrections {
  learnFromCorrection(
    tx: Tx,
    correction: { tenantId: string; leadId: string; userId: string },
  ): Promise<void>;
}

/**
 * The assistant module's one public face (the worker and the start script import its sweep and job too): every
 * new lead gets a reading, off the request, and `latest` offers the lead page the newest one.
 */
export function createAssistantModule(
  deps: AssistantModuleDeps,
): AppModule &
  Pick<AssistantService, 'latest'> &
  ShopCorrections & { recordSellerText: Acceptance['recordSent'] } {
  const { database, clock, config, feed, queue, log } = deps;
  const shopFacts = createShopFactsService({ database, clock });
  const shopModels = createShopModelService({ database, clock });
  const assistant = createAssistantService({
    database,
    clock,
    shopFacts,
    shopModels,
    llm:
      config.AI_PROVIDER === 'none' || !config.AI_MODEL
        ? null
        : {
            provider: config.AI_PROVIDER,
            model: config.AI_MODEL,
            baseUrl: config.AI_BASE_URL,
            apiKey: config.AI_API_KEY,
            timeoutMs: config.AI_TIMEOUT_MS,
          },
    onLeadChanged: (lead) => feed.changed('lead.updated', lead),
  });
  const acceptance = createAcceptance({ database, clock, shopModels });
  return {
    latest: assistant.latest,
    learnFromCorrection: (tx, correction) =>
      shopModels.recordExample(tx, { ...correction, source: 'CORRECTION' }),
    /** A seller's text on a lead (WhatsApp send, in its transaction): what became of the suggestion. */
    recordSellerText: acceptance.recordSent,
    jobs: [assistNewLeadJob(assistant), trainShopModelJob(shopModels)],
    /** Every new lead, however it came in, gets the assistant's reading: after commit, off the request. */
    listen() {
      feed.onCreated((lead) =>
        assistNewLead.send(queue, { tenantId: lead.tenantId, leadId: lead.id }).catch((error: unknown) => {
          log.warn({ err: error }, 'assistant job not sent; the sweep will pick the lead up');
        }),
      );
    },
    /** Under /api/v1. */
    async routes(api) {
      await api.register(assistantRoutes, { assistant, acceptance });
      await api.register(shopFactsRoutes, { shopFacts });
      await api.register(shopModelRoutes, { shopModels, queue });
    },
  };
}
