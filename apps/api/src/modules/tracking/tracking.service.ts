// Over 350 lines: the three ways a marketplace visit enters (click, view batch, tracked link) share the throttle,
// the trust rules and the capture; split them when a fourth arrives.
import type {
  createLinkBody,
  listingViewItem,
  TrackedLink,
  updateLinkBody,
  WhatsappClickInput,
  WhatsappClickResult,
} from '@techmarket/contracts';
import { sql } from 'drizzle-orm';
import { isbot } from 'isbot';
import type { z } from 'zod';
import type { Principal } from '../../platform/auth';
import type { Clock } from '../../platform/clock';
import type { Database, Tx } from '../../platform/db';
import { isUniqueViolation } from '../../platform/db-errors';
import { AppError, invalidField, notFound } from '../../platform/errors';
import { type IdempotentAnswer, idempotent } from '../../platform/idempotency';
import type { JobQueue } from '../../platform/jobs';
import { clicksTotal } from '../../platform/metrics';
import { normalizePhone } from '../../platform/phone';
import type { RateLimits } from '../../platform/rate-limit';
import type { IdentityService } from '../identity';
import {
  type ClickAtOnceResult,
  type ClickProblem,
  type ClickRow,
  captureTrackedClick,
  captureTrackedLinkVisit,
  clickResultOf,
  createListingViewEvents,
  type LeadFeed,
  type TrackedClick,
  trackedClickText,
} from '../leads';
import { viewsOnLeads } from './tracking.jobs';
import { createTrackingRepository, type LinkRow } from './tracking.repository';
import { isWhatsappUrl, newLinkCode, whatsappUrl } from './wa-link';

/**
 * Tracking: what the marketplace's pages report (WhatsApp clicks, listing views) and the short links
 * printed on QR codes. Public endpoints, so: rate limited per client and per tenant, idempotent on
 * request, every id in the body checked against the tenant it names, and a customer's identity (userId,
 * phone, name) taken only from a caller holding the shop's API key.
 */

export interface TrackingDeps {
  database: Pick<
    Database,
    'withTenant' | 'readWithTenant' | 'writeWithTenant' | 'writeSqlWithTenant' | 'withoutTransaction'
  >;
  clock: Clock;
  identity: Pick<IdentityService, 'findBranch'>;
  feed: Pick<LeadFeed, 'changed'>;
  rateLimits: RateLimits;
  limits: { perIp: number; perTenant: number };
  publicUrl: string;
  /** Where the views of known customers go to land on their leads (LISTING_VIEW), after the answer. */
  queue?: Pick<JobQueue, 'send'>;
  /** A job that could not be sent: the views are stored; only their events on the leads are missed. */
  onError?: (error: unknown) => void;
  /** Told after commit of each click and view that carries a campaign: its funnel figures. */
  campaignEvents?: CampaignEvents;
}

export interface CampaignEvents {
  clicked(tenantId: string, campaignId: string, at: string): Promise<void>;
  viewed(tenantId: string, campaignIds: string[], at: string): Promise<void>;
}

export interface CallerMeta {
  ip: string;
  userAgent: string | undefined;
  referrer: string | undefined;
  idempotencyKey: string | null;
  principal: Principal | null;
  /** Told the tenant once the request is known to be about it (its log lines then carry it). */
  onTenant?: (tenantId: string) => void;
}

/** A tenant's own API key raises its limits: the marketplace's servers call on behalf of many users. */
const API_KEY_FACTOR = 10;
/** Where a phone typed without country code is read when the branch has no country. */
const FALLBACK_COUNTRY = 'PE';

type ViewItem = z.output<typeof listingViewItem>;

export function createTrackingService(deps: TrackingDeps) {
  const { database, clock, identity, feed, rateLimits, limits, publicUrl, campaignEvents, queue } = deps;
  const onError = deps.onError ?? (() => {});
  const viewEvents = createListingViewEvents();
  const repo = createTrackingRepository();
  const linkUrl = (code: string) => `${publicUrl}/w/${code}`;
  const toLink = (row: LinkRow): TrackedLink => ({ ...row, url: linkUrl(row.code) });

  /** A key of another tenant is refused like an unknown tenant; a matching key earns the higher limits. */
  function trustedFor(principal: Principal | null, tenantId: string) {
    if (principal?.kind === 'apiKey' && principal.tenantId !== tenantId) throw notFound('Tenant');
    return principal?.kind === 'apiKey';
  }

  /**
   * One unit of the client's budget per call, and one unit of a tenant's per event it is sent (a batch of N
   * views costs N): every event is a row, whichever entry point brought it.
   */
  async function throttle(meta: CallerMeta, tenantIds: string[]) {
    const factor = tenantIds.every((t) => trustedFor(meta.principal, t)) ? API_KEY_FACTOR : 1;
    const events = new Map<string, number>();
    for (const tenantId of tenantIds) events.set(tenantId, (events.get(tenantId) ?? 0) + 1);
    // The client's budget first, then each tenant's: one round trip to Redis for all of them.
    await rateLimits.consumeEach([
      { key: `ip:${meta.ip}`, limit: limits.perIp * factor },
      ...[...events].map(([tenantId, cost]) => ({
        key: `tenant:${tenantId}`,
        limit: limits.perTenant * factor,
        cost,
      })),
    ]);
  }

  /** Switches the transaction's tenant (RLS) for a batch that spans shops. */
  async function actAs(tx: Tx, tenantId: string) {
    await tx.execute(sql`select set_config('app.tenant_id', ${tenantId}, true)`);
  }

  async function requireTenantRow(tx: Tx, tenantId: string) {
    if (!(await repo.tenantExists(tx, tenantId))) throw notFound('Tenant');
  }

  /** Branch, listing and campaign of the tenant, as a click needs them; 422 naming the field otherwise. */
  async function clickTargets(
    tx: Tx,
    tenantId: string,
    ids: { branchId: string; listingId?: string | null | undefined; campaignId?: string | null | undefined },
    fields = { branchId: 'branchId', listingId: 'listingId', campaignId: 'campaign' },
  ) {
    const branch = await identity.findBranch(tx, tenantId, ids.branchId);
    if (!branch) {
      // Only now is the tenant itself checked: a branch found under this tenant proves it exists.
      await requireTenantRow(tx, tenantId);
      throw invalidField(fields.branchId, 'no active branch of this shop has this id', 'NOT_FOUND_IN_SHOP');
    }
    if (!branch.active)
      throw invalidField(fields.branchId, 'no active branch of this shop has this id', 'NOT_FOUND_IN_SHOP');
    if (!branch.whatsappPhone)
      throw invalidField(
        fields.branchId,
        'this branch has no WhatsApp number yet; add it in the settings',
        'BRANCH_WITHOUT_WHATSAPP',
      );
    const listing = ids.listingId ? await repo.listingSnapshot(tx, tenantId, ids.listingId) : null;
    if (ids.listingId && !listing)
      throw invalidField(fields.listingId, 'no listing of this shop has this id', 'NOT_FOUND_IN_SHOP');
    const campaign = ids.campaignId ? await repo.campaignRef(tx, tenantId, ids.campaignId) : null;
    if (ids.campaignId && !campaign)
      throw invalidField(fields.campaignId, 'no campaign of this shop has this id', 'NOT_FOUND_IN_SHOP');
    return { branch: { ...branch, whatsappPhone: branch.whatsappPhone }, listing, campaign };
  }

  /**
   * Who clicked. Only the shop's own API key vouches for `userId`, `phone` and `name` (the marketplace's
   * server knows who is logged in); anyone else may call the public endpoint with any of them, so an
   * anonymous click is a visitor, known by its `visitorId` alone, and lands on a visitor-only contact.
   * A phone is stored in E.164: one typed without "+" is read in the branch's country, which costs a look-up.
   * What is wrong here is reported after what is wrong with the branch, listing or campaign (capture_click).
   */
  async function clicker(
    input: WhatsappClickInput,
    trusted: boolean,
  ): Promise<Pick<TrackedClick, 'userId' | 'visitorId' | 'phone' | 'name' | 'identityProblem'>> {
    if (!trusted)
      return {
        userId: null,
        visitorId: input.visitorId ?? null,
        phone: null,
        name: null,
        identityProblem: input.visitorId === undefined ? 'visitorId' : null,
      };
    let phone: string | null = null;
    if (input.phone !== undefined) {
      const country = input.phone.trim().startsWith('+')
        ? FALLBACK_COUNTRY
        : ((await database.readWithTenant(input.tenantId, (tx) =>
            repo.branchCountry(tx, input.tenantId, input.branchId),
          )) ?? FALLBACK_COUNTRY);
      phone = normalizePhone(input.phone, country)?.e164 ?? null;
    }
    return {
      userId: input.userId ?? null,
      visitorId: input.visitorId ?? null,
      phone,
      name: input.name?.trim() || null,
      identityProblem: input.phone !== undefined && phone === null ? 'phone' : null,
    };
  }

  /** What capture_click found wrong, as the caller's 404 or 422 naming the field. */
  function clickProblem(problem: ClickProblem): AppError {
    switch (problem) {
      case 'tenant':
        return notFound('Tenant');
      case 'branch':
        return invalidField('branchId', 'no active branch of this shop has this id', 'NOT_FOUND_IN_SHOP');
      case 'branch-whatsapp':
        return invalidField(
          'branchId',
          'this branch has no WhatsApp number yet; add it in the settings',
          'BRANCH_WITHOUT_WHATSAPP',
        );
      case 'listing':
        return invalidField('listingId', 'no listing of this shop has this id', 'NOT_FOUND_IN_SHOP');
      case 'campaign':
        return invalidField('campaign', 'no campaign of this shop has this id', 'NOT_FOUND_IN_SHOP');
      case 'phone':
        return invalidField(
          'phone',
          'not a valid phone number; write it with the country code, e.g. +51 987 654 321',
          'PHONE_INVALID',
        );
      case 'visitorId':
        return invalidField(
          'visitorId',
          'a click without the shop’s API key is known by its visitorId; userId and phone need the key',
          'API_KEY_REQUIRED',
        );
    }
  }

  /** What capture_click is told of a click: where, who (as trusted), and what its event records. */
  function trackedClick(
    input: WhatsappClickInput & { linkCode?: string },
    who: Awaited<ReturnType<typeof clicker>>,
    meta: Pick<CallerMeta, 'userAgent' | 'referrer'> & { trusted: boolean },
    at: string,
  ): TrackedClick {
    return {
      tenantId: input.tenantId,
      branchId: input.branchId,
      listingId: input.listingId ?? null,
      campaignId: input.campaign ?? null,
      source: input.source,
      trusted: meta.trusted,
      ...who,
      // The listing and campaign as they were at click time are added by capture_click.
      clickPayload: {
        source: input.source,
        ...(input.linkCode ? { linkCode: input.linkCode } : {}),
        ...(meta.referrer ? { referrer: meta.referrer.slice(0, 500) } : {}),
        ...(meta.userAgent ? { userAgent: meta.userAgent.slice(0, 300) } : {}),
      },
      message: input.message ?? null,
      at,
    };
  }

  /** capture_click's answer: the problem it found as the caller's 4xx, else the click and its wa.me link. */
  function settled(result: ClickAtOnceResult) {
    if (result.problem !== null) throw clickProblem(result.problem);
    return { captured: result, url: linkToChat(result) };
  }

  /**
   * The click itself, one statement in the caller's transaction (capture_click: the customer, the open lead or a
   * new one assigned at once, and its events), then the wa.me link the customer is sent to.
   */
  async function click(tx: Tx, tracked: TrackedClick) {
    return settled(await captureTrackedClick(tx, tracked));
  }

  /** A click with no Idempotency-Key: capture_click as SQL text, in one message with its transaction. */
  async function clickAtOnce(tracked: TrackedClick) {
    const [row] = await database.writeSqlWithTenant<ClickRow>(tracked.tenantId, trackedClickText(tracked));
    return row;
  }

  /** The wa.me link a captured click sends the customer to: the branch's chat, the listing and the reference. */
  function linkToChat(captured: Extract<ClickAtOnceResult, { problem: null }>) {
    return whatsappUrl({
      branchPhone: captured.branch.whatsappPhone,
      country: captured.branch.countryCode,
      listingTitle: captured.listingTitle,
      refCode: captured.refCode,
    });
  }

  /** The campaigns' funnels hear of stored views, after commit. */
  /** After views are stored: known customers' views go to their leads by a job, campaigns count theirs. */
  async function viewed(
    tenantIds: string[],
    items: ViewItem[],
    at: string,
    knownViews: Map<string, number[]>,
  ) {
    if (queue) {
      for (const [tenantId, viewIds] of knownViews)
        if (viewIds.length > 0) await viewsOnLeads.send(queue, { tenantId, viewIds }).catch(onError);
    }
    if (!campaignEvents) return;
    for (const tenantId of tenantIds) {
      const campaignIds = items.flatMap((i) => (i.tenantId === tenantId && i.campaign ? [i.campaign] : []));
      if (campaignIds.length > 0) await campaignEvents.viewed(tenantId, campaignIds, at);
    }
  }

  type Captured = ReturnType<typeof settled>['captured'];

  async function announce(captured: { lead: Parameters<LeadFeed['changed']>[1]; created: boolean }) {
    await feed.changed(captured.created ? 'lead.created' : 'lead.updated', captured.lead);
  }

  return {
    async whatsappClick(
      input: WhatsappClickInput,
      meta: CallerMeta,
    ): Promise<IdempotentAnswer<WhatsappClickResult>> {
      await throttle(meta, [input.tenantId]);
      const trusted = trustedFor(meta.principal, input.tenantId);
      const at = clock.now().toISOString();
      const who = await clicker(input, trusted);
      const clicked = trackedClick(input, who, { ...meta, trusted }, at);
      let announced: Captured | null = null;
      const answerOf = ({ captured, url }: ReturnType<typeof settled>) => {
        announced = captured;
        return {
          status: captured.created ? 201 : 200,
          body: {
            leadId: captured.lead.id,
            created: captured.created,
            whatsappUrl: url,
            refCode: captured.refCode,
          },
        };
      };
      // Without an Idempotency-Key the click is one message: begin, the tenant, capture_click as SQL text (no query
      // builder on the hottest write), commit. A problem with the input is found before anything is written, so that
      // commit stores nothing.
      // The tenant is checked with the branch (capture_click): an unknown one is a 404 there, and with a key the
      // rollback takes the key's row with it.
      const answer: IdempotentAnswer<WhatsappClickResult> =
        meta.idempotencyKey === null
          ? { ...answerOf(settled(clickResultOf(await clickAtOnce(clicked)))), replayed: false }
          : await database.withTenant(input.tenantId, async (tx) =>
              idempotent(
                tx,
                {
                  tenantId: input.tenantId,
                  scope: 'whatsapp-click',
                  key: meta.idempotencyKey,
                  body: input,
                  now: at,
                },
                async () => answerOf(await click(tx, clicked)),
              ),
            );
      if (!answer.replayed) clicksTotal.inc({ kind: 'whatsapp' });
      if (announced) await announce(announced);
      if (announced && input.campaign) await campaignEvents?.clicked(input.tenantId, input.campaign, at);
      return answer;
    },

    /** The job's side: a batch of stored views of one shop onto its known customers' open leads. */
    async putViewsOnLeads(tenantId: string, viewIds: number[]): Promise<number> {
      return database.withTenant(tenantId, async (tx) =>
        viewEvents.record(tx, tenantId, await repo.viewsByIds(tx, tenantId, viewIds)),
      );
    },

    /**
     * Stores a view or a batch of views. A batch may span shops (a category page shows many); it is
     * written in one transaction, switching the tenant per shop, so it is stored whole or not at all.
     */
    async listingViews(
      body: ViewItem | ViewItem[],
      meta: CallerMeta,
    ): Promise<IdempotentAnswer<{ accepted: number }>> {
      const single = !Array.isArray(body);
      const items = single ? [body] : body;
      await throttle(
        meta,
        items.map((i) => i.tenantId),
      );
      const tenantIds = [...new Set(items.map((i) => i.tenantId))];
      const at = clock.now().toISOString();
      const first = tenantIds[0];
      if (first === undefined) return { status: 202, body: { accepted: 0 }, replayed: false };
      const path = (index: number, field: string) => (single ? field : `${index}.${field}`);

      // One shop and no Idempotency-Key, the usual call: one message (begin, tenant, the insert, commit). A batch
      // with an id that is not the shop's stores nothing there, and the statements below name the field.
      if (tenantIds.length === 1 && meta.idempotencyKey === null) {
        const stored = await database.writeWithTenant(first, (tx) =>
          repo.insertViewsIfKnown(
            tx,
            first,
            items.map((item) => ({
              listingId: item.listingId,
              campaignId: item.campaign ?? null,
              userId: item.userId ?? null,
              visitorId: item.visitorId ?? null,
            })),
            at,
          ),
        );
        if (stored.count === items.length) {
          await viewed(tenantIds, items, at, new Map([[first, stored.knownIds]]));
          return { status: 202, body: { accepted: items.length }, replayed: false };
        }
      }

      // Views by someone who may be a known customer: put on their open lead by a job, after the answer.
      const knownViews = new Map<string, number[]>();
      const answer = await database.withTenant(first, async (tx) => {
        await requireTenantRow(tx, first);
        return idempotent(
          tx,
          { tenantId: first, scope: 'listing-view', key: meta.idempotencyKey, body, now: at },
          async () => {
            for (const tenantId of tenantIds) {
              if (tenantId !== first) {
                await actAs(tx, tenantId);
                await requireTenantRow(tx, tenantId);
              }
              const mine = items
                .map((item, index) => ({ item, index }))
                .filter((x) => x.item.tenantId === tenantId);
              const listings = await repo.existingListings(tx, tenantId, [
                ...new Set(mine.map((x) => x.item.listingId)),
              ]);
              const campaignIds = mine.flatMap((x) => (x.item.campaign ? [x.item.campaign] : []));
              const campaigns = await repo.existingCampaigns(tx, tenantId, [...new Set(campaignIds)]);
              for (const { item, index } of mine) {
                if (!listings.has(item.listingId))
                  throw invalidField(
                    path(index, 'listingId'),
                    'no listing of this shop has this id',
                    'NOT_FOUND_IN_SHOP',
                  );
                if (item.campaign && !campaigns.has(item.campaign))
                  throw invalidField(
                    path(index, 'campaign'),
                    'no campaign of this shop has this id',
                    'NOT_FOUND_IN_SHOP',
                  );
              }
              const known = await repo.insertViews(
                tx,
                mine.map(({ item }) => ({
                  tenantId,
                  listingId: item.listingId,
                  campaignId: item.campaign ?? null,
                  marketplaceUserId: item.userId ?? null,
                  visitorId: item.visitorId ?? null,
                  createdAt: at,
                })),
              );
              if (known.length > 0) knownViews.set(tenantId, known);
            }
            // Back to the first shop: the stored answer goes on its key row, which RLS hides from the others.
            if (tenantIds.length > 1) await actAs(tx, first);
            return { status: 202, body: { accepted: items.length } };
          },
        );
      });
      if (!answer.replayed) await viewed(tenantIds, items, at, knownViews);
      return answer;
    },

    listLinks: (tenantId: string) =>
      database.withTenant(tenantId, async (tx) => ({
        items: (await repo.listLinks(tx, tenantId)).map(toLink),
      })),

    createLink: (tenantId: string, input: z.output<typeof createLinkBody>) =>
      database.withTenant(tenantId, async (tx) => {
        await clickTargets(tx, tenantId, input, {
          branchId: 'branchId',
          listingId: 'listingId',
          campaignId: 'campaignId',
        });
        for (let attempt = 1; ; attempt++) {
          try {
            const row = await tx.transaction(() =>
              repo.insertLink(tx, {
                tenantId,
                code: newLinkCode(),
                branchId: input.branchId,
                listingId: input.listingId ?? null,
                campaignId: input.campaignId ?? null,
                source: input.source,
                label: input.label ?? null,
              }),
            );
            return toLink(row);
          } catch (error) {
            if (attempt >= 5 || !isUniqueViolation(error, 'tracked_link_code_key')) throw error;
          }
        }
      }),

    updateLink: (tenantId: string, linkId: string, input: z.output<typeof updateLinkBody>) =>
      database.withTenant(tenantId, async (tx) => {
        const row = await repo.updateLink(tx, tenantId, linkId, input);
        if (!row) throw notFound('Link');
        return toLink(row);
      }),

    /**
     * A visit to /w/{code}. People get a lead (their browser's visitor cookie keeps repeat visits on one
     * lead) and are sent to WhatsApp; link-preview crawlers are counted apart and get the plain chat link.
     */
    async visitLink(code: string, meta: CallerMeta & { visitorId: string }): Promise<{ url: string }> {
      await rateLimits.consume(`ip:${meta.ip}`, limits.perIp);
      const tenantId = await database.withoutTransaction((db) => repo.linkTenant(db, code));
      if (!tenantId) throw notFound('Link');
      meta.onTenant?.(tenantId);
      // A visit may open a contact, a lead and an assistant job: the shop's budget is the click endpoint's.
      await rateLimits.consume(`tenant:${tenantId}`, limits.perTenant);
      const at = clock.now().toISOString();
      const bot = isbot(meta.userAgent ?? '');
      let announced: Captured | null = null;
      let clickedCampaign: string | null = null;
      const url = bot
        ? await database.withTenant(tenantId, async (tx) => {
            const link = await repo.countVisit(tx, tenantId, code, true);
            if (!link) throw notFound('Link');
            const { branch } = await clickTargets(tx, tenantId, { branchId: link.branchId });
            return `https://wa.me/${branch.whatsappPhone.replace(/\D/g, '')}`;
          })
        : // A person: one message (begin, tenant, the link read, capture_click and the visit counted, commit).
          await database.writeWithTenant(tenantId, async (tx) => {
            const visit = await captureTrackedLinkVisit(tx, {
              tenantId,
              code,
              visitorId: meta.visitorId,
              clickPayload: {
                linkCode: code,
                ...(meta.referrer ? { referrer: meta.referrer.slice(0, 500) } : {}),
                ...(meta.userAgent ? { userAgent: meta.userAgent.slice(0, 300) } : {}),
              },
              at,
            });
            if (!visit) throw notFound('Link');
            const captured = visit.result;
            // Nothing was written: the visit is not counted either.
            if (captured.problem !== null) throw clickProblem(captured.problem);
            announced = captured;
            clickedCampaign = visit.campaignId;
            return linkToChat(captured);
          });
      if (!isWhatsappUrl(url)) throw new AppError('INTERNAL', 'refused to redirect outside WhatsApp');
      if (!bot) clicksTotal.inc({ kind: 'link' });
      if (announced) await announce(announced);
      if (clickedCampaign) await campaignEvents?.clicked(tenantId, clickedCampaign, at);
      return { url };
    },
  };
}

export type TrackingService = ReturnType<typeof createTrackingService>;
