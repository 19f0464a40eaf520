import type { BusinessHours } from '@techmarket/contracts';

/**
 * How long a lead has waited in the branch's business hours ("age in business time"): a lead that
 * arrived at 20:00 and is looked at the next morning at 9:30 has waited 30 minutes, not 13 hours.
 * Hours are opening intervals per weekday in the branch's time zone, [open, close).
 */
const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const DAY = 86_400_000;
/** Beyond this the answer is "days" anyway: stop walking the calendar. */
const MAX_DAYS = 8;

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsIn(timeZone: string, at: number) {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(at).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** The UTC offset of a time zone at an instant, in ms (Lima: -5 h). */
function offsetAt(timeZone: string, at: number): number {
  const p = partsIn(timeZone, at);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(at / 1000) * 1000;
}

/** The instant of a wall-clock time on a local date in a time zone. */
function instantOf(timeZone: string, y: number, m: number, d: number, hhmm: string): number {
  const [h = 0, min = 0] = hhmm.split(':').map(Number);
  const local = Date.UTC(y, m - 1, d, h, min);
  const first = local - offsetAt(timeZone, local);
  return local - offsetAt(timeZone, first);
}

/** Milliseconds of opening time between two instants. */
export function businessMsBetween(from: number, to: number, hours: BusinessHours, timeZone: string): number {
  if (to <= from) return 0;
  const start = Math.max(from, to - MAX_DAYS * DAY);
  let total = 0;
  const first = partsIn(timeZone, start);
  // Walk local calendar days (noon UTC of each date keeps the weekday right across offsets).
  for (let date = Date.UTC(first.year, first.month - 1, first.day, 12); date <= to + DAY; date += DAY) {
    const day = new Date(date);
    const [y, m, d] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
    const weekday = weekdays[day.getUTCDay()];
    for (const interval of (weekday && hours[weekday]) || []) {
      const open = instantOf(timeZone, y, m, d, interval.open);
      const close = instantOf(timeZone, y, m, d, interval.close);
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
