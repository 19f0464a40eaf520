/**
 * Multinomial logistic regression (softmax regression) over sparse features, trained by
 * stochastic gradient descent with AdaGrad step sizes and L2 regularization.
 *
 * For each class c the model keeps a weight per feature; the probability of c for a message x is
 * softmax_c(Σ_f w[f][c]·x[f]). Training minimizes the cross-entropy of the labelled messages plus
 * λ/2·‖w‖², visiting them in a seeded shuffle so that the result is deterministic. L2 is applied
 * to the features of each visited example only (the usual sparse approximation).
 */

export interface SparseVector {
  indices: Int32Array;
  values: Float64Array;
}

export interface TrainOptions {
  epochs?: number;
  learningRate?: number;
  l2?: number;
  /** Weight classes by (n / count)^power to help the rare ones; 0 disables. */
  classBalance?: number;
  seed?: number;
}

export class SoftmaxRegression {
  readonly weights: Float64Array;

  constructor(
    readonly classes: readonly string[],
    readonly featureCount: number,
  ) {
    this.weights = new Float64Array(featureCount * classes.length);
  }

  /** Class probabilities, in `classes` order. */
  probabilities(x: SparseVector): Float64Array {
    const k = this.classes.length;
    const scores = new Float64Array(k);
    for (let j = 0; j < x.indices.length; j++) {
      const base = (x.indices[j] as number) * k;
      const value = x.values[j] as number;
      for (let c = 0; c < k; c++)
        scores[c] = (scores[c] as number) + (this.weights[base + c] as number) * value;
    }
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < k; c++) max = Math.max(max, scores[c] as number);
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp((scores[c] as number) - max);
      scores[c] = e;
      sum += e;
    }
    for (let c = 0; c < k; c++) scores[c] = (scores[c] as number) / sum;
    return scores;
  }

  /** Contribution of each feature of x to the score of class c (for explanations). */
  contribution(featureIndex: number, classIndex: number): number {
    return this.weights[featureIndex * this.classes.length + classIndex] as number;
  }

  train(examples: readonly SparseVector[], labels: readonly number[], options: TrainOptions = {}) {
    const { epochs = 25, learningRate = 0.5, l2 = 1e-4, classBalance = 0.5, seed = 42 } = options;
    const k = this.classes.length;
    const gradSquares = new Float64Array(this.weights.length).fill(1e-8);
    const counts = new Array<number>(k).fill(0);
    for (const label of labels) counts[label] = (counts[label] as number) + 1;
    const classWeight = counts.map((count) =>
      count === 0 ? 0 : ((labels.length / (k * count)) as number) ** classBalance,
    );
    const order = examples.map((_, index) => index);
    let state = seed >>> 0 || 1;
    const random = () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) / 4294967296;
    };
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j] as number, order[i] as number];
      }
      for (const index of order) {
        const x = examples[index] as SparseVector;
        const label = labels[index] as number;
        const p = this.probabilities(x);
        const weight = classWeight[label] as number;
        for (let j = 0; j < x.indices.length; j++) {
          const base = (x.indices[j] as number) * k;
          const value = x.values[j] as number;
          for (let c = 0; c < k; c++) {
            const at = base + c;
            const w = this.weights[at] as number;
            const g = weight * ((p[c] as number) - (c === label ? 1 : 0)) * value + l2 * w;
            const squares = (gradSquares[at] as number) + g * g;
            gradSquares[at] = squares;
            this.weights[at] = w - (learningRate * g) / Math.sqrt(squares);
          }
        }
      }
    }
  }
}
