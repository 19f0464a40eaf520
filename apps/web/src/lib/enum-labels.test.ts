import {
  campaignStatuses,
  campaignTypes,
  consentSources,
  leadEventTypes,
  leadPriorities,
  leadSources,
  leadStatuses,
  listingCategories,
  lostReasons,
  nextBestActions,
  quoteStatuses,
  taskDueFilters,
  taskKinds,
  ticketStatuses,
  userRoles,
  whatsappChannelStatuses,
  whatsappMessageStatuses,
} from '@techmarket/contracts';
import { describe, expect, it } from 'vitest';
import { consentSourceLabel, enumSections } from './enum-labels';
import { createI18n } from './i18n';
import { en } from './locales/en';
import { es419 } from './locales/es-419';
import { ptBR } from './locales/pt-br';

/** Each section's values, from the contracts at run time: a value added there is checked here at once. */
const values = {
  leadStatus: leadStatuses,
  leadSource: leadSources,
  leadPriority: leadPriorities,
  lostReason: lostReasons,
  userRole: userRoles,
  leadEventType: leadEventTypes,
  quoteStatus: quoteStatuses,
  ticketStatus: ticketStatuses,
  taskKind: taskKinds,
  taskDue: taskDueFilters,
  campaignStatus: campaignStatuses,
  campaignType: campaignTypes,
  listingCategory: listingCategories,
  nextBestAction: nextBestActions,
  messageStatus: whatsappMessageStatuses,
  channelStatus: whatsappChannelStatuses,
  consentSource: consentSources,
} satisfies Record<keyof typeof enumSections, readonly string[]>;

const at = (catalog: unknown, path: string) =>
  path
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], catalog);

describe('every contracts enum the screens show has a name in every language', () => {
  const cases = Object.entries(values).flatMap(([name, list]) =>
    list.map((value) => [name, value, `${enumSections[name as keyof typeof values]}.${value}`] as const),
  );
  it.each([
    ['es-419', es419],
    ['pt-BR', ptBR],
    ['en', en],
  ])('%s', (_language, catalog) => {
    const missing = cases.filter(([, , key]) => {
      const text = at(catalog, key);
      return typeof text !== 'string' || text.trim() === '';
    });
    expect(missing.map(([name, value]) => `${name}.${value}`)).toEqual([]);
  });

  it('names the consent sources the system writes, whatever their case, and keeps a person’s own words', () => {
    const t = createI18n('es-419').t;
    expect(consentSourceLabel('MARKETPLACE_FORM', t)).toBe('en un formulario del marketplace');
    expect(consentSourceLabel('whatsapp', t)).toBe('por WhatsApp');
    expect(consentSourceLabel('feria de noviembre', t)).toBe('feria de noviembre');
    expect(consentSourceLabel(null, t)).toBe('—');
  });
});
