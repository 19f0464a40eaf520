import type { CreateQuoteInput, Lead, Quote, QuotesQuery, UpdateQuoteInput } from '@techmarket/contracts';
import { branchScope, type Principal, type UserPrincipal } from '../../platform/auth';
import type { Clock } from '../../platform/clock';
import { paginate, timeAndIdCursor } from '../../platform/cursor';
import type { Database, Tx } from '../../platform/db';
import { invalidField } from '../../platform/errors';
import type { IdentityService } from '../identity';
import type { LeadFeed } from '../leads';
import { assertTransition, createLeadProgress, type ReplyChannels } from '../leads';
import type { CommerceSettingsService } from './commerce-settings.service';
import { createQuoteDecision } from './quote-decision';
import { createDraftEditing } from './quote-draft';
import { priceItems } from './quote-pricing';
import { loadQuote, toQuote, versionConflict } from './quote-view';
import { createQuotesRepository } from './quotes.repository';

/**
 * A quote's life from the shop's side: made from the catalog (the lead goes QUOTED), read, listed, edited while
 * a DRAFT, and decided (ACCEPTED: the lead is WON; REJECTED with a reason: LOST unless another quote is open).
 */

export interface QuoteLifecycleDeps {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
  identity: Pick<IdentityService, 'findBranch'>;
  settings: Pick<CommerceSettingsService, 'read'>;
  feed?: Pick<LeadFeed, 'changed'> | undefined;
  /** The branches with a messaging channel, where a stage move is not the first response. */
  channels: ReplyChannels;
}

/** A customer's answer to a quote, committed: what listeners registered with `onDecided` hear. */
export interface QuoteDecided {
  tenantId: string;
  leadId: string;
  quoteId: string;
  number: number;
  status: 'ACCEPTED' | 'REJECTED';
  actorUserId: string;
}

export function createQuoteLifecycleService(deps: QuoteLifecycleDeps) {
  const { database, clock, identity, settings, feed } = deps;
  const repo = createQuotesRepository();
  const progress = createLeadProgress(deps.channels);
  const now = () => clock.now();
  const decidedListeners: ((decided: QuoteDecided) => Promise<void>)[] = [];
  const { validThrough, editDraft } = createDraftEditing({ repo, identity });
  const decide = createQuoteDecision({ repo, progress });

  const publish = async (lead: Lead | null) => {
    if (lead) await feed?.changed('lead.updated', lead);
  };

  /**
   * A quote for the lead, in the caller's transaction: the lead goes QUOTED. `ticketId`: the ticket it is made from
   * (the ticket's service, parts and labour), recorded on the quote and its QUOTE_CREATED event.
   */
  async function quoteLead(
    tx: Tx,
    actor: UserPrincipal,
    leadId: string,
    input: CreateQuoteInput,
    ticketId: string | null,
  ): Promise<{ quote: Quote; moved: Lead | null }> {
    const lead = await progress.lockLead(tx, actor, leadId);
    if (lead.status !== 'QUOTED') assertTransition(lead.status, 'QUOTED');
    const rule = await settings.read(tx, actor.tenantId);
    const priced = await priceItems(repo, tx, actor, input.items, rule, {
      code: input.currency ?? rule.currency,
      given: input.currency !== undefined,
    });
    const at = now();
    const iso = at.toISOString();
    // Taken last, so the counter's row lock is held for as short a time as possible.
    const number = await repo.nextQuoteNumber(tx, actor.tenantId);
    const row = await repo.insertQuote(tx, {
      tenantId: actor.tenantId,
      branchId: lead.branchId,
      leadId: lead.id,
      contactId: lead.contact.id,
      ticketId,
      number,
      status: 'DRAFT',
      currency: priced.currency,
      taxName: rule.taxName,
      taxRateBps: rule.taxRateBps,
      pricesIncludeTax: rule.pricesIncludeTax,
      subtotal: priced.totals.subtotal,
      discount: priced.totals.discount,
      tax: priced.totals.tax,
      total: priced.totals.total,
      validUntil: await validThrough(
        tx,
        actor.tenantId,
        lead.branchId,
        at,
        input.validDays ?? rule.quoteValidDays,
      ),
      notes: input.notes ?? null,
      createdByUserId: actor.userId,
      createdAt: iso,
      updatedAt: iso,
    });
    const items = await repo.insertItems(
      tx,
      priced.rows.map((item) => ({ ...item, tenantId: actor.tenantId, quoteId: row.id })),
    );
    await progress.recordEvents(tx, [
      {
        tenantId: actor.tenantId,
        leadId: lead.id,
        type: 'QUOTE_CREATED',
        payload: {
          quoteId: row.id,
          number,
          total: row.total,
          currency: row.currency,
          ...(ticketId ? { ticketId } : {}),
        },
        actorUserId: actor.userId,
        createdAt: iso,
      },
    ]);
    const movedLead = await progress.advance(
      tx,
      lead,
      { to: 'QUOTED', cause: { quoteId: row.id } },
      actor.userId,
      iso,
    );
    if (!movedLead) await progress.touch(tx, actor.tenantId, lead.id, iso);
    return { quote: toQuote({ ...row, contact: lead.contact }, items, now()), moved: movedLead };
  }

  return {
    async createQuote(actor: UserPrincipal, leadId: string, input: CreateQuoteInput): Promise<Quote> {
      const { quote, moved } = await database.withTenant(actor.tenantId, (tx) =>
        quoteLead(tx, actor, leadId, input, null),
      );
      await publish(moved);
      return quote;
    },

    /** createQuote in the caller's transaction, for a ticket's quote (tickets); the caller publishes `moved`. */
    quoteLead,

    getQuote: (viewer: Principal, quoteId: string) =>
      database.withTenant(viewer.tenantId, async (tx) => {
        const row = await loadQuote(repo, tx, viewer, quoteId);
        const items = await repo.itemsOf(tx, viewer.tenantId, [row.id]);
        return toQuote(row, items, now());
      }),

    async listQuotes(viewer: Principal, tenantId: string, query: QuotesQuery) {
      const scope = branchScope(viewer);
      const branchIds = query.branchId
        ? scope === null || scope.includes(query.branchId)
          ? [query.branchId]
          : []
        : scope;
      if (branchIds?.length === 0) return { items: [], nextCursor: null };
      const after = query.cursor ? timeAndIdCursor.decode(query.cursor) : null;
      return database.withTenant(tenantId, async (tx) => {
        const rows = await repo.listQuotes(
          tx,
          tenantId,
          { branchIds, status: query.status, leadId: query.leadId, at: now().toISOString() },
          after,
          query.limit,
        );
        const page = paginate(rows, query.limit, timeAndIdCursor, (row) => ({
          at: row.createdAt,
          id: row.id,
        }));
        const items = await repo.itemsOf(
          tx,
          tenantId,
          page.rows.map((r) => r.id),
        );
        return { items: page.rows.map((row) => toQuote(row, items, now())), nextCursor: page.nextCursor };
      });
    },

    /** Edits a DRAFT (lines, validity, notes) and/or records the customer's answer, guarded by the version read. */
    async updateQuote(actor: UserPrincipal, quoteId: string, input: UpdateQuoteInput): Promise<Quote> {
      const { quote, moved } = await database.withTenant(actor.tenantId, async (tx) => {
        const current = await loadQuote(repo, tx, actor, quoteId, true);
        if (current.version !== input.version) throw versionConflict();
        const at = now();
        const iso = at.toISOString();
        const effective = toQuote(current, [], now()).status;
        const edit = await editDraft(tx, actor, current, effective, input, at);
        if (input.lostReason !== undefined && input.status !== 'REJECTED') {
          throw invalidField('lostReason', 'only a REJECTED quote has a reason', 'REASON_NOT_ALLOWED');
        }
        const decision =
          input.status === undefined
            ? { changes: {}, events: [], moved: null }
            : await decide(
                tx,
                actor,
                current,
                effective,
                { status: input.status, lostReason: input.lostReason },
                iso,
              );

        const changes = { ...edit.changes, ...decision.changes };
        const updated = await repo.updateQuote(tx, actor.tenantId, current.id, current.version, changes, iso);
        if (!updated) throw versionConflict();
        if (edit.newItems) {
          await repo.deleteItems(tx, actor.tenantId, current.id);
          await repo.insertItems(
            tx,
            edit.newItems.map((item) => ({ ...item, tenantId: actor.tenantId, quoteId: current.id })),
          );
        }
        await progress.recordEvents(
          tx,
          decision.events.map((e) => ({
            ...e,
            tenantId: actor.tenantId,
            leadId: current.leadId,
            actorUserId: actor.userId,
            createdAt: iso,
          })),
        );
        const items = await repo.itemsOf(tx, actor.tenantId, [current.id]);
        return {
          quote: toQuote({ ...updated, contact: current.contact }, items, now()),
          // The accepted quote's total became the lead's value in the same statement (trigger quote_accepted_value):
          // the lead announced carries it.
          moved:
            decision.moved && updated.status === 'ACCEPTED'
              ? {
                  ...decision.moved,
                  value: updated.total,
                  currency: updated.currency,
                  valueSource: 'QUOTE' as const,
                }
              : decision.moved,
        };
      });
      await publish(moved);
      if (input.status === 'ACCEPTED' || input.status === 'REJECTED') {
        const decided = {
          tenantId: actor.tenantId,
          leadId: quote.leadId,
          quoteId: quote.id,
          number: quote.number,
          status: input.status,
          actorUserId: actor.userId,
        };
        // The answer is committed: a listener reports its own failures, and none turns it into an error.
        for (const listener of decidedListeners) await listener(decided).catch(() => undefined);
      }
      return quote;
    },

    /** Work that follows a customer's answer, after it is committed (a push to the lead's seller). */
    onDecided(listener: (decided: QuoteDecided) => Promise<void>) {
      decidedListeners.push(listener);
    },
  };
}

export type QuoteLifecycleService = ReturnType<typeof createQuoteLifecycleService>;
