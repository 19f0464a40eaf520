import type { BusinessHours, LeadPriority, LeadType, NextBestAction } from '@techmarket/contracts';
import { wallClock } from '../../platform/business-hours';
import { type Agreement, productAgreement } from './agreement';
import { answerQuestions } from './answers';
import type { Questions } from './questions';
import type { ReplyFacts } from './reply-facts';

/**
 * Suggested replies without an LLM: a few hand-written variants per language, action and urgency, filled
 * with the lead's real data. The variant is picked from the lead id, so a rerun gives the same text and
 * two leads of one shop rarely read alike.
 */

export type Language = 'es' | 'pt';

export interface ReplyContext {
  leadId: string;
  language: Language;
  leadType: LeadType;
  priority: LeadPriority;
  action: NextBestAction;
  customerName: string | null;
  shopName: string;
  branch: { name: string; zone: string | null; timezone: string; hours: BusinessHours };
  product: { title: string; price: number; currency: string; stock: number; category?: string } | null;
  alternative: { title: string; price: number; currency: string } | null;
  now: Date;
  /** What the customer asked (questions.ts): each topic gets its answer before the next step. */
  asked?: Questions;
  /** What the shop said of itself (delivery, payment, warranty, repairs, address); null when nothing yet. */
  facts?: ReplyFacts | null;
}

const firstName = (name: string | null) => name?.trim().split(/\s+/)[0] || null;

/**
 * Where the seller's name goes in a stored reply. A suggestion is written once (often by the new-lead job, before
 * anyone opened the lead) and read by whoever opens it, so it is signed when read, by the person reading it: the
 * one who will send it (`signReply`).
 */
export const SELLER_SLOT = '{vendedor}';

/** The reply signed by `sellerName`, or by "the team" when nobody in particular reads it (an API key). */
export function signReply(reply: string, sellerName: string | null, language: Language) {
  const name = firstName(sellerName) ?? (language === 'pt' ? 'a equipe' : 'el equipo');
  return reply.replaceAll(SELLER_SLOT, name).slice(0, 700);
}

/** Each currency in its own country's way of writing it: S/ for soles, R$ for reais. */
const LOCALE_BY_CURRENCY: Record<string, string> = {
  PEN: 'es-PE',
  MXN: 'es-MX',
  COP: 'es-CO',
  ARS: 'es-AR',
  CLP: 'es-CL',
  BRL: 'pt-BR',
};

export function formatMoney(minor: number, currency: string, language: Language) {
  const locale = LOCALE_BY_CURRENCY[currency] ?? (language === 'pt' ? 'pt-BR' : 'es-419');
  // ISO 4217's minor units (what the amounts are stored in), which a country's format may round away.
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minor / 10 ** digits);
}

/** "de 09:00 a 19:00" today in the branch's zone, or null when it is closed today. */
function todaysHours(ctx: ReplyContext) {
  const { day } = wallClock(ctx.now, ctx.branch.timezone);
  const intervals = ctx.branch.hours[day] ?? [];
  if (intervals.length === 0) return null;
  const join = ctx.language === 'pt' ? ' e ' : ' y ';
  const word = ctx.language === 'pt' ? ['das', 'às'] : ['de', 'a'];
  return intervals.map((i) => `${word[0]} ${i.open} ${word[1]} ${i.close}`).join(join);
}

function pick<T>(options: readonly T[], seed: string): T {
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return options[Math.abs(hash) % options.length] as T;
}

export function suggestReply(ctx: ReplyContext): string {
  const lang = ctx.language;
  const customer = firstName(ctx.customerName);
  const hi =
    lang === 'pt'
      ? pick(
          [`Olá${customer ? `, ${customer}` : ''}!`, `Oi${customer ? `, ${customer}` : ''}, tudo bem?`],
          ctx.leadId,
        )
      : pick(
          [
            `¡Hola${customer ? `, ${customer}` : ''}!`,
            `Hola${customer ? ` ${customer}` : ''}, ¿cómo estás?`,
            `¡Buen día${customer ? `, ${customer}` : ''}!`,
          ],
          ctx.leadId,
        );
  const me =
    lang === 'pt'
      ? `Aqui é ${SELLER_SLOT} da ${ctx.shopName}${ctx.branch.zone ? ` (${ctx.branch.zone})` : ''}.`
      : `Te escribe ${SELLER_SLOT} de ${ctx.shopName}${ctx.branch.zone ? ` (${ctx.branch.zone})` : ''}.`;
  const hours = todaysHours(ctx);
  const product = ctx.product;
  const price = product ? formatMoney(product.price, product.currency, lang) : null;
  const altPrice = ctx.alternative
    ? formatMoney(ctx.alternative.price, ctx.alternative.currency, lang)
    : null;
  const urgent = ctx.priority === 'HIGH';
  // The words that agree with the product: "te lo separo" (un router), "te la separo" (una laptop).
  const agreement: Agreement = product ? productAgreement(product, lang) : { gender: 'm', plural: false };
  const es = spanishAgreement(agreement);
  const pt = portugueseAgreement(agreement);

  const asked = ctx.asked;
  const body = asked && asked.topics.length > 0 ? answered(asked) : lang === 'pt' ? portuguese() : spanish();
  return [hi, me, body].join(' ').replace(/\s+/g, ' ').trim().slice(0, 700);

  /** Each question answered from the facts and the catalog, then one next step for the action. */
  function answered(questions: Questions): string {
    const write = (facts: ReplyFacts | null) =>
      [
        ...answerQuestions({
          language: lang,
          questions,
          facts,
          product,
          branch: { name: ctx.branch.name, hours: ctx.branch.hours },
          introduceProduct: ctx.leadType === 'SALE',
          words: { soldOut: lang === 'pt' ? pt.soldOut : es.soldOut },
          money: (minor, currency) => formatMoney(minor, currency, lang),
        }).map((answer) => answer.text),
        nextStep(),
      ].join(' ');
    const full = write(ctx.facts ?? null);
    // A reply is at most 700 characters: when the shop's notes would push an answer past it, they are left out.
    if (!ctx.facts || hi.length + me.length + full.length < 680) return full;
    return write(withoutNotes(ctx.facts));
  }

  function nextStep(): string {
    const alternative = ctx.alternative;
    if (lang === 'pt') {
      switch (ctx.action) {
        case 'CONVERT_TO_TICKET':
          return 'Se quiser, já abro a ordem de serviço; pode me confirmar marca e modelo?';
        case 'SCHEDULE_DIAGNOSIS':
          return 'Que dia fica bom para trazer o aparelho?';
        case 'OFFER_ALTERNATIVE':
          return alternative
            ? `Como alternativa recomendo ${alternative.title} por ${altPrice}. Quer os detalhes?`
            : 'Qual é o seu orçamento? Procuro uma opção parecida.';
        case 'FOLLOW_UP_LATER':
          return 'Qualquer outra dúvida, estou por aqui.';
        default:
          return product ? `Quer que eu já separe ${pt.yours} para você?` : 'Que produto você procura?';
      }
    }
    switch (ctx.action) {
      case 'CONVERT_TO_TICKET':
        return 'Si quieres, te abro ahora la orden de servicio; ¿me confirmas marca y modelo?';
      case 'SCHEDULE_DIAGNOSIS':
        return '¿Qué día te acomoda traer el equipo?';
      case 'OFFER_ALTERNATIVE':
        return alternative
          ? `Como alternativa te recomiendo ${alternative.title} a ${altPrice}. ¿Te envío los detalles?`
          : '¿Cuál es tu presupuesto aproximado? Te busco una opción parecida.';
      case 'FOLLOW_UP_LATER':
        return 'Cualquier otra duda, aquí estoy.';
      default:
        return product ? `¿Te ${es.it} separo?` : '¿Qué producto te interesa?';
    }
  }

  function spanish(): string {
    switch (ctx.action) {
      case 'CONVERT_TO_TICKET':
        return pick(
          [
            `Entiendo que es urgente: te abro ahora una orden de servicio para que tu equipo entre hoy a revisión. ¿Me confirmas marca, modelo y qué falla presenta?${hours ? ` Puedes traerlo hoy ${hours}.` : ''}`,
            `Lo vemos con prioridad. Registro tu equipo en servicio técnico ya mismo; ¿me dices el modelo y desde cuándo falla?${hours ? ` Hoy atendemos ${hours}.` : ''}`,
          ],
          ctx.leadId,
        );
      case 'SCHEDULE_DIAGNOSIS':
        return pick(
          [
            `Con gusto lo revisamos. El diagnóstico lo hace nuestro técnico en la tienda; ¿qué día te acomoda traer el equipo?${hours ? ` Hoy estamos ${hours}.` : ''}`,
            `Claro, te ayudamos. ¿Me cuentas marca, modelo y qué le pasa? Así te agendo el diagnóstico${hours ? ` (hoy atendemos ${hours})` : ''}.`,
          ],
          ctx.leadId,
        );
      case 'SEND_QUOTE':
        return product
          ? pick(
              [
                `Sí, ${product.title} ${es.is} ${es.available} a ${price}${product.stock > 0 && product.stock <= 3 ? ` y ${product.stock === 1 ? 'queda 1 unidad' : `quedan ${product.stock} unidades`}` : ''}. Te preparo la cotización ahora mismo; ¿a nombre de quién la emito y cómo prefieres pagar?`,
                `¡Buena elección! ${product.title} a ${price}. ${urgent ? `Te ${es.it} separo ya` : `Te ${es.it} puedo separar`}; ¿${es.it} recoges en tienda o coordinamos el envío?`,
              ],
              ctx.leadId,
            )
          : `Te preparo la cotización ahora mismo; ¿me confirmas el producto y la cantidad que necesitas?`;
      case 'OFFER_ALTERNATIVE':
        return ctx.alternative
          ? `${product ? `${product.title} ${product.stock > 0 ? `${es.is} a ${price}` : `se nos ${es.soldOut} por ahora`}, ` : ''}pero te recomiendo ${ctx.alternative.title} a ${altPrice}, muy buena opción. ¿Te envío los detalles?`
          : `${product ? `${product.title} ${product.stock > 0 ? `${es.is} a ${price}` : `se nos ${es.soldOut} por ahora`}. ` : ''}Déjame revisar qué opción parecida tenemos y te escribo en unos minutos. ¿Cuál es tu presupuesto aproximado?`;
      case 'FOLLOW_UP_LATER':
        return product
          ? `${product.title} ${es.is} a ${price}. Cuando quieras te cuento más o te guardo el precio; ¿te escribo en unos días?`
          : `Cuando quieras te ayudo a elegir. ¿Qué equipo buscas y para qué lo vas a usar?`;
      default:
        return product
          ? pick(
              [
                `Sí, tenemos ${product.title} a ${price}${product.stock > 0 ? `, ${es.available} para entrega inmediata` : ''}. ¿Quieres que te cuente las especificaciones o te ${es.it} separo?`,
                `${product.title} ${es.is} a ${price}. ¿${capitalize(es.it)} necesitas para trabajo, estudio o gaming? Así te confirmo si es la mejor opción para ti.`,
              ],
              ctx.leadId,
            )
          : `Gracias por escribirnos. ¿Qué producto buscas? Te paso precio y disponibilidad al toque.`;
    }
  }

  function portuguese(): string {
    switch (ctx.action) {
      case 'CONVERT_TO_TICKET':
        return `Entendo a urgência: já abro uma ordem de serviço para o seu aparelho entrar hoje em análise. Pode me confirmar marca, modelo e o defeito?${hours ? ` Hoje atendemos ${hours}.` : ''}`;
      case 'SCHEDULE_DIAGNOSIS':
        return `Claro, a gente verifica. O diagnóstico é feito pelo nosso técnico na loja; que dia fica bom para trazer o aparelho?${hours ? ` Hoje estamos abertos ${hours}.` : ''}`;
      case 'SEND_QUOTE':
        return product
          ? `Sim, ${product.title} ${pt.is} ${pt.available} por ${price}. Já preparo o orçamento; em nome de quem emito e qual a forma de pagamento?`
          : `Já preparo o orçamento; pode me confirmar o produto e a quantidade?`;
      case 'OFFER_ALTERNATIVE':
        return ctx.alternative
          ? `${product ? `${product.title} ${product.stock > 0 ? `${pt.is} por ${price}` : `${pt.soldOut} no momento`}, ` : ''}mas recomendo ${ctx.alternative.title} por ${altPrice}, uma ótima opção. Quer que eu envie os detalhes?`
          : `${product ? `${product.title} ${product.stock > 0 ? `${pt.is} por ${price}` : `${pt.soldOut} no momento`}. ` : ''}Vou ver uma opção parecida e já te respondo. Qual é o seu orçamento?`;
      case 'FOLLOW_UP_LATER':
        return product
          ? `${product.title} ${pt.is} por ${price}. Quando quiser te conto mais; posso te chamar em alguns dias?`
          : `Quando quiser te ajudo a escolher. Que aparelho você procura?`;
      default:
        return product
          ? `Temos ${product.title} por ${price}${product.stock > 0 ? ', pronta entrega' : ''}. Quer as especificações ou prefere que eu já separe ${pt.yours} para você?`
          : `Obrigado pela mensagem! Que produto você procura? Te passo preço e disponibilidade.`;
    }
  }
}

/** The facts without the shop's free-text notes (the shortest reply that still answers). */
function withoutNotes(facts: ReplyFacts): ReplyFacts {
  return {
    ...facts,
    delivery: { ...facts.delivery, note: null },
    pickup: { ...facts.pickup, note: null },
    payment: { ...facts.payment, note: null },
    warranty: { ...facts.warranty, note: null },
    repair: { ...facts.repair, note: null },
  };
}

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** "lo/la/los/las", "está/están", "disponible(s)", "agotó/agotaron". */
function spanishAgreement({ gender, plural }: Agreement) {
  return {
    it: `${gender === 'f' ? 'la' : 'lo'}${plural ? 's' : ''}`,
    is: plural ? 'están' : 'está',
    available: plural ? 'disponibles' : 'disponible',
    soldOut: plural ? 'agotaron' : 'agotó',
  };
}

/** "o seu/a sua/os seus/as suas", "está/estão", "disponível/disponíveis", "esgotou/esgotaram". */
function portugueseAgreement({ gender, plural }: Agreement) {
  const feminine = gender === 'f';
  return {
    yours: plural ? (feminine ? 'as suas' : 'os seus') : feminine ? 'a sua' : 'o seu',
    is: plural ? 'estão' : 'está',
    available: plural ? 'disponíveis' : 'disponível',
    soldOut: plural ? 'esgotaram' : 'esgotou',
  };
}
