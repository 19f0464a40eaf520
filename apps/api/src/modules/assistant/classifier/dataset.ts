import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { appAsset } from '../../../platform/assets';
import { normalizeText } from './normalize';

export const LEAD_TYPES = ['SALE', 'SERVICE'] as const;
export const PRIORITIES = ['HIGH', 'MEDIUM', 'LOW'] as const;
export const LANGUAGES = ['es', 'pt'] as const;
/** The catalog's listing categories (packages/contracts `listingCategories`); OTHER is one of them. */
export const CATEGORIES = [
  'LAPTOPS',
  'PHONES',
  'GAMING',
  'NETWORKING',
  'COMPONENTS',
  'ACCESSORIES',
  'PRINTERS',
  'SERVICES',
  'OTHER',
] as const;

export type LeadType = (typeof LEAD_TYPES)[number];
export type Priority = (typeof PRIORITIES)[number];
export type Language = (typeof LANGUAGES)[number];

export interface LabelledMessage {
  text: string;
  leadType: LeadType;
  priority: Priority;
  category: string;
  language: Language;
  /** The hand-written seed this message comes from; variants of one seed share it (see build-dataset.ts). */
  group: string;
}

export const DATASET_URL = pathToFileURL(appAsset('modules/assistant/classifier/data/messages.jsonl'));

export function loadDataset(url: URL = DATASET_URL): LabelledMessage[] {
  return readFileSync(url, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as LabelledMessage);
}

export const FRESH_URL = pathToFileURL(appAsset('modules/assistant/classifier/data/fresh.txt'));

const FRESH_CODES: Record<string, string> = {
  S: 'SALE',
  V: 'SERVICE',
  H: 'HIGH',
  M: 'MEDIUM',
  L: 'LOW',
  LAP: 'LAPTOPS',
  PHO: 'PHONES',
  GAM: 'GAMING',
  NET: 'NETWORKING',
  COM: 'COMPONENTS',
  ACC: 'ACCESSORIES',
  PRI: 'PRINTERS',
  SRV: 'SERVICES',
  OTH: 'OTHER',
};

/**
 * The fresh check set (data/fresh.txt): messages written after the model was built, never used to
 * train or tune it. Line format: `S|V H|M|L CAT es|pt | text`.
 */
export function loadFreshSet(url: URL = FRESH_URL): LabelledMessage[] {
  return loadFreshBatches(url).flatMap((batch) => batch.messages);
}

/**
 * The fresh check set by batch: a `# Batch N` comment line starts batch N; lines before the first
 * such header are batch 1. Each batch is scored once as written (its first-run figure is the blind
 * estimate), so the batches are kept apart.
 */
export function loadFreshBatches(
  url: URL = FRESH_URL,
): Array<{ batch: number; messages: LabelledMessage[] }> {
  const batches: Array<{ batch: number; messages: LabelledMessage[] }> = [{ batch: 1, messages: [] }];
  for (const line of readFileSync(url, 'utf8').split('\n')) {
    const header = /^# Batch (\d+)\b/.exec(line);
    if (header) {
      batches.push({ batch: Number(header[1]), messages: [] });
      continue;
    }
    if (line.trim() === '' || line.startsWith('#')) continue;
    const match = /^([SV]) ([HML]) ([A-Z]{3}) (es|pt) \| (.+)$/.exec(line);
    if (!match) throw new Error(`bad line in fresh.txt: ${line}`);
    const [, leadType, priority, category, language, text] = match as unknown as string[];
    (batches.at(-1) as { messages: LabelledMessage[] }).messages.push({
      text: (text as string).trim(),
      leadType: FRESH_CODES[leadType as string] as LabelledMessage['leadType'],
      priority: FRESH_CODES[priority as string] as LabelledMessage['priority'],
      category: FRESH_CODES[category as string] as string,
      language: language as LabelledMessage['language'],
      group: `fresh:${fnv1a(text as string).toString(16)}`,
    });
  }
  return batches.filter((batch) => batch.messages.length > 0);
}

/** 32-bit FNV-1a: a stable hash for splits that never depends on file order. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Key used to deduplicate messages: the normalized text without punctuation or emoji tokens. */
export function dedupKey(text: string): string {
  return normalizeText(text)
    .split(' ')
    .filter((token) => token !== '' && !token.startsWith('_'))
    .join(' ');
}

/** Held-out split: 20% of the seed groups, so variants of one seed never straddle train and test. */
export function isHeldOut(message: Pick<LabelledMessage, 'group'>): boolean {
  return fnv1a(`holdout:${message.group}`) % 100 < 20;
}

/** Fold (0..k-1) of a message for k-fold cross-validation, also by seed group. */
export function foldOf(message: Pick<LabelledMessage, 'group'>, k: number): number {
  return fnv1a(`fold:${message.group}`) % k;
}
