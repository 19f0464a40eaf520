import { currencyDigits } from '@techmarket/contracts';

/** Intl formatters are costly to build (a list of 50 rows built 50 of each): keep one per options. */
const cache = new Map<string, unknown>();
function memo<T>(key: string, make: () => T): T {
  let value = cache.get(key) as T | undefined;
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

const currencyRegion: Record<string, string> = {
  PEN: 'PE',
  MXN: 'MX',
  COP: 'CO',
  ARS: 'AR',
  CLP: 'CL',
  BRL: 'BR',
};

/**
 * Money arrives in minor units beside its currency; the contracts' `currencyDigits` knows each currency's
 * decimals (CLP has none), the same the forms parse with. In Spanish, the amount is written as in the
 * currency's country: S/ 3,499.00 in Peru, $ 1.499,00 in Argentina.
 */
export function formatMoney(minor: number, currency: string, language: string): string {
  const region = currencyRegion[currency];
  const locale = region && language.startsWith('es') ? `es-${region}` : language;
  const formatter = memo(
    `n|${locale}|${currency}`,
    () => new Intl.NumberFormat(locale, { style: 'currency', currency }),
  );
  return formatter.format(minor / 10 ** currencyDigits(currency));
}

/** A date and time in the branch's time zone (stored UTC, shown where the shop is). */
export function formatDateTime(iso: string, locale: string, timeZone?: string): string {
  return memo(
    `d|${locale}|${timeZone ?? ''}`,
    () =>
      new Intl.DateTimeFormat(locale, {
        dateStyle: 'medium',
        timeStyle: 'short',
        ...(timeZone ? { timeZone } : {}),
      }),
  ).format(new Date(iso));
}

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;

/**
 * "hace 5 minutos", "hace 3 horas", "hace 3 meses": how long ago, with the unit in full. A short unit misleads
 * ("hace 3 m" is three months, read as minutes).
 */
export function formatAge(iso: string, locale: string, now: number = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const rtf = memo(
    `r|${locale}`,
    () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'long' }),
  );
  const abs = Math.abs(seconds);
  if (abs < MINUTE) return rtf.format(seconds, 'second');
  if (abs < HOUR) return rtf.format(Math.round(seconds / MINUTE), 'minute');
  if (abs < DAY) return rtf.format(Math.round(seconds / HOUR), 'hour');
  if (abs < 30 * DAY) return rtf.format(Math.round(seconds / DAY), 'day');
  if (abs < 365 * DAY) return rtf.format(Math.round(seconds / (30 * DAY)), 'month');
  return rtf.format(Math.round(seconds / (365 * DAY)), 'year');
}

/**
 * "40 minutos", "2 horas", "3 días": a wait in calendar time, in its largest whole unit written in full (floored:
 * 59 minutes have not made an hour yet).
 */
export function formatDuration(ms: number, locale: string): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const [value, unit]: [number, 'minute' | 'hour' | 'day'] =
    minutes < 60
      ? [minutes, 'minute']
      : minutes < 48 * 60
        ? [Math.floor(minutes / 60), 'hour']
        : [Math.floor(minutes / (24 * 60)), 'day'];
  return memo(
    `u|${locale}|${unit}`,
    () => new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }),
  ).format(value);
}

/** The wa.me link that opens a chat with the customer (digits only, no plus). */
export function whatsappUrl(e164: string, text?: string): string {
  const digits = e164.replace(/\D/g, '');
  return `https://wa.me/${digits}${text ? `?text=${encodeURIComponent(text)}` : ''}`;
}
