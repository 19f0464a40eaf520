import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * E.164 shown the way people of that country write it: +51 987 654 321. Kept out of lib/format.ts
 * because the numbering metadata weighs about 45 KB gzip: only the screens that show a phone load it.
 */
export function formatPhone(e164: string | null): string {
  if (!e164) return '';
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

/** The country a phone typed without its code is read in when the branch has none (the API reads it the same). */
export const FALLBACK_PHONE_COUNTRY = 'PE';

/**
 * A phone as a person types it ("987 654 321", "+51 987-654-321"), read in the branch's country: its E.164 form, or
 * null when it cannot be a number there. The API normalises it again with the full metadata; this is so the form
 * refuses, and shows, what will be stored before anything is sent.
 */
export function normalizePhone(text: string, country: string | null): string | null {
  const parsed = parsePhoneNumberFromString(text, (country ?? FALLBACK_PHONE_COUNTRY) as CountryCode);
  return parsed?.isValid() ? parsed.number : null;
}
