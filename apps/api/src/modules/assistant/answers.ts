import type { BusinessHours, PaymentMethod, ShopFacts } from '@techmarket/contracts';
import { plainText, type Questions, type QuestionTopic } from './questions';

/**
 * One sentence per question the customer asked, from the shop's facts and the live catalog only. A fact the shop
 * has not given is never guessed: the sentence says the seller (who signs the reply) will confirm it.
 */

type Language = 'es' | 'pt';

/** What the replies know of the shop: its facts, and the address of the lead's branch and of the others. */
export interface ReplyFacts
  extends Pick<ShopFacts, 'currency' | 'delivery' | 'pickup' | 'payment' | 'warranty' | 'repair'> {
  address: string | null;
  otherBranches: { name: string; address: string }[];
}

export interface AnswerContext {
  language: Language;
  questions: Questions;
  facts: ReplyFacts | null;
  product: { title: string; price: number; currency: string; stock: number; category?: string } | null;
  branch: { name: string; hours: BusinessHours };
  /** Whether the reply should name the product and its price even when not asked (a sale). */
  introduceProduct: boolean;
  /** "agotó/agotaron" (es) or "esgotou/esgotaram" (pt), agreeing with the product. */
  words: { soldOut: string };
  money: (minor: number, currency: string) => string;
}

export type Answer = { topic: QuestionTopic; text: string; known: boolean };

const METHOD_NAMES: Record<PaymentMethod, Record<Language, string>> = {
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

function list(items: string[], language: Language) {
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

/** The shop's zones the message names ("Miraflores" in "¿hacen delivery a Miraflores?"). */
function zonesNamed(facts: ReplyFacts, plain: string) {
  return facts.delivery.zones.filter((zone) => {
    const name = plainText(zone.name);
    return name.trim() !== '' && plain.includes(name);
  });
}

export function answerQuestions(ctx: AnswerContext): Answer[] {
  const pt = ctx.language === 'pt';
  const facts = ctx.facts;
  const money = (minor: number) => ctx.money(minor, facts?.currency ?? ctx.product?.currency ?? 'USD');
  /** "El precio te lo confirmo…": the pronoun agrees with what is confirmed (lo, la, los). */
  const confirm = (what: string, it: 'lo' | 'la' | 'los') =>
    pt ? `${what} eu te confirmo em seguida.` : `${what} te ${it} confirmo en un momento.`;
  const answers: Answer[] = [];
  const say = (topic: QuestionTopic, text: string, known = true) => answers.push({ topic, text, known });
  const product = ctx.product;
  const isService = product?.category === 'SERVICES';
  const topics = ctx.questions.topics;
  // A sale's reply names the product and its price even when the customer only asked how to pay.
  let productSaid = false;
  if (
    product &&
    ctx.introduceProduct &&
    !topics.includes('PRICE') &&
    !topics.includes('STOCK') &&
    !topics.includes('REPAIR_COST')
  ) {
    answers.push({ topic: 'PRICE', text: productSentence(product), known: true });
    productSaid = true;
  }

  for (const topic of ctx.questions.topics) {
    switch (topic) {
      case 'PRICE':
      case 'STOCK':
        if (product) {
          if (!productSaid) say(topic, productSentence(product));
          productSaid = true;
        } else if (topic === 'PRICE') say(topic, confirm(pt ? 'O preço' : 'El precio', 'lo'), false);
        else say(topic, confirm(pt ? 'A disponibilidade' : 'La disponibilidad', 'la'), false);
        break;
      case 'DELIVERY':
        say(topic, ...delivery());
        break;
      case 'PAYMENT':
        say(topic, ...payment());
        break;
      case 'WARRANTY': {
        const months = facts?.warranty.months ?? null;
        const note = facts?.warranty.note ? ` ${sentence(facts.warranty.note)}` : '';
        if (months === null)
          say(topic, note ? note.trim() : confirm(pt ? 'A garantia' : 'La garantía', 'la'), note !== '');
        else if (months === 0)
          say(topic, (pt ? 'Este produto não tem garantia da loja.' : 'No tiene garantía de tienda.') + note);
        else
          say(
            topic,
            (pt
              ? `Tem ${months} ${months === 1 ? 'mês' : 'meses'} de garantia com a gente.`
              : `Tiene ${months} ${months === 1 ? 'mes' : 'meses'} de garantía con nosotros.`) + note,
          );
        break;
      }
      case 'HOURS': {
        const week = weeklyHours(ctx.branch.hours, ctx.language);
        if (week) say(topic, pt ? `Atendemos ${week}.` : `Atendemos ${week}.`);
        else say(topic, confirm(pt ? 'O horário de atendimento' : 'El horario de atención', 'lo'), false);
        break;
      }
      case 'LOCATION': {
        const others = (facts?.otherBranches ?? []).slice(0, 2).map((b) => `${b.name}: ${b.address}`);
        const more =
          others.length > 0
            ? pt
              ? ` Também em ${list(others, 'pt')}.`
              : ` También en ${list(others, 'es')}.`
            : '';
        if (facts?.address)
          say(topic, (pt ? `Estamos em ${facts.address}.` : `Estamos en ${facts.address}.`) + more);
        else say(topic, confirm(pt ? 'O endereço da loja' : 'La dirección de la tienda', 'la') + more, false);
        break;
      }
      case 'REPAIR_COST': {
        const diagnosis = facts?.repair.diagnosisPrice ?? null;
        const listed = product && isService ? ctx.money(product.price, product.currency) : null;
        const parts: string[] = [];
        if (listed)
          parts.push(pt ? `${product?.title} sai por ${listed}.` : `${product?.title} está a ${listed}.`);
        if (diagnosis !== null)
          parts.push(
            diagnosis === 0
              ? pt
                ? 'O diagnóstico é grátis.'
                : 'El diagnóstico es gratis.'
              : pt
                ? `O diagnóstico custa ${money(diagnosis)}.`
                : `El diagnóstico cuesta ${money(diagnosis)}.`,
          );
        if (!listed)
          parts.push(
            pt
              ? 'O valor do conserto eu te confirmo depois de revisar o aparelho.'
              : 'El costo de la reparación te lo confirmo al revisar el equipo.',
          );
        say(topic, parts.join(' '), listed !== null || diagnosis !== null);
        break;
      }
      case 'REPAIR_TIME': {
        const days = facts?.repair.turnaroundDays ?? null;
        if (days === null)
          say(topic, confirm(pt ? 'O prazo do conserto' : 'El tiempo de reparación', 'lo'), false);
        else if (days === 0)
          say(
            topic,
            pt
              ? 'Normalmente o conserto fica pronto no mesmo dia.'
              : 'Normalmente la reparación sale el mismo día.',
          );
        else
          say(
            topic,
            pt
              ? `O conserto costuma levar ${days} ${days === 1 ? 'dia útil' : 'dias úteis'}.`
              : `La reparación suele tomar ${days} ${days === 1 ? 'día hábil' : 'días hábiles'}.`,
          );
        break;
      }
    }
  }
  return answers;

  /** The product's price and stock as the catalog has them now. */
  function productSentence(p: NonNullable<AnswerContext['product']>) {
    const price = ctx.money(p.price, p.currency);
    const units =
      p.stock > 0 && p.stock <= 3
        ? pt
          ? ` (${p.stock === 1 ? 'resta 1 unidade' : `restam ${p.stock} unidades`})`
          : ` (${p.stock === 1 ? 'queda 1 unidad' : `quedan ${p.stock} unidades`})`
        : '';
    if (p.stock <= 0)
      return pt
        ? `${p.title} sai por ${price}, mas ${ctx.words.soldOut} no momento.`
        : `${p.title} está a ${price}, pero se nos ${ctx.words.soldOut} por ahora.`;
    if (topics.includes('STOCK'))
      return pt
        ? `Temos ${p.title} em estoque${units}, por ${price}.`
        : `Sí, tenemos ${p.title} en stock${units}, a ${price}.`;
    return pt ? `${p.title} sai por ${price}${units}.` : `${p.title} está a ${price}${units}.`;
  }

  function delivery(): [string, boolean] {
    const d = facts?.delivery;
    const pickup = facts?.pickup;
    const pickupText =
      pickup?.offered === true
        ? pt
          ? ' Também pode retirar na loja.'
          : ' También puedes recoger en tienda.'
        : '';
    const note = d?.note ? ` ${sentence(d.note)}` : '';
    if (!d || d.offered === null) {
      const text = confirm(pt ? 'Se fazemos entrega na sua região' : 'Si hacemos delivery a tu zona', 'lo');
      return [text + pickupText, false];
    }
    if (d.offered === false)
      return [
        (pt ? 'Por enquanto não fazemos entregas.' : 'Por ahora no hacemos delivery.') +
          (pickup?.offered === true ? (pt ? ' Pode retirar na loja.' : ' Puedes recogerlo en tienda.') : '') +
          note,
        true,
      ];
    const named = zonesNamed(facts, ctx.questions.plain);
    const cost = (zone: ReplyFacts['delivery']['zones'][number]) => {
      const price =
        zone.price === 0
          ? pt
            ? 'é grátis'
            : 'es gratis'
          : pt
            ? `custa ${money(zone.price)}`
            : `cuesta ${money(zone.price)}`;
      const days =
        zone.days === null
          ? ''
          : zone.days === 0
            ? pt
              ? ' e chega no mesmo dia'
              : ' y llega el mismo día'
            : pt
              ? ` e chega em ${zone.days} ${zone.days === 1 ? 'dia' : 'dias'}`
              : ` y llega en ${zone.days} ${zone.days === 1 ? 'día' : 'días'}`;
      return `${price}${days}`;
    };
    if (named.length > 0) {
      const each = named.map((zone) =>
        pt ? `a entrega em ${zone.name} ${cost(zone)}` : `el delivery a ${zone.name} ${cost(zone)}`,
      );
      const text = list(each, ctx.language);
      return [`${pt ? 'Sim, ' : 'Sí, '}${text}.${pickupText}${note}`, true];
    }
    if (d.zones.length === 0)
      return [
        (pt
          ? 'Sim, fazemos entregas; o valor do frete para o seu endereço eu te confirmo em seguida.'
          : 'Sí, hacemos delivery; el costo a tu zona te lo confirmo en un momento.') +
          pickupText +
          note,
        false,
      ];
    const shown = d.zones
      .slice(0, 4)
      .map((zone) => `${zone.name} (${zone.price === 0 ? (pt ? 'grátis' : 'gratis') : money(zone.price)})`);
    const rest = d.zones.length > 4 ? (pt ? ' entre outras' : ', entre otras') : '';
    return [
      (pt
        ? `Sim, fazemos entregas em ${list(shown, 'pt')}${rest}; se a sua região for outra, eu te confirmo o valor.`
        : `Sí, hacemos delivery a ${list(shown, 'es')}${rest}; si tu zona es otra, te confirmo el costo.`) +
        pickupText +
        note,
      true,
    ];
  }

  function payment(): [string, boolean] {
    const p = facts?.payment;
    const asked = ctx.questions.methods;
    const parts: string[] = [];
    let known = true;
    if (!p || p.methods.length === 0) {
      if (asked.length > 0 || !ctx.questions.installments) {
        parts.push(confirm(pt ? 'As formas de pagamento' : 'Los medios de pago', 'los'));
        known = false;
      }
    } else {
      const names = p.methods.map((m) => METHOD_NAMES[m][ctx.language]);
      const missing = asked.filter((m) => !p.methods.includes(m));
      if (missing.length > 0)
        parts.push(
          pt
            ? `No momento não aceitamos ${list(
                missing.map((m) => METHOD_NAMES[m].pt),
                'pt',
              )}; você pode pagar com ${list(names, 'pt')}.`
            : `Por ahora no aceptamos ${list(
                missing.map((m) => METHOD_NAMES[m].es),
                'es',
              )}; puedes pagar con ${list(names, 'es')}.`,
        );
      else if (asked.length > 0)
        parts.push(
          pt
            ? `Sim, aceitamos ${list(
                asked.map((m) => METHOD_NAMES[m].pt),
                'pt',
              )}${
                p.methods.length > asked.length
                  ? ` (também ${list(
                      names.filter((n) => !asked.some((m) => METHOD_NAMES[m].pt === n)),
                      'pt',
                    )})`
                  : ''
              }.`
            : `Sí, aceptamos ${list(
                asked.map((m) => METHOD_NAMES[m].es),
                'es',
              )}${
                p.methods.length > asked.length
                  ? ` (también ${list(
                      names.filter((n) => !asked.some((m) => METHOD_NAMES[m].es === n)),
                      'es',
                    )})`
                  : ''
              }.`,
        );
      else
        parts.push(
          pt ? `Você pode pagar com ${list(names, 'pt')}.` : `Puedes pagar con ${list(names, 'es')}.`,
        );
    }
    if (ctx.questions.installments || p?.installments.offered === true) {
      const i = p?.installments;
      if (!i || i.offered === null) {
        if (ctx.questions.installments) {
          parts.push(confirm(pt ? 'O parcelamento' : 'Lo de las cuotas', 'lo'));
          known = false;
        }
      } else if (i.offered === false) {
        if (ctx.questions.installments)
          parts.push(pt ? 'Não parcelamos por enquanto.' : 'Por ahora no trabajamos con cuotas.');
      } else {
        const count = i.maxCount
          ? pt
            ? ` em até ${i.maxCount}x`
            : ` hasta en ${i.maxCount} cuotas`
          : pt
            ? ''
            : ' en cuotas';
        const free = i.interestFree === true ? (pt ? ' sem juros' : ' sin intereses') : '';
        parts.push(
          pt ? `Com cartão dá para parcelar${count}${free}.` : `Con tarjeta puedes pagar${count}${free}.`,
        );
      }
    }
    if (p?.note) parts.push(sentence(p.note));
    return [parts.join(' '), known];
  }
}

/** The shop's own note as a sentence: trimmed, with its final stop. */
function sentence(note: string) {
  const text = note.trim();
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** The facts as a reply of a lead at `branchId` uses them: its branch's address first, the others' after. */
export function replyFactsOf(facts: ShopFacts, branchId: string): ReplyFacts {
  const own = facts.branches.find((b) => b.branchId === branchId);
  return {
    currency: facts.currency,
    delivery: facts.delivery,
    pickup: facts.pickup,
    payment: facts.payment,
    warranty: facts.warranty,
    repair: facts.repair,
    address: own?.address ?? null,
    otherBranches: facts.branches.flatMap((b) =>
      b.branchId !== branchId && b.address ? [{ name: b.name, address: b.address }] : [],
    ),
  };
}
