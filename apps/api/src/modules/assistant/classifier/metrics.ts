import { foldOf, isHeldOut, type LabelledMessage } from './dataset';
import { HEAD_NAMES, HEADS, type HeadName, MessageModel } from './model';

export interface HeadReport {
  accuracy: number;
  classes: readonly string[];
  /** confusion[actual][predicted] */
  confusion: number[][];
  perClass: Array<{ label: string; precision: number; recall: number; f1: number; support: number }>;
}

export type Report = Record<HeadName, HeadReport>;

export function splitHeldOut(messages: readonly LabelledMessage[]) {
  return {
    train: messages.filter((message) => !isHeldOut(message)),
    test: messages.filter((message) => isHeldOut(message)),
  };
}

/** Predictions of `model` on `test`, scored per head. */
export function evaluate(model: MessageModel, test: readonly LabelledMessage[]): Report {
  const pairs = test.map((message) => ({ message, prediction: model.predict(message.text) }));
  const report = {} as Report;
  for (const name of HEAD_NAMES) {
    report[name] = score(
      HEADS[name],
      pairs.map(({ message }) => message[name]),
      pairs.map(({ prediction }) => prediction.heads[name].label),
    );
  }
  return report;
}

/** k-fold cross-validation over seed groups: train on k-1 folds, predict the other, score all. */
export function crossValidate(messages: readonly LabelledMessage[], k = 5): Report {
  const actual: LabelledMessage[] = [];
  const predicted: Record<HeadName, string[]> = { leadType: [], priority: [], category: [], language: [] };
  for (let fold = 0; fold < k; fold++) {
    const train = messages.filter((message) => foldOf(message, k) !== fold);
    const test = messages.filter((message) => foldOf(message, k) === fold);
    const model = MessageModel.train(train);
    for (const message of test) {
      const prediction = model.predict(message.text);
      actual.push(message);
      for (const name of HEAD_NAMES) predicted[name].push(prediction.heads[name].label);
    }
  }
  const report = {} as Report;
  for (const name of HEAD_NAMES) {
    report[name] = score(
      HEADS[name],
      actual.map((message) => message[name]),
      predicted[name],
    );
  }
  return report;
}

export function score(
  classes: readonly string[],
  actual: readonly string[],
  predicted: readonly string[],
): HeadReport {
  const confusion = classes.map(() => classes.map(() => 0));
  let correct = 0;
  actual.forEach((label, i) => {
    const a = classes.indexOf(label);
    const p = classes.indexOf(predicted[i] as string);
    (confusion[a] as number[])[p] = ((confusion[a] as number[])[p] as number) + 1;
    if (a === p) correct++;
  });
  const perClass = classes.map((label, c) => {
    const tp = (confusion[c] as number[])[c] as number;
    const support = (confusion[c] as number[]).reduce((sum, n) => sum + n, 0);
    const predictedCount = confusion.reduce((sum, row) => sum + (row[c] as number), 0);
    const precision = predictedCount === 0 ? 0 : tp / predictedCount;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, precision, recall, f1, support };
  });
  return { accuracy: actual.length === 0 ? 0 : correct / actual.length, classes, confusion, perClass };
}
