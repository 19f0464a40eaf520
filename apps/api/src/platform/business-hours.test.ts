import { describe, expect, it } from 'vitest';
import { isOpenAt, wallClock } from './business-hours';

const hours = {
  mon: [
    { open: '09:00', close: '13:00' },
    { open: '14:00', close: '19:00' },
  ],
  sat: [{ open: '10:00', close: '14:00' }],
};

describe('business hours', () => {
  it('reads the wall clock in the branch time zone, not the server one', () => {
    // 2026-11-23 is a Monday; 14:30 UTC is 09:30 in Lima (UTC-5) and 08:30 in Mexico City (UTC-6).
    const at = new Date('2026-11-23T14:30:00Z');
    expect(wallClock(at, 'America/Lima')).toEqual({ day: 'mon', time: '09:30' });
    expect(wallClock(at, 'America/Mexico_City')).toEqual({ day: 'mon', time: '08:30' });
  });

  it('is open inside an interval and closed at its closing minute, over lunch and on missing days', () => {
    const lima = (utc: string) => isOpenAt(hours, 'America/Lima', new Date(utc));
    expect(lima('2026-11-23T14:00:00Z')).toBe(true); // 09:00 Monday
    expect(lima('2026-11-23T18:00:00Z')).toBe(false); // 13:00, lunch
    expect(lima('2026-11-23T23:59:00Z')).toBe(true); // 18:59
    expect(lima('2026-11-24T00:00:00Z')).toBe(false); // 19:00 closes
    expect(lima('2026-11-24T15:00:00Z')).toBe(false); // Tuesday: no hours
    expect(lima('2026-11-28T15:00:00Z')).toBe(true); // Saturday 10:00
  });
});
