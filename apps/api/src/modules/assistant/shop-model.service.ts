import type { ShopModelList, ShopModelVersion } from '@techmarket/contracts';
import type { UserPrincipal } from '../../platform/auth';
import type { Clock } from '../../platform/clock';
import type { Database, Tx } from '../../platform/db';
import { badField, notFound } from '../../platform/errors';
import { predictMessage } from './classifier';
import { chooseCandidate } from './classifier/shop-training';
import { isShopLayer, type ShopExample, type ShopLayer, trainShopLayer } from './classifier/tenant-layer';
import { createShopModelRepository, type ShopModelRow } from './shop-model.repository';

/**
 * Each shop's own model: a layer over the shared one (classifier/tenant-layer.ts), learnt from what its sellers
 * say. The rules:
 * - A labelled example is a lead whose type or priority a person set (PATCH /leads/{id}), or whose suggestion a
 *   seller ignored or edited (its type and priority as they stand then): the customer's first message, the label,
 *   who and when. One per lead, its latest label. Leads the sellers worked leaving the assistant's reading as it
 *   was count as confirmations when a layer is trained.
 * - A layer is trained (a job) once `NEW_CORRECTIONS` examples came since the last version. The newest fifth of
 *   the examples is held out: the candidate, trained on the rest, goes live only if it agrees with them at least as
 *   well as the reading in use (the active version, or the shared model). Every version is kept with its scores
 *   and the reason; an owner or manager may activate any of them, or go back to the shared model.
 * - A new lead is read with the shop's active layer; other shops never see it.
 */

/** New examples since the last version that make a new one worth training. */
export const NEW_CORRECTIONS = 20;
/** The newest examples a layer learns from: recent habits, and bounded work for the job. */
const TRAINING_WINDOW = 3000;
/** Active layers kept in memory, by shop (the active version is checked on every reading). */
const CACHED_SHOPS = 500;

export interface ShopModelDeps {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
}

export interface ShopCorrection {
  tenantId: string;
  leadId: string;
  userId: string;
  source: 'CORRECTION' | 'FEEDBACK';
}

export function createShopModelService({ database, clock }: ShopModelDeps) {
  const repo = createShopModelRepository();
  const cache = new Map<string, { id: string; version: number; layer: ShopLayer }>();

  function toVersion(row: ShopModelRow): ShopModelVersion {
    return {
      version: row.version,
      active: row.active,
      examples: row.examples,
      corrections: row.corrections,
      heldOut: row.heldOut,
      candidate: row.scores.candidate,
      baseline: row.scores.baseline,
      baselineVersion: row.scores.baselineVersion,
      reason: row.reason as ShopModelVersion['reason'],
      activatedAt: row.activatedAt,
      activatedByUserId: row.activatedByUserId,
      trainedThrough: row.trainedThrough,
      createdAt: row.createdAt,
    };
  }

  /** The shop's active layer, read in the caller's transaction (the weights only when the version changed). */
  async function activeLayer(tx: Tx, tenantId: string) {
    const active = await repo.activeVersion(tx, tenantId);
    if (!active) {
      cache.delete(tenantId);
      return null;
    }
    const cached = cache.get(tenantId);
    if (cached?.id === active.id) return cached;
    const weights = await repo.weights(tx, tenantId, active.id);
    if (!isShopLayer(weights)) return null;
    const entry = { id: active.id, version: active.version, layer: weights };
    cache.delete(tenantId);
    cache.set(tenantId, entry);
    if (cache.size > CACHED_SHOPS) cache.delete(cache.keys().next().value as string);
    return entry;
  }

  return {
    /**
     * Stores the lead's label as a person left it, in the caller's transaction (the lead's change and its example
     * are one). A lead without a customer message, or without a type yet, teaches nothing and is skipped.
     */
    async recordExample(tx: Tx, correction: ShopCorrection) {
      const { tenantId, leadId } = correction;
      const labels = await repo.leadLabels(tx, tenantId, leadId);
      if (!labels?.leadType) return;
      const text = await repo.firstMessage(tx, tenantId, leadId);
      if (!text) return;
      await repo.upsertExample(tx, {
        tenantId,
        leadId,
        text: text.slice(0, 2000),
        leadType: labels.leadType,
        priority: labels.priority,
        source: correction.source,
        userId: correction.userId,
        at: clock.now().toISOString(),
      });
    },

    activeLayer,

    /**
     * The job: a new version when enough new examples came (or `force`, asked by a person, with any new one),
     * trained, scored on the newest examples, and activated only if it scores at least as well as the reading in
     * use. Idempotent: with nothing new since the last version it does nothing.
     */
    async train(tenantId: string, force = false): Promise<ShopModelVersion | null> {
      const loaded = await database.withTenant(tenantId, async (tx) => {
        const latest = await repo.latestVersion(tx, tenantId);
        const fresh = await repo.countExamples(tx, tenantId, latest.trainedThrough);
        if (fresh === 0 || (!force && fresh < NEW_CORRECTIONS)) return null;
        const rows = await repo.trainingRows(tx, tenantId, TRAINING_WINDOW);
        const active = await activeLayer(tx, tenantId);
        return { latest, rows, active };
      });
      if (!loaded) return null;
      const { rows, active, latest } = loaded;
      const corrections = rows.filter((row) => row.corrected);
      // Too few to hold any out: wait for more.
      if (rows.length < 2 * NEW_CORRECTIONS) return null;
      const examples: ShopExample[] = rows.map((row) => ({
        prediction: predictMessage(row.text),
        leadType: row.leadType,
        priority: row.priority,
      }));
      const choice = chooseCandidate(examples, active?.layer ?? null, trainShopLayer);
      // ISO instants sort as text: the newest correction learnt from.
      const trainedThrough = [
        latest.trainedThrough ?? '1970-01-01T00:00:00.000Z',
        ...corrections.map((row) => row.at),
      ]
        .sort()
        .at(-1) as string;
      const at = clock.now().toISOString();
      const row = await database.withTenant(tenantId, (tx) =>
        repo.insertVersion(tx, {
          tenantId,
          version: latest.version + 1,
          weights: choice.layer,
          examples: choice.trainedOn,
          corrections: corrections.length,
          heldOut: choice.candidate.examples,
          scores: {
            candidate: choice.candidate,
            baseline: choice.baseline,
            baselineVersion: active?.version ?? null,
          },
          reason: choice.reason,
          active: choice.activate,
          activatedAt: choice.activate ? at : null,
          trainedThrough,
          createdAt: at,
        }),
      );
      return toVersion(row);
    },

    /** Shops whose examples since their last version make a new one worth training (the sweep asks). */
    newCorrectionsThreshold: NEW_CORRECTIONS,

    async list(
      viewer: UserPrincipal,
      tenantId: string,
      query: { limit: number; cursor?: string | undefined },
    ): Promise<ShopModelList> {
      let before: number | null = null;
      if (query.cursor !== undefined) {
        if (!/^\d{1,7}$/.test(query.cursor))
          throw badField('cursor', 'not a cursor of this list; start again without it', 'CURSOR_INVALID');
        before = Number(query.cursor);
      }
      return database.withTenant(viewer.tenantId, async (tx) => {
        const rows = await repo.listVersions(tx, tenantId, query.limit + 1, before);
        const latest = await repo.latestVersion(tx, tenantId);
        const page = rows.slice(0, query.limit);
        const last = page.at(-1);
        return {
          items: page.map(toVersion),
          nextCursor: rows.length > query.limit && last ? String(last.version) : null,
          examples: await repo.countExamples(tx, tenantId, null),
          newExamples: await repo.countExamples(tx, tenantId, latest.trainedThrough),
        };
      });
    },

    /** A person's choice: this version in use from now on, whatever it scored (a roll-back, or a roll-forward). */
    async activate(actor: UserPrincipal, tenantId: string, version: number): Promise<ShopModelVersion> {
      // Thrown inside the transaction: an unknown version leaves the active one as it was.
      const row = await database.withTenant(tenantId, async (tx) => {
        const activated = await repo.activate(tx, tenantId, version, actor.userId, clock.now().toISOString());
        if (!activated) throw notFound('Model version');
        return activated;
      });
      return toVersion(row);
    },

    /** Back to the shared model alone; the versions stay, to be activated again. */
    async deactivate(tenantId: string) {
      await database.withTenant(tenantId, (tx) => repo.deactivate(tx, tenantId));
    },
  };
}

export type ShopModelService = ReturnType<typeof createShopModelService>;
