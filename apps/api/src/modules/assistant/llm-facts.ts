import type { BusinessHours } from '@techmarket/contracts';
import { weeklyHours } from './answer-words';
import { methodsNamed, plainText } from './questions';
import { formatMoney, type Language } from './replies';
import type { ReplyFacts } from './reply-facts';

/**
 * The shop's facts on the LLM path: what the model is told (`factsForLlm`), and the check of what it wrote
 * (`checkReplyFacts`): an amount, a warranty, instalments or a payment method that the facts and the catalog do not
 * hold is refused, and the built-in reply, which only says what it knows, goes out instead.
 */

/** The facts as the prompt carries them: amounts written in the shop's currency, null where the shop said nothing. */
export function factsForLlm(facts: ReplyFacts, hours: BusinessHours, language: Language) {
  const money = (minor: number) => formatMoney(minor, facts.currency, language);
  return {
    delivery: {
      ofrece: facts.delivery.offered,
      zonas: facts.delivery.zones.map((zone) => ({
        zona: zone.name,
        precio: money(zone.price),
        dias: zone.days,
      })),
      nota: facts.delivery.note,
    },
    recojoEnTienda: facts.pickup.offered,
    notaRecojo: facts.pickup.note,
    mediosDePago: facts.payment.methods,
    cuotas: facts.payment.installments,
    notaPagos: facts.payment.note,
    garantiaMeses: facts.warranty.months,
    notaGarantia: facts.warranty.note,
    reparacion: {
      diasHabiles: facts.repair.turnaroundDays,
      diagnostico: facts.repair.diagnosisPrice === null ? null : money(facts.repair.diagnosisPrice),
      nota: facts.repair.note,
    },
    direccion: facts.address,
    otrasSucursales: facts.otherBranches,
    horario: weeklyHours(hours, language),
  };
}

const CURRENCY_WORDS = '(?:soles?|reais|real|pesos?|dolares|dolar|lucas)';
/** An amount with its currency sign or word: "S/ 3,499.00", "R$ 1.299,90", "$ 12.990", "150 soles". */
const AMOUNT = new RegExp(
  `(?:s/\\.?|r\\$|us\\$|\\$|pen|brl|mxn|cop|ars|clp|usd)\\s?(\\d[\\d.,\\s\\u00a0]*\\d|\\d)|(\\d[\\d.,]*\\d|\\d)\\s?${CURRENCY_WORDS}\\b`,
  'gi',
);

/** "1.299,90" or "1,299.90" as 1299.9; "12.990" (thousands) as 12990. */
function amountOf(text: string): number {
  const compact = text.replace(/[\s\u00a0]/g, '');
  const decimals = /[.,](\d{1,2})$/.exec(compact);
  const whole = (decimals ? compact.slice(0, decimals.index) : compact).replace(/[.,]/g, '');
  return Number(whole) + (decimals ? Number(decimals[1]) / 10 ** (decimals[1] ?? '').length : 0);
}

const majorUnits = (minor: number, currency: string) => {
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return minor / 10 ** digits;
};

export interface FactCheckInput {
  facts: ReplyFacts;
  /** The catalog's amounts the reply may quote: the product's price and the alternatives'. */
  amounts: { price: number; currency: string }[];
}

/** Why the reply cannot be sent as the shop's word, or null when every fact in it is the shop's or the catalog's. */
export function checkReplyFacts(reply: string, { facts, amounts }: FactCheckInput): string | null {
  const allowed = [
    ...amounts.map((a) => majorUnits(a.price, a.currency)),
    ...facts.delivery.zones.map((zone) => majorUnits(zone.price, facts.currency)),
    ...(facts.repair.diagnosisPrice === null
      ? []
      : [majorUnits(facts.repair.diagnosisPrice, facts.currency)]),
  ];
  for (const match of reply.matchAll(AMOUNT)) {
    const value = amountOf(match[1] ?? match[2] ?? '');
    if (!allowed.some((amount) => Math.abs(amount - value) < 0.005))
      return `reply states an amount neither the catalog nor the shop's facts hold: ${match[0].trim()}`;
  }

  // A sentence that names a method the shop does not take must be saying so ("no aceptamos Pix").
  for (const sentence of reply.split(/[.!?;\n]+/)) {
    const plain = plainText(sentence);
    const foreign = methodsNamed(plain).filter((method) => !facts.payment.methods.includes(method));
    if (foreign.length > 0 && !/ (no|nao|ni|nem|todavia no|ainda nao) /.test(plain))
      return `reply offers a payment method the shop did not list: ${foreign.join(', ')}`;
  }

  const plain = plainText(reply);
  const warranty =
    / (\d+) (mes|meses|ano|anos) de garantia /.exec(plain) ??
    / garantia de (\d+) (mes|meses|ano|anos) /.exec(plain);
  if (warranty) {
    const months = Number(warranty[1]) * (warranty[2]?.startsWith('ano') ? 12 : 1);
    if (facts.warranty.months !== months)
      return `reply states a warranty of ${months} months; the shop's facts say ${facts.warranty.months ?? 'nothing'}`;
  }

  const installments =
    / (\d+) (cuotas|parcelas|vezes) /.exec(plain) ?? / (?:ate|hasta) (?:em )?(\d+) ?x /.exec(plain);
  if (installments) {
    const count = Number(installments[1]);
    const offered = facts.payment.installments;
    if (offered.offered !== true || (offered.maxCount !== null && count > offered.maxCount))
      return `reply offers ${count} instalments; the shop's facts say ${offered.offered === true ? `up to ${offered.maxCount}` : 'none'}`;
  }
  return null;
}
