/**
 * `npm run eval:assistant` (second part): does the built-in reply answer what the customer asked?
 *
 * For every labelled question of `classifier/data/questions.txt` (development and blind parts apart):
 * - detection: per topic, precision and recall of `detectQuestions` against the labels;
 * - answered: for each labelled topic, whether the reply addresses it, judged on the reply's text alone (an
 *   amount for a price, "garantía" for a warranty, an address for a location…; "te lo confirmo" counts, as it
 *   answers the question honestly), with the shop's facts filled in, and with a shop that said nothing;
 * - before: the same judgement of the replies as they were written before the questions were read (templates).
 */
import type { BusinessHours } from '@techmarket/contracts';
import { nextActionFor } from './builtin-reading';
import { classifyLead } from './classifier';
import { detectQuestions, type QuestionTopic, questionTopics } from './questions';
import { type LabelledQuestion, loadQuestions } from './questions-set';
import { type Language, suggestReply } from './replies';
import type { ReplyFacts } from './reply-facts';

/** What a reply must say to address a topic: the fact, or that the seller confirms that very fact. */
const ADDRESSES: Record<QuestionTopic, RegExp> = {
  PRICE: /(S\/|R\$|\$)\s?\d|el precio te lo confirmo|o preço eu te confirmo/i,
  STOCK: /en stock|em estoque|agot|esgot|la disponibilidad te la confirmo|a disponibilidade eu te confirmo/i,
  DELIVERY:
    /delivery|envío|envíos|fazemos entregas?|entrega em|frete|recoger en tienda|recogerlo en tienda|retirar na loja/i,
  PAYMENT: /puedes pagar|aceptamos|aceitamos|pagar com|formas de pagamento|medios de pago|cuotas|parcel/i,
  WARRANTY: /garant/i,
  HOURS: /atendemos (de|los|aos|das)|horario de atención|horário de atendimento/i,
  LOCATION: /estamos en|estamos em|dirección de la tienda|endereço da loja/i,
  REPAIR_COST: /diagnóstico|costo de la reparación|valor do conserto/i,
  REPAIR_TIME: /días? hábil|dias? úte?is|mismo día|mesmo dia|tiempo de reparación|prazo do conserto/i,
};

const WEEKDAYS: BusinessHours = {
  mon: [{ open: '09:00', close: '19:00' }],
  tue: [{ open: '09:00', close: '19:00' }],
  wed: [{ open: '09:00', close: '19:00' }],
  thu: [{ open: '09:00', close: '19:00' }],
  fri: [{ open: '09:00', close: '19:00' }],
  sat: [{ open: '10:00', close: '14:00' }],
};

const SHOPS: Record<
  Language,
  {
    facts: ReplyFacts;
    product: { title: string; price: number; currency: string; stock: number; category: string };
    timezone: string;
  }
> = {
  es: {
    timezone: 'America/Lima',
    product: {
      title: 'Laptop Lenovo IdeaPad Slim 3',
      price: 229900,
      currency: 'PEN',
      stock: 2,
      category: 'LAPTOPS',
    },
    facts: {
      currency: 'PEN',
      delivery: {
        offered: true,
        zones: [
          { name: 'Miraflores', price: 1000, days: 1 },
          { name: 'San Isidro', price: 0, days: 1 },
          { name: 'Surco', price: 1200, days: 1 },
          { name: 'Lince', price: 1000, days: 1 },
        ],
        note: 'A provincia enviamos por Olva, pago en destino.',
      },
      pickup: { offered: true, note: null },
      payment: {
        methods: ['CARD', 'CASH', 'TRANSFER', 'YAPE', 'PLIN'],
        installments: { offered: true, maxCount: 12, interestFree: false },
        note: null,
      },
      warranty: { months: 12, note: null },
      repair: { turnaroundDays: 3, diagnosisPrice: 3000, note: null },
      address: 'Av. Larco 345, Miraflores',
      otherBranches: [],
    },
  },
  pt: {
    timezone: 'America/Sao_Paulo',
    product: {
      title: 'Notebook Dell Inspiron 15',
      price: 349900,
      currency: 'BRL',
      stock: 5,
      category: 'LAPTOPS',
    },
    facts: {
      currency: 'BRL',
      delivery: {
        offered: true,
        zones: [
          { name: 'Pinheiros', price: 1500, days: 1 },
          { name: 'Moema', price: 1500, days: 1 },
          { name: 'Osasco', price: 2500, days: 2 },
        ],
        note: null,
      },
      pickup: { offered: true, note: null },
      payment: {
        methods: ['CARD', 'PIX', 'BOLETO'],
        installments: { offered: true, maxCount: 10, interestFree: true },
        note: null,
      },
      warranty: { months: 3, note: null },
      repair: { turnaroundDays: 2, diagnosisPrice: 0, note: null },
      address: 'Rua Teodoro Sampaio 1020, Pinheiros',
      otherBranches: [],
    },
  },
};

const silentFacts = (currency: string): ReplyFacts => ({
  currency: currency as ReplyFacts['currency'],
  delivery: { offered: null, zones: [], note: null },
  pickup: { offered: null, note: null },
  payment: { methods: [], installments: { offered: null, maxCount: null, interestFree: null }, note: null },
  warranty: { months: null, note: null },
  repair: { turnaroundDays: null, diagnosisPrice: null, note: null },
  address: null,
  otherBranches: [],
});

type Mode = 'facts' | 'silent' | 'before';

function replyFor(question: LabelledQuestion, mode: Mode, index: number) {
  const shop = SHOPS[question.language];
  const classification = classifyLead({
    message: question.text,
    listingTitle: shop.product.title,
    listingCategory: shop.product.category,
  });
  const action = nextActionFor(classification, {
    stock: shop.product.stock,
    lostOnPrice: false,
    hasAlternative: false,
  });
  return suggestReply({
    leadId: `question-${index}`,
    language: question.language,
    leadType: classification.leadType,
    priority: classification.priority,
    action,
    customerName: null,
    shopName: 'TechMarket',
    branch: { name: 'Centro', zone: null, timezone: shop.timezone, hours: WEEKDAYS },
    product: shop.product,
    alternative: null,
    now: new Date('2026-12-07T15:00:00Z'),
    ...(mode === 'before'
      ? {}
      : {
          asked: detectQuestions(question.text),
          facts: mode === 'facts' ? shop.facts : silentFacts(shop.product.currency),
        }),
  });
}

const pct = (n: number, d: number) => (d === 0 ? '  n/a' : `${((100 * n) / d).toFixed(1)}%`);

export function scoreQuestions(questions: LabelledQuestion[]) {
  const perTopic = new Map<
    QuestionTopic,
    { tp: number; fp: number; fn: number; asked: number; answered: Record<Mode, number> }
  >();
  for (const topic of questionTopics)
    perTopic.set(topic, { tp: 0, fp: 0, fn: 0, asked: 0, answered: { facts: 0, silent: 0, before: 0 } });
  const misses: string[] = [];
  questions.forEach((question, index) => {
    const detected = new Set(detectQuestions(question.text).topics);
    const labelled = new Set(question.topics);
    const replies = {
      facts: replyFor(question, 'facts', index),
      silent: replyFor(question, 'silent', index),
      before: replyFor(question, 'before', index),
    };
    for (const topic of questionTopics) {
      const row = perTopic.get(topic);
      if (!row) continue;
      if (detected.has(topic) && labelled.has(topic)) row.tp++;
      else if (detected.has(topic)) row.fp++;
      else if (labelled.has(topic)) row.fn++;
      if (!labelled.has(topic)) continue;
      row.asked++;
      for (const mode of ['facts', 'silent', 'before'] as const) {
        if (ADDRESSES[topic].test(replies[mode])) row.answered[mode]++;
        else if (mode === 'facts')
          misses.push(`${topic} not answered: "${question.text}" -> ${replies.facts}`);
      }
    }
    for (const topic of detected)
      if (!labelled.has(topic)) misses.push(`${topic} detected but not asked: "${question.text}"`);
  });
  return { perTopic, misses };
}

function printScore(title: string, questions: LabelledQuestion[], showMisses: boolean) {
  const { perTopic, misses } = scoreQuestions(questions);
  const pt = questions.filter((q) => q.language === 'pt').length;
  console.log(`\n== ${title}: ${questions.length} questions (${questions.length - pt} es, ${pt} pt)`);
  console.log('    topic        asked  precision  recall   answered: facts  no facts  before');
  const total = { tp: 0, fp: 0, fn: 0, asked: 0, facts: 0, silent: 0, before: 0 };
  for (const [topic, row] of perTopic) {
    total.tp += row.tp;
    total.fp += row.fp;
    total.fn += row.fn;
    total.asked += row.asked;
    total.facts += row.answered.facts;
    total.silent += row.answered.silent;
    total.before += row.answered.before;
    console.log(
      `    ${topic.padEnd(12)} ${String(row.asked).padStart(5)}  ${pct(row.tp, row.tp + row.fp).padStart(9)}  ${pct(row.tp, row.tp + row.fn).padStart(6)}  ${pct(row.answered.facts, row.asked).padStart(15)}  ${pct(row.answered.silent, row.asked).padStart(8)}  ${pct(row.answered.before, row.asked).padStart(6)}`,
    );
  }
  console.log(
    `    ${'all'.padEnd(12)} ${String(total.asked).padStart(5)}  ${pct(total.tp, total.tp + total.fp).padStart(9)}  ${pct(total.tp, total.tp + total.fn).padStart(6)}  ${pct(total.facts, total.asked).padStart(15)}  ${pct(total.silent, total.asked).padStart(8)}  ${pct(total.before, total.asked).padStart(6)}`,
  );
  if (showMisses && misses.length > 0) {
    console.log(`    misses (${misses.length}):`);
    for (const miss of misses) console.log(`      ${miss}`);
  }
}

function main() {
  const questions = loadQuestions();
  const verbose = process.argv.includes('--misses');
  console.log(
    '\nDoes the reply answer what the customer asked? (classifier/data/questions.txt; "answered" judged on the ' +
      "reply text: with the shop's facts, with a shop that said nothing, and as the templates wrote it before)",
  );
  printScore(
    'Development questions',
    questions.filter((q) => q.part === 'development'),
    verbose,
  );
  const blind = questions.filter((q) => q.part === 'blind');
  if (blind.length > 0) printScore('Blind questions (written after the code, scored once)', blind, verbose);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
