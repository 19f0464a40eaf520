import { describe, expect, it } from 'vitest';
import { dedupKey, loadDataset, loadFreshBatches } from './dataset';
import { featurize } from './features';
import { evaluate, splitHeldOut } from './metrics';
import { MessageModel } from './model';
import { TARGETS } from './targets';

/**
 * Fresh messages that turned out to equal a seed written before them (greetings, and two shop
 * questions): they stay in fresh.txt as scored. Any other overlap means a fresh message was copied
 * into the seeds, which would make the fresh figures no longer blind.
 */
const FRESH_ALSO_SEEDED = new Set(
  [
    'hacen envíos a provincia?',
    'tienen mochila para laptop de 15.6?',
    'hola buen día 🙂',
    'hola 👋👋',
    'oi 👋',
  ].map(dedupKey),
);

describe('built-in classifier evaluation', () => {
  const messages = loadDataset();

  it('keeps a data set that follows the brief', () => {
    expect(messages.length).toBeGreaterThanOrEqual(900);
    const portuguese = messages.filter((message) => message.language === 'pt').length;
    expect(portuguese / messages.length).toBeGreaterThanOrEqual(0.15);
    const keys = new Set(messages.map((message) => message.text.toLowerCase().trim()));
    expect(keys.size).toBe(messages.length);
  });

  it('never puts variants of one seed on both sides of the held-out split', () => {
    const { train, test } = splitHeldOut(messages);
    const trainGroups = new Set(train.map((message) => message.group));
    expect(test.filter((message) => trainGroups.has(message.group))).toEqual([]);
    expect(test.length / messages.length).toBeGreaterThan(0.15);
    expect(test.length / messages.length).toBeLessThan(0.25);
  });

  it('meets the accuracy targets on held-out data when trained on the train split only', () => {
    const { train, test } = splitHeldOut(messages);
    const report = evaluate(MessageModel.train(train), test);
    expect(report.leadType.accuracy).toBeGreaterThanOrEqual(TARGETS.leadType);
    expect(report.priority.accuracy).toBeGreaterThanOrEqual(TARGETS.priority);
    expect(report.language.accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('meets the targets on held-out messages that tell a fault, with or without a wish to buy instead', () => {
    // The kinds of issue 19: a service need told only by its symptom or accident, a warranty
    // claim, and the reverse, a purchase that mentions a broken device.
    const { train, test } = splitHeldOut(messages);
    const faults = test.filter((message) => {
      const { features } = featurize(message.text);
      return features.has('s:fault-only') || features.has('s:fault-buy');
    });
    expect(faults.length).toBeGreaterThanOrEqual(100);
    expect(faults.some((message) => message.leadType === 'SALE')).toBe(true);
    const report = evaluate(MessageModel.train(train), faults);
    expect(report.leadType.accuracy).toBeGreaterThanOrEqual(TARGETS.leadType);
    expect(report.priority.accuracy).toBeGreaterThanOrEqual(TARGETS.priority);
  });

  it('keeps the fresh batches out of the training data', () => {
    const seeded = new Set(messages.map((message) => dedupKey(message.text)));
    const batches = loadFreshBatches();
    const overlap = batches
      .flatMap((batch) => batch.messages)
      .filter((message) => seeded.has(dedupKey(message.text)))
      .map((message) => dedupKey(message.text));
    expect(overlap.filter((key) => !FRESH_ALSO_SEEDED.has(key))).toEqual([]);
    // Batches are numbered in the order they were written; those of issue 19 hold 80+ messages each.
    expect(batches.map((batch) => batch.batch)).toEqual(batches.map((_, index) => index + 1));
    for (const batch of batches.filter((candidate) => candidate.batch >= 5))
      expect(batch.messages.length, `batch ${batch.batch}`).toBeGreaterThanOrEqual(80);
  });
});
