import { TZDate } from '@date-fns/tz';
import { addDays, lightFormat } from 'date-fns';

/**
 * Calendar days and wall-clock times in the shop's time zone, not the browser's: a manager in
 * Madrid looking at a Lima shop sees Lima's days.
 */

/** YYYY-MM-DD of an instant in a time zone. */
export const dayIn = (instant: number, timeZone: string): string =>
  lightFormat(new TZDate(instant, timeZone), 'yyyy-MM-dd');

/** The instant a wall-clock time happens on a calendar day (YYYY-MM-DD) in a time zone; days may overflow. */
export function instantAt(day: string, timeZone: string, hour = 0, minute = 0, plusDays = 0): number {
  const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
  return new TZDate(year, month - 1, date + plusDays, hour, minute, timeZone).getTime();
}

/** The day `days` after (or before) a calendar day, as YYYY-MM-DD. */
export const shiftDay = (day: string, days: number): string =>
  lightFormat(addDays(new TZDate(`${day}T12:00:00Z`, 'UTC'), days), 'yyyy-MM-dd');

const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
/** Weekday key (sun..sat) of a calendar day. */
export const weekdayOf = (day: string): (typeof weekdays)[number] =>
  weekdays[new Date(`${day}T12:00:00Z`).getUTCDay()] ?? 'sun';
