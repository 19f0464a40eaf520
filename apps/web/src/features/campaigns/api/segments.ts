import type { LostReason, Segment, SegmentRule } from '@techmarket/contracts';

/**
 * The segment builder's working copy: rules as they are being filled in. A draft may be incomplete (no
 * category yet, no branch chosen); `compileSegment` turns the complete ones into the contract's rules and
 * names what is missing in the others, so the live count only asks the API about a valid segment.
 */
export const ruleKinds = [
  'VIEWED',
  'LOST',
  'INTERESTED_IN',
  'DORMANT',
  'CLICKED_NOT_WRITTEN',
  'ZONE',
  'BRANCH',
  'CONSENT',
] as const;
export type RuleKind = (typeof ruleKinds)[number];

/** Days as typed in a number input: '' while empty. */
type Days = number | '';

export type DraftRule = { key: string } & (
  | {
      rule: 'VIEWED';
      target: 'category' | 'listing';
      category: string;
      listingId: string;
      withinDays: Days;
      withoutWin: boolean;
    }
  | { rule: 'LOST'; reasons: LostReason[]; withinDays: Days }
  | { rule: 'INTERESTED_IN'; category: string; withinDays: Days }
  | { rule: 'DORMANT' }
  | { rule: 'CLICKED_NOT_WRITTEN'; withinHours: Days; withinDays: Days }
  | { rule: 'ZONE'; zones: string[] }
  | { rule: 'BRANCH'; branchIds: string[] }
  | { rule: 'CONSENT' }
);

/** What a draft rule still lacks, as an i18n key under `campaigns.segment.missing`. */
export type RuleProblem = 'category' | 'listing' | 'withinDays' | 'withinHours' | 'zones' | 'branches';

export const MAX_RULES = 12;
export const MAX_DAYS = 730;
export const MAX_HOURS = 720;

let nextKey = 0;
const newKey = () => {
  nextKey += 1;
  return `rule-${nextKey}`;
};

export function newDraftRule(kind: RuleKind): DraftRule {
  const key = newKey();
  switch (kind) {
    case 'VIEWED':
      return {
        key,
        rule: kind,
        target: 'category',
        category: '',
        listingId: '',
        withinDays: 30,
        withoutWin: true,
      };
    case 'LOST':
      return { key, rule: kind, reasons: [], withinDays: '' };
    case 'INTERESTED_IN':
      return { key, rule: kind, category: '', withinDays: '' };
    case 'CLICKED_NOT_WRITTEN':
      return { key, rule: kind, withinHours: 24, withinDays: 30 };
    case 'ZONE':
      return { key, rule: kind, zones: [] };
    case 'BRANCH':
      return { key, rule: kind, branchIds: [] };
    case 'DORMANT':
    case 'CONSENT':
      return { key, rule: kind };
  }
}

/** A saved rule back into the builder. */
export function draftOf(rule: SegmentRule): DraftRule {
  const key = newKey();
  switch (rule.rule) {
    case 'VIEWED':
      return {
        key,
        rule: 'VIEWED',
        target: rule.listingId ? 'listing' : 'category',
        category: rule.category ?? '',
        listingId: rule.listingId ?? '',
        withinDays: rule.withinDays,
        withoutWin: rule.withoutWin,
      };
    case 'LOST':
      return { key, rule: 'LOST', reasons: [...rule.reasons], withinDays: rule.withinDays ?? '' };
    case 'INTERESTED_IN':
      return { key, rule: 'INTERESTED_IN', category: rule.category, withinDays: rule.withinDays ?? '' };
    case 'CLICKED_NOT_WRITTEN':
      return { key, rule: 'CLICKED_NOT_WRITTEN', withinHours: rule.withinHours, withinDays: rule.withinDays };
    case 'ZONE':
      return { key, rule: 'ZONE', zones: [...rule.zones] };
    case 'BRANCH':
      return { key, rule: 'BRANCH', branchIds: [...rule.branchIds] };
    case 'DORMANT':
      return { key, rule: 'DORMANT' };
    case 'CONSENT':
      return { key, rule: 'CONSENT' };
  }
}

const validDays = (days: Days) =>
  typeof days === 'number' && Number.isInteger(days) && days >= 1 && days <= MAX_DAYS;

/** One draft as a contract rule, or what it lacks. An empty optional period is "any time". */
export function compileRule(draft: DraftRule): { rule: SegmentRule } | { problem: RuleProblem } {
  switch (draft.rule) {
    case 'VIEWED': {
      if (!validDays(draft.withinDays)) return { problem: 'withinDays' };
      const withinDays = draft.withinDays as number;
      if (draft.target === 'listing') {
        if (!draft.listingId) return { problem: 'listing' };
        return {
          rule: { rule: 'VIEWED', listingId: draft.listingId, withinDays, withoutWin: draft.withoutWin },
        };
      }
      const category = draft.category.trim();
      if (!category) return { problem: 'category' };
      return { rule: { rule: 'VIEWED', category, withinDays, withoutWin: draft.withoutWin } };
    }
    case 'LOST': {
      if (draft.withinDays !== '' && !validDays(draft.withinDays)) return { problem: 'withinDays' };
      return {
        rule: {
          rule: 'LOST',
          reasons: draft.reasons,
          ...(draft.withinDays === '' ? {} : { withinDays: draft.withinDays }),
        },
      };
    }
    case 'INTERESTED_IN': {
      const category = draft.category.trim();
      if (!category) return { problem: 'category' };
      if (draft.withinDays !== '' && !validDays(draft.withinDays)) return { problem: 'withinDays' };
      return {
        rule: {
          rule: 'INTERESTED_IN',
          category,
          ...(draft.withinDays === '' ? {} : { withinDays: draft.withinDays }),
        },
      };
    }
    case 'CLICKED_NOT_WRITTEN': {
      const hours = draft.withinHours;
      if (typeof hours !== 'number' || !Number.isInteger(hours) || hours < 1 || hours > MAX_HOURS)
        return { problem: 'withinHours' };
      if (!validDays(draft.withinDays)) return { problem: 'withinDays' };
      return {
        rule: { rule: 'CLICKED_NOT_WRITTEN', withinHours: hours, withinDays: draft.withinDays as number },
      };
    }
    case 'ZONE': {
      const zones = draft.zones.map((z) => z.trim()).filter(Boolean);
      return zones.length > 0 ? { rule: { rule: 'ZONE', zones } } : { problem: 'zones' };
    }
    case 'BRANCH':
      return draft.branchIds.length > 0
        ? { rule: { rule: 'BRANCH', branchIds: draft.branchIds } }
        : { problem: 'branches' };
    case 'DORMANT':
      return { rule: { rule: 'DORMANT' } };
    case 'CONSENT':
      return { rule: { rule: 'CONSENT' } };
  }
}

/** The whole builder: the segment when every rule is complete, else the problems by rule key. */
export function compileSegment(
  drafts: readonly DraftRule[],
):
  | { segment: Segment; problems: Record<string, never> }
  | { segment: null; problems: Record<string, RuleProblem> } {
  const rules: SegmentRule[] = [];
  const problems: Record<string, RuleProblem> = {};
  for (const draft of drafts) {
    const compiled = compileRule(draft);
    if ('rule' in compiled) rules.push(compiled.rule);
    else problems[draft.key] = compiled.problem;
  }
  return Object.keys(problems).length > 0
    ? { segment: null, problems }
    : { segment: { rules }, problems: {} };
}
