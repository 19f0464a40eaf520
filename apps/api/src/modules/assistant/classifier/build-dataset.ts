/**
 * Builds data/messages.jsonl from the hand-written seeds in data/seeds/*.txt.
 *
 *   npx tsx src/modules/assistant/classifier/build-dataset.ts
 *
 * Every seed is written by hand and labelled by data/RULES.md. Some seeds also get one or two
 * variants that change only the surface, never the meaning: a greeting or a closing, chat
 * abbreviations ("q", "xfa", "vc", "pra"), a typo, the run-on of a voice-to-text message, accents
 * dropped, a neutral emoji. A variant keeps its seed's labels and its `group`, and the split
 * (dataset.ts) is by group, so a seed and its variants are always on the same side. Messages are
 * deduplicated by normalized text. The output is deterministic (seeded by each seed's text).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { DATASET_URL, dedupKey, fnv1a, type LabelledMessage, type Language } from './dataset';

const CATEGORY_CODES: Record<string, string> = {
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
const PRIORITY_CODES = { H: 'HIGH', M: 'MEDIUM', L: 'LOW' } as const;

const GREETINGS: Record<Language, string[]> = {
  es: [
    'hola',
    'hola buenas',
    'buenas',
    'buenas tardes',
    'buenos días',
    'buen día',
    'buenas noches',
    'hola qué tal',
    'holi',
    'aló',
    'hola amigo',
    'hola joven',
    'hola causa',
    'hola che',
    'qué onda',
    'oye',
    'disculpe',
    'hola una consulta',
    'buenas, una consulta',
    'hola, vi su anuncio',
    'hola vi la publicación en facebook',
    'hola vengo de marketplace',
    'hola, me pasaron su número',
    'qué más parce',
    'hola po',
    'hola señorita',
    'hola jefe',
    'hola amiga',
    'buenas buenas',
  ],
  pt: [
    'oi',
    'olá',
    'oi boa tarde',
    'bom dia',
    'boa noite',
    'opa',
    'e aí',
    'oi tudo bem?',
    'olá, vi o anúncio',
    'oi, vim pelo instagram',
    'boa tarde pessoal',
    'fala',
    'oi moço',
    'oi moça',
    'olá, tudo bom?',
  ],
};

const CLOSINGS: Record<Language, string[]> = {
  es: [
    'gracias',
    'muchas gracias',
    'gracias!!',
    'saludos',
    'porfa',
    'por favor',
    'xfa',
    'quedo atento',
    'espero su respuesta',
    'bendiciones',
    'gracias de antemano',
    'mil gracias',
    'gracias 🙏',
    'me avisan',
    'me confirma porfa',
    'gracias bro',
    'atento a su respuesta',
  ],
  pt: [
    'obrigado',
    'obrigada',
    'obg',
    'valeu',
    'vlw',
    'por favor',
    'pfv',
    'aguardo',
    'abraço',
    'grato',
    'desde já agradeço',
    'tmj',
  ],
};

const ABBREVIATIONS: Record<Language, Array<[RegExp, string[]]>> = {
  es: [
    [/\bqu[eé]\b/gi, ['q', 'ke']],
    [/\bpor favor\b/gi, ['xfa', 'porfa', 'x favor']],
    [/\btambién\b/gi, ['tb', 'tmb']],
    [/\bpara\b/gi, ['pa', 'pra']],
    [/\bestá\b/gi, ['ta', 'sta']],
    [/\bcelular\b/gi, ['cel', 'celu']],
    [/\bcomputadora\b/gi, ['compu', 'pc']],
    [/\bporque\b/gi, ['xq', 'pq']],
    [/\bquiero\b/gi, ['kiero']],
    [/\bestoy\b/gi, ['toy']],
    [/\bcuánto\b/gi, ['cuanto', 'cnto']],
    [/\bsaludos\b/gi, ['slds']],
    [/\bmensaje\b/gi, ['msj']],
    [/\bnecesito\b/gi, ['nesesito', 'necesito']],
  ],
  pt: [
    [/\bvocês\b/gi, ['vcs']],
    [/\bvocê\b/gi, ['vc']],
    [/\bnão\b/gi, ['n', 'nao']],
    [/\btambém\b/gi, ['tb']],
    [/\bporque\b/gi, ['pq']],
    [/\bpara\b/gi, ['pra']],
    [/\bquanto\b/gi, ['qnto', 'qto']],
    [/\bestá\b/gi, ['tá', 'ta']],
    [/\bmesmo\b/gi, ['msm']],
    [/\bhoje\b/gi, ['hj']],
    [/\baqui\b/gi, ['aki']],
    [/\bque\b/gi, ['q']],
  ],
};

const FILLERS: Record<Language, string[]> = {
  es: ['este', 'mire', 'o sea', 'eh', 'bueno', 'a ver'],
  pt: ['então', 'tipo', 'assim', 'olha', 'é'],
};

const NEUTRAL_EMOJIS = ['🙏', '😊', '👍', '🙂', '👋', '😅', '🤔', '🙏🏻'];

function rngFor(seed: string) {
  let state = fnv1a(seed) || 1;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;

function stripAccents(text: string) {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC');
}

function typo(rng: Rng, text: string): string | null {
  const words = text.split(' ');
  const candidates = words
    .map((word, index) => ({ word, index }))
    .filter(({ word }) => /^\p{L}{5,}$/u.test(word));
  if (candidates.length === 0) return null;
  const { word, index } = pick(rng, candidates);
  const at = 1 + Math.floor(rng() * (word.length - 2));
  const kind = rng();
  let changed: string;
  if (kind < 0.35) changed = word.slice(0, at) + (word[at + 1] ?? '') + word[at] + word.slice(at + 2);
  else if (kind < 0.65) changed = word.slice(0, at) + word.slice(at + 1);
  else if (kind < 0.8) changed = word.slice(0, at) + word[at] + word.slice(at);
  else
    changed = word
      .replace(/ll/, 'y')
      .replace(/v/, 'b')
      .replace(/z/, 's')
      .replace(/ce/, 'se')
      .replace(/qu/, 'k');
  if (changed === word) return null;
  words[index] = changed;
  return words.join(' ');
}

function abbreviate(rng: Rng, text: string, language: Language): string | null {
  const applicable = ABBREVIATIONS[language].filter(([pattern]) => text.match(pattern));
  if (applicable.length === 0) return null;
  const [pattern, replacements] = pick(rng, applicable);
  const changed = text.replace(pattern, () => pick(rng, replacements));
  return changed === text ? null : changed;
}

function voiceRunOn(rng: Rng, text: string, language: Language): string {
  const filler = pick(rng, FILLERS[language]);
  const words = text
    .replace(/[¿¡?!.,;:]+/g, ' ')
    .trim()
    .toLowerCase()
    .split(/\s+/);
  const at = Math.min(words.length, 1 + Math.floor(rng() * 2));
  words.splice(at, 0, filler);
  return words.join(' ');
}

function variant(rng: Rng, seed: string, language: Language): string {
  const lexical = rng();
  let text: string | null = null;
  const lowered = seed.charAt(0).toLowerCase() + seed.slice(1);
  const endsWithMark = /[?!.,]$/.test(seed);
  if (lexical < 0.3) text = `${pick(rng, GREETINGS[language])}${rng() < 0.5 ? ',' : ''} ${lowered}`;
  else if (lexical < 0.48)
    text = `${seed}${!endsWithMark && rng() < 0.5 ? ',' : ''} ${pick(rng, CLOSINGS[language])}`;
  else if (lexical < 0.7) text = abbreviate(rng, seed, language);
  else if (lexical < 0.88) text = typo(rng, seed);
  else text = voiceRunOn(rng, seed, language);
  text ??= `${pick(rng, GREETINGS[language])} ${lowered}`;

  if (rng() < 0.35) text = stripAccents(text);
  if (rng() < 0.2) text = text.replace(/[¿¡.,;:]+/g, '').toLowerCase();
  if (rng() < 0.12) text = `${text} ${pick(rng, NEUTRAL_EMOJIS)}`;
  if (rng() < 0.08) text = text.replace(/\?$/, '???');
  return text.replace(/\s+/g, ' ').trim();
}

function main() {
  const seedsDir = new URL('./data/seeds/', import.meta.url);
  const files = readdirSync(seedsDir)
    .filter((name) => name.endsWith('.txt'))
    .sort();
  const seen = new Set<string>();
  const out: LabelledMessage[] = [];
  const push = (message: LabelledMessage) => {
    const key = dedupKey(message.text);
    if (key === '' && message.text.trim() === '') return;
    const unique = key === '' ? `raw:${message.text}` : key;
    if (seen.has(unique)) return;
    seen.add(unique);
    out.push(message);
  };

  for (const file of files) {
    const [kind, language] = file.replace('.txt', '').split('_') as [string, Language];
    const leadType = kind === 'service' ? 'SERVICE' : 'SALE';
    const lines = readFileSync(new URL(file, seedsDir), 'utf8').split('\n');
    for (const [lineNo, line] of lines.entries()) {
      if (line.trim() === '' || line.startsWith('#')) continue;
      const match = /^([HML]) ([A-Z]{3}) \| (.+)$/.exec(line);
      if (!match) throw new Error(`${file}:${lineNo + 1}: bad seed line: ${line}`);
      const [, priorityCode, categoryCode, rawText] = match as unknown as [
        string,
        'H' | 'M' | 'L',
        string,
        string,
      ];
      const category = CATEGORY_CODES[categoryCode];
      if (!category) throw new Error(`${file}:${lineNo + 1}: unknown category ${categoryCode}`);
      const text = rawText.trim();
      const base = {
        leadType,
        priority: PRIORITY_CODES[priorityCode],
        category,
        language,
        group: fnv1a(`${language}:${dedupKey(text) || text}`)
          .toString(16)
          .padStart(8, '0'),
      } as const;
      push({ text, ...base });
      const rng = rngFor(text);
      const variants = rng() < 0.7 ? (rng() < 0.25 ? 2 : 1) : 0;
      for (let i = 0; i < variants; i++) push({ text: variant(rng, text, language), ...base });
    }
  }

  writeFileSync(DATASET_URL, `${out.map((message) => JSON.stringify(message)).join('\n')}\n`);
  const count = (predicate: (message: LabelledMessage) => boolean) => out.filter(predicate).length;
  const pt = count((message) => message.language === 'pt');
  console.log(
    `${out.length} messages (${new Set(out.map((message) => message.group)).size} seeds), ` +
      `pt ${((100 * pt) / out.length).toFixed(1)}%, SERVICE ${count((message) => message.leadType === 'SERVICE')}, ` +
      `HIGH ${count((message) => message.priority === 'HIGH')}, MEDIUM ${count((message) => message.priority === 'MEDIUM')}, ` +
      `LOW ${count((message) => message.priority === 'LOW')}`,
  );
}

main();
