import { TZDate } from '@date-fns/tz';
import type { BusinessHours } from '@techmarket/contracts';

/**
 * Business-time arithmetic over a branch's calendar: how many minutes a branch was open between two
 * instants, and when N open minutes will have passed. The follow-up rules ("alert after 60 minutes") and the
 * response-time figures count this time, not the clock's, when the shop says so.
 */

type Weekday = keyof BusinessHours;

/**
 * A branch's working calendar: its weekly hours in its own time zone, less the shop's holidays (local dates,
 * `YYYY-MM-DD`). Business time is the time the branch is open by this calendar.
 */
export interface BusinessCalendar {
  hours: BusinessHours;
  timeZone: string;
  holidays?: ReadonlySet<string> | undefined;
}

const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** How far ahead a count looks for the opening that completes it: a year and a week. */
const HORIZON_DAYS = 373;

const pad = (n: number) => String(n).padStart(2, '0');
const hhmm = (time: string) => time.split(':').map(Number) as [number, number];

/** A day's intervals sorted and merged, so overlapping ones are not counted twice. */
function mergedIntervals(hours: BusinessHours, day: Weekday): { open: string; close: string }[] {
  const sorted = (hours[day] ?? []).toSorted((a, b) => a.open.localeCompare(b.open));
  const merged: { open: string; close: string }[] = [];
  for (const interval of sorted) {
    const last = merged.at(-1);
    if (last && interval.open <= last.close) {
      if (interval.close > last.close) last.close = interval.close;
    } else {
      merged.push({ ...interval });
    }
  }
  return merged;
}

/**
 * The branch's open spans as [open, close) instants in ms, day by local day from the day of `from`, in order.
 * The instants come from @date-fns/tz (the IANA data of Node's ICU), so daylight saving changes are right.
 */
function* openSpans(calendar: BusinessCalendar, from: Date, days: number): Generator<[number, number]> {
  const { hours, timeZone, holidays } = calendar;
  const start = new TZDate(from.getTime(), timeZone);
  const [year, month, date] = [start.getFullYear(), start.getMonth(), start.getDate()];
  const perWeekday = new Map(WEEKDAYS.map((day) => [day, mergedIntervals(hours, day)]));
  for (let offset = 0; offset < days; offset++) {
    const midnight = new TZDate(year, month, date + offset, timeZone);
    const [y, m, d] = [midnight.getFullYear(), midnight.getMonth(), midnight.getDate()];
    if (holidays?.has(`${y}-${pad(m + 1)}-${pad(d)}`)) continue;
    for (const interval of perWeekday.get(WEEKDAYS[midnight.getDay()] ?? 'sun') ?? []) {
      const [oh, om] = hhmm(interval.open);
      const [ch, cm] = hhmm(interval.close);
      yield [
        new TZDate(y, m, d, oh, om, timeZone).getTime(),
        new TZDate(y, m, d, ch, cm, timeZone).getTime(),
      ];
    }
  }
}

const hasHours = (hours: BusinessHours) => Object.values(hours).some((intervals) => intervals.length > 0);

/** Business milliseconds between two instants: the part of [from, to) during which the branch is open. */
export function businessMsBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  if (to <= from || !hasHours(calendar.hours)) return 0;
  const [a, b] = [from.getTime(), to.getTime()];
  // Every local day the span touches, plus one for a zone ahead of the day `from` falls on in UTC.
  const days = Math.ceil((b - a) / DAY_MS) + 2;
  let total = 0;
  for (const [open, close] of openSpans(calendar, from, days)) {
    if (open >= b) break;
    total += Math.max(0, Math.min(close, b) - Math.max(open, a));
  }
  return total;
}

/** Business minutes between two instants (fractional): what "answered in 42 minutes" means for a branch. */
export const businessMinutesBetween = (calendar: BusinessCalendar, from: Date, to: Date) =>
  businessMsBetween(calendar, from, to) / MINUTE_MS;

/**
 * The instant at which `minutes` business minutes have passed since `from`: counting starts at `from` when the
 * branch is open, else at its next opening. With 0 minutes, the first open instant at or after `from`. Null
 * when the branch does not open again within a year (no hours at all, or a year of holidays).
 */
export function addBusinessTime(calendar: BusinessCalendar, from: Date, minutes: number): Date | null {
  if (!hasHours(calendar.hours)) return null;
  let remaining = Math.max(0, minutes) * MINUTE_MS;
  const a = from.getTime();
  for (const [open, close] of openSpans(calendar, from, HORIZON_DAYS)) {
    if (close <= a) continue;
    const start = Math.max(open, a);
    if (remaining <= close - start) return new Date(start + remaining);
    remaining -= close - start;
  }
  return null;
}

/** The first instant at or after `from` at which the branch is open (null: not within a year). */
export const nextOpenAt = (calendar: BusinessCalendar, from: Date) => addBusinessTime(calendar, from, 0);

/** A local date (`YYYY-MM-DD`) in a time zone: the key of holidays and of per-day figures. */
export function localDate(at: Date, timeZone: string): string {
  const local = new TZDate(at.getTime(), timeZone);
  return `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`;
}

/** The instant a local date starts (its midnight, or the first instant of the day where midnight is skipped). */
export function startOfLocalDay(at: Date, timeZone: string, plusDays = 0): Date {
  const local = new TZDate(at.getTime(), timeZone);
  return new Date(
    new TZDate(local.getFullYear(), local.getMonth(), local.getDate() + plusDays, timeZone).getTime(),
  );
}
