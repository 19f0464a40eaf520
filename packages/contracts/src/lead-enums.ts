/**
 * The lead enums as plain arrays, with no zod: the web's first-load code (the router's search params, the
 * inbox's filters) imports this file alone (`@techmarket/contracts/lead-enums`), since the package's index
 * would bring zod's classic API with it. `leads.ts` builds the zod enums from these same arrays.
 */
export const leadStatuses = ['NEW', 'CONTACTED', 'QUALIFIED', 'QUOTED', 'WON', 'LOST', 'DORMANT'] as const;
/** `LeadStatus` (leads.ts) without zod. */
type LeadStatusName = (typeof leadStatuses)[number];
/**
 * The pipeline: the moves a person may make between lead statuses (DESIGN.md, "Pipeline"). Forward skips, LOST
 * or DORMANT from any open stage, DORMANT -> CONTACTED (or LOST), reopening WON/LOST via CONTACTED, nothing back
 * to NEW. The API enforces it (leads/pipeline.ts explains why); the web refuses a drop and offers only these moves.
 * Here, with no zod, so that the lead page does not build the contracts' schemas to read it.
 */
export const leadTransitions: Readonly<Record<LeadStatusName, readonly LeadStatusName[]>> = {
  NEW: ['CONTACTED', 'QUALIFIED', 'QUOTED', 'WON', 'LOST', 'DORMANT'],
  CONTACTED: ['QUALIFIED', 'QUOTED', 'WON', 'LOST', 'DORMANT'],
  QUALIFIED: ['QUOTED', 'WON', 'LOST', 'DORMANT'],
  QUOTED: ['WON', 'LOST', 'DORMANT'],
  WON: ['CONTACTED'],
  LOST: ['CONTACTED'],
  DORMANT: ['CONTACTED', 'LOST'],
};

export const canMoveLead = (from: LeadStatusName, to: LeadStatusName) => leadTransitions[from].includes(to);
export const leadSources = ['MAP', 'LISTING', 'FEED', 'WHATSAPP', 'CAMPAIGN', 'MANUAL'] as const;
export const leadPriorities = ['HIGH', 'MEDIUM', 'LOW'] as const;
export const leadTypes = ['SALE', 'SERVICE'] as const;
export const lostReasons = ['PRICE', 'STOCK', 'NO_RESPONSE', 'COMPETITOR', 'OTHER'] as const;
/**
 * How a lead entered by hand (source MANUAL) reached the shop: the customer walked in, called, wrote on Instagram,
 * or something else. The lead's `source` stays MANUAL (DESIGN.md's closed list); this finer detail is recorded on
 * its CREATED event (and on the customer's words, when told).
 */
export const manualChannels = ['WALK_IN', 'PHONE_CALL', 'INSTAGRAM', 'OTHER'] as const;
/** The stages a lead is still being worked in: what the inbox's `status=OPEN` lists. */
export const openLeadStatuses = ['NEW', 'CONTACTED', 'QUALIFIED', 'QUOTED'] as const;
/** The inbox's status filter: one status, or `OPEN` for any open stage. */
export const leadStatusFilters = [...leadStatuses, 'OPEN'] as const;
export type LeadStatusFilter = (typeof leadStatusFilters)[number];
/**
 * The inbox's orders (`sort` of GET /tenants/{id}/leads). `priority`: HIGH first, then oldest. `-createdAt`,
 * `-lastActivityAt`: newest first. `waiting`: the customers still waiting for a first answer (no
 * `firstResponseAt`), longest-waiting first, then the answered, oldest first.
 */
export const leadSorts = ['priority', '-createdAt', '-lastActivityAt', 'waiting'] as const;

/** Where a lead's value comes from: its accepted quote, its product's price, or a person. */
export const leadValueSources = ['QUOTE', 'LISTING', 'MANUAL'] as const;
export type LeadValueSource = (typeof leadValueSources)[number];
