/**
 * Simulated shops whose sellers label by their own convention, to show (eval.ts, tenant-layer.test.ts) that a
 * shop's layer learns it from the sellers' corrections, as the production job does (`shop-model.service.ts`):
 * leads arrive one by one; a seller corrects a lead whose reading differs from the shop's convention (an explicit
 * correction) and works the others as read (an implicit confirmation); every `retrainEvery` corrections a
 * candidate layer is trained on all but the newest examples, scored on those, and activated only if it agrees
 * with them at least as well as the active reading does. Agreement is then measured on messages none of this
 * saw.
 */
import { fnv1a, foldOf, type LabelledMessage } from './dataset';
import { MessageModel, type Prediction } from './model';
import { normalizeText } from './normalize';
import { chooseCandidate } from './shop-training';
import {
  type Agreement,
  adjustPrediction,
  agreement,
  type LayerTrainOptions,
  type ShopExample,
  type ShopLayer,
  trainShopLayer,
} from './tenant-layer';

export interface ShopConvention {
  name: string;
  description: string;
  /** The shop's label for a message, given the standard one. */
  relabel(message: LabelledMessage): Pick<LabelledMessage, 'leadType' | 'priority'>;
}

const ASKS_PRICE =
  /\b(?:precio|presio|precios|cuanto|cuanta|cuesta|cuestan|vale|valor|quanto|preco|custa|custam)\b/;

export const CONVENTIONS: ShopConvention[] = [
  {
    name: 'price-is-hot',
    description: 'every question about a price is HIGH',
    relabel: (message) => ({
      leadType: message.leadType,
      priority: ASKS_PRICE.test(normalizeText(message.text)) ? 'HIGH' : message.priority,
    }),
  },
  {
    name: 'repairs-first',
    description: 'every repair or service request is HIGH (a repair shop answers those first)',
    relabel: (message) => ({
      leadType: message.leadType,
      priority: message.leadType === 'SERVICE' ? 'HIGH' : message.priority,
    }),
  },
];

export interface ShopRun {
  convention: string;
  /** Leads the sellers saw in the stream, and how many of them they corrected. */
  leads: number;
  corrections: number;
  confirmations: number;
  /** Layer versions trained, and how many were activated. */
  versions: number;
  activated: number;
  /** On the held-out messages, labelled by the shop's convention. */
  heldOut: number;
  shared: Agreement;
  adapted: Agreement;
  /** The share of held-out messages the convention changes, and the agreement on those alone. */
  changedShare: number;
  sharedOnChanged: Agreement;
  adaptedOnChanged: Agreement;
}

/** A message with the shared model's reading of it, made by a model that never saw it. */
export interface ReadMessage {
  message: LabelledMessage;
  prediction: Prediction;
}

/**
 * Each message read by a model trained without its fold (k folds over seed groups): how a model trained on most
 * of the data reads messages it has never seen, which is what a shop's new leads are to the production model.
 */
export function outOfFoldReadings(messages: readonly LabelledMessage[], k = 5): ReadMessage[] {
  const readings: ReadMessage[] = [];
  for (let fold = 0; fold < k; fold++) {
    const model = MessageModel.train(messages.filter((message) => foldOf(message, k) !== fold));
    for (const message of messages)
      if (foldOf(message, k) === fold) readings.push({ message, prediction: model.predict(message.text) });
  }
  return readings;
}

/**
 * Runs one simulated shop: its leads are `stream` in a stable shuffle, until the sellers have made
 * `maxCorrections` corrections; its agreement is then measured on `heldOut`, other messages (eval.ts: the data
 * set read out of fold as the stream, the fresh set read by the production model as the held-out messages).
 */
export function simulateShop(
  stream: readonly ReadMessage[],
  heldOut: readonly ReadMessage[],
  convention: ShopConvention,
  options: { maxCorrections?: number; retrainEvery?: number; train?: LayerTrainOptions } = {},
): ShopRun {
  const { maxCorrections = 200, retrainEvery = 20 } = options;
  const asExample = ({ message, prediction }: ReadMessage): ShopExample => ({
    prediction,
    ...convention.relabel(message),
  });
  const leadsInOrder = [...stream]
    .sort(
      (a, b) => fnv1a(`${convention.name}:${a.message.text}`) - fnv1a(`${convention.name}:${b.message.text}`),
    )
    .map(asExample);
  const heldOutExamples = heldOut.map(asExample);

  let active: ShopLayer | null = null;
  const examples: ShopExample[] = [];
  let corrections = 0;
  let sinceTraining = 0;
  let versions = 0;
  let activated = 0;
  let leads = 0;
  for (const example of leadsInOrder) {
    if (corrections >= maxCorrections) break;
    leads++;
    const { heads } = adjustPrediction(active, example.prediction);
    const corrected = heads.leadType.label !== example.leadType || heads.priority.label !== example.priority;
    examples.push(example);
    if (!corrected) continue;
    corrections++;
    sinceTraining++;
    if (sinceTraining < retrainEvery) continue;
    sinceTraining = 0;
    versions++;
    const choice = chooseCandidate(examples, active, (part) => trainShopLayer(part, options.train));
    if (choice.activate) {
      active = choice.layer;
      activated++;
    }
  }

  const changed = heldOutExamples.filter((example, index) => {
    const message = heldOut[index]?.message;
    return message && (example.leadType !== message.leadType || example.priority !== message.priority);
  });
  return {
    convention: convention.name,
    leads,
    corrections,
    confirmations: leads - corrections,
    versions,
    activated,
    heldOut: heldOutExamples.length,
    shared: agreement(null, heldOutExamples),
    adapted: agreement(active, heldOutExamples),
    changedShare: heldOutExamples.length === 0 ? 0 : changed.length / heldOutExamples.length,
    sharedOnChanged: agreement(null, changed),
    adaptedOnChanged: agreement(active, changed),
  };
}
