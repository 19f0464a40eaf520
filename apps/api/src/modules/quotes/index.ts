/** The quotes module's one public face: what app.ts, the worker, the seed and other modules may import. */
export { type CommerceSettingsService, createCommerceSettingsService } from './commerce-settings.service';
export { createQuoteLinks, type QuoteLinks } from './quote-link';
export { expireQuotesJob } from './quotes.jobs';
export { publicQuoteRoutes, quotesRoutes } from './quotes.routes';
export { createQuotesService, type QuotesDeps, type QuotesService } from './quotes.service';
export { DEFAULT_QUOTE_VALID_DAYS, defaultSlaHours, taxDefaultsFor } from './tax-defaults';
