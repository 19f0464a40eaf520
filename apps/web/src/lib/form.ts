import { parseMoney } from '@techmarket/contracts';
import type { ParseKeys, TFunction } from 'i18next';
import type { ZodType, z } from 'zod';
import { ApiError } from './api-client';
import { es419 } from './locales/es-419';
import { fieldErrorSentence } from './problem-message';

/** A sentence of the catalog: what a form shows under a field. */
export type MessageKey = ParseKeys;
type FormKey = `form.${keyof typeof es419.form}`;
const isFormKey = (message: string): message is FormKey =>
  message.startsWith('form.') && message.slice('form.'.length) in es419.form;

/**
 * Validates a `@mantine/form` form with a zod schema built from the contracts (the one the API checks the body
 * with), so the form refuses what the server would. Mantine's own `schemaResolver` would show zod's English,
 * technical messages: here each issue becomes one of a few sentences in the person's language, a form's own
 * check names its sentence (`form.*`), and `sentences` gives a field a sentence of its own (a rate that says
 * what a rate looks like).
 */
export function contractResolver<Values>(
  schema: ZodType,
  t: TFunction,
  sentences: Partial<Record<string, MessageKey>> = {},
) {
  return (values: Values): Record<string, string> => {
    const result = schema.safeParse(values);
    if (result.success) return {};
    const errors: Record<string, string> = {};
    for (const issue of result.error.issues) {
      const path = issue.path.join('.');
      const sentence = sentences[path];
      errors[path] ??= sentence ? t(sentence) : sentenceOf(issue, t);
    }
    return errors;
  };
}

function sentenceOf(issue: z.core.$ZodIssue, t: TFunction): string {
  // The form's own checks (moneyTextOf) name their sentence; the contracts' refinements speak English.
  if (issue.code === 'custom' && isFormKey(issue.message)) return t(issue.message);
  if (issue.code === 'too_small' && issue.origin === 'string')
    return Number(issue.minimum) > 1
      ? t('form.tooShort', { minimum: Number(issue.minimum) })
      : t('form.required');
  if (issue.code === 'too_big' && issue.origin === 'string') return t('form.tooLong');
  if (issue.code === 'invalid_format' && issue.format === 'email') return t('form.invalidEmail');
  return t('form.invalid');
}

/**
 * A `superRefine` for a form that types money: the text of `amount` (from a `MoneyInput`) must read as an
 * amount of the currency in `currency`, as `parseMoney` reads it (CLP takes no decimals).
 */
export function moneyTextOf(amount: string, currency: string) {
  return (values: Record<string, unknown>, context: z.RefinementCtx) => {
    const text = values[amount];
    const code = values[currency];
    if (typeof text === 'string' && typeof code === 'string' && parseMoney(text, code) === null) {
      context.addIssue({ code: 'custom', path: [amount], message: 'form.invalidAmount' });
    }
  };
}

/**
 * What a 400 or 422 problem says of the form's `fields` (`body.slaHours.HIGH` names `slaHours.HIGH`), for
 * `form.setErrors`: the failure in the person's words (from its code), or the field's own sentence from `sentences`. `unplaced` when some of
 * the failure has no field to go under (another failure, or a field the form does not show): that part is
 * said above the form.
 */
export function problemFieldErrors(
  error: unknown,
  fields: readonly string[],
  t: TFunction,
  sentences: Partial<Record<string, MessageKey>> = {},
): { errors: Record<string, string>; unplaced: boolean } {
  const errors: Record<string, string> = {};
  if (!(error instanceof ApiError) || (error.status !== 400 && error.status !== 422))
    return { errors, unplaced: true };
  const named = error.problem?.errors ?? [];
  let unplaced = named.length === 0;
  for (const failure of named) {
    const field = failure.path.replace(/^body\./, '');
    if (!fields.includes(field)) {
      unplaced = true;
      continue;
    }
    const sentence = sentences[field];
    errors[field] ??= sentence ? t(sentence) : fieldErrorSentence(failure, t);
  }
  return { errors, unplaced };
}
