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
 * A calendar's open spans on each local day, computed once per calendar object and day: the engine asks about
 * hundreds of leads of one branch, mostly on the same few days, and each instant from @date-fns/tz costs a
 * time-zone offset look-up.
 */
const spanCache = new WeakMap<BusinessCalendar, Map<number, readonly [number, number][]>>();

/** The open spans, as [open, close) instants in ms, of one local date (month 0-11) of the calendar. */
function daySpans(calendar: BusinessCalendar, y: number, m: number, d: number): readonly [number, number][] {
  let byDay = spanCache.get(calendar);
  if (!byDay) {
    byDay = new Map();
    spanCache.set(calendar, byDay);
  }
  const key = y * 10_000 + m * 100 + d;
  const cached = byDay.get(key);
  if (cached) return cached;
  const { hours, timeZone, holidays } = calendar;
  // The weekday of a civil date is calendar arithmetic, the same in every zone: no offset needed for it.
  const weekday = WEEKDAYS[new Date(Date.UTC(y, m, d)).getUTCDay()] ?? 'sun';
  const spans: [number, number][] = holidays?.has(`${y}-${pad(m + 1)}-${pad(d)}`)
    ? []
    : mergedIntervals(hours, weekday).map((interval) => {
        const [oh, om] = hhmm(interval.open);
        const [ch, cm] = hhmm(interval.close);
        return [
          new TZDate(y, m, d, oh, om, timeZone).getTime(),
          new TZDate(y, m, d, ch, cm, timeZone).getTime(),
        ];
      });
  byDay.set(key, spans);
  return spans;
}

/**
 * The branch's open spans as [open, close) instants in ms, day by local day from the day of `from`, in order.
 * The instants come from @date-fns/tz (the IANA data of Node's ICU), so daylight saving changes are right.
 */
function* openSpans(calendar: BusinessCalendar, from: Date, days: number): Generator<[number, number]> {
  const start = new TZDate(from.getTime(), calendar.timeZone);
  const [year, month, date] = [start.getFullYear(), start.getMonth(), start.getDate()];
  for (let offset = 0; offset < days; offset++) {
    // The civil date `offset` days on (Date.UTC carries over months and years); its spans are in the zone.
    const civil = new Date(Date.UTC(year, month, date + offset));
    yield* daySpans(calendar, civil.getUTCFullYear(), civil.getUTCMonth(), civil.getUTCDate());
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
