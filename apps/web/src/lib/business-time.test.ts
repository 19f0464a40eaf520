import { describe, expect, it } from 'vitest';
import { businessMsBetween } from './business-time';

const weekdays = { open: '09:00', close: '19:00' };
const hours = {
  mon: [weekdays],
  tue: [weekdays],
  wed: [weekdays],
  thu: [weekdays],
  fri: [weekdays],
  sat: [{ open: '10:00', close: '14:00' }],
};
const at = (iso: string) => Date.parse(iso);
const minutes = (ms: number) => ms / 60_000;

describe('age in business time (Lima, UTC-5)', () => {
  it('counts only the open hours between two instants', () => {
    // Thursday 2026-11-26 10:00 → 12:30 in Lima.
    expect(
      minutes(
        businessMsBetween(at('2026-11-26T15:00:00Z'), at('2026-11-26T17:30:00Z'), hours, 'America/Lima'),
      ),
    ).toBe(150);
  });

  it('skips the night: 20:00 to 9:30 the next morning is 30 minutes', () => {
    expect(
      minutes(
        businessMsBetween(at('2026-11-27T01:00:00Z'), at('2026-11-27T14:30:00Z'), hours, 'America/Lima'),
      ),
    ).toBe(30);
  });

  it('skips the closed Sunday and the short Saturday', () => {
    // Saturday 2026-11-28 13:00 → Monday 2026-11-30 10:00 in Lima: 1 h Saturday + 1 h Monday.
    expect(
      minutes(
        businessMsBetween(at('2026-11-28T18:00:00Z'), at('2026-11-30T15:00:00Z'), hours, 'America/Lima'),
      ),
    ).toBe(120);
  });

  it('uses the branch time zone, not the browser one', () => {
    // 14:00 UTC is 9:00 in Lima (open) but 8:00 in Mexico City (closed until 9:00).
    const from = at('2026-11-26T14:00:00Z');
    const to = at('2026-11-26T15:00:00Z');
    expect(minutes(businessMsBetween(from, to, hours, 'America/Lima'))).toBe(60);
    expect(minutes(businessMsBetween(from, to, hours, 'America/Mexico_City'))).toBe(0);
  });

  it('is zero for no hours or a reversed range', () => {
    expect(
      businessMsBetween(at('2026-11-26T15:00:00Z'), at('2026-11-26T17:00:00Z'), {}, 'America/Lima'),
    ).toBe(0);
    expect(
      businessMsBetween(at('2026-11-26T17:00:00Z'), at('2026-11-26T15:00:00Z'), hours, 'America/Lima'),
    ).toBe(0);
  });
});
