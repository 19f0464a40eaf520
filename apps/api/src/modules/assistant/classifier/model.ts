import { CATEGORIES, LANGUAGES, type LabelledMessage, LEAD_TYPES, PRIORITIES } from './dataset';
import { type Featurized, featurize } from './features';
import {
  type SoftmaxRegression as Head,
  SoftmaxRegression,
  type SparseVector,
  type TrainOptions,
} from './logreg';

export const HEADS = {
  leadType: LEAD_TYPES,
  priority: PRIORITIES,
  category: CATEGORIES,
  language: LANGUAGES,
} as const;
export type HeadName = keyof typeof HEADS;
export const HEAD_NAMES = Object.keys(HEADS) as HeadName[];

const HEAD_OPTIONS: Record<HeadName, TrainOptions> = {
  leadType: { epochs: 6, l2: 1e-4, classBalance: 0 },
  priority: { epochs: 6, l2: 1e-4, classBalance: 0.5 },
  category: { epochs: 6, l2: 1e-4, classBalance: 0 },
  language: { epochs: 4, l2: 1e-4, classBalance: 0 },
};

export interface HeadPrediction {
  label: string;
  probability: number;
  distribution: Record<string, number>;
}

export interface Prediction {
  featurized: Featurized;
  heads: Record<HeadName, HeadPrediction>;
}

/** Four softmax regressions (lead type, priority, category, language) over one shared feature space. */
export class MessageModel {
  private constructor(
    private readonly vocabulary: Map<string, number>,
    private readonly heads: Record<HeadName, Head>,
  ) {}

  static train(messages: readonly LabelledMessage[]): MessageModel {
    // One message at a time: its features numbered (in order of first sight, as before) and turned into a vector at
    // once, so that the messages' feature maps (hundreds of thousands of entries) are never all held together.
    const vocabulary = new Map<string, number>();
    const vectors = messages.map((message) => {
      const features = featurize(message.text).features;
      for (const key of features.keys()) if (!vocabulary.has(key)) vocabulary.set(key, vocabulary.size);
      return toVector(features, vocabulary);
    });
    const heads = {} as Record<HeadName, Head>;
    for (const name of HEAD_NAMES) {
      const classes: readonly string[] = HEADS[name];
      const labels = messages.map((message) => {
        const index = classes.indexOf(message[name]);
        if (index < 0) throw new Error(`unknown ${name} "${message[name]}" for: ${message.text}`);
        return index;
      });
      const head = new SoftmaxRegression(classes, vocabulary.size);
      head.train(vectors, labels, HEAD_OPTIONS[name]);
      heads[name] = head;
    }
    return new MessageModel(vocabulary, heads);
  }

  predict(text: string): Prediction {
    const featurized = featurize(text);
    const vector = toVector(featurized.features, this.vocabulary);
    const heads = {} as Record<HeadName, HeadPrediction>;
    for (const name of HEAD_NAMES) {
      const head = this.heads[name];
      const probabilities = head.probabilities(vector);
      let best = 0;
      for (let c = 1; c < probabilities.length; c++)
        if ((probabilities[c] as number) > (probabilities[best] as number)) best = c;
      const distribution: Record<string, number> = {};
      head.classes.forEach((label, c) => {
        distribution[label] = probabilities[c] as number;
      });
      heads[name] = {
        label: head.classes[best] as string,
        probability: probabilities[best] as number,
        distribution,
      };
    }
    // A message that names no product family gets a product category only when the model is sure
    // of it ("se me olvidó el patrón" → PHONES); otherwise OTHER, which leaves it to the listing.
    const category = heads.category;
    if (
      !featurized.namesProduct &&
      category.label !== 'OTHER' &&
      category.label !== 'SERVICES' &&
      category.probability < 0.6
    ) {
      heads.category = { ...category, label: 'OTHER', probability: category.distribution.OTHER ?? 0 };
    }
    return { featurized, heads };
  }
}

function toVector(features: Map<string, number>, vocabulary: Map<string, number>): SparseVector {
  const indices: number[] = [];
  const values: number[] = [];
  for (const [key, value] of features) {
    const index = vocabulary.get(key);
    if (index === undefined) continue;
    indices.push(index);
    values.push(value);
  }
  return { indices: Int32Array.from(indices), values: Float64Array.from(values) };
}
