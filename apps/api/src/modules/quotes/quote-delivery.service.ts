import type { Lead, Quote } from '@techmarket/contracts';
import type { Principal, UserPrincipal } from '../../platform/auth';
import type { Clock } from '../../platform/clock';
import type { Database, Tx } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import type { IdentityService } from '../identity';
import type { LeadFeed } from '../leads';
import { createLeadProgress, isEarlierThan, type ReplyChannels } from '../leads';
import type { QuoteLinks } from './quote-link';
import { customerWhatsappUrl, quoteMessage } from './quote-message';
import { type DocumentLanguage, formatQuoteNumber, type QuoteDocument, renderQuotePdf } from './quote-pdf';
import { loadQuote, statusError, toQuote, versionConflict } from './quote-view';
import { createQuotesRepository, type QuoteItemRow, type QuoteRow } from './quotes.repository';

/**
 * A quote on its way to the customer: sending it (SENT, QUOTE_SENT on the lead, which moves to QUOTED if still
 * earlier), the PDF in the branch's language, the signed public link (quote-link.ts) and its withdrawal. Nothing
 * leaves the server here: the seller's tap on the wa.me link sends the message.
 */

export interface QuoteDeliveryDeps {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
  identity: Pick<IdentityService, 'findTenant' | 'findBranch' | 'findUser'>;
  feed?: Pick<LeadFeed, 'changed'> | undefined;
  links: QuoteLinks;
  publicUrl: string;
  /** The branches with a messaging channel, where a stage move is not the first response. */
  channels: ReplyChannels;
}

const DAY_MS = 86_400_000;
/** The public link outlives a short validity, so a customer who asks again a day later can still open it. */
const MIN_LINK_DAYS = 7;

const languageOf = (countryCode: string | null, currency: string): DocumentLanguage =>
  countryCode === 'BR' || (countryCode === null && currency === 'BRL') ? 'pt' : 'es';

export function createQuoteDeliveryService(deps: QuoteDeliveryDeps) {
  const { database, clock, identity, feed, links, publicUrl } = deps;
  const repo = createQuotesRepository();
  const progress = createLeadProgress(deps.channels);
  const now = () => clock.now();

  /** Everything the PDF and the message show, read in the caller's transaction. */
  async function documentOf(tx: Tx, row: QuoteRow, items: QuoteItemRow[]): Promise<QuoteDocument> {
    // One connection runs one statement at a time: these go in turn.
    const tenant = await identity.findTenant(tx, row.tenantId);
    const branch = await identity.findBranch(tx, row.tenantId, row.branchId);
    const seller = row.createdByUserId
      ? await identity.findUser(tx, row.tenantId, row.createdByUserId)
      : null;
    const view = toQuote(row, items, now());
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
    /**
     * Marks the quote SENT (again, for a resend), records QUOTE_SENT on the lead, and answers the signed PDF
     * link and the WhatsApp message for the seller's phone to send. Nothing leaves the server here: the seller's
     * tap on the wa.me link sends it.
     */
    async sendQuote(actor: UserPrincipal, quoteId: string) {
      const result = await database.withTenant(actor.tenantId, async (tx) => {
        const current = await loadQuote(repo, tx, actor, quoteId, true);
        const effective = toQuote(current, [], now()).status;
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
            quote: toQuote(row, items, now()),
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
        const current = await loadQuote(repo, tx, actor, quoteId, true);
        const row = await repo.revokeLinks(tx, actor.tenantId, current.id, now().toISOString());
        if (!row) throw notFound('Quote');
        const items = await repo.itemsOf(tx, actor.tenantId, [row.id]);
        return toQuote({ ...row, contact: current.contact }, items, now());
      });
    },

    /** The PDF for someone signed in who may see the quote. */
    async pdfFor(viewer: Principal, quoteId: string) {
      const document = await database.withTenant(viewer.tenantId, async (tx) => {
        const row = await loadQuote(repo, tx, viewer, quoteId);
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

export type QuoteDeliveryService = ReturnType<typeof createQuoteDeliveryService>;
