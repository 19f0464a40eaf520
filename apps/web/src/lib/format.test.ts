import { moneyInputText, parseMoney } from '@techmarket/contracts';
import { describe, expect, it } from 'vitest';
import { formatAge, formatDateTime, formatMoney, whatsappUrl } from './format';
import { formatPhone } from './phone';

describe('formatting for the locale', () => {
  it('reads money in minor units with the currency decimals', () => {
    expect(formatMoney(349900, 'PEN', 'es-419')).toBe('S/\u00a03,499.00');
    expect(formatMoney(149900, 'ARS', 'es-419')).toBe('$\u00a01.499,00');
    expect(formatMoney(1_500_000, 'CLP', 'es-419')).toMatch(/1[.,]500[.,]000/);
    expect(formatMoney(12345, 'BRL', 'pt-BR')).toBe('R$\u00a0123,45');
  });

  it('reads money typed in major units as exact minor units, however the shop writes it', () => {
    expect(parseMoney('2499.50', 'PEN')).toBe(249950);
    expect(parseMoney('2,499.50', 'PEN')).toBe(249950);
    expect(parseMoney('2.499,50', 'ARS')).toBe(249950);
    expect(parseMoney('2499,5', 'PEN')).toBe(249950);
    expect(parseMoney('1,500', 'PEN')).toBe(150000); // three digits after a lone separator: thousands
    expect(parseMoney('1.500.000', 'CLP')).toBe(1_500_000); // CLP has no decimals
    expect(parseMoney('2499.', 'PEN')).toBe(249900); // still typing
    // 0.1 + 0.2 style float error cannot happen: the digits are read, not multiplied.
    expect(parseMoney('9999999.99', 'MXN')).toBe(999_999_999);
    for (const wrong of ['', 'abc', '-5', '1.50.0', '0.125', '1.234,567.89']) {
      expect(parseMoney(wrong, 'PEN'), wrong).toBeNull();
    }
    expect(parseMoney('1.50', 'CLP')).toBeNull();
    expect(moneyInputText(249950, 'PEN')).toBe('2499.50');
    expect(moneyInputText(5, 'PEN')).toBe('0.05');
    expect(moneyInputText(1_500_000, 'CLP')).toBe('1500000');
  });

  it('shows instants in the branch time zone', () => {
    expect(formatDateTime('2026-11-26T15:00:00Z', 'en', 'America/Lima')).toContain('10:00');
    expect(formatDateTime('2026-11-26T15:00:00Z', 'en', 'America/Mexico_City')).toContain('9:00');
  });

  it('says how long ago, in the language', () => {
    const now = Date.parse('2026-11-26T15:00:00Z');
    expect(formatAge('2026-11-26T14:55:00Z', 'es-419', now)).toBe('hace 5 min');
    expect(formatAge('2026-11-24T15:00:00Z', 'en', now)).toBe('2 days ago');
  });

  it('formats phones and builds wa.me links', () => {
    expect(formatPhone('+51987654321')).toBe('+51 987 654 321');
    expect(formatPhone(null)).toBe('');
    expect(whatsappUrl('+51 987 654 321', 'Hola')).toBe('https://wa.me/51987654321?text=Hola');
  });
});
