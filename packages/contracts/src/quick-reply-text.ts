// The quick replies' variables and their filling, with no zod: the lead page's composer imports these alone.

/**
 * A shop's quick replies: saved answers a seller drops into the WhatsApp composer. Their text may carry the
 * variables below, in Spanish, Portuguese or English; the composer fills them from the lead before sending.
 */
export const quickReplyVariables = {
  name: ['nombre', 'nome', 'name'],
  product: ['producto', 'produto', 'product'],
  price: ['precio', 'preco', 'preço', 'price'],
} as const;
export type QuickReplyVariable = keyof typeof quickReplyVariables;

const variableOf = new Map<string, QuickReplyVariable>(
  Object.entries(quickReplyVariables).flatMap(([variable, words]) =>
    words.map((word) => [word, variable as QuickReplyVariable] as const),
  ),
);
const placeholder = /\{([^{}\s]{1,30})\}/gu;

/** The `{...}` words of a text that are not one of the variables (`{nombre}` is, `{nombr}` is not). */
export function unknownQuickReplyVariables(text: string): string[] {
  return [...text.matchAll(placeholder)]
    .map((match) => match[1] ?? '')
    .filter((word) => !variableOf.has(word.toLowerCase()));
}

/**
 * The text with its variables filled. A variable without a value (a lead with no product) stays as written,
 * so the seller sees what is left to fill in before sending.
 */
export function fillQuickReply(
  text: string,
  values: Partial<Record<QuickReplyVariable, string | null | undefined>>,
): string {
  return text.replace(placeholder, (whole, word: string) => {
    const variable = variableOf.get(word.toLowerCase());
    const value = variable ? values[variable] : undefined;
    return value ? value : whole;
  });
}
