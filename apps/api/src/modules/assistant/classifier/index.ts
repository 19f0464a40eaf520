/**
 * The assistant's built-in classifier: no network, no key. Four softmax regressions (model.ts,
 * logreg.ts) over word and character n-grams plus urgency / buying-intent signals (features.ts,
 * signals.ts), trained on the labelled messages in data/messages.jsonl (rules in data/RULES.md).
 *
 * The model is trained from the data set on first use, in this process, instead of being shipped
 * as a precomputed JSON: training takes about 0.6 s of CPU for ~2,100 messages, the weights
 * would be a multi-megabyte file to keep in sync with the data, and training from the data keeps
 * one source of truth (edit a seed, rebuild the JSONL, restart). Call `warmUpClassifier()` at
 * start-up to pay that cost before the first lead; after that one classification takes well under
 * a millisecond (see `npm run eval:assistant`).
 */
import { CATEGORIES, loadDataset } from './dataset';
import { MessageModel, type Prediction } from './model';
import type { SignalHit, SignalName } from './signals';

export interface Classification {
  leadType: 'SALE' | 'SERVICE';
  priority: 'HIGH' | 'MEDIUM' | 'LOW';
  category: string; // a listing category or 'OTHER'
  language: 'es' | 'pt';
  confidence: number; // 0..1, combined confidence of leadType and priority
  reasons: string[]; // 1–4 short Spanish phrases a seller understands
  signals: { urgency: boolean; buyingIntent: boolean; business: boolean; browsing: boolean };
}

let model: MessageModel | null = null;

function getModel(): MessageModel {
  model ??= MessageModel.train(loadDataset());
  return model;
}

/** The shared model's raw reading of a message: what a shop's own layer (tenant-layer.ts) learns from. */
export function predictMessage(text: string): Prediction {
  return getModel().predict(text);
}

/** Trains the model now (it is otherwise trained on the first classification). */
export function warmUpClassifier(): void {
  getModel();
}

const CATEGORY_NAMES: Record<string, string> = {
  LAPTOPS: 'laptops',
  PHONES: 'celulares',
  GAMING: 'gaming y consolas',
  NETWORKING: 'redes y cámaras',
  COMPONENTS: 'PC y componentes',
  ACCESSORIES: 'accesorios',
  PRINTERS: 'impresoras',
  SERVICES: 'servicio técnico',
};

/** Accents for the words an urgency reason may quote from the normalized text. */
const ACCENTED: Record<string, string> = {
  manana: 'mañana',
  amanha: 'amanhã',
  sabado: 'sábado',
  miercoles: 'miércoles',
  cumpleanos: 'cumpleaños',
  reunion: 'reunión',
  presentacion: 'presentación',
  inauguracion: 'inauguración',
  sustentacion: 'sustentación',
  dia: 'día',
  terca: 'terça',
};

function has(hits: readonly SignalHit[], name: SignalName, label?: string) {
  return hits.some((hit) => hit.name === name && (label === undefined || hit.label === label));
}

function urgencyQuote(prediction: Prediction): string | null {
  const { hits, normalized } = prediction.featurized;
  const hit = hits.find((candidate) => candidate.name === 'urgency');
  if (!hit) return null;
  if (hit.label !== 'tiene fecha' && hit.label !== 'tiene un evento o plazo')
    return `Urgencia: "${hit.label}"`;
  const match =
    /\b(?:para el |pro |para o |este |el )?(?:lunes|martes|miercoles|jueves|viernes|sabado|domingo|segunda|terca|quarta|quinta|sexta)\b|\b(?:esta|essa) (?:tarde|noche|semana|noite)\b|\b(?:cumple|cumpleanos|aniversario|evento|boda|viajo|viaje|torneo|campeonato|examen|prova|tesis|tcc|presentacion|reunion|inauguramos|inauguracion|clase virtual|aula online|dia de la madre)\b/.exec(
      normalized,
    );
  if (!match) return `Urgencia: ${hit.label}`;
  const words = match[0]
    .split(' ')
    .map((word) => ACCENTED[word] ?? word)
    .join(' ');
  return `Urgencia: "${words}"`;
}

function leadTypeReason(prediction: Prediction, leadType: Classification['leadType']): string {
  const { hits, tokens } = prediction.featurized;
  if (leadType === 'SERVICE') {
    if (
      has(hits, 'repair', 'reclamo de garantía') ||
      (has(hits, 'boughtHere') &&
        (has(hits, 'symptom') || has(hits, 'repair', 'describe una falla del equipo')))
    )
      return 'Reclamo de garantía';
    if (has(hits, 'repairCost')) return 'Pregunta cuánto cuesta la reparación';
    if (has(hits, 'repair', 'quiere recuperar información')) return 'Quiere recuperar su información';
    if (has(hits, 'repair', 'pide instalación o configuración')) return 'Pide instalación o configuración';
    if (has(hits, 'repair', 'describe una falla del equipo')) return 'Pide reparación del equipo';
    if (has(hits, 'repair')) return 'Pide servicio técnico';
    if (has(hits, 'accident')) return 'Cuenta un accidente con el equipo';
    if (has(hits, 'symptom') || has(hits, 'negatedState')) return 'Describe una falla del equipo';
    return 'Parece un pedido de servicio técnico';
  }
  if (has(hits, 'preferBuy')) return 'Prefiere comprar antes que reparar';
  if (has(hits, 'payment')) return 'Quiere comprar: pregunta cómo pagar';
  if (has(hits, 'hold')) return 'Quiere comprar: pide que se lo separen';
  if (has(hits, 'decision')) return 'Quiere comprar: dice que se lo lleva';
  if (has(hits, 'delivery')) return 'Quiere comprar: coordina la entrega';
  const asksPrice = tokens.some((token) =>
    /^(?:precio|presio|cuanto|cuanta|kuanto|cnto|cuesta|sale|vale|quanto|qnto|qnt|qto|valor|preco|custa|disponible|disponivel|stock|tienen|tenes|tem|hay)$/.test(
      token,
    ),
  );
  return asksPrice ? 'Consulta precio o disponibilidad' : '';
}

function priorityReasons(
  prediction: Prediction,
  priority: Classification['priority'],
  leadType: string,
): string[] {
  const { hits, tokens } = prediction.featurized;
  const reasons: string[] = [];
  if (priority === 'HIGH') {
    const quote = urgencyQuote(prediction);
    if (quote) reasons.push(quote);
    if (has(hits, 'blocking')) reasons.push('El equipo le impide trabajar');
    if (has(hits, 'business'))
      reasons.push(leadType === 'SERVICE' ? 'Cliente empresa o negocio' : 'Compra de empresa o por volumen');
    if (
      reasons.length === 0 &&
      leadType === 'SALE' &&
      !hits.some((hit) => ['payment', 'hold', 'decision'].includes(hit.name))
    )
      reasons.push('Decidido a comprar');
    if (reasons.length === 0 && leadType === 'SERVICE') reasons.push('Necesita el equipo pronto');
  } else if (priority === 'LOW') {
    if (has(hits, 'browsing', 'lo deja para más adelante')) reasons.push('Lo deja para más adelante');
    else if (has(hits, 'browsing')) reasons.push('Solo está mirando, sin fecha');
    else if (tokens.filter((token) => !token.startsWith('_')).length <= 3)
      reasons.push('Mensaje muy general');
    else reasons.push('Sin intención ni plazo claros');
  } else {
    reasons.push(leadType === 'SERVICE' ? 'Sin urgencia declarada' : 'Interés concreto, sin urgencia');
  }
  return reasons;
}

function fromPrediction(prediction: Prediction): Classification {
  const { heads } = prediction;
  const leadType = heads.leadType.label as Classification['leadType'];
  const priority = heads.priority.label as Classification['priority'];
  const category = heads.category.label;
  const language = heads.language.label as Classification['language'];
  const hits = prediction.featurized.hits;

  const reasons = [
    leadTypeReason(prediction, leadType),
    ...priorityReasons(prediction, priority, leadType),
  ].filter((reason) => reason !== '');
  if (CATEGORY_NAMES[category] && category !== 'SERVICES')
    reasons.push(`Producto: ${CATEGORY_NAMES[category]}`);
  if (language === 'pt') reasons.push('Escribe en portugués');

  return {
    leadType,
    priority,
    category,
    language,
    confidence: round(Math.min(0.99, heads.leadType.probability * heads.priority.probability)),
    reasons: [...new Set(reasons)].slice(0, 4),
    signals: {
      urgency: has(hits, 'urgency') || has(hits, 'blocking'),
      buyingIntent:
        has(hits, 'payment') || has(hits, 'decision') || has(hits, 'hold') || has(hits, 'delivery'),
      business: has(hits, 'business'),
      browsing: has(hits, 'browsing'),
    },
  };
}

const SALE_REASONS = [
  'Quiere comprar',
  'Consulta precio',
  'Prefiere comprar',
  'Interés concreto',
  'Decidido a comprar',
];
const round = (value: number) => Math.round(value * 1000) / 1000;
const hasWords = (text: string) => /[\p{L}\p{N}\p{Extended_Pictographic}]/u.test(text);
const isListingCategory = (value: string | null | undefined): value is string =>
  typeof value === 'string' && (CATEGORIES as readonly string[]).includes(value);

/** Classifies one customer message. Synchronous; the model is trained once, on first use. */
export function classifyMessage(text: string): Classification {
  if (!hasWords(text ?? '')) return classifyLead({ message: null });
  return fromPrediction(getModel().predict(text));
}

/**
 * Classifies a lead from its first message, with the listing it came from as weak context: the
 * listing decides only what the message leaves open (the product family when the message names
 * none; the lead type of a one- or two-word message on a service listing). A lead without a
 * message is a SALE by default (a SERVICE on a service listing), MEDIUM when it came from a
 * listing and LOW otherwise, with a low confidence.
 */
export function classifyLead(input: {
  message?: string | null;
  listingTitle?: string | null;
  listingCategory?: string | null;
  /** A shop's own reading of the message's prediction (its layer, tenant-layer.ts); the shared one without. */
  adjust?: (prediction: Prediction) => Prediction;
}): Classification {
  const message = input.message?.trim() ?? '';
  const title = input.listingTitle?.trim() ?? '';
  const listingCategory = isListingCategory(input.listingCategory) ? input.listingCategory : null;
  const fromTitle = title && hasWords(title) ? getModel().predict(title) : null;
  const contextCategory =
    listingCategory ??
    (fromTitle && fromTitle.heads.category.probability >= 0.5 ? fromTitle.heads.category.label : null);
  const serviceListing =
    listingCategory === 'SERVICES' ||
    (fromTitle?.heads.leadType.label === 'SERVICE' && fromTitle.heads.leadType.probability >= 0.8);

  if (!hasWords(message)) {
    const category = contextCategory ?? 'OTHER';
    return {
      leadType: serviceListing ? 'SERVICE' : 'SALE',
      priority: title || listingCategory ? 'MEDIUM' : 'LOW',
      category,
      language:
        fromTitle?.heads.language.probability && fromTitle.heads.language.probability >= 0.9
          ? (fromTitle.heads.language.label as 'es' | 'pt')
          : 'es',
      confidence: title || listingCategory ? 0.3 : 0.2,
      reasons: [
        title ? 'Sin mensaje: abrió el chat desde el anuncio' : 'Sin mensaje del cliente',
        ...(CATEGORY_NAMES[category] && category !== 'SERVICES'
          ? [`Producto: ${CATEGORY_NAMES[category]}`]
          : []),
      ],
      signals: { urgency: false, buyingIntent: false, business: false, browsing: false },
    };
  }

  const shared = getModel().predict(message);
  const prediction = input.adjust ? input.adjust(shared) : shared;
  const result = fromPrediction(prediction);
  if (result.category === 'OTHER' && contextCategory) {
    result.category = contextCategory;
    if (CATEGORY_NAMES[contextCategory] && contextCategory !== 'SERVICES' && result.reasons.length < 4)
      result.reasons.push(`Producto: ${CATEGORY_NAMES[contextCategory]} (del anuncio)`);
  }
  const words = prediction.featurized.tokens.filter((token) => !token.startsWith('_')).length;
  if (serviceListing && words <= 2 && result.leadType === 'SALE') {
    result.leadType = 'SERVICE';
    result.confidence = round(0.6 * prediction.heads.priority.probability);
    result.reasons = [
      'Pregunta por un anuncio de servicio técnico',
      ...result.reasons.filter((reason) => !SALE_REASONS.some((prefix) => reason.startsWith(prefix))),
    ].slice(0, 4);
  }
  return result;
}
