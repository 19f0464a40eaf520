import { describe, expect, it } from 'vitest';
import { compileRule, draftOf, newDraftRule } from './segments';

describe('the "clicked but never wrote" rule in the builder', () => {
  it('starts at 24 hours over 30 days, compiles to the contract, and comes back from a saved segment', () => {
    const draft = newDraftRule('CLICKED_NOT_WRITTEN');
    const compiled = compileRule(draft);
    expect(compiled).toEqual({ rule: { rule: 'CLICKED_NOT_WRITTEN', withinHours: 24, withinDays: 30 } });
    if (!('rule' in compiled)) throw new Error('expected a rule');
    expect(draftOf(compiled.rule)).toMatchObject({
      rule: 'CLICKED_NOT_WRITTEN',
      withinHours: 24,
      withinDays: 30,
    });
  });

  it('names what is missing: hours between 1 and 720, days between 1 and 730', () => {
    const draft = newDraftRule('CLICKED_NOT_WRITTEN');
    if (draft.rule !== 'CLICKED_NOT_WRITTEN') throw new Error('wrong kind');
    expect(compileRule({ ...draft, withinHours: '' })).toEqual({ problem: 'withinHours' });
    expect(compileRule({ ...draft, withinHours: 721 })).toEqual({ problem: 'withinHours' });
    expect(compileRule({ ...draft, withinDays: 0 })).toEqual({ problem: 'withinDays' });
  });
});
