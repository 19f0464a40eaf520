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

/** "hace 5 min", "hace 3 h", "hace 2 días": how long a lead has waited. */
export function formatAge(iso: string, locale: string, now: number = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const rtf = memo(
    `r|${locale}`,
    () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' }),
  );
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour');
  if (abs < 30 * 86_400) return rtf.format(Math.round(seconds / 86_400), 'day');
  return rtf.format(Math.round(seconds / (30 * 86_400)), 'month');
}

/** The wa.me link that opens a chat with the customer (digits only, no plus). */
export function whatsappUrl(e164: string, text?: string): string {
  const digits = e164.replace(/\D/g, '');
  return `https://wa.me/${digits}${text ? `?text=${encodeURIComponent(text)}` : ''}`;
}
