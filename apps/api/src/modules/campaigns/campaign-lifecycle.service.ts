import type {
  Campaign,
  campaignListQuery,
  createCampaignBody,
  updateCampaignBody,
} from '@techmarket/contracts';
import type { z } from 'zod';
import type { Principal, UserPrincipal } from '../../platform/auth';
import type { Clock } from '../../platform/clock';
import { paginate, timeAndIdCursor } from '../../platform/cursor';
import type { Database, Tx } from '../../platform/db';
import { AppError, invalidField, notFound } from '../../platform/errors';
import type { CampaignAttribution } from './attribution';
import type { CampaignMetricsService } from './campaign-metrics.service';
import { requireCampaign, toCampaign, ZERO_TOTALS } from './campaign-view';
import { type CampaignRow, createCampaignsRepository } from './campaigns.repository';
import { DEFAULT_REACTIVATION } from './reactivation';
import type { SegmentsService } from './segments.service';

/**
 * A campaign's life cycle: DRAFT -> ACTIVE (activate) <-> PAUSED (pause / activate), and ENDED (end) from any of
 * them; ENDED is final. An ACTIVE campaign is live inside its window [startAt, endAt): attribution counts only
 * then, and the worker ends it once endAt has passed (campaigns.jobs.ts). Activating one whose end has passed is
 * refused. A REACTIVATION campaign may be `standing`: one per shop among those not ENDED (README.md).
 */

type CreateInput = z.output<typeof createCampaignBody>;
type UpdateInput = z.output<typeof updateCampaignBody>;
type ListQuery = z.output<typeof campaignListQuery>;

const versionConflict = () =>
  new AppError('VERSION_CONFLICT', 'The campaign was changed by someone else; reload it and try again', {
    errors: [{ path: 'version', message: 'stale version' }],
  });

const transitionRefused = (from: string, to: string) =>
  new AppError('INVALID_TRANSITION', `A ${from} campaign cannot become ${to}`, {
    errors: [{ path: 'status', message: `${from} -> ${to} is not allowed` }],
  });

export function createCampaignLifecycleService(deps: {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
  /** Told when a campaign's status or window changed: what an instance remembers of it is stale. */
  attribution: Pick<CampaignAttribution, 'forget'>;
  metrics: Pick<CampaignMetricsService, 'totalsOf'>;
  segments: Pick<SegmentsService, 'check'>;
}) {
  const { database, clock, attribution, metrics, segments } = deps;
  const repo = createCampaignsRepository();
  const now = () => clock.now().toISOString();

  async function withTotals(tx: Tx, row: CampaignRow) {
    const totals = await metrics.totalsOf(tx, row.tenantId, [row.id]);
    return toCampaign(row, now(), totals.get(row.id) ?? ZERO_TOTALS);
  }

  /** A template and standing are reactivation settings: 422 naming the field on another type. */
  function checkReactivationOnly(
    type: CampaignRow['type'],
    input: { whatsappTemplate?: unknown; standing?: boolean | undefined },
  ) {
    if (type === 'REACTIVATION') return;
    if (input.whatsappTemplate)
      throw invalidField(
        'whatsappTemplate',
        'only REACTIVATION campaigns send WhatsApp templates',
        'REACTIVATION_ONLY',
      );
    if (input.standing)
      throw invalidField('standing', 'only a REACTIVATION campaign can be standing', 'REACTIVATION_ONLY');
  }

  /** One standing campaign per shop among those not ENDED (a unique index backs this under concurrency). */
  async function checkStanding(tx: Tx, tenantId: string, exceptId: string | null) {
    if (await repo.otherStanding(tx, tenantId, exceptId))
      throw invalidField(
        'standing',
        'the shop already has a standing reactivation campaign; end it first',
        'STANDING_CAMPAIGN_EXISTS',
      );
  }

  async function transition(
    actor: UserPrincipal,
    id: string,
    to: 'ACTIVE' | 'PAUSED' | 'ENDED',
  ): Promise<Campaign> {
    const { tenantId } = actor;
    const result = await database.withTenant(tenantId, async (tx) => {
      const row = await requireCampaign(tx, tenantId, id, true);
      const at = now();
      const allowed =
        (to === 'ACTIVE' && (row.status === 'DRAFT' || row.status === 'PAUSED')) ||
        (to === 'PAUSED' && row.status === 'ACTIVE') ||
        (to === 'ENDED' && row.status !== 'ENDED');
      if (!allowed) throw transitionRefused(row.status, to);
      if (to === 'ACTIVE' && row.endAt !== null && row.endAt <= at)
        throw invalidField(
          'endAt',
          'the campaign has already ended; move endAt later to activate it',
          'CAMPAIGN_ENDED',
        );
      const updated = await repo.update(tx, tenantId, id, null, { status: to }, at);
      if (!updated) throw notFound('Campaign');
      return withTotals(tx, updated);
    });
    attribution.forget(id);
    return result;
  }

  return {
    async createCampaign(actor: UserPrincipal, input: CreateInput): Promise<Campaign> {
      if (actor.tenantId !== input.tenantId) throw notFound('Tenant');
      if (input.reactivation && input.type !== 'REACTIVATION')
        throw invalidField(
          'reactivation',
          'only REACTIVATION campaigns have reactivation settings',
          'REACTIVATION_ONLY',
        );
      checkReactivationOnly(input.type, input);
      return database.withTenant(input.tenantId, async (tx) => {
        await segments.check(tx, input.tenantId, input.segment);
        if (input.standing) await checkStanding(tx, input.tenantId, null);
        const at = now();
        const row = await repo.insert(tx, {
          tenantId: input.tenantId,
          name: input.name,
          type: input.type,
          status: 'DRAFT',
          startAt: input.startAt ? new Date(input.startAt).toISOString() : null,
          endAt: input.endAt ? new Date(input.endAt).toISOString() : null,
          segment: input.segment ?? { rules: [] },
          messageTemplate: input.messageTemplate ?? null,
          reactivation: input.type === 'REACTIVATION' ? (input.reactivation ?? DEFAULT_REACTIVATION) : null,
          whatsappTemplate: input.whatsappTemplate ?? null,
          standing: input.standing ?? false,
          createdAt: at,
          updatedAt: at,
        });
        return toCampaign(row, now());
      });
    },

    async updateCampaign(actor: UserPrincipal, id: string, input: UpdateInput): Promise<Campaign> {
      const { tenantId } = actor;
      const result = await database.withTenant(tenantId, async (tx) => {
        const current = await requireCampaign(tx, tenantId, id, true);
        if (current.version !== input.version) throw versionConflict();
        if (current.status === 'ENDED')
          throw invalidField('status', 'an ENDED campaign can no longer change', 'CAMPAIGN_ENDED');
        if (input.reactivation && current.type !== 'REACTIVATION')
          throw invalidField(
            'reactivation',
            'only REACTIVATION campaigns have reactivation settings',
            'REACTIVATION_ONLY',
          );
        checkReactivationOnly(current.type, input);
        await segments.check(tx, tenantId, input.segment);
        if (input.standing && !current.standing) await checkStanding(tx, tenantId, id);
        const iso = (v: string | null | undefined) =>
          v === undefined ? undefined : v === null ? null : new Date(v).toISOString();
        const startAt = iso(input.startAt);
        const endAt = iso(input.endAt);
        const start = startAt === undefined ? current.startAt : startAt;
        const end = endAt === undefined ? current.endAt : endAt;
        if (start && end && end <= start)
          throw invalidField('endAt', 'must be after startAt', 'END_BEFORE_START');
        const changes: Parameters<typeof repo.update>[4] = {};
        if (input.name !== undefined) changes.name = input.name;
        if (startAt !== undefined) changes.startAt = startAt;
        if (endAt !== undefined) changes.endAt = endAt;
        if (input.segment !== undefined) changes.segment = input.segment;
        if (input.messageTemplate !== undefined) changes.messageTemplate = input.messageTemplate;
        if (input.reactivation !== undefined)
          changes.reactivation = input.reactivation ?? DEFAULT_REACTIVATION;
        if (input.whatsappTemplate !== undefined) changes.whatsappTemplate = input.whatsappTemplate;
        if (input.standing !== undefined) changes.standing = input.standing;
        const updated = await repo.update(tx, tenantId, id, input.version, changes, now());
        if (!updated) throw versionConflict();
        return withTotals(tx, updated);
      });
      attribution.forget(id);
      return result;
    },

    activate: (actor: UserPrincipal, id: string) => transition(actor, id, 'ACTIVE'),
    pause: (actor: UserPrincipal, id: string) => transition(actor, id, 'PAUSED'),
    end: (actor: UserPrincipal, id: string) => transition(actor, id, 'ENDED'),

    async getCampaign(viewer: Principal, id: string): Promise<Campaign> {
      return database.withTenant(viewer.tenantId, async (tx) =>
        withTotals(tx, await requireCampaign(tx, viewer.tenantId, id)),
      );
    },

    async listCampaigns(viewer: Principal, tenantId: string, query: ListQuery) {
      if (viewer.tenantId !== tenantId) throw notFound('Tenant');
      const cursor = query.cursor ? timeAndIdCursor.decode(query.cursor) : null;
      const after = cursor && { createdAt: cursor.at, id: cursor.id };
      return database.withTenant(tenantId, async (tx) => {
        const page = paginate(
          await repo.list(tx, tenantId, query, after, query.limit),
          query.limit,
          timeAndIdCursor,
          (row) => ({ at: row.createdAt, id: row.id }),
        );
        const items = page.rows;
        const totals = await metrics.totalsOf(
          tx,
          tenantId,
          items.map((r) => r.id),
        );
        return {
          items: items.map((r) => toCampaign(r, now(), totals.get(r.id) ?? ZERO_TOTALS)),
          nextCursor: page.nextCursor,
        };
      });
    },
  };
}

export type CampaignLifecycleService = ReturnType<typeof createCampaignLifecycleService>;
