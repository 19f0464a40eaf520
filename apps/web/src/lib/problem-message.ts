import type { LoginProblem, Problem } from '@techmarket/contracts';
import type { TFunction } from 'i18next';
import { ApiError, NetworkError } from './api-client';
import { es419 } from './locales/es-419';

/** Turns any failure into a sentence a shop owner understands, in the current language. */
export function problemMessage(error: unknown, t: TFunction): string {
  if (error instanceof NetworkError) return t('errors.network');
  if (!(error instanceof ApiError)) return t('errors.unknown');
  const code = error.problem?.code;
  switch (error.status) {
    case 401:
      return error.problem?.instance?.includes('/auth/login')
        ? t('errors.invalidCredentials')
        : t('errors.sessionExpired');
    case 403:
      return t('errors.forbidden');
    case 404:
      return t('errors.notFound');
    case 409:
      return code === 'VERSION_CONFLICT' ? t('errors.versionConflict') : t('errors.conflict');
    case 422:
      if (code === 'INVALID_TRANSITION') return t('errors.invalidTransition');
      return t('errors.validation', { detail: fieldsOf(error, t) });
    case 400:
      // A malformed id in the address (a mistyped or cut link) is a page that does not exist, not a form error.
      if (error.problem?.errors?.every((e) => e.path.startsWith('params.'))) return t('errors.notFound');
      return t('errors.validation', { detail: fieldsOf(error, t) });
    case 429:
      if (code === 'ACCOUNT_LOCKED') {
        // Typed, not parsed: every screen imports this file, and parsing with the contracts' schema would put
        // zod on the first visit for one number (the login page parses the whole answer with loginProblem).
        const { retryAfter } = (error.problem ?? {}) as LoginProblem;
        const seconds = Number.isInteger(retryAfter) && retryAfter ? retryAfter : 15 * 60;
        return t('errors.accountLocked', { minutes: Math.max(1, Math.ceil(seconds / 60)) });
      }
      return t('errors.rateLimited');
    default:
      return error.status >= 500 ? t('errors.server') : t('errors.unknown');
  }
}

type FieldError = NonNullable<Problem['errors']>[number];

const isServiceRule = (code: string | undefined): code is keyof typeof es419.fieldError =>
  code !== undefined && /^[A-Z_]+$/.test(code) && Object.hasOwn(es419.fieldError, code);

/**
 * A field's failure in the person's words, from its code (the API's `message` is English for developers): zod's
 * codes as the forms word them, the services' rules by name, anything else as "check this value".
 */
export function fieldErrorSentence(error: FieldError, t: TFunction): string {
  const { code, minimum, maximum, format } = error;
  // Meta's own words are the diagnosis: said as they are, introduced in the person's language.
  if (code === 'PROVIDER_REFUSED') return t('fieldError.PROVIDER_REFUSED', { detail: error.message });
  if (isServiceRule(code)) return t(`fieldError.${code}`);
  switch (code) {
    case 'required':
      return t('form.required');
    case 'too_small':
      if (minimum === undefined || minimum <= 1) return t('form.required');
      return t('fieldError.tooSmall', { minimum });
    case 'too_big':
      return maximum === undefined ? t('form.tooLong') : t('fieldError.tooBig', { maximum });
    case 'invalid_format':
      return format === 'email' ? t('form.invalidEmail') : t('form.invalid');
    default:
      return t('form.invalid');
  }
}

/** The field a path names, as the screens call it (`body.items.0.quantity` is "Cantidad"); null when unnamed. */
export function fieldName(path: string, t: TFunction): string | null {
  const last = path
    .split('.')
    .filter((part) => !/^\d+$/.test(part))
    .at(-1);
  return last && Object.hasOwn(es419.fieldName, last)
    ? t(`fieldName.${last as keyof typeof es419.fieldName}`)
    : null;
}

const fieldsOf = (error: ApiError, t: TFunction) => {
  const named = error.problem?.errors ?? [];
  if (named.length === 0) return t('form.invalid');
  return named
    .map((e) => {
      const name = fieldName(e.path, t);
      const sentence = fieldErrorSentence(e, t);
      return name ? `${name}: ${sentence}` : sentence;
    })
    .join('; ');
};

export const isVersionConflict = (error: unknown) =>
  error instanceof ApiError && error.status === 409 && error.problem?.code === 'VERSION_CONFLICT';
