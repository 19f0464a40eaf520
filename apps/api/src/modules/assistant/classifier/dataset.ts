import { readFileSync } from 'node:fs';
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

export const DATASET_URL = new URL('./data/messages.jsonl', import.meta.url);

export function loadDataset(url: URL = DATASET_URL): LabelledMessage[] {
  return readFileSync(url, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as LabelledMessage);
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
