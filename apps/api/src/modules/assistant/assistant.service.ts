import type { Assistance, AssistanceAlternative, Lead } from '@techmarket/contracts';
import { branchScope, type Principal, type UserPrincipal } from '../../platform/auth';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db';
import { notFound } from '../../platform/errors';
import { createLeadLookup } from '../leads';
import { measureFeedback } from './acceptance';
import { createAssistantRepository, type LeadContext } from './assistant.repository';
import { builtinReading } from './builtin-reading';
import { type Classification, classifyLead } from './classifier';
import { adjustPrediction } from './classifier/tenant-layer';
import { type LlmSettings, PROMPT_VERSION, preloadLlm } from './llm';
import { llmReading } from './llm-reading';
import { detectQuestions } from './questions';
import { type Language, signReply } from './replies';
import { replyFactsOf } from './reply-facts';
import type { ShopFactsService } from './shop-facts.service';
import type { ShopModelService } from './shop-model.service';

/**
 * The lead assistant: classifies a lead (sale or service, priority), drafts the first reply and the next
 * best action, and proposes catalog alternatives. The built-in model always answers; an LLM, when set up,
 * answers instead, and any failure of it falls back to the built-in answer, recorded as such. It suggests;
 * the seller decides. The lead's type and priority follow the assistant until a person sets them; for an
 * anonymous lead (a visitor-only contact) the priority is always the built-in model's, never the LLM's.
 */

export interface AssistantDeps {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
  llm: LlmSettings | null;
  /** What the shop tells customers, for the replies to answer from. */
  shopFacts: Pick<ShopFactsService, 'read'>;
  /** The shop's own layer over the shared model, and where its sellers' labels go. */
  shopModels: Pick<ShopModelService, 'activeLayer' | 'recordExample'>;
  /** Told after the lead's priority or type changed. */
  onLeadChanged?: (lead: Lead) => Promise<void>;
}

export function createAssistantService({
  database,
  clock,
  llm,
  shopFacts,
  shopModels,
  onLeadChanged,
}: AssistantDeps) {
  const repo = createAssistantRepository();
  const leads = createLeadLookup();
  // The SDK is loaded only where an LLM is configured; then at once, not during the first lead's time limit.
  if (llm) void preloadLlm().catch(() => undefined);

  /** A stored assistance as `signer` reads it: the reply signed with their name (replies.ts, SELLER_SLOT). */
  const toAssistance = (
    row: Awaited<ReturnType<typeof repo.insertAssistance>>,
    signer: string | null,
  ): Assistance => ({
    ...row.result,
    suggestedReply: signReply(row.result.suggestedReply, signer, row.trace.language),
    id: row.id,
    leadId: row.leadId,
    provider: row.provider as Assistance['provider'],
    model: row.model,
    language: row.trace.language,
    fallbackReason: row.trace.fallbackReason,
    latencyMs: row.latencyMs,
    createdAt: row.createdAt,
  });

  async function alternativesFor(tenantId: string, context: LeadContext, classification: Classification) {
    const listing = context.listing;
    const category =
      listing?.category ?? (classification.category === 'OTHER' ? null : classification.category);
    if (classification.leadType === 'SERVICE' || !category) return [];
    const lostOnPrice = context.lostReason === 'PRICE';
    const rows = await database.withTenant(tenantId, (tx) =>
      repo.alternatives(tx, tenantId, {
        category,
        text: [...context.messages, listing?.title ?? ''].join(' '),
        minPrice: listing && !lostOnPrice ? Math.round(listing.price * 0.75) : null,
        maxPrice: listing ? Math.round(listing.price * (lostOnPrice ? 1 : 1.25)) : null,
        excludeId: listing?.id ?? null,
      }),
    );
    return rows.map(
      (row): AssistanceAlternative => ({
        listingId: row.listingId,
        title: row.title,
        price: row.price,
        currency: row.currency as AssistanceAlternative['currency'],
        why:
          listing && row.price < listing.price
            ? 'Misma categoría, más económico y en stock'
            : 'Misma categoría y en stock, parecido a lo que busca',
      }),
    );
  }

  async function run(tenantId: string, leadId: string, actor: UserPrincipal | null): Promise<Assistance> {
    const actorUserId = actor?.userId ?? null;
    const started = performance.now();
    const found = await database.withTenant(tenantId, async (tx) => {
      const lead = await repo.leadContext(tx, tenantId, leadId);
      if (!lead) return null;
      return {
        lead,
        facts: replyFactsOf(await shopFacts.read(tx, tenantId), lead.branchId),
        shop: await shopModels.activeLayer(tx, tenantId),
      };
    });
    if (!found) throw notFound('Lead');
    const { lead: context, facts, shop } = found;
    const asked = detectQuestions(context.messages.join('\n'));
    const input = {
      message: context.messages.join('\n') || null,
      listingTitle: context.listing?.title ?? null,
      listingCategory: context.listing?.category ?? null,
    };
    // The shop's own layer, when it has one, reads the shared model's prediction its way (classifier/tenant-layer.ts).
    const classification = shop
      ? classifyLead({ ...input, adjust: (prediction) => adjustPrediction(shop.layer, prediction) })
      : classifyLead(input);
    if (shop) {
      const shared = classifyLead(input);
      if (shared.leadType !== classification.leadType || shared.priority !== classification.priority)
        classification.reasons = [...classification.reasons.slice(0, 3), 'Como lo clasifica tu tienda'];
    }
    const language: Language =
      context.messages.length > 0 ? classification.language : context.branchCountry === 'BR' ? 'pt' : 'es';
    const alternatives = await alternativesFor(tenantId, context, classification);
    let result = builtinReading(context, classification, alternatives, language, asked, facts, clock.now());
    let provider: Assistance['provider'] = 'builtin';
    let model = shop ? `naive-bayes-v1+shop-v${shop.version}` : 'naive-bayes-v1';
    let fallbackReason: string | null = null;
    let tokens: { input: number | null; output: number | null } | null = null;

    if (llm) {
      const reading = await llmReading(llm, {
        context,
        language,
        alternatives,
        builtin: result,
        facts,
        ownModel: Boolean(shop),
      });
      if ('refused' in reading) fallbackReason = reading.refused;
      else {
        result = reading.result;
        provider = llm.provider;
        model = llm.model;
        tokens = reading.tokens;
      }
    }

    const at = clock.now().toISOString();
    const latencyMs = Math.round(performance.now() - started);
    const { row, changed, signer } = await database.withTenant(tenantId, async (tx) => {
      if (!actor) {
        // The new lead's job runs at least once (pg-boss retries a job whose worker died, the sweep re-sends):
        // two runs that overlap wait for each other here, and the later one keeps the reading already written.
        await repo.lockLead(tx, tenantId, leadId);
        const written = await repo.latest(tx, tenantId, leadId);
        if (written) return { row: written, changed: null, signer: null };
      }
      const stored = await repo.insertAssistance(tx, {
        tenantId,
        leadId,
        provider,
        model,
        result,
        trace: {
          language,
          promptVersion: PROMPT_VERSION,
          fallbackReason,
          tokens,
          signals: classification.signals,
        },
        latencyMs,
        createdAt: at,
      });
      const reclassified =
        (result.priority !== context.priority || result.leadType !== context.leadType) &&
        (await repo.classify(
          tx,
          tenantId,
          leadId,
          { priority: result.priority, leadType: result.leadType },
          at,
        ));
      await repo.insertEvent(tx, {
        tenantId,
        leadId,
        type: 'AI_SUGGESTED',
        payload: {
          assistanceId: stored.id,
          provider,
          leadType: result.leadType,
          priority: result.priority,
          nextBestAction: result.nextBestAction,
          ...(fallbackReason ? { fallbackReason } : {}),
          applied: reclassified,
        },
        actorUserId,
        createdAt: at,
      });
      return {
        row: stored,
        changed: reclassified ? await leads.find(tx, tenantId, leadId, null) : null,
        signer: actor ? await repo.userName(tx, tenantId, actor.userId) : null,
      };
    });
    if (changed) await onLeadChanged?.(changed);
    return toAssistance(row, signer);
  }

  return {
    /** For the job: the lead was just created. */
    runForNewLead: (tenantId: string, leadId: string) => run(tenantId, leadId, null),

    /** For the job: whether the lead has been read already (a retry then does nothing). */
    hasAssistance: async (tenantId: string, leadId: string) =>
      (await database.withTenant(tenantId, (tx) => repo.latest(tx, tenantId, leadId))) !== null,

    async assist(viewer: UserPrincipal, leadId: string) {
      await requireVisible(viewer, leadId);
      return run(viewer.tenantId, leadId, viewer);
    },

    /**
     * The lead's latest assistance, its reply signed by the viewer: a person with their own name, an API key by
     * the team. The caller has checked that the viewer sees the lead (the lead page).
     */
    async latest(viewer: Principal, leadId: string): Promise<Assistance | null> {
      const { row, signer } = await database.withTenant(viewer.tenantId, async (tx) => ({
        row: await repo.latest(tx, viewer.tenantId, leadId),
        signer: viewer.kind === 'user' ? await repo.userName(tx, viewer.tenantId, viewer.userId) : null,
      }));
      return row ? toAssistance(row, signer) : null;
    },

    async feedback(
      actor: UserPrincipal,
      leadId: string,
      assistanceId: string,
      input: { outcome: 'USED' | 'EDITED' | 'IGNORED'; finalText?: string | undefined },
    ) {
      await requireVisible(actor, leadId);
      return database.withTenant(actor.tenantId, async (tx) => {
        const assistance = await repo.findAssistance(tx, actor.tenantId, leadId, assistanceId);
        if (!assistance) throw notFound('Assistance');
        const finalText = input.finalText ?? null;
        // Measured against the suggestion as this seller read it (signed with their name), for the KPI.
        const suggestion = signReply(
          assistance.result.suggestedReply,
          await repo.userName(tx, actor.tenantId, actor.userId),
          assistance.trace.language,
        );
        const row = await repo.insertFeedback(tx, {
          tenantId: actor.tenantId,
          assistanceId,
          leadId,
          userId: actor.userId,
          outcome: input.outcome,
          finalText,
          source: 'SELLER',
          ...measureFeedback(suggestion, input.outcome, finalText),
          createdAt: clock.now().toISOString(),
        });
        // A suggestion put aside says the reading may be off: the lead, labelled as it stands, is an example.
        if (input.outcome !== 'USED')
          await shopModels.recordExample(tx, {
            tenantId: actor.tenantId,
            leadId,
            userId: actor.userId,
            source: 'FEEDBACK',
          });
        return {
          id: row.id,
          assistanceId: row.assistanceId,
          outcome: input.outcome,
          finalText: row.finalText,
          userId: row.userId,
          createdAt: row.createdAt,
        };
      });
    },
  };

  async function requireVisible(viewer: Principal, leadId: string) {
    const scope = branchScope(viewer);
    const found = await database.withTenant(viewer.tenantId, (tx) =>
      leads.find(tx, viewer.tenantId, leadId, scope),
    );
    if (!found) throw notFound('Lead');
    return found;
  }
}

export type AssistantService = ReturnType<typeof createAssistantService>;
