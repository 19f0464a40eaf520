import { describe, expect, it } from 'vitest';
import { conversationsEn } from './en';
import { conversationsEs419 } from './es-419';
import { conversationsPtBR } from './pt-br';

const keysOf = (value: unknown, prefix = ''): string[] =>
  typeof value === 'object' && value !== null
    ? Object.entries(value).flatMap(([key, child]) => keysOf(child, prefix ? `${prefix}.${key}` : key))
    : [prefix];
const placeholders = (value: unknown): string[] =>
  typeof value === 'string' ? [...value.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] ?? '').sort() : [];
const at = (catalog: unknown, path: string) =>
  path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], catalog);

describe('conversations catalogs', () => {
  const spanish = keysOf(conversationsEs419).sort();
  it.each([
    ['pt-BR', conversationsPtBR],
    ['en', conversationsEn],
  ])('%s has the same keys and placeholders as Spanish, none empty', (_language, catalog) => {
    expect(keysOf(catalog).sort()).toEqual(spanish);
    for (const path of spanish) {
      expect(at(catalog, path), path).not.toBe('');
      expect(placeholders(at(catalog, path)), path).toEqual(placeholders(at(conversationsEs419, path)));
    }
  });
});
