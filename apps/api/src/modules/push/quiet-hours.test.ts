import { describe, expect, it } from 'vitest';
import { isQuietAt } from './quiet-hours';

describe('quiet hours', () => {
  const at = (iso: string) => new Date(iso);
  it('cover [from, to) within a day', () => {
    const quiet = { from: '13:00', to: '15:00' };
    expect(isQuietAt(at('2030-03-04T17:59:00Z'), 'America/Lima', quiet)).toBe(false);
    expect(isQuietAt(at('2030-03-04T18:00:00Z'), 'America/Lima', quiet)).toBe(true);
    expect(isQuietAt(at('2030-03-04T19:59:00Z'), 'America/Lima', quiet)).toBe(true);
    expect(isQuietAt(at('2030-03-04T20:00:00Z'), 'America/Lima', quiet)).toBe(false);
  });
  it('run across midnight when they end earlier than they start, in the zone given', () => {
    const night = { from: '22:00', to: '07:00' };
    expect(isQuietAt(at('2030-03-05T03:30:00Z'), 'America/Lima', night)).toBe(true); // 22:30 in Lima
    expect(isQuietAt(at('2030-03-05T11:30:00Z'), 'America/Lima', night)).toBe(true); // 06:30
    expect(isQuietAt(at('2030-03-05T12:00:00Z'), 'America/Lima', night)).toBe(false); // 07:00
    expect(isQuietAt(at('2030-03-05T13:30:00Z'), 'Asia/Tokyo', night)).toBe(true); // 22:30 in Tokyo
  });
});
