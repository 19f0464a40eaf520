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
 * Money arrives in minor units beside its currency; Intl knows each currency's decimals (CLP has
 * none). In Spanish, the amount is written as in the currency's country: S/ 3,499.00 in Peru,
 * $ 1.499,00 in Argentina.
 */
export function formatMoney(minor: number, currency: string, language: string): string {
  const region = currencyRegion[currency];
  const locale = region && language.startsWith('es') ? `es-${region}` : language;
  const formatter = memo(
    `n|${locale}|${currency}`,
    () => new Intl.NumberFormat(locale, { style: 'currency', currency }),
  );
  const digits = formatter.resolvedOptions().maximumFractionDigits ?? 2;
  return formatter.format(minor / 10 ** digits);
}

/** The digits after the decimal point of a currency's amounts (2 for PEN, 0 for CLP): its minor units. */
export function currencyDigits(currency: string): number {
  return memo(
    `c|${currency}`,
    () =>
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2,
  );
}

/**
 * An amount typed in major units ("2499.50", "2,499.50", "2.499,50", "2499,5") as integer minor units, read
 * from the digits themselves so no floating point rounds it; null when the text is not an amount of this
 * currency (letters, more decimals than it has, misplaced thousands separators). A lone separator followed by
 * exactly three digits groups thousands ("1,500" is 1500), as shop prices are written.
 */
export function parseMoney(text: string, currency: string): number | null {
  // A separator just typed ("2499.") waits for its decimals: the amount so far stands.
  const compact = text.replace(/[\s\u00a0]/g, '').replace(/[.,]$/, '');
  if (!/^\d[\d.,]*$/.test(compact)) return null;
  const last = Math.max(compact.lastIndexOf('.'), compact.lastIndexOf(','));
  const separator = compact[last];
  const tail = compact.slice(last + 1);
  // With both kinds, the last one marks the decimals; a lone one does unless three digits follow it.
  const mixed = compact.includes('.') && compact.includes(',');
  const lone = separator !== undefined && compact.indexOf(separator) === last;
  const decimal = separator !== undefined && (mixed || (lone && tail.length !== 3));
  const whole = decimal ? compact.slice(0, last) : compact;
  const fraction = decimal ? tail : '';
  const digits = currencyDigits(currency);
  if (fraction.length > digits || (mixed && separator && whole.includes(separator))) return null;
  const [head = '', ...groups] = whole.split(/[.,]/);
  if (groups.length > 0 && (head.length > 3 || head.startsWith('0') || groups.some((g) => g.length !== 3))) {
    return null;
  }
  const minor = Number(head + groups.join('') + fraction.padEnd(digits, '0'));
  return Number.isSafeInteger(minor) ? minor : null;
}

/** Minor units as a plain amount to edit ("2499.50"; "1500000" for CLP): the inverse of parseMoney. */
export function moneyInputText(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return String(minor);
  const text = String(minor).padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
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
