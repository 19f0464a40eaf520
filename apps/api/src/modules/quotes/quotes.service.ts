import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db';
import type { IdentityService } from '../identity';
import type { LeadFeed, ReplyChannels } from '../leads';
import type { CommerceSettingsService } from './commerce-settings.service';
import { createQuoteDeliveryService } from './quote-delivery.service';
import { createQuoteLifecycleService } from './quote-lifecycle.service';
import type { QuoteLinks } from './quote-link';

/**
 * Quotes: a lead's customer gets prices from the shop's catalog, a PDF and a WhatsApp message. Put together here
 * from the quote's life (quote-lifecycle.service.ts) and its delivery (quote-delivery.service.ts). The rules:
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

export function createQuotesService(deps: QuotesDeps) {
  const lifecycle = createQuoteLifecycleService(deps);
  const delivery = createQuoteDeliveryService(deps);
  return {
    createQuote: lifecycle.createQuote,
    quoteLead: lifecycle.quoteLead,
    getQuote: lifecycle.getQuote,
    listQuotes: lifecycle.listQuotes,
    updateQuote: lifecycle.updateQuote,
    onDecided: lifecycle.onDecided,
    sendQuote: delivery.sendQuote,
    revokeLinks: delivery.revokeLinks,
    pdfFor: delivery.pdfFor,
    publicPdf: delivery.publicPdf,
  };
}

export type QuotesService = ReturnType<typeof createQuotesService>;
