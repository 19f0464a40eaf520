import type { LoginProblem } from '@techmarket/contracts';
import type { TFunction } from 'i18next';
import { ApiError, NetworkError } from './api-client';

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
      return t('errors.validation', { detail: fieldsOf(error) });
    case 400:
      return t('errors.validation', { detail: fieldsOf(error) });
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

const fieldsOf = (error: ApiError) =>
  error.problem?.errors?.map((e) => `${e.path.replace(/^body\./, '')}: ${e.message}`).join('; ') ??
  error.problem?.detail ??
  '';

export const isVersionConflict = (error: unknown) =>
  error instanceof ApiError && error.status === 409 && error.problem?.code === 'VERSION_CONFLICT';
