import { type CountryCode, Metadata, parsePhoneNumberFromString } from 'libphonenumber-js/max';

// The "max" metadata, deliberately: Argentina's rule below asks getType() whether a number is a mobile, which the
// smaller sets cannot answer, and isValid() checks each number against its country's patterns, not only its length.

export interface NormalizedPhone {
  e164: string;
  country: string | undefined;
}

const metadata = new Metadata();
/** Per calling code: whether parsing `+<code><national>` could rewrite `national` (a national prefix stripped). */
const prefixOf = new Map<string, RegExp | null>();
function mayRewrite(callingCode: string, national: string) {
  let pattern = prefixOf.get(callingCode);
  if (pattern === undefined) {
    // Selected by calling code, as parsing "+<code>..." selects it; the prefix pattern is in the metadata but
    // not in the typings.
    metadata.selectNumberingPlan(callingCode as CountryCode);
    const plan = metadata.numberingPlan as
      | { nationalPrefixForParsing?: () => string | undefined }
      | undefined;
    const source = plan?.nationalPrefixForParsing?.();
    pattern = source ? new RegExp(`^(?:${source})`) : null;
    prefixOf.set(callingCode, pattern);
  }
  const match = pattern?.exec(national);
  // libphonenumber leaves the number as it is only when the prefix matches nothing and captures nothing.
  return match ? match[0] !== '' || match.length > 1 : false;
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
  const read = parsed.nationalNumber as string;
  let national = read;
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
  // The number is checked in its E.164 form. When no rule above changed it and reading that form back would give
  // the same digits, the first parse already is that form: a second parse (half of a customer row's cost in an
  // import) would answer the same.
  if (national === read && !mayRewrite(parsed.countryCallingCode, national)) {
    return parsed.isValid() ? { e164: parsed.number, country: parsed.country } : null;
  }
  const candidate = parsePhoneNumberFromString(`+${parsed.countryCallingCode}${national}`);
  if (!candidate?.isValid()) return null;
  return { e164: candidate.number, country: candidate.country };
}
