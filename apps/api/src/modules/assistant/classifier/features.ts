import { normalizeText, tokenize } from './normalize';
import { detectProducts } from './products';
import { detectSignals, type SignalHit } from './signals';

/** A message turned into sparse named features, plus what the reasons need. */
export interface Featurized {
  features: Map<string, number>;
  normalized: string;
  tokens: string[];
  hits: SignalHit[];
  /** Whether the message names a product family (products.ts). */
  namesProduct: boolean;
}

/** Greetings and courtesy words: a message made only of these is "very vague" (RULES.md). */
const SMALL_TALK = new Set(
  (
    'hola holaa holi ola ole alo buenas buenos buen bueno dia dias tarde tardes noche noches que tal como esta estas ' +
    'oi bom boa noite tudo bem bom ok okay gracias grasias obrigado obrigada obg valeu vlw saludos amigo amiga joven ' +
    'jefe senorita moco moca pessoal causa che po parce onda oye disculpe una un pregunta consulta info informacion ' +
    'informacao mas hello hi e ai fala opa vengo de marketplace vi su anuncio o anuncio vim pelo instagram facebook ' +
    'me pasaron numero estaba viendo la pagina abraco abrazo igual duvida duda uma so nomas'
  ).split(' '),
);

/** Closings that may follow the request ("…, ¿tienen con teclado? gracias"): not the request itself. */
const CLOSINGS = new Set(
  (
    'porfa xfa favor por atento atenta espero su respuesta bendiciones de antemano mil avisan confirma bro pfv ' +
    'aguardo grato desde ja agradeco tmj me quedo slds muchas muito'
  ).split(' '),
);

/**
 * The customer's closing request: the last clause of the message (split at punctuation) that says
 * something beyond a greeting or a thank-you. A message often tells a story and then asks ("se me
 * rompió la funda, ¿tienen con teclado?" is a purchase; "se me cayó, ¿lo revisan?" is work), so the
 * words of the request get features of their own. A message without punctuation is one clause.
 */
function closingRequest(text: string): string[] {
  const clauses = text
    .split(/[,.;:?!¿¡\n]+/)
    .map((clause) => tokenize(normalizeText(clause)).filter((token) => !token.startsWith('_')))
    .filter((tokens) => tokens.some((token) => !SMALL_TALK.has(token) && !CLOSINGS.has(token)));
  return clauses.at(-1) ?? [];
}

const CHAR_NGRAM_SIZES = [3, 4] as const;
/** Weight of each feature group after its own L2 normalization (signals stay binary, at 1). */
const WORD_GROUP_WEIGHT = 1;
const CHAR_GROUP_WEIGHT = 1;
const REQUEST_GROUP_WEIGHT = 0.7;

function addNormalized(target: Map<string, number>, group: Map<string, number>, weight: number) {
  let norm = 0;
  for (const value of group.values()) norm += value * value;
  if (norm === 0) return;
  const scale = weight / Math.sqrt(norm);
  for (const [key, value] of group) target.set(key, value * scale);
}

/**
 * Features of one message:
 * - words: unigrams and bigrams of normalized tokens (with start/end markers), L2-normalized;
 * - characters: 3- and 4-grams inside each word (" word "), L2-normalized, so typos, missing
 *   accents and conjugations still share most of their features;
 * - signals: one binary feature per signal list that fires (signals.ts), plus combinations
 *   (any buying decision, decision without urgency…) and a message-length bucket;
 * - products: one binary feature per product family named (products.ts), for the category;
 * - the closing request (closingRequest): its words, L2-normalized, and the signals that fire in it.
 */
export function featurize(text: string): Featurized {
  const normalized = normalizeText(text);
  const tokens = tokenize(normalized);
  const features = new Map<string, number>();

  const words = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    bump(words, `w:${token}`);
    bump(words, `b:${i === 0 ? '^' : tokens[i - 1]} ${token}`);
  }
  if (tokens.length > 0) bump(words, `b:${tokens[tokens.length - 1]} $`);
  addNormalized(features, words, WORD_GROUP_WEIGHT);

  const chars = new Map<string, number>();
  for (const token of tokens) {
    if (token.startsWith('_')) continue;
    const padded = ` ${token} `;
    for (const size of CHAR_NGRAM_SIZES) {
      for (let i = 0; i + size <= padded.length; i++) bump(chars, `c:${padded.slice(i, i + size)}`);
    }
  }
  addNormalized(features, chars, CHAR_GROUP_WEIGHT);

  const request = closingRequest(text);
  const requestWords = new Map<string, number>();
  for (const token of request) bump(requestWords, `l:w:${token}`);
  addNormalized(features, requestWords, REQUEST_GROUP_WEIGHT);
  if (request.length > 0 && request.length < tokens.length) {
    for (const hit of detectSignals(request.join(' '))) features.set(`l:s:${hit.name}`, 1);
  }

  const hits = detectSignals(normalized);
  const fired = new Set(hits.map((hit) => hit.name));
  for (const name of fired) features.set(`s:${name}`, 1);
  const buying = fired.has('payment') || fired.has('decision') || fired.has('hold');
  const urgent = fired.has('urgency') || fired.has('blocking');
  if (buying) features.set('s:buying', 1);
  if (urgent) features.set('s:urgent', 1);
  if (!buying && !urgent && !fired.has('business') && !fired.has('browsing')) features.set('s:none', 1);
  if (fired.has('browsing') && !buying && !urgent) features.set('s:browsing-only', 1);
  // A fault told by its symptom or its accident, with no wish to buy instead, is a service need; the
  // same fault next to "I'd rather buy another one" is a purchase; a fault on something bought at
  // the shop is a warranty claim.
  const fault =
    fired.has('symptom') ||
    fired.has('negatedState') ||
    fired.has('accident') ||
    hits.some((hit) => hit.name === 'repair' && hit.label === 'describe una falla del equipo');
  const wantsWork = fired.has('repair') || fired.has('repairCost') || fault;
  if (wantsWork && !fired.has('preferBuy')) features.set('s:repair-wanted', 1);
  const wantsOther = fired.has('preferBuy') || fired.has('shopping');
  if (fault && wantsOther) features.set('s:fault-buy', 1);
  if (fault && !wantsOther && !buying) features.set('s:fault-only', 1);
  if (fault && fired.has('boughtHere')) features.set('s:warranty', 1);
  const content = tokens.filter((token) => !token.startsWith('_') && !SMALL_TALK.has(token));
  if (content.length === 0) features.set('s:vague', 1);
  const products = detectProducts(normalized);
  for (const category of products) features.set(`p:${category}`, 1);
  if (products.length === 0) features.set('p:none', 1);
  const wordCount = tokens.filter((token) => !token.startsWith('_')).length;
  features.set(
    `len:${wordCount <= 1 ? 1 : wordCount <= 2 ? 2 : wordCount <= 5 ? 5 : wordCount <= 12 ? 12 : 99}`,
    1,
  );
  features.set('bias', 1);

  return { features, normalized, tokens, hits, namesProduct: products.length > 0 };
}
