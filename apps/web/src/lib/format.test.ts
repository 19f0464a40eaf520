import { moneyInputText, parseMoney } from '@techmarket/contracts';
import { describe, expect, it } from 'vitest';
import { formatAge, formatDateTime, formatDuration, formatMoney, whatsappUrl } from './format';
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

  it('says how long ago, in the language, with the unit in full', () => {
    const now = Date.parse('2026-11-26T15:00:00Z');
    expect(formatAge('2026-11-26T14:55:00Z', 'es-419', now)).toBe('hace 5 minutos');
    expect(formatAge('2026-11-26T12:00:00Z', 'es-419', now)).toBe('hace 3 horas');
    expect(formatAge('2026-11-24T15:00:00Z', 'en', now)).toBe('2 days ago');
    // Three months: never "hace 3 m", which reads as three minutes.
    expect(formatAge('2026-08-28T15:00:00Z', 'es-419', now)).toBe('hace 3 meses');
    expect(formatAge('2026-08-28T15:00:00Z', 'pt-BR', now)).toBe('há 3 meses');
    expect(formatAge('2026-08-28T15:00:00Z', 'en', now)).toBe('3 months ago');
    expect(formatAge('2026-11-26T14:55:00Z', 'pt-BR', now)).toBe('há 5 minutos');
    expect(formatAge('2024-11-26T15:00:00Z', 'es-419', now)).toBe('hace 2 años');
  });

  it('says how long a wait has lasted in its largest whole unit, in full', () => {
    const minute = 60_000;
    expect(formatDuration(40 * minute, 'es-419')).toBe('40 minutos');
    expect(formatDuration(59 * minute + 59_000, 'es-419')).toBe('59 minutos');
    expect(formatDuration(60 * minute, 'es-419')).toBe('1 hora');
    expect(formatDuration(47 * 60 * minute, 'pt-BR')).toBe('47 horas');
    expect(formatDuration(3 * 24 * 60 * minute, 'en')).toBe('3 days');
    expect(formatDuration(1 * minute, 'en')).toBe('1 minute');
    expect(formatDuration(-5 * minute, 'es-419')).toBe('0 minutos');
  });

  it('formats phones and builds wa.me links', () => {
    expect(formatPhone('+51987654321')).toBe('+51 987 654 321');
    expect(formatPhone(null)).toBe('');
    expect(whatsappUrl('+51 987 654 321', 'Hola')).toBe('https://wa.me/51987654321?text=Hola');
  });
});
