import type {
  CampaignStatus,
  CampaignType,
  consentSources,
  LeadEventType,
  LeadPriority,
  LeadSource,
  LeadStatus,
  LostReason,
  listingCategories,
  nextBestActions,
  QuoteStatus,
  TaskKind,
  TicketStatus,
  taskDueFilters,
  UserRole,
  whatsappChannelStatuses,
  whatsappMessageStatuses,
} from '@techmarket/contracts';
import type { ParseKeys, TFunction } from 'i18next';

/**
 * A catalog section that names every value of an enum: `${section}.${value}` is a key of the Spanish catalog
 * (the parity test makes it one of the others too), else this does not compile.
 */
const sectionOf =
  <Value extends string>() =>
  <Section extends string>(section: `${Section}.${Value}` extends ParseKeys ? Section : never) =>
    section;

/**
 * Where the catalogs name each contracts enum the screens show: a value is never shown as its code. A new value in
 * the contracts fails the typecheck here, and enum-labels.test.ts checks every value in all three catalogs.
 */
export const enumSections = {
  leadStatus: sectionOf<LeadStatus>()('status'),
  leadSource: sectionOf<LeadSource>()('source'),
  leadPriority: sectionOf<LeadPriority>()('priority'),
  lostReason: sectionOf<LostReason>()('lostReason'),
  userRole: sectionOf<UserRole>()('role'),
  leadEventType: sectionOf<LeadEventType>()('event'),
  quoteStatus: sectionOf<QuoteStatus>()('quotes.statusName'),
  ticketStatus: sectionOf<TicketStatus>()('tickets.statusName'),
  taskKind: sectionOf<TaskKind>()('tasks.kind'),
  taskDue: sectionOf<(typeof taskDueFilters)[number]>()('tasks'),
  campaignStatus: sectionOf<CampaignStatus>()('campaigns.statusName'),
  campaignType: sectionOf<CampaignType>()('campaigns.typeName'),
  listingCategory: sectionOf<(typeof listingCategories)[number]>()('campaigns.category'),
  nextBestAction: sectionOf<(typeof nextBestActions)[number]>()('assistant'),
  messageStatus: sectionOf<(typeof whatsappMessageStatuses)[number]>()('chat.status'),
  channelStatus: sectionOf<(typeof whatsappChannelStatuses)[number]>()('waChannel.status'),
  consentSource: sectionOf<(typeof consentSources)[number]>()('consent.source'),
} as const;

/**
 * Where the customer said yes to promotions, in the reader's language: the system's own sources by name, any
 * other text as it was written.
 */
export function consentSourceLabel(source: string | null | undefined, t: TFunction): string {
  if (!source) return '—';
  const known = source.toLowerCase();
  return t(`${enumSections.consentSource}.${known}`, { defaultValue: source }) as string;
}
