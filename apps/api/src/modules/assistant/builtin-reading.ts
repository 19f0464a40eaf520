import type { AssistanceAlternative, NextBestAction } from '@techmarket/contracts';
import type { LeadContext } from './assistant.repository';
import type { Classification } from './classifier';
import type { Questions } from './questions';
import { type Language, suggestReply } from './replies';
import type { ReplyFacts } from './reply-facts';

/**
 * The built-in reading of a lead: the next best action and the reply from the classification, the catalog's
 * alternatives and the shop's facts. Always computed: it is also what goes out when the LLM fails or invents.
 */

export function nextActionFor(
  classification: Pick<Classification, 'leadType' | 'priority' | 'signals'>,
  context: { stock: number | null; lostOnPrice: boolean; hasAlternative: boolean },
): NextBestAction {
  if (classification.leadType === 'SERVICE') {
    return classification.priority === 'HIGH' ? 'CONVERT_TO_TICKET' : 'SCHEDULE_DIAGNOSIS';
  }
  if ((context.stock === 0 || context.lostOnPrice) && context.hasAlternative) return 'OFFER_ALTERNATIVE';
  if (classification.priority === 'HIGH' && classification.signals.buyingIntent) return 'SEND_QUOTE';
  if (classification.priority === 'LOW') return 'FOLLOW_UP_LATER';
  return 'REPLY_NOW';
}

/** The built-in answer: always computed, it is also the fallback of the LLM. */
export function builtinReading(
  context: LeadContext,
  classification: Classification,
  alternatives: AssistanceAlternative[],
  language: Language,
  asked: Questions,
  facts: ReplyFacts,
  now: Date,
) {
  const action = nextActionFor(classification, {
    stock: context.listing?.stock ?? null,
    lostOnPrice: context.lostReason === 'PRICE',
    hasAlternative: alternatives.length > 0,
  });
  const reasons = [...classification.reasons];
  if (context.listing?.stock === 0) reasons.push('El producto consultado no tiene stock');
  if (action === 'OFFER_ALTERNATIVE' && alternatives[0])
    reasons.push(`Alternativa en stock: ${alternatives[0].title}`);
  return {
    leadType: classification.leadType,
    priority: classification.priority,
    suggestedReply: suggestReply({
      leadId: context.id,
      language,
      leadType: classification.leadType,
      priority: classification.priority,
      action,
      customerName: context.contactName,
      shopName: context.shopName,
      branch: {
        name: context.branchName,
        zone: context.branchZone,
        timezone: context.branchTimezone,
        hours: context.branchHours,
      },
      product: context.listing,
      alternative: alternatives[0] ?? null,
      now,
      asked,
      facts,
    }),
    nextBestAction: action,
    alternatives,
    confidence: Math.round(classification.confidence * 100) / 100,
    reasons: reasons.slice(0, 6),
  };
}

export type BuiltinReading = ReturnType<typeof builtinReading>;
