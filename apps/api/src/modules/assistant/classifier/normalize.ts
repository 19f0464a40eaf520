/**
 * Text normalization for customer messages written on a phone: lowercase, accents stripped,
 * stretched letters collapsed ("urgenteeee" → "urgente"), emojis mapped to tokens, numbers
 * reduced to a placeholder. Signals and features both read the normalized form.
 */

/** Emojis that carry meaning for a shop, mapped to a token (or a plain word for devices). */
const EMOJI_GROUPS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['_emo_urgent', ['🚨', '⚠', '⏰', '‼', '❗', '❕', '🆘', '⌛', '⏳', '⏱']],
  ['_emo_sad', ['😭', '😢', '😩', '😫', '😞', '😔', '🥺', '😰', '😱', '💔', '😥', '😓', '🥲']],
  ['_emo_please', ['🙏']],
  ['_emo_love', ['🔥', '😍', '🤩', '❤', '💕', '🥰', '😻', '💯']],
  ['_emo_money', ['💰', '💵', '💸', '💳', '🤑', '💲']],
  ['_emo_ok', ['👍', '👌', '✅', '🤝', '💪', '✔']],
  ['_emo_look', ['👀', '🤔', '🧐']],
  ['_emo_smile', ['😊', '🙂', '😀', '😁', '😄', '😃', '😅', '🤗', '😉', '😎']],
  ['_emo_wave', ['👋']],
  ['_emo_angry', ['😡', '😠', '🤬', '😤']],
  ['celular', ['📱', '📲']],
  ['laptop', ['💻']],
  ['pc', ['🖥', '⌨', '🖱']],
  ['consola', ['🎮', '🕹']],
  ['impresora', ['🖨']],
  ['audifonos', ['🎧']],
  ['camara', ['📷', '📸', '📹']],
  ['envio', ['📦', '🚚', '🛵']],
  ['wifi', ['📶', '🛜']],
];

const EMOJI_TOKENS = new Map<string, string>();
for (const [token, emojis] of EMOJI_GROUPS) for (const emoji of emojis) EMOJI_TOKENS.set(emoji, token);

const PICTOGRAPHIC = /\p{Extended_Pictographic}/gu;
const EMOJI_MODIFIERS = /\u{FE0F}|\u{FE0E}|\u{200D}|[\u{1F3FB}-\u{1F3FF}]|\u{20E3}/gu;
const UNITS =
  'gb|tb|mb|mah|w|hz|mp|pulgadas|pulg|polegadas|soles|lucas|mil|k|reais|pesos|dolares|usd|metros|m';

/** Normalized text: lowercase ASCII words, `_tokens` for emojis/numbers/punctuation cues, single spaces. */
export function normalizeText(raw: string): string {
  let text = raw.replace(EMOJI_MODIFIERS, '');
  text = text.replace(PICTOGRAPHIC, (emoji) => ` ${EMOJI_TOKENS.get(emoji) ?? '_emo'} `);
  text = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  text = text
    .replace(/\b(?:ja|je|ha|ka|js){2,}\w*|\bk{4,}\b|\b(?:rs){2,}\b/g, ' _laugh ')
    .replace(/([a-z])\1{2,}/g, '$1')
    .replace(/!+/g, ' _excl ')
    .replace(/\?+/g, ' _q ')
    .replace(/\br\$|\bs\/\.?|\$/g, ' _cur ')
    .replace(new RegExp(`(\\d)(?:[.,]\\d+)?\\s?(${UNITS})\\b`, 'g'), '$1 $2')
    .replace(/\b\d+(?:[.,]\d+)*\b/g, (digits) => (digits.length <= 2 ? ' _num ' : ' _bignum '));
  return text
    .replace(/[^a-z0-9_]+/g, ' ')
    .trim()
    .replace(/\s+/g, ' ');
}

export function tokenize(normalized: string): string[] {
  return normalized.length === 0 ? [] : normalized.split(' ');
}
