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
import type { RateLimits } from '../../platform/rate-limit';
import type { ContactsService } from '../contacts';
import type { IdentityService } from '../identity';
import { captureClick, createListingViewEvents, type LeadFeed } from '../leads';
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
  database: Pick<Database, 'withTenant' | 'withoutTenant'>;
  clock: Clock;
  contacts: Pick<ContactsService, 'findOrCreateForClick' | 'findOrCreateVisitor'>;
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
}

/** A tenant's own API key raises its limits: the marketplace's servers call on behalf of many users. */
const API_KEY_FACTOR = 10;
/** Where a phone typed without country code is read when the branch has no country. */
const FALLBACK_COUNTRY = 'PE';

type ViewItem = z.output<typeof listingViewItem>;

export function createTrackingService(deps: TrackingDeps) {
  const { database, clock, contacts, identity, feed, rateLimits, limits, publicUrl, campaignEvents, queue } =
    deps;
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
    await rateLimits.consume(`ip:${meta.ip}`, limits.perIp * factor);
    const events = new Map<string, number>();
    for (const tenantId of tenantIds) events.set(tenantId, (events.get(tenantId) ?? 0) + 1);
    for (const [tenantId, cost] of events) {
      await rateLimits.consume(`tenant:${tenantId}`, limits.perTenant * factor, cost);
    }
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
      throw invalidField(fields.branchId, 'no active branch of this shop has this id');
    }
    if (!branch.active) throw invalidField(fields.branchId, 'no active branch of this shop has this id');
    if (!branch.whatsappPhone)
      throw invalidField(
        fields.branchId,
        'this branch has no WhatsApp number yet; add it in the settings',
        'BRANCH_WITHOUT_WHATSAPP',
      );
    const listing = ids.listingId ? await repo.listingSnapshot(tx, tenantId, ids.listingId) : null;
    if (ids.listingId && !listing)
      throw invalidField(fields.listingId, 'no listing of this shop has this id');
    const campaign = ids.campaignId ? await repo.campaignRef(tx, tenantId, ids.campaignId) : null;
    if (ids.campaignId && !campaign)
      throw invalidField(fields.campaignId, 'no campaign of this shop has this id');
    return { branch: { ...branch, whatsappPhone: branch.whatsappPhone }, listing, campaign };
  }

  /**
   * Who clicked. Only the shop's own API key vouches for `userId`, `phone` and `name` (the marketplace's
   * server knows who is logged in); anyone else may call the public endpoint with any of them, so an
   * anonymous click is a visitor, known by its `visitorId` alone, and lands on a visitor-only contact.
   */
  async function clicker(tx: Tx, input: WhatsappClickInput, trusted: boolean, defaultCountry: string) {
    if (trusted) {
      const { userId, visitorId, phone, name } = input;
      return contacts.findOrCreateForClick(tx, input.tenantId, {
        userId,
        visitorId,
        phone,
        name,
        defaultCountry,
      });
    }
    if (input.visitorId === undefined)
      throw invalidField(
        'visitorId',
        'a click without the shop’s API key is known by its visitorId; userId and phone need the key',
      );
    return contacts.findOrCreateVisitor(tx, input.tenantId, input.visitorId);
  }

  async function click(
    tx: Tx,
    input: WhatsappClickInput & { linkCode?: string },
    meta: Pick<CallerMeta, 'userAgent' | 'referrer'> & { trusted: boolean },
    at: string,
  ) {
    const { branch, listing, campaign } = await clickTargets(tx, input.tenantId, {
      branchId: input.branchId,
      listingId: input.listingId,
      campaignId: input.campaign,
    });
    const contact = await clicker(tx, input, meta.trusted, branch.countryCode ?? FALLBACK_COUNTRY);
    const captured = await captureClick(tx, {
      tenantId: input.tenantId,
      branchId: branch.id,
      contact,
      source: input.source,
      customerUserId: meta.trusted ? (input.userId ?? null) : null,
      listingId: listing?.id ?? null,
      campaignId: campaign?.id ?? null,
      clickPayload: {
        source: input.source,
        listing,
        campaign: campaign ? { id: campaign.id, name: campaign.name } : null,
        ...(input.linkCode ? { linkCode: input.linkCode } : {}),
        ...(meta.referrer ? { referrer: meta.referrer.slice(0, 500) } : {}),
        ...(meta.userAgent ? { userAgent: meta.userAgent.slice(0, 300) } : {}),
      },
      message: input.message ?? null,
      at,
    });
    const url = whatsappUrl({
      branchPhone: branch.whatsappPhone,
      country: branch.countryCode,
      listingTitle: listing?.title ?? null,
      refCode: captured.refCode,
    });
    return { captured, url };
  }

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
      let announced: Awaited<ReturnType<typeof click>>['captured'] | null = null;
      // The tenant is checked with the branch (clickTargets): an unknown one is a 404 there, and the rollback
      // takes any idempotency key row with it.
      const answer = await database.withTenant(input.tenantId, async (tx) =>
        idempotent(
          tx,
          {
            tenantId: input.tenantId,
            scope: 'whatsapp-click',
            key: meta.idempotencyKey,
            body: input,
            now: at,
          },
          async () => {
            const { captured, url } = await click(tx, input, { ...meta, trusted }, at);
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
          },
        ),
      );
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
                  throw invalidField(path(index, 'listingId'), 'no listing of this shop has this id');
                if (item.campaign && !campaigns.has(item.campaign))
                  throw invalidField(path(index, 'campaign'), 'no campaign of this shop has this id');
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
      if (!answer.replayed && queue) {
        for (const [tenantId, viewIds] of knownViews)
          await viewsOnLeads.send(queue, { tenantId, viewIds }).catch(onError);
      }
      if (!answer.replayed && campaignEvents) {
        for (const tenantId of tenantIds) {
          const campaignIds = items.flatMap((i) =>
            i.tenantId === tenantId && i.campaign ? [i.campaign] : [],
          );
          if (campaignIds.length > 0) await campaignEvents.viewed(tenantId, campaignIds, at);
        }
      }
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
      const tenantId = await database.withoutTenant((tx) => repo.linkTenant(tx, code));
      if (!tenantId) throw notFound('Link');
      // A visit may open a contact, a lead and an assistant job: the shop's budget is the click endpoint's.
      await rateLimits.consume(`tenant:${tenantId}`, limits.perTenant);
      const at = clock.now().toISOString();
      const bot = isbot(meta.userAgent ?? '');
      let announced: Awaited<ReturnType<typeof click>>['captured'] | null = null;
      let clickedCampaign: string | null = null;
      const url = await database.withTenant(tenantId, async (tx) => {
        const link = await repo.findLink(tx, tenantId, { code });
        if (!link?.active) throw notFound('Link');
        await repo.countVisit(tx, tenantId, link.id, bot);
        if (bot) {
          const { branch } = await clickTargets(tx, tenantId, { branchId: link.branchId });
          return `https://wa.me/${branch.whatsappPhone.replace(/\D/g, '')}`;
        }
        const result = await click(
          tx,
          {
            tenantId,
            branchId: link.branchId,
            listingId: link.listingId ?? undefined,
            campaign: link.campaignId ?? undefined,
            source: link.source,
            visitorId: meta.visitorId,
            linkCode: code,
          },
          { ...meta, trusted: false },
          at,
        );
        announced = result.captured;
        clickedCampaign = link.campaignId;
        return result.url;
      });
      if (!isWhatsappUrl(url)) throw new AppError('INTERNAL', 'refused to redirect outside WhatsApp');
      if (announced) await announce(announced);
      if (clickedCampaign) await campaignEvents?.clicked(tenantId, clickedCampaign, at);
      return { url };
    },
  };
}

export type TrackingService = ReturnType<typeof createTrackingService>;
