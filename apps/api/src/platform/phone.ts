import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';

export interface NormalizedPhone {
  e164: string;
  country: string | undefined;
}

/**
 * Parses a phone number typed by a person into E.164. Numbers without a "+" are read in the
 * default country. Mexico's old mobile prefix (+52 1 ...), Brazil's numbers without the
 * mobile ninth digit, and Argentina's mobiles written without their 9 (+54 11 ..., as people
 * type them; WhatsApp writes +54 9 11 ...) are brought to one form so one customer never
 * becomes two contacts. (An Argentine number is one subscriber whether dialled with 9 or not:
 * the 9, like the domestic 15, marks the call as to a mobile.)
 */
export function normalizePhone(input: string, defaultCountry: string = 'PE'): NormalizedPhone | null {
  const parsed = parsePhoneNumberFromString(input, defaultCountry as CountryCode);
  if (!parsed) return null;
  let national = parsed.nationalNumber as string;
  if (parsed.countryCallingCode === '52' && national.length === 11 && national.startsWith('1')) {
    national = national.slice(1);
  }
  if (parsed.countryCallingCode === '55' && national.length === 10 && /^[6-9]/.test(national.slice(2))) {
    national = `${national.slice(0, 2)}9${national.slice(2)}`;
  }
  if (parsed.countryCallingCode === '54' && !national.startsWith('9')) {
    const mobile = parsePhoneNumberFromString(`+549${national}`);
    if (mobile?.isValid() && mobile.getType() === 'MOBILE') national = `9${national}`;
  }
  const candidate = parsePhoneNumberFromString(`+${parsed.countryCallingCode}${national}`);
  if (!candidate?.isValid()) return null;
  return { e164: candidate.number, country: candidate.country };
}
