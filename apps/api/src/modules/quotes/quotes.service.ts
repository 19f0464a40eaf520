import {
  type CreateQuoteInput,
  type Lead,
  MAX_QUOTE_LINE_AMOUNT,
  priceQuote,
  type Quote,
  type QuotesQuery,
  type quoteItemInput,
  type TaxRule,
  type UpdateQuoteInput,
} from '@techmarket/contracts';
import type { z } from 'zod';
import { branchScope, type Principal, type UserPrincipal } from '../../platform/auth';
import { startOfLocalDay } from '../../platform/business-time';
import type { Clock } from '../../platform/clock';
import type { Database, Tx } from '../../platform/db';
import { AppError, badField, invalidField, notFound } from '../../platform/errors';
import type { IdentityService } from '../identity/identity.service';
import type { LeadFeed } from '../leads/lead-feed';
import { createLeadProgress, isEarlierThan, type ReplyChannels } from '../leads/lead-progress';
import { assertTransition } from '../leads/pipeline';
import type { CommerceSettingsService } from './commerce-settings.service';
import type { QuoteLinks } from './quote-link';
import { customerWhatsappUrl, quoteMessage } from './quote-message';
import { type DocumentLanguage, formatQuoteNumber, type QuoteDocument, renderQuotePdf } from './quote-pdf';
import { createQuotesRepository, type QuoteItemRow, type QuoteRow } from './quotes.repository';

/**
 * Quotes: a lead's customer gets prices from the shop's catalog, a PDF and a WhatsApp message. The rules:
 * - Lines come from the shop's active listings at their catalog price. Only a MANAGER or OWNER may set another
 *   unit price or a discount; a seller who tries gets a 403 naming the field.
 * - One currency per quote (its listings'); amounts in integer minor units; tax per line, half up (quote-math.ts in
 *   @techmarket/contracts, which the web's builder runs too), with the shop's tax rule copied onto the quote so
 *   later changes of the rule never reprice it.
 * - A quantity above the listing's stock is allowed, with a warning on the line.
 * - Numbers are sequential per shop with no gaps (quotes.repository.ts nextQuoteNumber).
 * - Creating a quote moves the lead to QUOTED (422 when the pipeline forbids it: a closed or dormant lead
 *   must be reopened first); sending records QUOTE_SENT (and moves a lead that is still earlier to QUOTED);
 *   ACCEPTED moves it to WON; REJECTED, with a reason, to LOST unless another quote of the lead is still open.
 * - A quote valid for N days is valid through the end of the Nth day after it was made, in the branch's time zone:
 *   "válida hasta el 8 de marzo" holds until midnight there.
 * - DRAFT -> SENT -> ACCEPTED | REJECTED; DRAFT may be accepted or rejected directly (a sale at the counter);
 *   only a DRAFT is edited; DRAFT and SENT become EXPIRED when their validity ends (read as such at once,
 *   stored by the worker's sweep).
 * - Every command is one transaction that also writes the lead's events; the lead is published after commit.
 */

export interface QuotesDeps {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
  identity: Pick<IdentityService, 'findTenant' | 'findBranch' | 'findUser'>;
  settings: Pick<CommerceSettingsService, 'read'>;
  feed?: Pick<LeadFeed, 'changed'>;
  links: QuoteLinks;
  publicUrl: string;
  /** The branches with a messaging channel, where a stage move is not the first response. */
  channels: ReplyChannels;
}

type ItemInput = z.output<typeof quoteItemInput>;

const DAY_MS = 86_400_000;
/** The public link outlives a short validity, so a customer who asks again a day later can still open it. */
const MIN_LINK_DAYS = 7;

const versionConflict = () =>
  new AppError('VERSION_CONFLICT', 'The quote was changed by someone else; reload it and try again', {
    errors: [{ path: 'version', message: 'stale version' }],
  });

const statusError = (message: string) =>
  new AppError('INVALID_TRANSITION', message, { errors: [{ path: 'status', message }] });

const sellerMayNot = (path: string, what: string) =>
  new AppError('FORBIDDEN', `${path}: ${what}`, { errors: [{ path, message: what }] });

function encodeCursor(row: { createdAt: string; id: string }) {
  return Buffer.from(`${row.createdAt}|${row.id}`).toString('base64url');
}
function decodeCursor(cursor: string) {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!at || !id || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw badField('cursor', 'not a cursor of this list');
  }
  return { at, id };
}

const languageOf = (countryCode: string | null, currency: string): DocumentLanguage =>
  countryCode === 'BR' || (countryCode === null && currency === 'BRL') ? 'pt' : 'es';

export function createQuotesService(deps: QuotesDeps) {
  const { database, clock, identity, settings, feed, links, publicUrl } = deps;
  const repo = createQuotesRepository();
  const progress = createLeadProgress(deps.channels);
  const now = () => clock.now();

  /** What the wire shows: the columns, the lines, the stock warnings and the status as of now. */
  function toQuote(row: QuoteRow, items: QuoteItemRow[]): Quote {
    const open = row.status === 'DRAFT' || row.status === 'SENT';
    const expired = open && Date.parse(row.validUntil) <= now().getTime();
    const lines = items.filter((i) => i.quoteId === row.id).map(({ quoteId: _q, ...item }) => item);
    const { linkGeneration: _generation, ...columns } = row;
    return {
      ...columns,
      status: expired ? 'EXPIRED' : row.status,
      items: lines,
      warnings: lines
        .filter((line) => line.quantity > line.stockAtQuote)
        .map((line) => ({
          path: `items.${line.position}.quantity`,
          code: 'EXCEEDS_STOCK' as const,
          message: `${line.quantity} asked, ${Math.max(0, line.stockAtQuote)} in stock`,
        })),
    };
  }

  /** Prices the lines from the catalog under the rule; throws naming the item field that is wrong. */
  async function priceItems(tx: Tx, actor: UserPrincipal, items: ItemInput[], rule: TaxRule) {
    const { tenantId } = actor;
    const found = await repo.listingsByIds(tx, tenantId, [...new Set(items.map((i) => i.listingId))]);
    const byId = new Map(found.map((l) => [l.id, l]));
    const mayOverride = actor.role !== 'SELLER';
    let currency: string | null = null;
    const lines = items.map((item, i) => {
      const listed = byId.get(item.listingId);
      if (!listed?.active)
        throw invalidField(`items.${i}.listingId`, 'no active listing of this shop has this id');
      currency ??= listed.currency;
      if (listed.currency !== currency) {
        throw invalidField(
          `items.${i}.listingId`,
          `priced in ${listed.currency}; a quote has one currency (${currency})`,
        );
      }
      const unitPrice = item.unitPrice ?? listed.price;
      const discount = item.discount ?? 0;
      if (!mayOverride && unitPrice !== listed.price) {
        throw sellerMayNot(`items.${i}.unitPrice`, 'only a manager or the owner can change a catalog price');
      }
      if (!mayOverride && discount > 0) {
        throw sellerMayNot(`items.${i}.discount`, 'only a manager or the owner can give a discount');
      }
      const amount = item.quantity * unitPrice;
      if (amount > MAX_QUOTE_LINE_AMOUNT) throw invalidField(`items.${i}.quantity`, 'the line is too large');
      if (discount > amount) throw invalidField(`items.${i}.discount`, 'larger than the line');
      return { listing: listed, quantity: item.quantity, unitPrice, discount };
    });
    const totals = priceQuote(lines, rule);
    return {
      currency: currency ?? 'PEN',
      totals,
      rows: lines.map((line, position) => {
        const priced = totals.lines[position];
        if (!priced) throw new Error('priced line missing');
        return {
          position,
          listingId: line.listing.id,
          title: line.listing.title,
          sku: line.listing.sku,
          quantity: line.quantity,
          unitPrice: line.unitPrice,
          discount: line.discount,
          subtotal: priced.subtotal,
          tax: priced.tax,
          total: priced.total,
          stockAtQuote: line.listing.stock,
        };
      }),
    };
  }

  /** The last instant of the `days`-th local day after `from`, where the branch is. */
  async function validThrough(tx: Tx, tenantId: string, branchId: string, from: Date, days: number) {
    const branch = await identity.findBranch(tx, tenantId, branchId);
    const timeZone = branch?.timezone ?? 'America/Lima';
    return new Date(startOfLocalDay(from, timeZone, days + 1).getTime() - 1).toISOString();
  }

  async function loadQuote(tx: Tx, viewer: Principal, quoteId: string, lock = false) {
    const row = await repo.findQuote(tx, viewer.tenantId, quoteId, branchScope(viewer), lock);
    if (!row) throw notFound('Quote');
    return row;
  }

  /** Everything the PDF and the message show, read in the caller's transaction. */
  async function documentOf(tx: Tx, row: QuoteRow, items: QuoteItemRow[]): Promise<QuoteDocument> {
    // One connection runs one statement at a time: these go in turn.
    const tenant = await identity.findTenant(tx, row.tenantId);
    const branch = await identity.findBranch(tx, row.tenantId, row.branchId);
    const seller = row.createdByUserId
      ? await identity.findUser(tx, row.tenantId, row.createdByUserId)
      : null;
    const view = toQuote(row, items);
    return {
      language: languageOf(branch?.countryCode ?? null, row.currency),
      timeZone: branch?.timezone ?? tenant?.timezone ?? 'America/Lima',
      shopName: tenant?.name ?? '',
      branch: { name: branch?.name ?? '', phone: branch?.whatsappPhone ?? null, zone: branch?.zone ?? null },
      sellerName: seller?.name ?? null,
      customer: { name: row.contact.name, phone: row.contact.phone },
      number: row.number,
      status: view.status,
      issuedAt: row.createdAt,
      validUntil: row.validUntil,
      currency: row.currency,
      taxName: row.taxName,
      taxRateBps: row.taxRateBps,
      pricesIncludeTax: row.pricesIncludeTax,
      items: view.items,
      subtotal: row.subtotal,
      discount: row.discount,
      tax: row.tax,
      total: row.total,
      notes: row.notes,
    };
  }

  const pdfFile = async (document: QuoteDocument) => ({
    pdf: await renderQuotePdf(document),
    filename: `${document.language === 'pt' ? 'orcamento' : 'cotizacion'}-${formatQuoteNumber(document.number)}.pdf`,
  });

  const publish = async (lead: Lead | null) => {
    if (lead) await feed?.changed('lead.updated', lead);
  };

  return {
    async createQuote(actor: UserPrincipal, leadId: string, input: CreateQuoteInput): Promise<Quote> {
      const { quote, moved } = await database.withTenant(actor.tenantId, async (tx) => {
        const lead = await progress.lockLead(tx, actor, leadId);
        if (lead.status !== 'QUOTED') assertTransition(lead.status, 'QUOTED');
        const rule = await settings.read(tx, actor.tenantId);
        const priced = await priceItems(tx, actor, input.items, rule);
        const at = now();
        const iso = at.toISOString();
        // Taken last, so the counter's row lock is held for as short a time as possible.
        const number = await repo.nextQuoteNumber(tx, actor.tenantId);
        const row = await repo.insertQuote(tx, {
          tenantId: actor.tenantId,
          branchId: lead.branchId,
          leadId: lead.id,
          contactId: lead.contact.id,
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
            payload: { quoteId: row.id, number, total: row.total, currency: row.currency },
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
        return { quote: toQuote({ ...row, contact: lead.contact }, items), moved: movedLead };
      });
      await publish(moved);
      return quote;
    },

    getQuote: (viewer: Principal, quoteId: string) =>
      database.withTenant(viewer.tenantId, async (tx) => {
        const row = await loadQuote(tx, viewer, quoteId);
        return toQuote(row, await repo.itemsOf(tx, viewer.tenantId, [row.id]));
      }),

    async listQuotes(viewer: Principal, tenantId: string, query: QuotesQuery) {
      const scope = branchScope(viewer);
      const branchIds = query.branchId
        ? scope === null || scope.includes(query.branchId)
          ? [query.branchId]
          : []
        : scope;
      if (branchIds?.length === 0) return { items: [], nextCursor: null };
      const after = query.cursor ? decodeCursor(query.cursor) : null;
      return database.withTenant(tenantId, async (tx) => {
        const rows = await repo.listQuotes(
          tx,
          tenantId,
          { branchIds, status: query.status, leadId: query.leadId, at: now().toISOString() },
          after,
          query.limit,
        );
        const page = rows.slice(0, query.limit);
        const items = await repo.itemsOf(
          tx,
          tenantId,
          page.map((r) => r.id),
        );
        const last = page.at(-1);
        return {
          items: page.map((row) => toQuote(row, items)),
          nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
        };
      });
    },

    async updateQuote(actor: UserPrincipal, quoteId: string, input: UpdateQuoteInput): Promise<Quote> {
      const { quote, moved } = await database.withTenant(actor.tenantId, async (tx) => {
        const current = await loadQuote(tx, actor, quoteId, true);
        if (current.version !== input.version) throw versionConflict();
        const at = now();
        const iso = at.toISOString();
        const effective = toQuote(current, []).status;
        const changes: Parameters<typeof repo.updateQuote>[4] = {};
        let newItems: Awaited<ReturnType<typeof priceItems>>['rows'] | null = null;

        const edits = (['items', 'validDays', 'notes'] as const).filter((key) => input[key] !== undefined);
        if (edits.length > 0 && effective !== 'DRAFT') {
          throw invalidField(
            edits[0] ?? 'items',
            `only a DRAFT quote can be edited; this one is ${effective}`,
          );
        }
        if (input.items) {
          const priced = await priceItems(tx, actor, input.items, current);
          Object.assign(changes, {
            currency: priced.currency,
            subtotal: priced.totals.subtotal,
            discount: priced.totals.discount,
            tax: priced.totals.tax,
            total: priced.totals.total,
          });
          newItems = priced.rows;
        }
        if (input.validDays !== undefined) {
          changes.validUntil = await validThrough(tx, actor.tenantId, current.branchId, at, input.validDays);
        }
        if (input.notes !== undefined) changes.notes = input.notes;
        if (input.lostReason !== undefined && input.status !== 'REJECTED') {
          throw invalidField('lostReason', 'only a REJECTED quote has a reason');
        }

        let moved: Lead | null = null;
        const events: { type: 'QUOTE_ACCEPTED' | 'QUOTE_REJECTED'; payload: Record<string, unknown> }[] = [];
        if (input.status !== undefined) {
          if (effective !== 'DRAFT' && effective !== 'SENT') {
            throw statusError(`a ${effective} quote cannot become ${input.status}`);
          }
          let lead = await progress.lockLead(tx, actor, current.leadId);
          changes.status = input.status;
          changes.decidedAt = iso;
          if (input.status === 'ACCEPTED') {
            events.push({ type: 'QUOTE_ACCEPTED', payload: { quoteId: current.id, number: current.number } });
            // A customer given up on (LOST, DORMANT) who accepts after all: the pipeline reopens the lead first.
            if (lead.status === 'LOST' || lead.status === 'DORMANT') {
              await progress.advance(
                tx,
                lead,
                { to: 'CONTACTED', cause: { quoteId: current.id, reopened: true } },
                actor.userId,
                iso,
              );
              lead = await progress.lockLead(tx, actor, current.leadId);
            }
            moved = await progress.advance(
              tx,
              lead,
              { to: 'WON', cause: { quoteId: current.id } },
              actor.userId,
              iso,
            );
          } else {
            if (!input.lostReason) throw invalidField('lostReason', 'say why the customer said no');
            changes.rejectionReason = input.lostReason;
            events.push({
              type: 'QUOTE_REJECTED',
              payload: { quoteId: current.id, number: current.number, lostReason: input.lostReason },
            });
            // Another quote still in the customer's hands keeps the lead alive.
            if (!(await repo.hasOtherOpenQuote(tx, actor.tenantId, current.leadId, current.id, iso))) {
              moved = await progress.advance(
                tx,
                lead,
                { to: 'LOST', lostReason: input.lostReason, cause: { quoteId: current.id } },
                actor.userId,
                iso,
              );
            }
          }
        }

        const updated = await repo.updateQuote(tx, actor.tenantId, current.id, current.version, changes, iso);
        if (!updated) throw versionConflict();
        if (newItems) {
          await repo.deleteItems(tx, actor.tenantId, current.id);
          await repo.insertItems(
            tx,
            newItems.map((item) => ({ ...item, tenantId: actor.tenantId, quoteId: current.id })),
          );
        }
        await progress.recordEvents(
          tx,
          events.map((e) => ({
            ...e,
            tenantId: actor.tenantId,
            leadId: current.leadId,
            actorUserId: actor.userId,
            createdAt: iso,
          })),
        );
        const items = await repo.itemsOf(tx, actor.tenantId, [current.id]);
        return { quote: toQuote({ ...updated, contact: current.contact }, items), moved };
      });
      await publish(moved);
      return quote;
    },

    /**
     * Marks the quote SENT (again, for a resend), records QUOTE_SENT on the lead, and answers the signed PDF
     * link and the WhatsApp message for the seller's phone to send. Nothing leaves the server here: the seller's
     * tap on the wa.me link sends it.
     */
    async sendQuote(actor: UserPrincipal, quoteId: string) {
      const result = await database.withTenant(actor.tenantId, async (tx) => {
        const current = await loadQuote(tx, actor, quoteId, true);
        const effective = toQuote(current, []).status;
        if (effective !== 'DRAFT' && effective !== 'SENT') {
          throw statusError(`a ${effective} quote cannot be sent; make a new one`);
        }
        const lead = await progress.lockLead(tx, actor, current.leadId);
        const at = now();
        const iso = at.toISOString();
        const updated = await repo.updateQuote(
          tx,
          actor.tenantId,
          current.id,
          current.version,
          { status: 'SENT', sentAt: iso },
          iso,
        );
        if (!updated) throw versionConflict();
        await progress.recordEvents(tx, [
          {
            tenantId: actor.tenantId,
            leadId: current.leadId,
            type: 'QUOTE_SENT',
            payload: {
              quoteId: current.id,
              number: current.number,
              total: current.total,
              currency: current.currency,
              resent: current.status === 'SENT',
            },
            actorUserId: actor.userId,
            createdAt: iso,
          },
        ]);
        const moved = isEarlierThan(lead.status, 'QUOTED')
          ? await progress.advance(
              tx,
              lead,
              { to: 'QUOTED', cause: { quoteId: current.id } },
              actor.userId,
              iso,
            )
          : null;
        if (!moved) await progress.touch(tx, actor.tenantId, current.leadId, iso);

        const items = await repo.itemsOf(tx, actor.tenantId, [current.id]);
        const row = { ...updated, contact: current.contact };
        const document = await documentOf(tx, row, items);
        const expiresAt = new Date(
          Math.max(Date.parse(row.validUntil), at.getTime() + MIN_LINK_DAYS * DAY_MS),
        );
        const pdfUrl = `${publicUrl}/q/${links.token({
          quoteId: row.id,
          tenantId: row.tenantId,
          expiresAt,
          generation: row.linkGeneration,
        })}`;
        const message = quoteMessage({
          language: document.language,
          timeZone: document.timeZone,
          customerName: row.contact.name,
          shopName: document.shopName,
          number: row.number,
          itemCount: items.length,
          total: row.total,
          tax: row.tax,
          currency: row.currency,
          taxName: row.taxName,
          validUntil: row.validUntil,
          pdfUrl,
        });
        return {
          sent: {
            quote: toQuote(row, items),
            pdfUrl,
            pdfUrlExpiresAt: expiresAt.toISOString(),
            whatsappUrl: customerWhatsappUrl(row.contact.phone, message),
            message,
          },
          moved,
        };
      });
      await publish(result.moved);
      return result.sent;
    },

    /**
     * Every public link sent so far stops working (410), e.g. a link forwarded to the wrong person; the quote
     * itself is unchanged, and sending it again issues a fresh link. Whoever may send the quote may do this.
     */
    async revokeLinks(actor: UserPrincipal, quoteId: string): Promise<Quote> {
      return database.withTenant(actor.tenantId, async (tx) => {
        const current = await loadQuote(tx, actor, quoteId, true);
        const row = await repo.revokeLinks(tx, actor.tenantId, current.id, now().toISOString());
        if (!row) throw notFound('Quote');
        return toQuote(
          { ...row, contact: current.contact },
          await repo.itemsOf(tx, actor.tenantId, [row.id]),
        );
      });
    },

    /** The PDF for someone signed in who may see the quote. */
    async pdfFor(viewer: Principal, quoteId: string) {
      const document = await database.withTenant(viewer.tenantId, async (tx) => {
        const row = await loadQuote(tx, viewer, quoteId);
        return documentOf(tx, row, await repo.itemsOf(tx, viewer.tenantId, [row.id]));
      });
      return pdfFile(document);
    },

    /** The PDF behind a public signed link: 404 for a token that is not ours, 410 once it expired. */
    async publicPdf(token: string) {
      const check = links.verify(token, now());
      if (!check.ok) {
        if (check.reason === 'expired') {
          throw new AppError('GONE', 'This link has expired; ask the shop for a new one');
        }
        throw notFound('Quote');
      }
      const { quoteId, tenantId, generation } = check.claims;
      const document = await database.withTenant(tenantId, async (tx) => {
        const row = await repo.findQuote(tx, tenantId, quoteId, null);
        if (!row) throw notFound('Quote');
        if (generation !== row.linkGeneration) {
          throw new AppError('GONE', 'The shop withdrew this link; ask them for a new one');
        }
        return documentOf(tx, row, await repo.itemsOf(tx, tenantId, [row.id]));
      });
      return pdfFile(document);
    },
  };
}

export type QuotesService = ReturnType<typeof createQuotesService>;
