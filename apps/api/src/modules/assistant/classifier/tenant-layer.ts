/**
 * A shop's own layer over the shared model: each shop labels a little differently (one calls every "¿precio?"
 * HIGH, another treats a warranty claim as a sale), and its sellers' corrections say how. The layer is a
 * residual softmax regression per head (lead type, priority): the class scores are the shared model's
 * log-probabilities plus a learned correction Σ w[f][c]·x[f] over the shared model's own features (words,
 * bigrams, character n-grams, signals, products, length; `features.ts`). With no weights it is the shared model
 * exactly; L2 keeps the corrections small, so a handful of examples moves only what they are about.
 *
 * Trained by stochastic gradient descent with AdaGrad steps, in a seeded shuffle, so the same corrections give
 * the same layer. Only the features seen in the shop's corrections get weights, and tiny ones are dropped, so a
 * layer is a small JSON document (stored versioned per shop: `assistant_shop_model`).
 */
import { LEAD_TYPES, PRIORITIES } from './dataset';
import type { HeadPrediction, Prediction } from './model';

export const LAYER_HEADS = { leadType: LEAD_TYPES, priority: PRIORITIES } as const;
export type LayerHead = keyof typeof LAYER_HEADS;
const LAYER_HEAD_NAMES = Object.keys(LAYER_HEADS) as LayerHead[];

/** One head's correction: per feature, one weight per class (in `LAYER_HEADS` order). */
export type HeadLayer = Record<string, number[]>;
export interface ShopLayer {
  format: 1;
  heads: Record<LayerHead, HeadLayer>;
}

export interface ShopExample {
  prediction: Prediction;
  leadType: (typeof LEAD_TYPES)[number];
  priority: (typeof PRIORITIES)[number];
}

export interface LayerTrainOptions {
  epochs?: number;
  learningRate?: number;
  l2?: number;
  seed?: number;
}

/** Chosen on the simulated shops of `eval.ts`: enough to learn a convention from ~100 examples, not to overfit. */
const DEFAULTS: Required<LayerTrainOptions> = { epochs: 16, learningRate: 0.3, l2: 1e-4, seed: 7 };
const FLOOR = 1e-9;
/** A feature learns only when this many of the shop's examples have it. */
const MIN_EXAMPLES_PER_FEATURE = 2;
/**
 * Weights below this, and digits past the third decimal, are dropped when the layer is stored: they barely move a
 * score (the simulated shops of eval.ts score the same with and without them), and the document stays small.
 */
const PRUNE = 0.01;

function logPriors(head: HeadPrediction, classes: readonly string[]): Float64Array {
  return Float64Array.from(classes, (label) => Math.log(Math.max(FLOOR, head.distribution[label] ?? 0)));
}

function softmax(scores: Float64Array): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (const score of scores) max = Math.max(max, score);
  let sum = 0;
  const out = new Float64Array(scores.length);
  for (let c = 0; c < scores.length; c++) {
    const e = Math.exp((scores[c] as number) - max);
    out[c] = e;
    sum += e;
  }
  for (let c = 0; c < out.length; c++) out[c] = (out[c] as number) / sum;
  return out;
}

function scores(
  weightsOf: (feature: string) => ArrayLike<number> | undefined,
  features: Map<string, number>,
  priors: Float64Array,
): Float64Array {
  const out = Float64Array.from(priors);
  for (const [feature, value] of features) {
    const weights = weightsOf(feature);
    if (!weights) continue;
    for (let c = 0; c < out.length; c++) out[c] = (out[c] as number) + (weights[c] ?? 0) * value;
  }
  return out;
}

function trainHead(
  name: LayerHead,
  examples: readonly ShopExample[],
  options: Required<LayerTrainOptions>,
): HeadLayer {
  const classes: readonly string[] = LAYER_HEADS[name];
  const k = classes.length;
  // Only features of at least MIN_EXAMPLES_PER_FEATURE examples: a word one customer wrote (a name, a street)
  // is never stored in the shop's layer, and one message alone cannot swing it.
  const seen = new Map<string, number>();
  for (const example of examples)
    for (const feature of example.prediction.featurized.features.keys())
      seen.set(feature, (seen.get(feature) ?? 0) + 1);
  // Features as indices once, weights in one flat array: the inner loop touches no Map.
  const vocabulary = new Map<string, number>();
  const rows = examples.map((example) => {
    const indices: number[] = [];
    const values: number[] = [];
    for (const [feature, value] of example.prediction.featurized.features) {
      if ((seen.get(feature) ?? 0) < MIN_EXAMPLES_PER_FEATURE) continue;
      let index = vocabulary.get(feature);
      if (index === undefined) {
        index = vocabulary.size;
        vocabulary.set(feature, index);
      }
      indices.push(index);
      values.push(value);
    }
    return {
      indices: Int32Array.from(indices),
      values: Float64Array.from(values),
      priors: logPriors(example.prediction.heads[name], classes),
      label: classes.indexOf(example[name]),
    };
  });
  const weights = new Float64Array(vocabulary.size * k);
  const squares = new Float64Array(vocabulary.size * k).fill(1e-8);
  const order = rows.map((_, index) => index);
  let state = options.seed >>> 0 || 1;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  const z = new Float64Array(k);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const index of order) {
      const row = rows[index];
      if (!row || row.label < 0) continue;
      z.set(row.priors);
      for (let f = 0; f < row.indices.length; f++) {
        const base = (row.indices[f] as number) * k;
        const value = row.values[f] as number;
        for (let c = 0; c < k; c++) z[c] = (z[c] as number) + (weights[base + c] as number) * value;
      }
      const p = softmax(z);
      for (let f = 0; f < row.indices.length; f++) {
        const base = (row.indices[f] as number) * k;
        const value = row.values[f] as number;
        for (let c = 0; c < k; c++) {
          const at = base + c;
          const w = weights[at] as number;
          const g = ((p[c] as number) - (c === row.label ? 1 : 0)) * value + options.l2 * w;
          const g2 = (squares[at] as number) + g * g;
          squares[at] = g2;
          weights[at] = w - (options.learningRate * g) / Math.sqrt(g2);
        }
      }
    }
  }
  const layer: HeadLayer = {};
  for (const [feature, index] of vocabulary) {
    const w = weights.subarray(index * k, index * k + k);
    if (!w.some((value) => Math.abs(value) >= PRUNE)) continue;
    layer[feature] = Array.from(w, (value) => Math.round(value * 1000) / 1000);
  }
  return layer;
}

/** Trains a shop's layer on its labelled examples (each with the shared model's prediction of its text). */
export function trainShopLayer(examples: readonly ShopExample[], options: LayerTrainOptions = {}): ShopLayer {
  const settings = { ...DEFAULTS, ...options };
  return {
    format: 1,
    heads: {
      leadType: trainHead('leadType', examples, settings),
      priority: trainHead('priority', examples, settings),
    },
  };
}

/**
 * The shared model's prediction as the shop's layer reads it: lead type and priority rescored, everything else
 * (features, category, language) as it was. A null layer leaves the prediction untouched.
 */
export function adjustPrediction(layer: ShopLayer | null, prediction: Prediction): Prediction {
  if (!layer) return prediction;
  const heads = { ...prediction.heads };
  for (const name of LAYER_HEAD_NAMES) {
    const classes: readonly string[] = LAYER_HEADS[name];
    const p = softmax(
      scores(
        (feature) => layer.heads[name][feature],
        prediction.featurized.features,
        logPriors(prediction.heads[name], classes),
      ),
    );
    let best = 0;
    for (let c = 1; c < p.length; c++) if ((p[c] as number) > (p[best] as number)) best = c;
    const distribution: Record<string, number> = {};
    classes.forEach((label, c) => {
      distribution[label] = p[c] as number;
    });
    heads[name] = { label: classes[best] as string, probability: p[best] as number, distribution };
  }
  return { ...prediction, heads };
}

export interface Agreement {
  /** How many examples were scored. */
  examples: number;
  leadType: number;
  priority: number;
  /** Both right: the share of leads the sellers would not have had to touch. */
  both: number;
}

/** How often the layer (or the shared model alone, with null) agrees with the shop's own labels. */
export function agreement(layer: ShopLayer | null, examples: readonly ShopExample[]): Agreement {
  let leadType = 0;
  let priority = 0;
  let both = 0;
  for (const example of examples) {
    const { heads } = adjustPrediction(layer, example.prediction);
    const typeRight = heads.leadType.label === example.leadType;
    const priorityRight = heads.priority.label === example.priority;
    if (typeRight) leadType++;
    if (priorityRight) priority++;
    if (typeRight && priorityRight) both++;
  }
  const n = examples.length;
  const share = (count: number) => (n === 0 ? 0 : Math.round((count / n) * 10000) / 10000);
  return { examples: n, leadType: share(leadType), priority: share(priority), both: share(both) };
}

/** Whether a stored document is a layer this code reads (an older format is ignored, never misread). */
export function isShopLayer(value: unknown): value is ShopLayer {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<ShopLayer>;
  return (
    candidate.format === 1 &&
    typeof candidate.heads?.leadType === 'object' &&
    typeof candidate.heads?.priority === 'object'
  );
}
