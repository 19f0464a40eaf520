/**
 * JSON that JavaScript reads but PostgreSQL's jsonb refuses: a `\u0000` escape (text cannot hold U+0000) and a
 * lone UTF-16 surrogate escape (`\ud800` with no partner: no Unicode character). JSON.parse takes both, and
 * JSON.stringify writes a lone surrogate back as its escape, so such a value fails the insert (a 500). Outside
 * input that must be kept whatever it holds (Meta's webhook, the Graph API's answers, an LLM's output) goes through here: each
 * such character becomes U+FFFD, in keys as in values, and the rest is untouched.
 */

/** A surrogate escape (paired or not) or a NUL escape: the only ways such characters reach JSON.parse. */
const SUSPECT_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is what jsonb cannot hold.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `text` with every NUL and lone surrogate as U+FFFD. */
export const storableText = (text: string) => text.replace(UNSTORABLE, '\uFFFD');

function storable(_key: string, value: unknown) {
  if (typeof value === 'string') return storableText(value);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  if (!Object.keys(value).some((key) => storableText(key) !== key)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [storableText(key), v]));
}

/**
 * JSON.parse for text bound for jsonb. `cleaned` says whether some character was replaced (or may have been:
 * the text held an escape that could be one), so the caller stores a serialisation of `value`, not `text`.
 * Throws what JSON.parse throws.
 */
export function parseStorableJson(text: string): { value: unknown; cleaned: boolean } {
  const cleaned = SUSPECT_ESCAPE.test(text);
  return { value: JSON.parse(text, cleaned ? storable : undefined), cleaned };
}

/** `value` (plain JSON data) with every NUL and lone surrogate in its strings as U+FFFD: ready for jsonb. */
export function storableJson<T>(value: T): T {
  // JSON.stringify writes both as escapes, which parseStorableJson finds.
  return parseStorableJson(JSON.stringify(value)).value as T;
}
