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
