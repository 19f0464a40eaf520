import { z } from 'zod';
import { id, isoInstant, textField } from './common';
import { unknownQuickReplyVariables } from './quick-reply-text';

export * from './quick-reply-text';

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
