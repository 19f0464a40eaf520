import { wallClock } from '../../platform/business-hours';

/**
 * Whether an instant falls in the quiet hours [from, to) of a time zone; a span whose end is earlier than its start
 * runs across midnight (22:00–07:00).
 */
export function isQuietAt(at: Date, timeZone: string, quiet: { from: string; to: string }): boolean {
  const { time } = wallClock(at, timeZone);
  return quiet.from < quiet.to
    ? quiet.from <= time && time < quiet.to
    : time >= quiet.from || time < quiet.to;
}
