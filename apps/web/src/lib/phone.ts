import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * E.164 shown the way people of that country write it: +51 987 654 321. Kept out of lib/format.ts
 * because the numbering metadata weighs about 45 KB gzip: only the screens that show a phone load it.
 */
export function formatPhone(e164: string | null): string {
  if (!e164) return '';
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
