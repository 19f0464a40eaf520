/**
 * The lead enums as plain arrays, with no zod: the web's first-load code (the router's search params, the
 * inbox's filters) imports this file alone (`@techmarket/contracts/lead-enums`), since the package's index
 * would bring zod's classic API with it. `leads.ts` builds the zod enums from these same arrays.
 */
export const leadStatuses = ['NEW', 'CONTACTED', 'QUALIFIED', 'QUOTED', 'WON', 'LOST', 'DORMANT'] as const;
export const leadSources = ['MAP', 'LISTING', 'FEED', 'WHATSAPP', 'CAMPAIGN', 'MANUAL'] as const;
export const leadPriorities = ['HIGH', 'MEDIUM', 'LOW'] as const;
export const leadTypes = ['SALE', 'SERVICE'] as const;
export const lostReasons = ['PRICE', 'STOCK', 'NO_RESPONSE', 'COMPETITOR', 'OTHER'] as const;
/** The inbox's orders (`sort` of GET /tenants/{id}/leads). */
export const leadSorts = ['priority', '-createdAt', '-lastActivityAt'] as const;
