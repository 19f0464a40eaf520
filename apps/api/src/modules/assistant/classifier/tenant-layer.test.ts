import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, loadFreshSet } from './dataset';
import { MessageModel } from './model';
import { CONVENTIONS, outOfFoldReadings, type ReadMessage, simulateShop } from './shop-simulation';
import { chooseCandidate } from './shop-training';
import {
  adjustPrediction,
  agreement,
  type ShopExample,
  type ShopLayer,
  trainShopLayer,
} from './tenant-layer';

describe("a shop's own layer over the shared model", () => {
  let model: MessageModel;
  let stream: ReadMessage[];
  let heldOut: ReadMessage[];

  beforeAll(() => {
    const messages = loadDataset();
    model = MessageModel.train(messages);
    stream = outOfFoldReadings(messages);
    heldOut = loadFreshSet().map((message) => ({ message, prediction: model.predict(message.text) }));
  });

  it('reads as the shared model does until it has learnt something', () => {
    const prediction = model.predict('hola, cuanto cuesta la laptop lenovo?');
    expect(adjustPrediction(null, prediction)).toBe(prediction);
    const empty: ShopLayer = { format: 1, heads: { leadType: {}, priority: {} } };
    const adjusted = adjustPrediction(empty, prediction);
    expect(adjusted.heads.leadType.label).toBe(prediction.heads.leadType.label);
    expect(adjusted.heads.priority.label).toBe(prediction.heads.priority.label);
    expect(adjusted.heads.priority.probability).toBeCloseTo(prediction.heads.priority.probability, 6);
    expect(adjusted.heads.category).toBe(prediction.heads.category);
  });

  for (const convention of CONVENTIONS) {
    it(`learns a shop where ${convention.description}: ≥ 90% on its held-out messages after ≤ 200 corrections`, () => {
      const run = simulateShop(stream, heldOut, convention);
      expect(run.corrections).toBeLessThanOrEqual(200);
      expect(run.activated).toBeGreaterThan(0);
      // Each head agrees with the shop's sellers on at least 90% of messages none of this saw...
      expect(run.adapted.leadType).toBeGreaterThanOrEqual(0.9);
      expect(run.adapted.priority).toBeGreaterThanOrEqual(0.9);
      // ...where the shared model, which labels by the common rules, misses the shop's convention.
      expect(run.adapted.both).toBeGreaterThan(run.shared.both + 0.1);
      expect(run.adaptedOnChanged.both).toBeGreaterThan(0.8);
      expect(run.sharedOnChanged.both).toBeLessThan(0.1);
    });
  }

  it('keeps the reading in use when a candidate agrees less with the newest corrections', () => {
    const examples: ShopExample[] = stream.slice(0, 120).map(({ message, prediction }) => ({
      prediction,
      leadType: message.leadType,
      priority: message.priority,
    }));
    // A candidate that learnt the opposite of the shop: every lead a service, every priority low.
    const contrary = trainShopLayer(
      examples.map((example) => ({ ...example, leadType: 'SERVICE', priority: 'LOW' })),
    );
    const choice = chooseCandidate(examples, null, () => contrary);
    expect(choice.activate).toBe(false);
    expect(choice.reason).toBe('SCORED_WORSE');
    expect(choice.candidate.both).toBeLessThan(choice.baseline.both);
    expect(choice.baseline).toEqual(agreement(null, examples.slice(examples.length - 24)));

    const honest = chooseCandidate(examples, null, trainShopLayer);
    expect(honest.reason).toBe('SCORED_AT_LEAST_AS_WELL');
    expect(honest.activate).toBe(true);
  });
});
