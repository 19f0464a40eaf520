import { describe, expect, it } from 'vitest';
import { pgInstantToIso } from './columns';

describe('pgInstantToIso', () => {
  it('rewrites what PostgreSQL writes in a UTC session, whatever the fraction', () => {
    expect(pgInstantToIso('2026-11-24 10:05:07.123+00')).toBe('2026-11-24T10:05:07.123Z');
    expect(pgInstantToIso('2026-11-24 10:05:07.12+00')).toBe('2026-11-24T10:05:07.120Z');
    expect(pgInstantToIso('2026-11-24 10:05:07.1+00')).toBe('2026-11-24T10:05:07.100Z');
    expect(pgInstantToIso('2026-11-24 10:05:07+00')).toBe('2026-11-24T10:05:07.000Z');
  });

  it('agrees with Date for every millisecond of a second', () => {
    for (let ms = 0; ms < 1000; ms++) {
      const iso = new Date(Date.UTC(2031, 0, 31, 23, 59, 59, ms)).toISOString();
      const fraction = String(ms).padStart(3, '0').replace(/0+$/, '');
      const text = `2031-01-31 23:59:59${fraction ? `.${fraction}` : ''}+00`;
      expect(pgInstantToIso(text)).toBe(iso);
    }
  });

  it('falls back to Date for another offset or a year past 9999', () => {
    expect(pgInstantToIso('2026-11-24 05:05:07.5-05')).toBe('2026-11-24T10:05:07.500Z');
    expect(pgInstantToIso('2026-11-24 15:35:07+05:30')).toBe('2026-11-24T10:05:07.000Z');
    expect(pgInstantToIso('12026-11-24 10:05:07+00')).toBe(new Date('+012026-11-24T10:05:07Z').toISOString());
  });
});
