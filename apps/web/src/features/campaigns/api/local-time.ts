import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { instantAt } from '../../../lib/zoned-time';

/*
 * The campaign window is typed on the shop's wall clock, whatever the browser's zone. Kept apart from the query
 * options (which the router loads up front) so date-fns stays out of the first load.
 */

/** An instant as the value of a `datetime-local` input, on the shop's wall clock. */
export const toLocalInput = (iso: string | null, timeZone: string): string =>
  iso ? format(new TZDate(iso, timeZone), "yyyy-MM-dd'T'HH:mm") : '';

/** A `datetime-local` value read on the shop's wall clock, as an ISO instant (null when empty or malformed). */
export function fromLocalInput(value: string, timeZone: string): string | null {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!match) return null;
  const [, day = '', hour = '0', minute = '0'] = match;
  return new Date(instantAt(day, timeZone, Number(hour), Number(minute))).toISOString();
}
