import {
  acceptInvitationBody,
  loginBody,
  loginProblem,
  meResponse,
  sessionSchema,
  sessionStateResponse,
  signupBody,
  signupResponse,
} from '@techmarket/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal, requireUser, SESSION_COOKIE } from '../../platform/auth';
import { problems, requestMeta } from '../../platform/http';
import type { AuthService } from './auth.service';
import { attemptLimit, startSession } from './session-routes';

/** Signing up, logging in, invitations, logging out, and who is signed in (the rules: auth.service.ts). */
export const authRoutes: FastifyPluginAsyncZod<{
  identity: Pick<AuthService, 'signup' | 'login' | 'acceptInvitation' | 'logout' | 'me'>;
}> = async (app, { identity }) => {
  const { LOGIN_MAX_ATTEMPTS, SIGNUP_LIMIT_PER_IP } = app.config;

  // Throttled per client and e-mail, so a password cannot be guessed and one attacker cannot lock out everyone.
  const invitationLimit = attemptLimit({
    max: LOGIN_MAX_ATTEMPTS,
    timeWindow: '15 minutes',
    // After body parsing: the key needs the e-mail, which onRequest cannot see yet.
    hook: 'preHandler',
    key: (request) => {
      const body = request.body as { email?: unknown } | undefined;
      return `auth:${request.url}:${request.ip}:${typeof body?.email === 'string' ? body.email.toLowerCase() : ''}`;
    },
    refusal: 'Too many attempts',
  });

  // New shops per client address: signup answers the same whoever else has the e-mail, and cannot be farmed.
  const signupLimit = attemptLimit({
    max: SIGNUP_LIMIT_PER_IP,
    timeWindow: '1 hour',
    key: (request) => `signup:${request.ip}`,
    refusal: 'Too many new shops from this address',
  });

  app.post(
    '/auth/signup',
    {
      config: signupLimit,
      schema: {
        tags: ['auth'],
        summary: 'Create a shop: tenant, owner and first branch',
        security: [],
        body: signupBody,
        response: { 201: signupResponse, ...problems(400, 422, 429) },
      },
    },
    async (request, reply) => {
      const result = await identity.signup(request.body, requestMeta(request));
      const csrfToken = startSession(reply, result.token, app.config);
      return reply.status(201).send({ ...result, csrfToken });
    },
  );

  app.post(
    '/auth/login',
    {
      // No route limit: the service counts the attempts per client and e-mail, and a success refunds its own.
      schema: {
        tags: ['auth'],
        summary: 'Log in: returns a bearer token and sets the session cookie',
        description:
          'When the e-mail and password open accounts in several shops the answer is 409 TENANT_CHOICE listing ' +
          'them; log in again with `tenantId`. Repeated wrong passwords lock the address for a while: 429 ' +
          'ACCOUNT_LOCKED with `retryAfter` (seconds) and Retry-After.',
        security: [],
        body: loginBody,
        response: { 200: sessionSchema, ...problems(400, 401), 409: loginProblem, 429: loginProblem },
      },
    },
    async (request, reply) => {
      const result = await identity.login(request.body, requestMeta(request));
      return { ...result, csrfToken: startSession(reply, result.token, app.config) };
    },
  );

  app.post(
    '/auth/accept-invitation',
    {
      config: invitationLimit,
      schema: {
        tags: ['auth'],
        summary: 'Set a password from an invitation link and log in',
        security: [],
        body: acceptInvitationBody,
        response: { 200: sessionSchema, ...problems(400, 422, 429) },
      },
    },
    async (request, reply) => {
      const result = await identity.acceptInvitation(request.body, requestMeta(request));
      return { ...result, csrfToken: startSession(reply, result.token, app.config) };
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'Revoke the current session',
        response: { 204: z.null(), ...problems(401, 403) },
      },
    },
    async (request, reply) => {
      await identity.logout(requirePrincipal(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user and tenant',
        response: { 200: meResponse, ...problems(401, 403) },
      },
    },
    async (request, reply) => {
      const principal = requireUser(request);
      const result = await identity.me(principal);
      return { ...result, csrfToken: principal.viaCookie ? reply.generateCsrf() : null };
    },
  );

  app.get(
    '/session',
    {
      schema: {
        tags: ['auth'],
        summary:
          'Whether a user is signed in, and who: 200 either way (the web app asks this on every visit)',
        security: [],
        response: { 200: sessionStateResponse, ...problems(401) },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      // An API key is not a person's session: the web app has nobody to show.
      if (principal?.kind !== 'user') return { authenticated: false as const };
      const result = await identity.me(principal);
      return {
        authenticated: true as const,
        ...result,
        csrfToken: principal.viaCookie ? reply.generateCsrf() : null,
      };
    },
  );
};
