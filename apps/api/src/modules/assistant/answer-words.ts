import type { BusinessHours, PaymentMethod } from '@techmarket/contracts';
import type { Questions } from './questions';
import type { ReplyFacts } from './reply-facts';

/** The words the answers share: how a list, a week of hours, a payment method and a shop's note are written. */

export type Language = 'es' | 'pt';

/** What an answerer of one topic is given (answers.ts builds it once per reply). */
export interface Speaker {
  pt: boolean;
  language: Language;
  facts: ReplyFacts | null;
  questions: Questions;
  /** An amount in the shop's currency. */
  money: (minor: number) => string;
  /** "El precio te lo confirmo…": the pronoun agrees with what is confirmed (lo, la, los). */
  confirm: (what: string, it: 'lo' | 'la' | 'los') => string;
}

export const METHOD_NAMES: Record<PaymentMethod, Record<Language, string>> = {
  CARD: { es: 'tarjeta de crédito o débito', pt: 'cartão de crédito ou débito' },
  CASH: { es: 'efectivo', pt: 'dinheiro' },
  TRANSFER: { es: 'transferencia bancaria', pt: 'transferência bancária' },
  YAPE: { es: 'Yape', pt: 'Yape' },
  PLIN: { es: 'Plin', pt: 'Plin' },
  PIX: { es: 'Pix', pt: 'Pix' },
  MERCADO_PAGO: { es: 'Mercado Pago', pt: 'Mercado Pago' },
  NEQUI: { es: 'Nequi', pt: 'Nequi' },
  BOLETO: { es: 'boleto', pt: 'boleto' },
};

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const DAY_NAMES: Record<Language, string[]> = {
  es: ['lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábados', 'domingos'],
  pt: ['segunda', 'terça', 'quarta', 'quinta', 'sexta', 'sábado', 'domingo'],
};

export function list(items: string[], language: Language) {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${language === 'pt' ? 'e' : 'y'} ${items.at(-1)}`;
}

/** "de lunes a viernes de 09:00 a 19:00 y los sábados de 10:00 a 13:00"; null when no day is open. */
export function weeklyHours(hours: BusinessHours, language: Language): string | null {
  const groups: { first: number; last: number; key: string }[] = [];
  DAYS.forEach((day, index) => {
    const intervals = hours[day] ?? [];
    const key = intervals.map((i) => `${i.open}-${i.close}`).join(',');
    const previous = groups.at(-1);
    if (previous && previous.key === key && previous.last === index - 1) previous.last = index;
    else groups.push({ first: index, last: index, key });
  });
  const names = DAY_NAMES[language];
  const [from, to, between] = language === 'pt' ? ['das', 'às', 'de'] : ['de', 'a', 'de'];
  const parts = groups
    .filter((group) => group.key !== '')
    .map((group) => {
      const days =
        group.first === group.last
          ? language === 'pt'
            ? `aos ${names[group.first]}s`.replace('ss', 's')
            : `los ${names[group.first]}`
          : language === 'pt'
            ? `${between} ${names[group.first]} a ${names[group.last]}`
            : `${between} ${names[group.first]} a ${names[group.last]}`;
      const times = group.key
        .split(',')
        .map((interval) => {
          const [open, close] = interval.split('-');
          return `${from} ${open} ${to} ${close}`;
        })
        .join(language === 'pt' ? ' e ' : ' y ');
      return `${days} ${times}`;
    });
  return parts.length > 0 ? list(parts, language) : null;
}

/** The shop's own note as a sentence: trimmed, with its final stop. */
export function sentence(note: string) {
  const text = note.trim();
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
