import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from './api-client';
import { createI18n } from './i18n';
import { isVersionConflict, problemMessage } from './problem-message';

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

  it('names the fields of a validation problem', () => {
    const error = problem(422, 'UNPROCESSABLE', {
      errors: [{ path: 'body.lostReason', message: 'say why the lead was lost' }],
    });
    expect(problemMessage(error, t)).toBe('Revisa los datos: lostReason: say why the lead was lost');
  });

  it('tells a version conflict apart', () => {
    expect(isVersionConflict(problem(409, 'VERSION_CONFLICT'))).toBe(true);
    expect(isVersionConflict(problem(409, 'CONFLICT'))).toBe(false);
  });
});
