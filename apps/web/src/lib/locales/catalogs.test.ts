import { describe, expect, it } from 'vitest';
import { accountEs419 } from './account/es-419';
import { campaignsEs419 } from './campaigns/es-419';
import { conversationsEs419 } from './conversations/es-419';
import { dataEs419 } from './data/es-419';
import { en } from './en';
import { es419 } from './es-419';
import { intakeEs419 } from './intake/es-419';
import { operationsEs419 } from './operations/es-419';
import { ptBR } from './pt-br';
import { whatsappEs419 } from './whatsapp/es-419';

/** Every key path of a catalog, plural forms included (`count_one`, `count_other`). */
const keysOf = (value: unknown, prefix = ''): string[] =>
  typeof value === 'object' && value !== null
    ? Object.entries(value).flatMap(([key, child]) => keysOf(child, prefix ? `${prefix}.${key}` : key))
    : [prefix];

const placeholders = (value: unknown): string[] =>
  typeof value === 'string' ? [...value.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] ?? '').sort() : [];

const at = (catalog: unknown, path: string) =>
  path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], catalog);

/** One check for every catalog: the root catalogs hold each feature's (campaigns, WhatsApp, account, …). */
describe('translation catalogs', () => {
  const spanish = keysOf(es419).sort();

  it.each([
    ['pt-BR', ptBR],
    ['en', en],
  ])('%s has the same keys and placeholders as Spanish, none empty', (_language, catalog) => {
    expect(keysOf(catalog).sort()).toEqual(spanish);
    for (const path of spanish) {
      expect(at(catalog, path), path).not.toBe('');
      expect(placeholders(at(catalog, path)), path).toEqual(placeholders(at(es419, path)));
    }
  });

  // The root catalog spreads each feature's: two that named the same section would lose one's keys unseen (the
  // parity check above compares what is left). Spanish is the source the others are checked against.
  it('no feature catalog hides a section of another', () => {
    const features = [
      accountEs419,
      campaignsEs419,
      conversationsEs419,
      dataEs419,
      intakeEs419,
      operationsEs419,
      whatsappEs419,
    ];
    const sections = features.flatMap((catalog) => Object.keys(catalog));
    expect(new Set(sections).size).toBe(sections.length);
  });
});
