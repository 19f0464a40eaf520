import type { AppConfig } from '../../config';
import type { AppModule } from '../../platform/app-module';
import { type CommerceSettingsService, createCommerceSettingsService } from './commerce-settings.service';
import { createQuoteLinks } from './quote-link';
import { publicQuoteRoutes, quotesRoutes } from './quotes.routes';
import { createQuotesService, type QuotesDeps, type QuotesService } from './quotes.service';

export type { CommerceSettingsService } from './commerce-settings.service';
export { expireQuotesJob } from './quotes.jobs';
export type { QuotesService } from './quotes.service';
export { DEFAULT_QUOTE_VALID_DAYS, defaultSlaHours, taxDefaultsFor } from './tax-defaults';

export interface QuotesModuleDeps extends Omit<QuotesDeps, 'settings' | 'links' | 'publicUrl'> {
  config: Pick<AppConfig, 'linkSigningSecret' | 'publicUrl'>;
}

/**
 * The quotes module's one public face (the worker and the demo seed import it too): quotes, their PDF and public
 * link, and the shop's commerce settings, which `settings` offers the tickets module (SLA hours), as `quoting` offers it
 * a quote in its transaction (a ticket's quote); `decisions` tells
 * who asks (push) of each customer's answer to a quote, once committed.
 */
export function createQuotesModule(deps: QuotesModuleDeps): AppModule & {
  settings: Pick<CommerceSettingsService, 'slaHoursFor'>;
  decisions: Pick<QuotesService, 'onDecided'>;
  quoting: Pick<QuotesService, 'quoteLead'>;
} {
  const { config, ...parts } = deps;
  const settings = createCommerceSettingsService(deps);
  const quotes = createQuotesService({
    ...parts,
    settings,
    links: createQuoteLinks(config.linkSigningSecret),
    publicUrl: config.publicUrl,
  });
  return {
    settings,
    decisions: { onDecided: quotes.onDecided },
    quoting: { quoteLead: quotes.quoteLead },
    /** Under /api/v1: quotes and the commerce settings. */
    async routes(api) {
      await api.register(quotesRoutes, { quotes, settings });
    },
    /** The customer's PDF link `/q/{token}`. */
    async publicRoutes(app) {
      await app.register(publicQuoteRoutes, { quotes });
    },
  };
}
