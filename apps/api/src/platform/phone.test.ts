import examples from 'libphonenumber-js/examples.mobile.json' with { type: 'json' };
import {
  type CountryCode,
  getCountries,
  getExampleNumber,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { normalizePhone } from './phone';

describe('normalizePhone: one person, one number, however WhatsApp or a person writes it', () => {
  it.each([
    ['Brazil without the ninth digit', '+55 11 8765-4321', '5511987654321', '+5511987654321'],
    ["Mexico's old 521 mobile prefix", '+52 55 1234 5678', '5215512345678', '+525512345678'],
    ["Argentina's mobile without its 9", '+54 11 2345-6789', '5491123456789', '+5491123456789'],
    ['Argentina dialled at home with 15', '011 15 2345-6789', '5491123456789', '+5491123456789'],
  ])('%s', (_case, typed, waId, e164) => {
    const country = e164.startsWith('+54') ? 'AR' : 'PE';
    expect(normalizePhone(typed, country)?.e164).toBe(e164);
    expect(normalizePhone(`+${waId}`)?.e164).toBe(e164);
  });
});

/** normalizePhone as it was before it skipped the second parse: every number read back from its E.164 form. */
function readTwice(input: string, defaultCountry: string) {
  const parsed = parsePhoneNumberFromString(input, defaultCountry as CountryCode);
  if (!parsed) return null;
  let national = parsed.nationalNumber as string;
  if (parsed.countryCallingCode === '52' && national.length === 11 && national.startsWith('1'))
    national = national.slice(1);
  if (parsed.countryCallingCode === '55' && national.length === 10 && /^[6-9]/.test(national.slice(2)))
    national = `${national.slice(0, 2)}9${national.slice(2)}`;
  if (parsed.countryCallingCode === '54' && !national.startsWith('9')) {
    const mobile = parsePhoneNumberFromString(`+549${national}`);
    if (mobile?.isValid() && mobile.getType() === 'MOBILE') national = `9${national}`;
  }
  const candidate = parsePhoneNumberFromString(`+${parsed.countryCallingCode}${national}`);
  if (!candidate?.isValid()) return null;
  return { e164: candidate.number, country: candidate.country };
}

describe('normalizePhone reads a number once where a second reading would answer the same', () => {
  it.each([
    ['+51 987 654 321', 'PE'],
    ['987654321', 'PE'],
    ['51987654321', 'PE'],
    ['+55 11 8765-4321', 'BR'],
    ['(11) 98765-4321', 'BR'],
    ['011 98765-4321', 'BR'],
    ['0 15 11 98765-4321', 'BR'],
    ['+52 1 55 1234 5678', 'MX'],
    ['521 55 1234 5678', 'MX'],
    ['044 55 1234 5678', 'MX'],
    ['55 1234 5678', 'MX'],
    ['+54 9 11 2345-6789', 'AR'],
    ['011 15 2345-6789', 'AR'],
    ['11 2345-6789', 'AR'],
    ['5491123456789', 'AR'],
    ['+54 11 4321-0000', 'AR'],
    ['+1 415 555 2671', 'PE'],
    ['+44 7400 123456', 'PE'],
    ['12345', 'PE'],
  ])('%s in %s as before', (typed, country) => {
    expect(normalizePhone(typed, country)).toEqual(readTwice(typed, country));
  });

  it("every country's example mobile, with and without its + and prefixes, read in several shops' countries", () => {
    const shops = ['PE', 'MX', 'BR', 'AR', 'CO', 'CL', 'US'];
    let seed = 7;
    const digit = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return String(seed % 10);
    };
    let compared = 0;
    for (const country of getCountries()) {
      const example = getExampleNumber(country, examples);
      if (!example) continue;
      const code = example.countryCallingCode;
      const national = example.nationalNumber as string;
      // The example, then numbers like it: same leading digits, random rest.
      const variants = [national];
      for (let k = 0; k < 3; k++)
        variants.push(national.slice(0, 2) + [...national.slice(2)].map(digit).join(''));
      for (const digits of variants)
        for (const typed of [
          `+${code}${digits}`,
          `+${code}0${digits}`,
          `${code}${digits}`,
          digits,
          `0${digits}`,
        ])
          for (const shop of [country, ...shops]) {
            expect(normalizePhone(typed, shop), `${typed} in ${shop}`).toEqual(readTwice(typed, shop));
            compared++;
          }
    }
    expect(compared).toBeGreaterThan(10_000);
  });
});
