import { z } from 'zod';
import { id, isoInstant, textField } from './common';

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

const title = textField().trim().min(1, 'required').max(60, 'at most 60 characters');
const text = textField()
  .trim()
  .min(1, 'required')
  .max(1000, 'at most 1000 characters')
  .refine((value) => unknownQuickReplyVariables(value).length === 0, {
    message: 'unknown variable; use {nombre}, {producto} or {precio}',
  });

export const quickReplySchema = z
  .object({
    id,
    tenantId: id,
    title: z.string(),
    text: z.string(),
    createdAt: isoInstant,
    updatedAt: isoInstant,
    version: z.number().int(),
  })
  .meta({ id: 'QuickReply' });
export type QuickReply = z.infer<typeof quickReplySchema>;

export const createQuickReplyBody = z.object({ title, text });
export type CreateQuickReplyInput = z.infer<typeof createQuickReplyBody>;

export const updateQuickReplyBody = z.object({
  title: title.optional(),
  text: text.optional(),
  version: z.number().int().min(1),
});
export type UpdateQuickReplyInput = z.infer<typeof updateQuickReplyBody>;

export const quickRepliesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(200),
  cursor: textField().min(1).max(500).optional(),
});
