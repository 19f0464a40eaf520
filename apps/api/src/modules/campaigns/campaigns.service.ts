import { createHash } from 'node:crypto';
import type {
  Campaign,
  CampaignAsset,
  CampaignBreakdown,
  CampaignMetrics,
  CampaignReply,
  CampaignReplyInput,
  ContactConsent,
  createCampaignBody,
  createCopyAssetBody,
  MetricTotals,
  ReactivationRun,
  Segment,
  SegmentPreview,
  updateCampaignBody,
} from '@techmarket/contracts';
import { type campaignListQuery, isoInstant, MAX_ASSET_BYTES, segmentSchema } from '@techmarket/contracts';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { branchScope, type Principal, type UserPrincipal } from '../../platform/auth';
import { localDate, startOfLocalDay } from '../../platform/business-time';
import { DAY_COUNTER_DAYS } from '../../platform/cache';
import type { Clock } from '../../platform/clock';
import type { Database, Tx } from '../../platform/db';
import { AppError, badField, forbidden, invalidField, notFound } from '../../platform/errors';
import type { FollowupsService } from '../followups/followups.service';
import { type CapturedLead, captureClick } from '../leads/capture';
import type { LeadFeed } from '../leads/lead-feed';
import { createLeadProgress } from '../leads/lead-progress';
import { type AutomaticSends, fillTemplate } from '../whatsapp/automatic-sends';
import { type CampaignAttribution, isLive } from './attribution';
import {
  type AssetRow,
  type CampaignRow,
  createCampaignsRepository,
  METRIC_FIELDS,
  type MetricCell,
} from './campaigns.repository';
import {
  afterQuietHours,
  customerWhatsappUrl,
  DEFAULT_REACTIVATION,
  newSendRefCode,
  reactivationMessage,
  readSendRefCode,
} from './reactivation';
import { reachableCondition, segmentCondition } from './segments';

/**
 * Campaigns: their life cycle, segments, funnel figures, reactivation messages and assets.
 *
 * Life cycle: DRAFT -> ACTIVE (activate) <-> PAUSED (pause / activate), and ENDED (end) from any of them; ENDED
 * is final. An ACTIVE campaign is live inside its window [startAt, endAt): attribution counts only then, and the
 * worker ends it once endAt has passed. Activating one whose end has passed is refused.
 *
 * Reactivation: for a live REACTIVATION campaign, each member of its segment with marketing consent, not opted
 * out, with a phone and a lead, gets one personal wa.me link as a task for the seller of their latest lead; at
 * most one such message per contact per `frequencyCapDays` across all campaigns; due outside the quiet hours
 * of the lead's branch. Opting out cancels the contact's open reactivation tasks and keeps them out of every
 * later segment that asks for consent and of every reactivation run.
 *
 * Replies: the customer answers in WhatsApp, quoting (or not) the message's reference code; the seller records
 * the reply by that code. It lands as a tracked WhatsApp click of source CAMPAIGN would: a new lead carrying the
 * campaign (assigned as usual), or the contact's open lead at the branch; the send remembers the lead and its task
 * is done. The funnel counts it like a click (and the lead, when one was opened), so wins follow the lead. Once
 * recorded, the same code answers the same lead and changes nothing.
 *
 * Who sees what: segments (their members' names and phones) and the links handed out are the work of those who
 * see the whole shop (OWNER, MANAGER, the shop's API keys); a SELLER gets a 403. A customer's consent is read and
 * changed, like the inbox, only by those who see one of the customer's leads (a seller: a lead at one of their
 * branches; else 404). Consent is changed by a person only, and every change is written on each of the
 * customer's leads' history (CONSENT_CHANGED, with who did it).
 */

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

type CreateInput = z.output<typeof createCampaignBody>;
type UpdateInput = z.output<typeof updateCampaignBody>;
type ListQuery = z.output<typeof campaignListQuery>;
type CopyInput = z.output<typeof createCopyAssetBody>;

const ZERO: MetricTotals = { impressions: 0, clicks: 0, leads: 0, wins: 0 };

/**
 * A day's figures as of now: a Redis counter is the day's running total, never lowered, so it is the larger
 * of it and the folded cell (which it is ahead of until the next fold).
 */
const freshest = (saved: Partial<MetricTotals> | undefined, live: Record<string, number> | undefined) => {
  const cell = { ...ZERO };
  for (const field of METRIC_FIELDS) cell[field] = Math.max(saved?.[field] ?? 0, live?.[field] ?? 0);
  return cell;
};
const SAMPLE_SIZE = 10;
/** Members handed out per reactivation run: the rest waits for the next run. */
const REACTIVATION_BATCH = 500;
const MAX_METRIC_DAYS = 366;
const DAY_MS = 86_400_000;

const versionConflict = () =>
  new AppError('VERSION_CONFLICT', 'The campaign was changed by someone else; reload it and try again', {
    errors: [{ path: 'version', message: 'stale version' }],
  });

const transitionRefused = (from: string, to: string) =>
  new AppError('INVALID_TRANSITION', `A ${from} campaign cannot become ${to}`, {
    errors: [{ path: 'status', message: `${from} -> ${to} is not allowed` }],
  });

/** A stored segment as the wire shows it: `{}` (the column's default) is a segment with no rules. */
const segmentOf = (row: CampaignRow): Segment => {
  const parsed = segmentSchema.safeParse(row.segment);
  return parsed.success ? parsed.data : { rules: [] };
};

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** The image type the bytes themselves say, whatever the request claimed. */
export function sniffImage(bytes: Buffer): 'image/png' | 'image/jpeg' | 'image/webp' | null {
  if (bytes.length >= 8 && PNG.every((b, i) => bytes[i] === b)) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (
    bytes.length >= 12 &&
    bytes.toString('latin1', 0, 4) === 'RIFF' &&
    bytes.toString('latin1', 8, 12) === 'WEBP'
  )
    return 'image/webp';
  return null;
}

export function createCampaignsService(deps: CampaignsDeps) {
  const { database, clock, attribution, followups, feed, whatsapp } = deps;
  const repo = createCampaignsRepository();
  // Campaigns record on leads but never move them: the first response rule does not come up.
  const progress = createLeadProgress(null);
  const now = () => clock.now().toISOString();

  /** Segments and sends name the shop's customers across its branches: not a seller's to read. */
  const requireWholeShop = (viewer: Principal) => {
    if (branchScope(viewer) !== null) throw forbidden('Only an owner or a manager sees segments and sends');
  };

  /** The contact as the caller may see it (a seller: one with a lead at one of their branches), else 404. */
  async function requireContact(tx: Tx, viewer: Principal, contactId: string) {
    const row = await repo.findContact(tx, viewer.tenantId, contactId, branchScope(viewer));
    if (!row) throw notFound('Contact');
    return row;
  }

  const toCampaign = (row: CampaignRow, totals: MetricTotals = ZERO): Campaign => ({
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    type: row.type,
    status: row.status,
    startAt: row.startAt,
    endAt: row.endAt,
    live: isLive(row, now()),
    segment: segmentOf(row),
    messageTemplate: row.messageTemplate,
    reactivation: row.type === 'REACTIVATION' ? (row.reactivation ?? DEFAULT_REACTIVATION) : null,
    whatsappTemplate: row.whatsappTemplate ?? null,
    standing: row.standing,
    totals,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
  });

  const toAsset = (row: AssetRow): CampaignAsset => ({
    id: row.id,
    campaignId: row.campaignId,
    kind: row.kind,
    title: row.document.title ?? null,
    text: row.document.text ?? null,
    language: row.document.language ?? null,
    channel: row.document.channel ?? null,
    alt: row.document.alt ?? null,
    filename: row.document.filename ?? null,
    contentType: row.contentType,
    byteSize: row.byteSize,
    contentUrl: row.kind === 'IMAGE' ? `/api/v1/campaigns/${row.campaignId}/assets/${row.id}/content` : null,
    createdAt: row.createdAt,
    version: row.version,
  });

  async function requireCampaign(tx: Tx, tenantId: string, id: string, lock = false) {
    const row = await repo.find(tx, tenantId, id, { lock });
    if (!row) throw notFound('Campaign');
    return row;
  }

  /** UTC days a Redis counter may still hold (its life, and tomorrow): every shop's local day is among them. */
  const counterDays = () => {
    const at = clock.now().getTime();
    return Array.from({ length: DAY_COUNTER_DAYS + 2 }, (_, i) =>
      new Date(at + (1 - i) * DAY_MS).toISOString().slice(0, 10),
    );
  };

  /**
   * Campaigns' totals as of now: the folded days, each replaced by its Redis counter where that is ahead (see
   * `freshest`), as the metrics page reads them.
   */
  async function totalsOf(tx: Tx, tenantId: string, ids: string[]) {
    const totals = await repo.totals(tx, tenantId, ids);
    const recent = counterDays();
    const pending = await Promise.all(ids.map((id) => attribution.pending(tenantId, id, recent)));
    if (pending.every((days) => days.size === 0)) return totals;
    const saved = new Map<string, MetricCell>();
    for (const { campaignId, ...cell } of await repo.days(tx, tenantId, ids, recent.at(-1) ?? '')) {
      saved.set(`${campaignId}|${cell.day}`, cell);
    }
    ids.forEach((id, i) => {
      const sum = { ...(totals.get(id) ?? ZERO) };
      for (const [day, live] of pending[i] ?? []) {
        const stored = saved.get(`${id}|${day}`);
        const fresh = freshest(stored, live);
        for (const field of METRIC_FIELDS) sum[field] += fresh[field] - (stored?.[field] ?? 0);
      }
      totals.set(id, sum);
    });
    return totals;
  }

  async function withTotals(tx: Tx, row: CampaignRow) {
    const totals = await totalsOf(tx, row.tenantId, [row.id]);
    return toCampaign(row, totals.get(row.id) ?? ZERO);
  }

  /** Branches and listings a segment names must be the shop's own: 422 naming the rule's field otherwise. */
  async function checkSegment(tx: Tx, tenantId: string, segment: Segment | undefined, field = 'segment') {
    if (!segment) return;
    for (const [i, rule] of segment.rules.entries()) {
      if (rule.rule === 'BRANCH') {
        const found = await tx.execute<{ n: number }>(
          sql`select count(*)::int as n from branch where tenant_id = ${tenantId} and id in (${sql.join(
            rule.branchIds.map((b) => sql`${b}::uuid`),
            sql`, `,
          )})`,
        );
        if ((found.rows[0]?.n ?? 0) !== new Set(rule.branchIds).size)
          throw invalidField(`${field}.rules.${i}.branchIds`, 'every branch must be one of this shop');
      }
      if (rule.rule === 'VIEWED' && rule.listingId) {
        const found = await tx.execute(
          sql`select 1 from listing where tenant_id = ${tenantId} and id = ${rule.listingId}::uuid`,
        );
        if (found.rows.length === 0)
          throw invalidField(`${field}.rules.${i}.listingId`, 'no listing of this shop has this id');
      }
    }
  }

  /** A template and standing are reactivation settings: 422 naming the field on another type. */
  function checkReactivationOnly(
    type: CampaignRow['type'],
    input: { whatsappTemplate?: unknown; standing?: boolean | undefined },
  ) {
    if (type === 'REACTIVATION') return;
    if (input.whatsappTemplate)
      throw invalidField('whatsappTemplate', 'only REACTIVATION campaigns send WhatsApp templates');
    if (input.standing) throw invalidField('standing', 'only a REACTIVATION campaign can be standing');
  }

  /** One standing campaign per shop among those not ENDED (a unique index backs this under concurrency). */
  async function checkStanding(tx: Tx, tenantId: string, exceptId: string | null) {
    if (await repo.otherStanding(tx, tenantId, exceptId))
      throw invalidField('standing', 'the shop already has a standing reactivation campaign; end it first');
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
        throw invalidField('endAt', 'the campaign has already ended; move endAt later to activate it');
      const updated = await repo.update(tx, tenantId, id, null, { status: to }, at);
      if (!updated) throw notFound('Campaign');
      return withTotals(tx, updated);
    });
    attribution.forget(id);
    return result;
  }

  /** The members of a segment: count and the first few, optionally only those marketing may reach. */
  async function members(tx: Tx, tenantId: string, segment: Segment, options: { reachable?: boolean } = {}) {
    const where = segmentCondition(tenantId, segment, clock.now());
    const condition = options.reachable ? sql`${where} and ${reachableCondition}` : where;
    // JIT compiles these plans for longer than they run (the subplans' estimates look costly; the shop is small).
    await tx.execute(sql`set local jit = off`);
    // One pass: the window count is taken over every member before the sample is cut. The window sits in a
    // subquery (never flattened) so the planner joins all members at once and sorts only then; with the sort
    // and limit on the same level it probed each contact's leads one by one hoping to stop early, which a
    // window count never lets it do (docs/benchmarks.md, "Campaign segments: preview").
    const rows = await tx.execute<{
      id: string;
      name: string | null;
      phone: string | null;
      marketing_consent: boolean;
      opted_out_at: string | null;
      total: number;
    }>(
      sql`select s.id, s.name, s.phone, s.marketing_consent, s.opted_out_at, s.total
            from (select c.id, c.name, c.phone, c.marketing_consent, c.opted_out_at, c.created_at,
                         (count(*) over ())::int as total
                    from contact c where ${condition}) s
           order by s.created_at desc, s.id desc limit ${SAMPLE_SIZE}`,
    );
    return {
      count: rows.rows[0]?.total ?? 0,
      sample: rows.rows.map((r) => ({
        contactId: r.id,
        name: r.name,
        phone: r.phone,
        marketingConsent: r.marketing_consent,
        optedOut: r.opted_out_at !== null,
      })),
    };
  }

  type Member = {
    contactId: string;
    name: string | null;
    phone: string;
    lead: { id: string; branchId: string; assignedToUserId: string | null; timezone: string };
  };

  /**
   * Hands the campaign's message to each member, in the caller's transaction: where the lead's branch has a
   * WhatsApp channel and the campaign a template, the template is queued now, or held until the branch's quiet
   * hours end (`sendAfter`, sent by a later pass); elsewhere, a wa.me task for the seller, due after the quiet
   * hours. Answers the counts and the messages to send after commit.
   */
  async function handOut(tx: Tx, row: CampaignRow, members: Member[], at: Date) {
    const { tenantId, id: campaignId } = row;
    const atIso = at.toISOString();
    const settings = row.reactivation ?? DEFAULT_REACTIVATION;
    const template = row.whatsappTemplate;
    const channels =
      template && whatsapp && members.length > 0 ? await whatsapp.channelBranches(tx, tenantId) : new Set();
    // A standing campaign reaches a contact again for a later lead that goes dormant (the cap still holds).
    const keyOf = (m: Member) =>
      row.standing
        ? `campaign:${campaignId}:${m.contactId}:${m.lead.id}`
        : `campaign:${campaignId}:${m.contactId}`;
    const sends = members.map((m) => {
      const refCode = newSendRefCode();
      const message = reactivationMessage(row.messageTemplate, m.name, refCode);
      const after = afterQuietHours(at, m.lead.timezone, settings.quietHours);
      const channel = channels.has(m.lead.branchId);
      return {
        ...m,
        refCode,
        message,
        url: customerWhatsappUrl(m.phone, message),
        via: channel ? (after > at ? ('WAIT' as const) : ('SEND' as const)) : ('TASK' as const),
        after,
      };
    });
    const tasks = await followups.createCampaignTasks(
      tx,
      sends
        .filter((s) => s.via === 'TASK')
        .map((s) => ({
          tenantId,
          leadId: s.lead.id,
          branchId: s.lead.branchId,
          assigneeUserId: s.lead.assignedToUserId,
          title: `Campaña «${row.name}»: enviar el mensaje por WhatsApp`,
          note: s.url,
          suggestedMessage: s.message,
          dueAt: s.after.toISOString(),
          ruleKey: keyOf(s),
          createdAt: atIso,
        })),
    );
    const taskOf = new Map(tasks.map((t) => [t.ruleKey, t.id]));
    const inserted = await repo.insertSends(
      tx,
      sends.map((s) => ({
        tenantId,
        campaignId,
        contactId: s.contactId,
        leadId: s.lead.id,
        taskId: taskOf.get(keyOf(s)) ?? null,
        refCode: s.refCode,
        message: s.message,
        whatsappUrl: s.url,
        sendAfter: s.via === 'WAIT' ? s.after.toISOString() : null,
        createdAt: atIso,
      })),
    );
    const result = { created: inserted.length, sent: 0, waiting: 0, messageIds: [] as string[] };
    const byRef = new Map(sends.map((s) => [s.refCode, s]));
    for (const send of inserted) {
      const planned = byRef.get(send.refCode);
      if (planned?.via === 'WAIT') result.waiting++;
      if (planned?.via !== 'SEND' || !template || !whatsapp) continue;
      const messageId = await sendTemplateFor(tx, tenantId, send, planned.name, template, atIso);
      if (messageId) {
        result.sent++;
        result.messageIds.push(messageId);
      }
    }
    return result;
  }

  /** Queues the campaign's template for one send and records the message on it. */
  async function sendTemplateFor(
    tx: Tx,
    tenantId: string,
    send: { id: string; leadId: string; refCode: string },
    name: string | null,
    template: NonNullable<CampaignRow['whatsappTemplate']>,
    at: string,
  ) {
    const queued = await whatsapp?.sendTemplate(tx, {
      tenantId,
      leadId: send.leadId,
      template: fillTemplate(template, { name, ref: send.refCode }),
      at,
    });
    await repo.settleSend(tx, tenantId, send.id, queued?.messageId ?? null);
    return queued?.messageId ?? null;
  }

  /** Template messages held for quiet hours that may go now; a customer who opted out meanwhile gets nothing. */
  async function sendWaiting(tx: Tx, row: CampaignRow, at: string) {
    const template = row.whatsappTemplate;
    const messageIds: string[] = [];
    for (const send of await repo.waitingSends(tx, row.tenantId, row.id, at, REACTIVATION_BATCH)) {
      if (!send.reachable || !template) {
        await repo.settleSend(tx, row.tenantId, send.id, null);
        continue;
      }
      const messageId = await sendTemplateFor(tx, row.tenantId, send, send.name, template, at);
      if (messageId) messageIds.push(messageId);
    }
    return messageIds;
  }

  /**
   * One reactivation pass over a campaign, in one transaction: idempotent (one send per contact and campaign).
   * It first sends the template messages whose quiet hours are over. A standing campaign does only that: its
   * members are the leads the engine moves to DORMANT (pickUpDormant), not a segment read all at once.
   */
  async function reactivate(tenantId: string, campaignId: string): Promise<ReactivationRun> {
    const at = clock.now();
    const atIso = at.toISOString();
    const run: ReactivationRun = { eligible: 0, created: 0, capped: 0, unreachable: 0, sent: 0, waiting: 0 };
    const messageIds = await database.withTenant(tenantId, async (tx) => {
      const row = await requireCampaign(tx, tenantId, campaignId, true);
      if (row.type !== 'REACTIVATION')
        throw invalidField('type', 'only REACTIVATION campaigns send personal messages');
      if (!isLive(row, atIso))
        throw invalidField('status', 'the campaign is not live (ACTIVE, inside its window)');
      const waited = await sendWaiting(tx, row, atIso);
      run.sent += waited.length;
      if (row.standing) return waited;
      const settings = row.reactivation ?? DEFAULT_REACTIVATION;
      const capFrom = new Date(at.getTime() - settings.frequencyCapDays * DAY_MS).toISOString();
      const where = sql`${segmentCondition(tenantId, segmentOf(row), at)} and ${reachableCondition}`;
      await tx.execute(sql`set local jit = off`);
      const candidates = await tx.execute<{
        id: string;
        name: string | null;
        phone: string | null;
        capped: boolean;
      }>(sql`
        select c.id, c.name, c.phone,
               exists (select 1 from campaign_send s where s.tenant_id = c.tenant_id and s.contact_id = c.id
                         and (s.campaign_id = ${campaignId}::uuid or s.created_at > ${capFrom}::timestamptz)) as capped
          from contact c where ${where}
         order by c.id`);
      run.eligible = candidates.rows.length;
      const uncapped = candidates.rows.filter((c) => {
        if (c.capped) run.capped++;
        return !c.capped;
      });
      // An opt-out committed since the read above must win: lock the contacts (opting out updates the row, so one
      // waits for the other) and keep those still reachable as of now.
      const stillReachable =
        uncapped.length === 0
          ? new Set<string>()
          : new Set(
              (
                await tx.execute<{ id: string }>(sql`
                  select c.id from contact c
                   where c.tenant_id = ${tenantId} and c.id in (${sql.join(
                     uncapped.map((c) => sql`${c.id}::uuid`),
                     sql`, `,
                   )}) and ${reachableCondition}
                   order by c.id
                     for share`)
              ).rows.map((r) => r.id),
            );
      const open = uncapped.filter((c) => stillReachable.has(c.id));
      run.eligible -= uncapped.length - open.length;
      const leads = await repo.latestLeads(
        tx,
        tenantId,
        open.map((c) => c.id),
      );
      const members: Member[] = [];
      for (const c of open) {
        const lead = leads.get(c.id);
        if (!c.phone || !lead) {
          run.unreachable++;
          continue;
        }
        if (members.length >= REACTIVATION_BATCH) continue;
        members.push({ contactId: c.id, name: c.name, phone: c.phone, lead });
      }
      const handed = await handOut(tx, row, members, at);
      run.created = handed.created;
      run.sent += handed.sent;
      run.waiting = handed.waiting;
      return [...waited, ...handed.messageIds];
    });
    await whatsapp?.dispatch(tenantId, messageIds);
    return run;
  }

  /**
   * The shop's standing reactivation campaign picks up the leads the follow-up engine just moved to DORMANT, in
   * the engine's transaction: those whose contact is in its segment, may receive marketing, has a phone and had
   * no reactivation message within the frequency cap. Answers the WhatsApp messages to send after commit.
   */
  async function pickUpDormant(tx: Tx, tenantId: string, leadIds: string[], at: Date): Promise<string[]> {
    if (leadIds.length === 0) return [];
    const row = await repo.findStanding(tx, tenantId);
    if (!row || !isLive(row, at.toISOString())) return [];
    const settings = row.reactivation ?? DEFAULT_REACTIVATION;
    const capFrom = new Date(at.getTime() - settings.frequencyCapDays * DAY_MS).toISOString();
    const members = sql`${segmentCondition(tenantId, segmentOf(row), at)} and ${reachableCondition}`;
    const found = await repo.dormantMembers(tx, tenantId, row.id, leadIds, members, capFrom);
    const fresh = new Set<string>();
    const picked: Member[] = [];
    for (const m of found) {
      // One message per contact in a pass, whatever number of their leads went dormant at once.
      if (m.capped || !m.phone || fresh.has(m.contactId)) continue;
      fresh.add(m.contactId);
      picked.push({ ...m, phone: m.phone });
    }
    return (await handOut(tx, row, picked, at)).messageIds;
  }

  async function requireCampaignOf(viewer: Principal, id: string) {
    return database.withTenant(viewer.tenantId, (tx) => requireCampaign(tx, viewer.tenantId, id));
  }

  return {
    async createCampaign(actor: UserPrincipal, input: CreateInput): Promise<Campaign> {
      if (actor.tenantId !== input.tenantId) throw notFound('Tenant');
      if (input.reactivation && input.type !== 'REACTIVATION')
        throw invalidField('reactivation', 'only REACTIVATION campaigns have reactivation settings');
      checkReactivationOnly(input.type, input);
      return database.withTenant(input.tenantId, async (tx) => {
        await checkSegment(tx, input.tenantId, input.segment);
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
        return toCampaign(row);
      });
    },

    async updateCampaign(actor: UserPrincipal, id: string, input: UpdateInput): Promise<Campaign> {
      const { tenantId } = actor;
      const result = await database.withTenant(tenantId, async (tx) => {
        const current = await requireCampaign(tx, tenantId, id, true);
        if (current.version !== input.version) throw versionConflict();
        if (current.status === 'ENDED')
          throw invalidField('status', 'an ENDED campaign can no longer change');
        if (input.reactivation && current.type !== 'REACTIVATION')
          throw invalidField('reactivation', 'only REACTIVATION campaigns have reactivation settings');
        checkReactivationOnly(current.type, input);
        await checkSegment(tx, tenantId, input.segment);
        if (input.standing && !current.standing) await checkStanding(tx, tenantId, id);
        const iso = (v: string | null | undefined) =>
          v === undefined ? undefined : v === null ? null : new Date(v).toISOString();
        const startAt = iso(input.startAt);
        const endAt = iso(input.endAt);
        const start = startAt === undefined ? current.startAt : startAt;
        const end = endAt === undefined ? current.endAt : endAt;
        if (start && end && end <= start) throw invalidField('endAt', 'must be after startAt');
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
      const after = query.cursor ? decodeCampaignCursor(query.cursor) : null;
      return database.withTenant(tenantId, async (tx) => {
        const rows = await repo.list(tx, tenantId, query, after, query.limit);
        const items = rows.slice(0, query.limit);
        const totals = await totalsOf(
          tx,
          tenantId,
          items.map((r) => r.id),
        );
        const last = items.at(-1);
        return {
          items: items.map((r) => toCampaign(r, totals.get(r.id) ?? ZERO)),
          nextCursor: rows.length > query.limit && last ? encodeCampaignCursor(last) : null,
        };
      });
    },

    /**
     * Every day of the range in the shop's time zone, zeros included. Defaults: from the campaign's first day
     * (its start, else its creation) to today, at most 366 days. Counters not yet folded from Redis
     * are read too, so the figures are current to the event.
     */
    async metrics(
      viewer: Principal,
      id: string,
      range: { from?: string; to?: string },
    ): Promise<CampaignMetrics> {
      const { tenantId } = viewer;
      const { row, timezone } = await database.withTenant(tenantId, async (tx) => ({
        row: await requireCampaign(tx, tenantId, id),
        timezone: (await repo.tenantTimezone(tx, tenantId)) ?? 'UTC',
      }));
      const today = localDate(clock.now(), timezone);
      const dayAfter = (day: string, n: number) =>
        new Date(Date.parse(day) + n * DAY_MS).toISOString().slice(0, 10);
      const first = localDate(new Date(row.startAt ?? row.createdAt), timezone);
      // To today by default, also after the end: sales closed later still count as the campaign's wins.
      let to = range.to ?? (range.from && range.from > today ? range.from : today);
      let from = range.from ?? [first, to].toSorted()[0] ?? to;
      const span = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / DAY_MS) + 1;
      if (span(from, to) > MAX_METRIC_DAYS) {
        if (range.from && range.to) throw badField('to', `at most ${MAX_METRIC_DAYS} days from "from"`);
        if (range.from) to = dayAfter(from, MAX_METRIC_DAYS - 1);
        else from = dayAfter(to, -(MAX_METRIC_DAYS - 1));
      }
      const stored = await database.withTenant(tenantId, (tx) => repo.days(tx, tenantId, [id], from, to));
      const allDays = Array.from({ length: span(from, to) }, (_, i) => dayAfter(from, i));
      const live = new Set(counterDays());
      const pending = await attribution.pending(
        tenantId,
        id,
        allDays.filter((d) => live.has(d)),
      );
      const byDay = new Map(stored.map((c) => [c.day, c]));
      const totals = { ...ZERO };
      const days = allDays.map((day) => {
        const cell = { day, ...freshest(byDay.get(day), pending.get(day)) };
        for (const field of METRIC_FIELDS) totals[field] += cell[field];
        return cell;
      });
      return { campaignId: id, from, to, days, totals };
    },

    /** The funnel per branch and listing over the range's local days (default: the campaign's days to today). */
    async breakdown(
      viewer: Principal,
      id: string,
      range: { from?: string; to?: string },
    ): Promise<CampaignBreakdown> {
      const { tenantId } = viewer;
      const figures = await this.metrics(viewer, id, range);
      const timezone = await database.withTenant(tenantId, (tx) => repo.tenantTimezone(tx, tenantId));
      const zone = timezone ?? 'UTC';
      const start = startOfLocalDay(new Date(`${figures.from}T12:00:00Z`), zone).toISOString();
      const end = startOfLocalDay(new Date(`${figures.to}T12:00:00Z`), zone, 1).toISOString();
      const found = await database.withTenant(tenantId, (tx) => repo.breakdown(tx, tenantId, id, start, end));
      const branchName = new Map(found.branches.map((b) => [b.id, b.name]));
      const title = new Map(found.listings.map((l) => [l.id, l.title]));
      const byBranch = new Map<string, CampaignBreakdown['byBranch'][number]>();
      const byListing = new Map<string, CampaignBreakdown['byListing'][number]>();
      for (const row of found.rows) {
        if (row.branch_id && row.kind !== 'impressions') {
          const cell = byBranch.get(row.branch_id) ?? {
            branchId: row.branch_id,
            name: branchName.get(row.branch_id) ?? '',
            clicks: 0,
            leads: 0,
            wins: 0,
          };
          cell[row.kind] += row.n;
          byBranch.set(row.branch_id, cell);
        }
        const key = row.listing_id ?? '';
        const cell = byListing.get(key) ?? {
          listingId: row.listing_id,
          title: row.listing_id ? (title.get(row.listing_id) ?? null) : null,
          impressions: 0,
          clicks: 0,
          leads: 0,
          wins: 0,
        };
        cell[row.kind] += row.n;
        byListing.set(key, cell);
      }
      const busiest = <T extends { leads: number; clicks: number }>(a: T, b: T) =>
        b.leads - a.leads || b.clicks - a.clicks;
      return {
        campaignId: id,
        from: figures.from,
        to: figures.to,
        byBranch: [...byBranch.values()].sort(busiest),
        byListing: [...byListing.values()].sort(busiest),
      };
    },

    async previewSegment(viewer: Principal, tenantId: string, segment: Segment): Promise<SegmentPreview> {
      if (viewer.tenantId !== tenantId) throw notFound('Tenant');
      requireWholeShop(viewer);
      return database.withTenant(tenantId, async (tx) => {
        await checkSegment(tx, tenantId, segment);
        return members(tx, tenantId, segment);
      });
    },

    /** Runs a reactivation pass now (the worker runs one every few minutes for each live campaign). */
    async runReactivation(actor: UserPrincipal, id: string) {
      await requireCampaignOf(actor, id);
      return reactivate(actor.tenantId, id);
    },

    /** The worker's pass: the same, without a person. */
    reactivate,
    pickUpDormant,

    async listSends(viewer: Principal, id: string) {
      return database.withTenant(viewer.tenantId, async (tx) => {
        // A campaign of another shop stays a 404, whoever asks.
        await requireCampaign(tx, viewer.tenantId, id);
        requireWholeShop(viewer);
        return { items: await repo.listSends(tx, viewer.tenantId, id, 200), nextCursor: null };
      });
    },

    /**
     * A customer answered a reactivation message (see the top of this file). Any signed-in user of the shop who
     * sees the branch of the message's lead; 201 when recorded now, 200 when it had been.
     */
    async recordReply(
      actor: UserPrincipal,
      tenantId: string,
      input: CampaignReplyInput,
    ): Promise<{ status: 200 | 201; body: CampaignReply }> {
      if (actor.tenantId !== tenantId) throw notFound('Tenant');
      const unknownCode = () =>
        invalidField('refCode', 'no reactivation message of this shop has this reference code');
      const refCode = readSendRefCode(input.refCode);
      if (!refCode) throw unknownCode();
      const at = now();
      const { answer, captured } = await database.withTenant(tenantId, async (tx) => {
        const send = await repo.findSendByRef(tx, tenantId, refCode);
        if (!send) throw unknownCode();
        const scope = branchScope(actor);
        if (scope !== null && !scope.includes(send.branchId)) throw notFound('Reactivation message');
        const reply = { sendId: send.id, campaignId: send.campaignId, refCode: send.refCode };
        if (send.repliedAt && send.replyLeadId) {
          const body = { ...reply, leadId: send.replyLeadId, created: false, repliedAt: send.repliedAt };
          return { answer: { status: 200 as const, body }, captured: null };
        }
        const campaign = await requireCampaign(tx, tenantId, send.campaignId);
        const contact = await repo.findContact(tx, tenantId, send.contactId);
        if (!contact) throw new Error(`contact ${send.contactId} of send ${send.id} vanished`);
        const landed: CapturedLead = await captureClick(tx, {
          tenantId,
          branchId: send.branchId,
          contact: { id: contact.id, name: contact.name, phone: contact.phone },
          source: 'CAMPAIGN',
          customerUserId: contact.marketplaceUserId,
          listingId: null,
          campaignId: campaign.id,
          clickPayload: {
            source: 'CAMPAIGN',
            listing: null,
            campaign: { id: campaign.id, name: campaign.name },
            reactivationReply: { sendId: send.id, refCode: send.refCode, recordedByUserId: actor.userId },
          },
          message: input.message ?? null,
          messageChannel: 'WHATSAPP',
          at,
        });
        await repo.markSendReplied(tx, tenantId, send.id, at, landed.lead.id);
        if (send.taskId) await followups.completeCampaignTasks(tx, tenantId, [send.taskId], at);
        const body = { ...reply, leadId: landed.lead.id, created: landed.created, repliedAt: at };
        return { answer: { status: 201 as const, body }, captured: landed };
      });
      if (captured) {
        // As a tracked click: the feed's lead.created also counts the new lead in the funnel, once.
        await feed.changed(captured.created ? 'lead.created' : 'lead.updated', captured.lead);
        await attribution.clicked(tenantId, answer.body.campaignId, at);
      }
      return answer;
    },

    /** Whether the shop may send this customer promotions, and since when (the lead's contact card shows it). */
    async consentOf(viewer: Principal, contactId: string): Promise<ContactConsent> {
      return database.withTenant(viewer.tenantId, async (tx) => ({
        ...consentOf(await requireContact(tx, viewer, contactId)),
        cancelledTasks: 0,
      }));
    },

    /** Records marketing consent; a customer who opted out and says yes again is reachable again. */
    async giveConsent(actor: UserPrincipal, contactId: string, source: string): Promise<ContactConsent> {
      const { tenantId } = actor;
      return database.withTenant(tenantId, async (tx) => {
        await requireContact(tx, actor, contactId);
        const at = now();
        const row = await repo.updateContactConsent(
          tx,
          tenantId,
          contactId,
          { marketingConsent: true, consentAt: at, consentSource: source, optedOutAt: null },
          at,
        );
        if (!row) throw notFound('Contact');
        await progress.recordOnContactLeads(tx, contactId, {
          tenantId,
          type: 'CONSENT_CHANGED',
          payload: { contactId, marketingConsent: true, source },
          actorUserId: actor.userId,
          createdAt: at,
        });
        return { ...consentOf(row), cancelledTasks: 0 };
      });
    },

    /** One call: no more marketing to this customer, and their open reactivation tasks are cancelled. */
    async optOut(actor: UserPrincipal, contactId: string): Promise<ContactConsent> {
      const { tenantId } = actor;
      return database.withTenant(tenantId, async (tx) => {
        const current = await requireContact(tx, actor, contactId);
        const at = now();
        const row = await repo.updateContactConsent(
          tx,
          tenantId,
          contactId,
          { marketingConsent: false, optedOutAt: current.optedOutAt ?? at },
          at,
        );
        if (!row) throw notFound('Contact');
        const taskIds = await repo.sendTaskIdsOfContact(tx, tenantId, contactId);
        const cancelledTasks = await followups.cancelCampaignTasks(tx, tenantId, taskIds, at);
        // A repeated opt-out changes nothing: the history keeps the first.
        if (current.marketingConsent || current.optedOutAt === null)
          await progress.recordOnContactLeads(tx, contactId, {
            tenantId,
            type: 'CONSENT_CHANGED',
            payload: { contactId, marketingConsent: false, optedOut: true, cancelledTasks },
            actorUserId: actor.userId,
            createdAt: at,
          });
        return { ...consentOf(row), cancelledTasks };
      });
    },

    async listAssets(viewer: Principal, id: string) {
      return database.withTenant(viewer.tenantId, async (tx) => {
        await requireCampaign(tx, viewer.tenantId, id);
        return { items: (await repo.listAssets(tx, viewer.tenantId, id)).map(toAsset), nextCursor: null };
      });
    },

    async addCopy(actor: UserPrincipal, id: string, input: CopyInput): Promise<CampaignAsset> {
      return database.withTenant(actor.tenantId, async (tx) => {
        await requireCampaign(tx, actor.tenantId, id);
        const at = now();
        const row = await repo.insertAsset(tx, {
          tenantId: actor.tenantId,
          campaignId: id,
          kind: 'COPY',
          document: {
            ...(input.title ? { title: input.title } : {}),
            text: input.text,
            language: input.language,
            channel: input.channel,
          },
          createdAt: at,
          updatedAt: at,
        });
        return toAsset(row);
      });
    },

    /** An image: png, jpeg or webp by its own first bytes (not by what the request claims), at most 2 MB. */
    async addImage(
      actor: UserPrincipal,
      id: string,
      bytes: Buffer,
      declaredType: string | undefined,
      meta: { filename?: string | undefined; alt?: string | undefined },
    ): Promise<CampaignAsset> {
      if (bytes.length === 0) throw badField('body', 'the image is empty');
      if (bytes.length > MAX_ASSET_BYTES) throw badField('body', 'the image is larger than 2 MB');
      const sniffed = sniffImage(bytes);
      if (!sniffed) throw invalidField('body', 'not a PNG, JPEG or WebP image');
      const declared = declaredType?.split(';')[0]?.trim().toLowerCase();
      if (declared && declared !== 'application/octet-stream' && declared !== sniffed)
        throw invalidField('content-type', `the bytes are ${sniffed}, not ${declared}`);
      return database.withTenant(actor.tenantId, async (tx) => {
        await requireCampaign(tx, actor.tenantId, id);
        const at = now();
        const row = await repo.insertAsset(tx, {
          tenantId: actor.tenantId,
          campaignId: id,
          kind: 'IMAGE',
          document: {
            ...(meta.filename ? { filename: meta.filename } : {}),
            ...(meta.alt ? { alt: meta.alt } : {}),
          },
          content: bytes,
          contentType: sniffed,
          byteSize: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          createdAt: at,
          updatedAt: at,
        });
        return toAsset(row);
      });
    },

    async assetContent(viewer: Principal, id: string, assetId: string) {
      const found = await database.withTenant(viewer.tenantId, (tx) =>
        repo.assetContent(tx, viewer.tenantId, id, assetId),
      );
      if (!found?.content || !found.contentType) throw notFound('Asset');
      return { content: found.content, contentType: found.contentType, etag: found.sha256 };
    },

    async deleteAsset(actor: UserPrincipal, id: string, assetId: string) {
      const deleted = await database.withTenant(actor.tenantId, (tx) =>
        repo.deleteAsset(tx, actor.tenantId, id, assetId),
      );
      if (!deleted) throw notFound('Asset');
    },
  };
}

const consentOf = (row: {
  id: string;
  marketingConsent: boolean;
  consentAt: string | null;
  consentSource: string | null;
  optedOutAt: string | null;
}) => ({
  contactId: row.id,
  marketingConsent: row.marketingConsent,
  consentAt: row.consentAt,
  consentSource: row.consentSource,
  optedOutAt: row.optedOutAt,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function encodeCampaignCursor(last: { createdAt: string; id: string }) {
  return Buffer.from(JSON.stringify([last.createdAt, last.id])).toString('base64url');
}

function decodeCampaignCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (
      typeof createdAt === 'string' &&
      typeof id === 'string' &&
      UUID.test(id) &&
      isoInstant.safeParse(createdAt).success
    )
      return { createdAt, id };
  } catch {
    // fall through
  }
  throw badField('cursor', 'not a cursor of this list; start again without it');
}

export type CampaignsService = ReturnType<typeof createCampaignsService>;
