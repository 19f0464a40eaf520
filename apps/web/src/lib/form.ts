import { parseMoney } from '@techmarket/contracts';
import type { TFunction } from 'i18next';
import type { ZodType, z } from 'zod';

/**
 * Validates a `@mantine/form` form with a zod schema built from the contracts (the one the API checks the body
 * with), so the form refuses what the server would. Mantine's own `schemaResolver` would show zod's English,
 * technical messages: here each issue becomes one of a few sentences in the person's language, and a form's own
 * check names its sentence (`form.*`).
 */
export function contractResolver<Values>(schema: ZodType, t: TFunction) {
  return (values: Values): Record<string, string> => {
    const result = schema.safeParse(values);
    if (result.success) return {};
    const errors: Record<string, string> = {};
    for (const issue of result.error.issues) {
      errors[issue.path.join('.')] ??= t(issueKey(issue));
    }
    return errors;
  };
}

function issueKey(issue: z.core.$ZodIssue): string {
  // The form's own checks (moneyTextOf) name their sentence; the contracts' refinements speak English.
  if (issue.code === 'custom' && issue.message.startsWith('form.')) return issue.message;
  if (issue.code === 'too_small' && issue.origin === 'string') return 'form.required';
  if (issue.code === 'too_big' && issue.origin === 'string') return 'form.tooLong';
  if (issue.code === 'invalid_format' && issue.format === 'email') return 'form.invalidEmail';
  return 'form.invalid';
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
