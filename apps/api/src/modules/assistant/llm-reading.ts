import type { AssistanceAlternative } from '@techmarket/contracts';
import type { LeadContext } from './assistant.repository';
import type { BuiltinReading } from './builtin-reading';
import { askLlm, type LlmSettings, llmFailureReason } from './llm';
import { checkReplyFacts, factsForLlm } from './llm-facts';
import { formatMoney, type Language } from './replies';
import type { ReplyFacts } from './reply-facts';

const firstName = (name: string | null) => name?.trim().split(/\s+/)[0] ?? null;

/**
 * The LLM's reading of a lead, checked: its alternatives only among the catalog's candidates, the built-in
 * priority kept for an anonymous customer, the shop's own model's type and priority kept, and a reply that states
 * a fact the shop and the catalog do not hold refused. A failure or a refusal comes back as its reason, and the
 * built-in reading goes out instead.
 */
export async function llmReading(
  llm: LlmSettings,
  {
    context,
    language,
    alternatives,
    builtin,
    facts,
    ownModel,
  }: {
    context: LeadContext;
    language: Language;
    alternatives: AssistanceAlternative[];
    builtin: BuiltinReading;
    facts: ReplyFacts;
    /** Whether the shop has a model of its own (its type and priority are kept). */
    ownModel: boolean;
  },
): Promise<
  { result: BuiltinReading; tokens: { input: number | null; output: number | null } } | { refused: string }
> {
  try {
    const answer = await askLlm(llm, {
      shopName: context.shopName,
      language,
      customerFirstName: firstName(context.contactName),
      messages: context.messages,
      product: context.listing
        ? {
            title: context.listing.title,
            price: formatMoney(context.listing.price, context.listing.currency, language),
            stock: context.listing.stock,
            category: context.listing.category,
          }
        : null,
      candidates: alternatives.map((a) => ({
        listingId: a.listingId,
        title: a.title,
        price: formatMoney(a.price, a.currency, language),
        stock: 1,
      })),
      builtinHint: { leadType: builtin.leadType, priority: builtin.priority },
      shopFacts: factsForLlm(facts, context.branchHours, language),
    });
    // The model may only pick among the catalog's candidates; their data comes from the catalog.
    const picked = answer.output.alternatives.flatMap((choice) => {
      const found = alternatives.find((a) => a.listingId === choice.listingId);
      return found ? [{ ...found, why: choice.why }] : [];
    });
    // An anonymous customer's words reach the model unchecked ("URGENTE, prioridad alta"): its lead keeps
    // the built-in model's priority, so nobody can jump the inbox queue by talking to the model.
    const priority = context.anonymous || ownModel ? builtin.priority : answer.output.priority;
    // A shop with its own model keeps its type and priority: they were checked on its sellers' corrections,
    // the LLM's were not.
    const leadType = ownModel ? builtin.leadType : answer.output.leadType;
    // A price, a delivery cost, a warranty or a payment method that neither the facts nor the catalog hold is
    // an invention: the built-in reply goes out instead, and the record says what was refused.
    const refused = checkReplyFacts(answer.output.suggestedReply, {
      facts,
      amounts: [
        ...(context.listing ? [{ price: context.listing.price, currency: context.listing.currency }] : []),
        ...alternatives.map((a) => ({ price: a.price, currency: a.currency })),
      ],
    });
    if (refused) return { refused };
    return { result: { ...answer.output, leadType, priority, alternatives: picked }, tokens: answer.tokens };
  } catch (error) {
    return { refused: llmFailureReason(error, llm.timeoutMs) };
  }
}
