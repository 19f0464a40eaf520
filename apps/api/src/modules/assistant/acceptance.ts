import type { AssistantKpiQuery, AssistantKpis } from '@techmarket/contracts';
import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import { distance } from 'fastest-levenshtein';
import { lead, leadAiAssistance, leadAiFeedback } from '../../db/schema';
import { branchScope, narrowScope, type Principal } from '../../platform/auth';
import type { Clock } from '../../platform/clock';
import type { Database, Tx } from '../../platform/db';
import { badField, notFound } from '../../platform/errors';
import { createAssistantRepository } from './assistant.repository';
import { signReply } from './replies';
import type { ShopModelService } from './shop-model.service';

/**
 * Measured acceptance of the suggested replies (README, "The lead assistant"): what the sellers did with each
 * suggestion, told through the feedback endpoint or, when they say nothing, read off the first WhatsApp message
 * they send on the lead after it; and the time it saved them.
 */

export type Outcome = 'USED' | 'EDITED' | 'IGNORED';

/**
 * Typing on a phone: about 36 words a minute (Palin et al., "How do people type on mobile devices?", MobileHCI
 * 2019), five characters a word.
 */
export const CHARS_PER_MINUTE = 180;
/** At least this alike: sent as is (a changed comma, an added emoji). */
const AS_IS = 0.9;
/** At least this alike: the suggestion, edited; below it the seller wrote their own. */
const EDITED = 0.5;

const normalize = (text: string) => text.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * How a sent text compares with the suggestion: similarity is 1 - Levenshtein distance / the longer length, and
 * the characters saved are those of the sent text the seller did not type (its length less the edits made).
 */
export function compareSent(suggestion: string, sent: string) {
  const a = normalize(suggestion);
  const b = normalize(sent);
  const longer = Math.max(a.length, b.length);
  const edits = distance(a, b);
  const similarity = longer === 0 ? 1 : 1 - edits / longer;
  const outcome: Outcome = similarity >= AS_IS ? 'USED' : similarity >= EDITED ? 'EDITED' : 'IGNORED';
  return {
    outcome,
    similarity: Math.round(similarity * 1000) / 1000,
    savedChars: outcome === 'IGNORED' ? 0 : Math.max(0, b.length - edits),
  };
}

/** The figures stored with a seller's own feedback: what they said, measured against what they sent. */
export function measureFeedback(suggestion: string, outcome: Outcome, finalText: string | null) {
  if (outcome === 'USED' && finalText === null) {
    return { similarity: 1, savedChars: normalize(suggestion).length };
  }
  if (finalText === null) return { similarity: null, savedChars: 0 };
  const measured = compareSent(suggestion, finalText);
  return { similarity: measured.similarity, savedChars: outcome === 'IGNORED' ? 0 : measured.savedChars };
}

export interface SellerText {
  tenantId: string;
  leadId: string;
  userId: string;
  text: string;
  at: string;
}

const DAY_MS = 86_400_000;
const DEFAULT_PERIOD_DAYS = 30;
const MAX_PERIOD_DAYS = 731;

export function createAcceptance({
  database,
  clock,
  shopModels,
}: {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
  /** A suggestion edited or not used is a label for the shop's own model, as explicit feedback is. */
  shopModels?: Pick<ShopModelService, 'recordExample'>;
}) {
  const repo = createAssistantRepository();
  return {
    /**
     * A seller sent a text on the lead (in the send's transaction). The first one after the lead's latest
     * suggestion, when nobody said what became of it, says it: sent as is, edited, or not used.
     */
    async recordSent(tx: Tx, sent: SellerText) {
      const [latest] = await tx
        .select({ id: leadAiAssistance.id, result: leadAiAssistance.result, trace: leadAiAssistance.trace })
        .from(leadAiAssistance)
        .where(and(eq(leadAiAssistance.tenantId, sent.tenantId), eq(leadAiAssistance.leadId, sent.leadId)))
        .orderBy(desc(leadAiAssistance.createdAt), desc(leadAiAssistance.id))
        .limit(1);
      if (!latest) return;
      const [told] = await tx
        .select({ id: leadAiFeedback.id })
        .from(leadAiFeedback)
        .where(and(eq(leadAiFeedback.tenantId, sent.tenantId), eq(leadAiFeedback.assistanceId, latest.id)))
        .limit(1);
      if (told) return;
      // The suggestion as the sender read it: signed with their name.
      const sender = await repo.userName(tx, sent.tenantId, sent.userId);
      const suggestion = signReply(latest.result.suggestedReply, sender, latest.trace.language);
      const measured = compareSent(suggestion, sent.text);
      await tx.insert(leadAiFeedback).values({
        tenantId: sent.tenantId,
        assistanceId: latest.id,
        leadId: sent.leadId,
        userId: sent.userId,
        outcome: measured.outcome,
        finalText: measured.outcome === 'USED' ? null : sent.text,
        source: 'INFERRED',
        similarity: measured.similarity,
        savedChars: measured.savedChars,
        createdAt: sent.at,
      });
      if (measured.outcome !== 'USED')
        await shopModels?.recordExample(tx, {
          tenantId: sent.tenantId,
          leadId: sent.leadId,
          userId: sent.userId,
          source: 'FEEDBACK',
        });
    },

    /** The KPI: suggestions made in the period, what became of them, and the typing they saved. */
    async kpis(viewer: Principal, tenantId: string, query: AssistantKpiQuery): Promise<AssistantKpis> {
      if (viewer.tenantId !== tenantId) throw notFound('Tenant');
      const to = query.to ? new Date(query.to) : clock.now();
      const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_PERIOD_DAYS * DAY_MS);
      if (from >= to) throw badField('from', 'must be before to', 'END_BEFORE_START');
      if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS)
        throw badField('from', 'at most two years', 'RANGE_TOO_LONG');
      // A seller sees their own branches' figures, like the other KPIs.
      const branchIds = narrowScope(branchScope(viewer), query.branchId);
      const inBranches =
        branchIds === null
          ? sql``
          : sql` and l.branch_id in (${sql.join(
              branchIds.map((id) => sql`${id}::uuid`),
              sql`, `,
            )})`;
      const [row = noFigures] =
        branchIds?.length === 0
          ? []
          : await database.withTenant(tenantId, (tx) =>
              outcomeFigures(tx, sql`a.tenant_id = ${tenantId}${inBranches}`, from, to),
            );
      return figuresOf(row, from, to, query.branchId ?? null);
    },
  };
}

export type Acceptance = ReturnType<typeof createAcceptance>;

type OutcomeRow = {
  tenantId: string;
  suggestions: number;
  withOutcome: number;
  inferred: number;
  used: number;
  edited: number;
  ignored: number;
  savedChars: number;
};
const noFigures: OutcomeRow = {
  tenantId: '',
  suggestions: 0,
  withOutcome: 0,
  inferred: 0,
  used: 0,
  edited: 0,
  ignored: 0,
  savedChars: 0,
};

/**
 * Suggestions made in [from, to) among those `where` selects (over `lead_ai_assistance a` joined to `lead l`), and
 * what became of them, one row per shop. One outcome per suggestion: what the seller said over what was inferred,
 * the latest of each.
 */
async function outcomeFigures(
  tx: Pick<Tx, 'execute'>,
  where: SQL,
  from: Date,
  to: Date,
): Promise<OutcomeRow[]> {
  const result = await tx.execute<OutcomeRow>(sql`
    with made as (
      select a.tenant_id, a.id from ${leadAiAssistance} a
      join ${lead} l on l.tenant_id = a.tenant_id and l.id = a.lead_id
      where ${where} and a.created_at >= ${from.toISOString()} and a.created_at < ${to.toISOString()}
    ), outcome as (
      select distinct on (f.tenant_id, f.assistance_id) f.tenant_id, f.outcome, f.source, f.saved_chars
      from ${leadAiFeedback} f join made on made.tenant_id = f.tenant_id and made.id = f.assistance_id
      order by f.tenant_id, f.assistance_id, (f.source = 'SELLER') desc, f.created_at desc, f.id desc
    ), outcomes as (
      select tenant_id, count(*)::int as "withOutcome",
        count(*) filter (where source = 'INFERRED')::int as "inferred",
        count(*) filter (where outcome = 'USED')::int as "used",
        count(*) filter (where outcome = 'EDITED')::int as "edited",
        count(*) filter (where outcome = 'IGNORED')::int as "ignored",
        coalesce(sum(saved_chars), 0)::int as "savedChars"
      from outcome group by tenant_id
    )
    select m.tenant_id as "tenantId", m.suggestions,
      coalesce(o."withOutcome", 0) as "withOutcome", coalesce(o.inferred, 0) as "inferred",
      coalesce(o.used, 0) as "used", coalesce(o.edited, 0) as "edited", coalesce(o.ignored, 0) as "ignored",
      coalesce(o."savedChars", 0) as "savedChars"
    from (select tenant_id, count(*)::int as suggestions from made group by tenant_id) m
    left join outcomes o on o.tenant_id = m.tenant_id
    order by m.tenant_id`);
  return result.rows;
}

function figuresOf(row: OutcomeRow, from: Date, to: Date, branchId: string | null): AssistantKpis {
  const over = (n: number) =>
    row.withOutcome === 0 ? null : Math.round((n / row.withOutcome) * 1000) / 1000;
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    branchId,
    suggestions: row.suggestions,
    withOutcome: row.withOutcome,
    inferred: row.inferred,
    sentAsIs: row.used,
    edited: row.edited,
    notUsed: row.ignored,
    shares: { sentAsIs: over(row.used), edited: over(row.edited), notUsed: over(row.ignored) },
    timeSaved: {
      characters: row.savedChars,
      minutes: Math.round((row.savedChars / CHARS_PER_MINUTE) * 10) / 10,
      charsPerMinute: CHARS_PER_MINUTE,
    },
  };
}

/**
 * Acceptance per shop and over every shop, for whoever runs the platform (`npm run report:assistant`). Only the
 * owner connection reads every tenant: the app's own role sees one shop at a time.
 */
export async function acceptanceByShop(owner: Pick<Tx, 'execute'>, from: Date, to: Date) {
  const rows = await outcomeFigures(owner, sql`true`, from, to);
  const total = rows.reduce<OutcomeRow>(
    (sum, row) => ({
      tenantId: '',
      suggestions: sum.suggestions + row.suggestions,
      withOutcome: sum.withOutcome + row.withOutcome,
      inferred: sum.inferred + row.inferred,
      used: sum.used + row.used,
      edited: sum.edited + row.edited,
      ignored: sum.ignored + row.ignored,
      savedChars: sum.savedChars + row.savedChars,
    }),
    noFigures,
  );
  return {
    shops: rows.map((row) => ({ tenantId: row.tenantId, ...figuresOf(row, from, to, null) })),
    overall: figuresOf(total, from, to, null),
  };
}
