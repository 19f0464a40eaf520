/**
 * The rule that decides whether a shop's new layer goes live: a candidate is trained on the shop's examples but
 * its newest ones, which are held out; on those, the candidate and the reading in use (the active layer, or the
 * shared model alone when none is active) are scored; the candidate is activated only if it agrees with the
 * shop's sellers at least as well. The newest corrections are the test because they say how the shop labels now.
 */
import {
  type Agreement,
  agreement,
  type LayerTrainOptions,
  type ShopExample,
  type ShopLayer,
} from './tenant-layer';

/** The share of a shop's examples held out to score a candidate, and the fewest held out. */
export const HOLD_OUT_SHARE = 0.2;
export const MIN_HELD_OUT = 10;

export interface CandidateChoice {
  layer: ShopLayer;
  activate: boolean;
  /** Why it was, or was not, activated (stored with the version for the owner to read). */
  reason: 'SCORED_AT_LEAST_AS_WELL' | 'SCORED_WORSE';
  trainedOn: number;
  candidate: Agreement;
  baseline: Agreement;
}

/** `examples` oldest first. */
export function chooseCandidate(
  examples: readonly ShopExample[],
  active: ShopLayer | null,
  train: (examples: readonly ShopExample[], options?: LayerTrainOptions) => ShopLayer,
): CandidateChoice {
  const held = Math.min(
    Math.max(MIN_HELD_OUT, Math.round(examples.length * HOLD_OUT_SHARE)),
    Math.floor(examples.length / 2),
  );
  const trainPart = examples.slice(0, examples.length - held);
  const testPart = examples.slice(examples.length - held);
  const layer = train(trainPart);
  const candidate = agreement(layer, testPart);
  const baseline = agreement(active, testPart);
  const better = compare(candidate, baseline) >= 0;
  return {
    layer,
    activate: better,
    reason: better ? 'SCORED_AT_LEAST_AS_WELL' : 'SCORED_WORSE',
    trainedOn: trainPart.length,
    candidate,
    baseline,
  };
}

/** Both heads right first, then the sum of the heads' agreement: positive when `a` is better. */
function compare(a: Agreement, b: Agreement): number {
  if (a.both !== b.both) return a.both - b.both;
  return a.leadType + a.priority - (b.leadType + b.priority);
}
