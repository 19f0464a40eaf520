import type { BusinessHours } from '@techmarket/contracts';
import { type Language, list, type Speaker, sentence, weeklyHours } from './answer-words';
import { deliveryAnswer } from './answers-delivery';
import { paymentAnswer } from './answers-payment';
import type { Questions, QuestionTopic } from './questions';
import type { ReplyFacts } from './reply-facts';

/**
 * One sentence per question the customer asked, from the shop's facts and the live catalog only. A fact the shop
 * has not given is never guessed: the sentence says the seller (who signs the reply) will confirm it.
 */

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

export function answerQuestions(ctx: AnswerContext): Answer[] {
  const pt = ctx.language === 'pt';
  const facts = ctx.facts;
  const money = (minor: number) => ctx.money(minor, facts?.currency ?? ctx.product?.currency ?? 'USD');
  /** "El precio te lo confirmo…": the pronoun agrees with what is confirmed (lo, la, los). */
  const confirm = (what: string, it: 'lo' | 'la' | 'los') =>
    pt ? `${what} eu te confirmo em seguida.` : `${what} te ${it} confirmo en un momento.`;
  const speaker: Speaker = {
    pt,
    language: ctx.language,
    facts,
    questions: ctx.questions,
    money,
    confirm,
  };
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
        say(topic, ...deliveryAnswer(speaker));
        break;
      case 'PAYMENT':
        say(topic, ...paymentAnswer(speaker));
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
}
