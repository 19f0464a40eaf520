import { TZDate } from '@date-fns/tz';
import type { ReactivationSettings } from '@techmarket/contracts';
import { customAlphabet } from 'nanoid';

/**
 * Reactivation messages: a personal wa.me link to the customer's own number, with the campaign's message and a
 * reference code, handed to their seller as a task due outside the quiet hours of the lead's branch.
 */

export const DEFAULT_REACTIVATION: ReactivationSettings = {
  frequencyCapDays: 30,
  quietHours: { start: '21:00', end: '09:00' },
};

const DEFAULT_MESSAGE =
  '¡Hola {name}! Te escribimos de la tienda donde consultaste antes: tenemos novedades y precios especiales para ti.';

/** Codes of reactivation messages start with C, so they are told from leads' codes at a glance. */
const refCodeTail = customAlphabet('23456789ABCDEFGHJKMNPQRSTUVWXYZ', 6);
export const newSendRefCode = () => `C${refCodeTail()}`;

/**
 * A code as a person retyped it ("c7k2 m9", "Ref: C7K2M9", "7K2M9X") read as the code it stands for, or null
 * when it cannot be one. Letters the codes never use (I, L, O, 0, 1) are left as typed: they match nothing.
 */
export function readSendRefCode(typed: string): string | null {
  const letters = typed.toUpperCase().replace(/[^0-9A-Z]/g, '');
  // "Ref" quoted along with the code; a six-character code typed without its C may itself start with REF.
  const compact = letters.startsWith('REF') && letters.length >= 9 ? letters.slice(3) : letters;
  if (/^C[0-9A-Z]{6}$/.test(compact)) return compact;
  if (/^[0-9A-Z]{6}$/.test(compact)) return `C${compact}`;
  return null;
}

export function reactivationMessage(template: string | null, contactName: string | null, refCode: string) {
  const firstName = contactName?.trim().split(/\s+/)[0] ?? '';
  const body = (template ?? DEFAULT_MESSAGE)
    .replaceAll('{name}', firstName)
    .replace(/\s+([!,.?])/g, '$1')
    .replace(/¡Hola\s*!/, '¡Hola!');
  return `${body} (Ref: ${refCode})`;
}

/** wa.me to the customer's number (E.164), prefilled with the message. */
export const customerWhatsappUrl = (phone: string, message: string) =>
  `https://wa.me/${phone.replace(/\D/g, '')}?text=${encodeURIComponent(message)}`;

const minutesOf = (time: string) => {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** Whether a local minute of the day falls in the quiet span [start, end), which may wrap past midnight. */
export function inQuietHours(localMinute: number, quiet: ReactivationSettings['quietHours']) {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return false;
  return start < end ? localMinute >= start && localMinute < end : localMinute >= start || localMinute < end;
}

/** `at`, or the end of the quiet hours it falls in, in the branch's time zone. */
export function afterQuietHours(at: Date, timeZone: string, quiet: ReactivationSettings['quietHours']): Date {
  const local = new TZDate(at.getTime(), timeZone);
  const minute = local.getHours() * 60 + local.getMinutes();
  if (!inQuietHours(minute, quiet)) return at;
  const end = minutesOf(quiet.end);
  const dayOffset = minute >= end ? 1 : 0;
  return new Date(
    new TZDate(
      local.getFullYear(),
      local.getMonth(),
      local.getDate() + dayOffset,
      Math.floor(end / 60),
      end % 60,
      timeZone,
    ).getTime(),
  );
}
