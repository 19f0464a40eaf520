import { fillQuickReply, type QuickReplyVariable, quickReplyVariables } from '@techmarket/contracts';
import { formatMoney } from '../../../lib/format';

/** What a quick reply needs of a lead: the customer's name, and the product with its price (LeadDetail has both). */
export interface QuickReplyLead {
  contact: { name: string | null };
  listing: { title: string; price: number; currency: string } | null;
}

/** The variables' values for a lead: the first name, the product's title, its price in the listing's currency. */
export function quickReplyValues(
  lead: QuickReplyLead,
  language: string,
): Record<QuickReplyVariable, string | null> {
  const firstName = lead.contact.name?.trim().split(/\s+/)[0] ?? null;
  return {
    name: firstName || null,
    product: lead.listing?.title ?? null,
    price: lead.listing ? formatMoney(lead.listing.price, lead.listing.currency, language) : null,
  };
}

/** The text as it goes into the composer: its variables filled from the lead; those without a value stay. */
export const fillQuickReplyForLead = (text: string, lead: QuickReplyLead, language: string) =>
  fillQuickReply(text, quickReplyValues(lead, language));

/** The variables left to fill in a text (the lead has no product, say), as written: `{producto}`. */
export function unfilledVariables(text: string): string[] {
  const words = new Set<string>(Object.values(quickReplyVariables).flat());
  return [...text.matchAll(/\{([^{}\s]{1,30})\}/gu)]
    .filter((match) => words.has((match[1] ?? '').toLowerCase()))
    .map((match) => match[0]);
}
