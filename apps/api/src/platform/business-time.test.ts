import { describe, expect, it } from 'vitest';
import {
  addBusinessTime,
  type BusinessCalendar,
  businessMinutesBetween,
  localDate,
  nextOpenAt,
  startOfLocalDay,
} from './business-time';

// Lima is UTC-5 all year. 2026-11-23 is a Monday.
const weekdays = { open: '09:00', close: '18:00' };
const lima: BusinessCalendar = {
  timeZone: 'America/Lima',
  hours: {
    mon: [weekdays],
    tue: [weekdays],
    wed: [weekdays],
    thu: [weekdays],
    fri: [weekdays],
    sat: [{ open: '10:00', close: '13:00' }],
  },
};
const at = (utc: string) => new Date(utc);

describe('business time', () => {
  it('counts only the open part of a span, in the branch time zone', () => {
    // Monday 08:30 to 09:45 Lima: open from 09:00, so 45 minutes.
    expect(businessMinutesBetween(lima, at('2026-11-23T13:30:00Z'), at('2026-11-23T14:45:00Z'))).toBe(45);
    // Friday 17:30 to Monday 09:30: 30 min Friday, 3 h Saturday, nothing Sunday, 30 min Monday.
    expect(businessMinutesBetween(lima, at('2026-11-27T22:30:00Z'), at('2026-11-30T14:30:00Z'))).toBe(240);
    expect(businessMinutesBetween(lima, at('2026-11-23T15:00:00Z'), at('2026-11-23T15:00:00Z'))).toBe(0);
    expect(businessMinutesBetween(lima, at('2026-11-23T16:00:00Z'), at('2026-11-23T15:00:00Z'))).toBe(0);
  });

  it('adds business minutes across the night, the weekend and a lunch break', () => {
    // Monday 17:30 + 60: 30 min Monday, then Tuesday 09:00 + 30 = 09:30 Lima.
    expect(addBusinessTime(lima, at('2026-11-23T22:30:00Z'), 60)).toEqual(at('2026-11-24T14:30:00Z'));
    // Sunday 12:00 (closed) + 60: counting starts Monday 09:00.
    expect(addBusinessTime(lima, at('2026-11-29T17:00:00Z'), 60)).toEqual(at('2026-11-30T15:00:00Z'));
    const monday = at('2026-11-23T14:00:00Z'); // Monday 09:00 Lima
    const withLunch: BusinessCalendar = {
      timeZone: 'America/Lima',
      hours: {
        mon: [
          { open: '14:00', close: '19:00' },
          { open: '09:00', close: '13:00' },
        ],
      },
    };
    // 09:00-13:00 is 240 minutes, then lunch, then 14:00 + 60 = 15:00 Lima.
    expect(addBusinessTime(withLunch, monday, 300)).toEqual(at('2026-11-23T20:00:00Z'));
    expect(nextOpenAt(lima, at('2026-11-23T12:00:00Z'))).toEqual(monday);
    expect(nextOpenAt(lima, monday)).toEqual(monday);
  });

  it('counts overlapping intervals once', () => {
    const overlapping: BusinessCalendar = {
      timeZone: 'America/Lima',
      hours: {
        mon: [
          { open: '09:00', close: '12:00' },
          { open: '11:00', close: '13:00' },
        ],
      },
    };
    expect(businessMinutesBetween(overlapping, at('2026-11-23T13:00:00Z'), at('2026-11-24T05:00:00Z'))).toBe(
      240,
    );
  });

  it('skips holidays, and gives up on a branch that never opens', () => {
    const holiday: BusinessCalendar = { ...lima, holidays: new Set(['2026-11-24']) };
    // Monday 17:30 + 60 with Tuesday off: the rest comes Wednesday 09:30.
    expect(addBusinessTime(holiday, at('2026-11-23T22:30:00Z'), 60)).toEqual(at('2026-11-25T14:30:00Z'));
    expect(businessMinutesBetween(holiday, at('2026-11-24T14:00:00Z'), at('2026-11-24T20:00:00Z'))).toBe(0);
    expect(
      addBusinessTime({ hours: {}, timeZone: 'America/Lima' }, at('2026-11-23T14:00:00Z'), 5),
    ).toBeNull();
  });

  it('follows daylight saving time (Chile moves its clocks in September)', () => {
    // 2026-09-06, first Sunday of September: Santiago goes from UTC-4 to UTC-3.
    const santiago: BusinessCalendar = {
      timeZone: 'America/Santiago',
      hours: { fri: [weekdays], mon: [weekdays] },
    };
    // Friday 09:00 is 13:00Z (UTC-4); Monday 09:00 is 12:00Z (UTC-3).
    expect(nextOpenAt(santiago, at('2026-09-05T00:00:00Z'))).toEqual(at('2026-09-07T12:00:00Z'));
    expect(addBusinessTime(santiago, at('2026-09-04T13:00:00Z'), 9 * 60 + 15)).toEqual(
      at('2026-09-07T12:15:00Z'),
    );
  });

  it('reads local dates and their start in the zone', () => {
    // 03:00Z on Tuesday is still Monday 22:00 in Lima.
    expect(localDate(at('2026-11-24T03:00:00Z'), 'America/Lima')).toBe('2026-11-23');
    expect(startOfLocalDay(at('2026-11-24T03:00:00Z'), 'America/Lima')).toEqual(at('2026-11-23T05:00:00Z'));
    expect(startOfLocalDay(at('2026-11-24T03:00:00Z'), 'America/Lima', 1)).toEqual(
      at('2026-11-24T05:00:00Z'),
    );
  });
});
