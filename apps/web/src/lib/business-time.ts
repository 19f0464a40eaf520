import type { BusinessHours } from '@techmarket/contracts';
import { dayIn, instantAt, shiftDay, weekdayOf } from './zoned-time';

/**
 * How long a lead has waited in the branch's business hours ("age in business time"): a lead that
 * arrived at 20:00 and is looked at the next morning at 9:30 has waited 30 minutes, not 13 hours.
 * Hours are opening intervals per weekday in the branch's time zone, [open, close).
 */
const DAY = 86_400_000;
/** Beyond this the answer is "days" anyway: stop walking the calendar. */
const MAX_DAYS = 8;

const instantOf = (day: string, hhmm: string, timeZone: string) => {
  const [hour = 0, minute = 0] = hhmm.split(':').map(Number);
  return instantAt(day, timeZone, hour, minute);
};

/** Milliseconds of opening time between two instants. */
export function businessMsBetween(from: number, to: number, hours: BusinessHours, timeZone: string): number {
  if (to <= from) return 0;
  const start = Math.max(from, to - MAX_DAYS * DAY);
  let total = 0;
  const last = dayIn(to, timeZone);
  for (let day = dayIn(start, timeZone); day <= last; day = shiftDay(day, 1)) {
    for (const interval of hours[weekdayOf(day)] ?? []) {
      const open = instantOf(day, interval.open, timeZone);
      const close = instantOf(day, interval.close, timeZone);
      total += Math.max(0, Math.min(close, to) - Math.max(open, start));
    }
  }
  return total;
}

export const hasBusinessHours = (hours: BusinessHours | undefined): hours is BusinessHours =>
  !!hours && Object.values(hours).some((intervals) => (intervals?.length ?? 0) > 0);

/**
 * "45 min", "3 h": a wait in business time, while it is under two business days (a week of
 * calendar time at most); null beyond, where calendar age says more.
 */
export function formatBusinessWait(
  createdAt: string,
  now: number,
  hours: BusinessHours,
  timeZone: string,
  locale: string,
): string | null {
  const from = Date.parse(createdAt);
  if (now - from > 7 * DAY) return null;
  const ms = businessMsBetween(from, now, hours, timeZone);
  const minutes = Math.floor(ms / 60_000);
  const unit = (value: number, name: 'minute' | 'hour') =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'short' }).format(value);
  if (minutes < 60) return unit(minutes, 'minute');
  if (minutes < 48 * 60) return unit(Math.floor(minutes / 60), 'hour');
  return null;
}
