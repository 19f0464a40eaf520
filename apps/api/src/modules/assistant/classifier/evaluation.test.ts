import { describe, expect, it } from 'vitest';
import { loadDataset } from './dataset';
import { evaluate, splitHeldOut } from './metrics';
import { MessageModel } from './model';
import { TARGETS } from './targets';

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
});
