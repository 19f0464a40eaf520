import type { KpiFigures, Kpis } from '@techmarket/contracts';
import { dayIn, shiftDay } from '../../../lib/zoned-time';

export interface DayFigures {
  /** YYYY-MM-DD in the shop's calendar. */
  day: string;
  /** Null when the answer has no row for the day: no lead created and no task due on it. */
  figures: KpiFigures | null;
}

/** A period the API accepts is at most two years; this only stops a malformed answer from looping. */
const MAX_DAYS = 800;

/**
 * Every calendar day of a `groupBy=day` answer's period, in the shop's time zone (the one the API groups by),
 * with that day's row. The API leaves out days with nothing in them; here they stay, as days without figures,
 * so a chart shows them as gaps instead of closing the line over them.
 */
export function dailyFigures(kpis: Kpis, timeZone: string): DayFigures[] {
  const rows = new Map(kpis.groups.map((group) => [group.key, group]));
  const first = dayIn(Date.parse(kpis.from), timeZone);
  // The period is [from, to): its last day is the one holding the instant before `to`.
  const last = dayIn(Date.parse(kpis.to) - 1, timeZone);
  const days: DayFigures[] = [];
  for (let day = first; day <= last && days.length < MAX_DAYS; day = shiftDay(day, 1)) {
    days.push({ day, figures: rows.get(day) ?? null });
  }
  return days;
}

/** A calendar day (YYYY-MM-DD) as the locale writes it, "26 nov" or with `weekday` "jue, 26 nov". */
export function dayLabeler(locale: string, { weekday = false }: { weekday?: boolean } = {}) {
  const formatter = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    ...(weekday ? { weekday: 'short' as const } : {}),
    // The day is a date, not an instant: read at noon UTC, it is the same date in any zone.
    timeZone: 'UTC',
  });
  return (day: string) => formatter.format(new Date(`${day}T12:00:00Z`));
}

// Steps a reader counts in: minutes, quarter and half hours, hours, shifts, days, a week.
const minuteSteps = [5, 10, 15, 30, 60, 120, 180, 240, 360, 480, 720, 1440, 2880, 10_080];

/** Y ticks for minutes up to `max`, in a step people read (0, 1 h, 2 h…), at most six; none without a value. */
export function minuteTicks(max: number): number[] | undefined {
  if (!(max > 0)) return undefined;
  const step = minuteSteps.find((s) => Math.ceil(max / s) <= 5) ?? Math.ceil(max / 5);
  return Array.from({ length: Math.ceil(max / step) + 1 }, (_, i) => i * step);
}
