import { fieldErrorCodes } from '@techmarket/contracts';
import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from './api-client';
import { createI18n, type Language } from './i18n';
import { en } from './locales/en';
import { es419 } from './locales/es-419';
import { ptBR } from './locales/pt-br';
import { fieldErrorSentence, isVersionConflict, problemMessage } from './problem-message';

const t = createI18n('es-419').t;
const problem = (status: number, code: string, extra: object = {}) =>
  new ApiError(status, { type: `urn:x:${code}`, title: code, status, code, ...extra });

describe('problem+json in words a shop owner understands', () => {
  it('explains the usual failures in Spanish', () => {
    expect(problemMessage(problem(401, 'UNAUTHENTICATED', { instance: '/api/v1/auth/login' }), t)).toBe(
      'El correo o la contraseña no son correctos.',
    );
    expect(problemMessage(problem(401, 'UNAUTHENTICATED', { instance: '/api/v1/me' }), t)).toContain(
      'sesión terminó',
    );
    expect(problemMessage(problem(403, 'FORBIDDEN'), t)).toContain('Tu rol no permite');
    expect(problemMessage(problem(409, 'VERSION_CONFLICT'), t)).toContain('Otra persona cambió este lead');
    expect(problemMessage(problem(422, 'INVALID_TRANSITION'), t)).toContain('no está permitido');
    expect(problemMessage(problem(429, 'RATE_LIMITED'), t)).toContain('Demasiados intentos');
    expect(problemMessage(problem(500, 'INTERNAL'), t)).toContain('de nuestro lado');
    expect(problemMessage(new NetworkError(new TypeError('fetch failed')), t)).toContain('conexión');
  });

  it('words each failing field in Spanish from its code, next to the name the screens give it', () => {
    const error = problem(422, 'UNPROCESSABLE', {
      errors: [
        { path: 'branchIds', message: 'a seller needs at least one branch', code: 'SELLER_NEEDS_BRANCH' },
      ],
    });
    expect(problemMessage(error, t)).toBe(
      'Revisa los datos: Sucursales: Un vendedor necesita al menos una sucursal',
    );

    const signup = problem(400, 'VALIDATION', {
      errors: [
        {
          path: 'body.name',
          message: 'Invalid input: expected string, received undefined',
          code: 'required',
        },
        { path: 'body.email', message: 'Invalid email address', code: 'invalid_format', format: 'email' },
        {
          path: 'body.password',
          message: 'Too small: expected string to have >=10 characters',
          code: 'too_small',
          minimum: 10,
        },
        { path: 'body.items.0.quantity', message: 'Too big', code: 'too_big', maximum: 999 },
      ],
    });
    expect(problemMessage(signup, t)).toBe(
      'Revisa los datos: Nombre: Completa este campo; Correo: Escribe un correo válido; ' +
        'Contraseña: Escribe al menos 10; Cantidad: Escribe como máximo 999',
    );
  });

  it('never shows the English message or an unknown field’s code', () => {
    const error = problem(422, 'UNPROCESSABLE', {
      errors: [{ path: 'reactivation.quietDays', message: 'only REACTIVATION campaigns have it' }],
    });
    const message = problemMessage(error, t);
    expect(message).toBe('Revisa los datos: Revisa este valor');
    expect(message).not.toMatch(/REACTIVATION|quietDays/);
  });

  it('reads a malformed id in the address as a page that does not exist', () => {
    const error = problem(400, 'VALIDATION', { errors: [{ path: 'params.id', message: 'Invalid UUID' }] });
    expect(problemMessage(error, t)).toBe('No encontramos lo que buscas; quizá fue eliminado.');
  });

  it('speaks the reader’s language', () => {
    const error = problem(422, 'UNPROCESSABLE', {
      errors: [{ path: 'endAt', message: 'must be after startAt', code: 'END_BEFORE_START' }],
    });
    const portuguese = createI18n('pt-BR');
    portuguese.addResourceBundle('pt-BR', 'translation', ptBR);
    expect(problemMessage(error, portuguese.t)).toContain('Fim: O fim deve ser depois do início');
  });

  it('tells a version conflict apart', () => {
    expect(isVersionConflict(problem(409, 'VERSION_CONFLICT'))).toBe(true);
    expect(isVersionConflict(problem(409, 'CONFLICT'))).toBe(false);
  });
});

/** The codes come from the contracts at run time, the list the API raises: a rule added there is checked here. */
describe('every rule of the API is worded next to its field in every language', () => {
  it.each<[Language, typeof es419]>([
    ['es-419', es419],
    ['pt-BR', ptBR],
    ['en', en],
  ])('%s', (language, catalog) => {
    const missing = fieldErrorCodes.filter((code) => {
      const text: unknown = (catalog.fieldError as Record<string, unknown>)[code];
      return typeof text !== 'string' || text.trim() === '';
    });
    expect(missing).toEqual([]);

    const i18n = createI18n(language);
    i18n.addResourceBundle(language, 'translation', catalog);
    const t = i18n.t;
    for (const code of fieldErrorCodes) {
      const sentence = fieldErrorSentence({ path: 'x', message: 'English for developers', code }, t);
      expect(sentence, code).not.toBe(t('form.invalid'));
      expect(sentence, code).not.toMatch(/[A-Z]{2,}_[A-Z_]+/);
    }
  });
});
