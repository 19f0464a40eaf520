/**
 * Money as the wire carries it: integer minor units beside an ISO 4217 currency (see `minorUnits`). These turn
 * what a person types into minor units and back, by each currency's own exponent (PEN 2, CLP 0), so no screen
 * multiplies by 100 on its own.
 */

/** The currencies a shop may price in (`currency` in common.ts is their zod enum; this list has no zod). */
export const currencies = ['PEN', 'MXN', 'COP', 'ARS', 'CLP', 'BRL', 'USD'] as const;

const digitsByCurrency = new Map<string, number>();

/** The digits after the decimal point of a currency's amounts (2 for PEN, 0 for CLP): its minor units. */
export function currencyDigits(currency: string): number {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    // Intl knows every ISO 4217 exponent; building a formatter is costly, so once per currency.
    const options = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions();
    digits = options.maximumFractionDigits ?? 2;
    digitsByCurrency.set(currency, digits);
  }
  return digits;
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
