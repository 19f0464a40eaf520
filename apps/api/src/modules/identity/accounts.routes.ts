import {
  changePasswordBody,
  id,
  passwordResetLinkSchema,
  resetPasswordBody,
  sessionSchema,
  tenantParams,
} from '@techmarket/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireTenant, requireUser, SESSION_COOKIE } from '../../platform/auth';
import { problems, requestMeta } from '../../platform/http';
import type { AccountsService } from './accounts.service';
import { attemptLimit, startSession } from './session-routes';

const userParams = tenantParams.extend({ userId: id });

/** Password change and reset, and logging out everywhere (see accounts.service.ts for the rules). */
export const accountsRoutes: FastifyPluginAsyncZod<{ accounts: AccountsService }> = async (
  app,
  { accounts },
) => {
  // A password is tried here as at login: the same budget, per client and account.
  const passwordLimit = (key: (request: FastifyRequest) => string) =>
    attemptLimit({
      max: app.config.LOGIN_MAX_ATTEMPTS,
      timeWindow: '15 minutes',
      hook: 'preHandler',
      key: (request) => `accounts:${request.url}:${request.ip}:${key(request)}`,
      refusal: 'Too many attempts',
    });

  app.post(
    '/me/password',
    {
      config: passwordLimit((request) =>
        request.principal?.kind === 'user' ? request.principal.userId : '',
      ),
      schema: {
        tags: ['auth'],
        summary: 'Change my password (the current one is required); my other sessions end',
        body: changePasswordBody,
        response: { 204: z.null(), ...problems(400, 401, 403, 422, 429) },
      },
    },
    async (request, reply) => {
      await accounts.changePassword(requireUser(request), request.body);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/auth/logout-all',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log out on every device: every session of mine ends, this one too',
        response: { 204: z.null(), ...problems(401, 403) },
      },
    },
    async (request, reply) => {
      await accounts.logoutEverywhere(requireUser(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/tenants/:tenantId/users/:userId/password-reset',
    {
      // The link is a one-time secret: not to be kept as an idempotent reply.
      config: { idempotency: 'secret-reply' },
      schema: {
        tags: ['admin'],
        summary:
          'A one-time link for the person to set a new password (OWNER; MANAGER for a seller); share it with them',
        params: userParams,
        response: { 201: passwordResetLinkSchema, ...problems(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      requireTenant(request, request.params.tenantId);
      const actor = requireUser(request, 'OWNER', 'MANAGER');
      return reply.status(201).send(await accounts.issuePasswordReset(actor, request.params.userId));
    },
  );

  app.post(
    '/auth/reset-password',
    {
      config: passwordLimit(() => ''),
      schema: {
        tags: ['auth'],
        summary: 'Set a new password from a reset link: every other session ends, and this one logs in',
        security: [],
        body: resetPasswordBody,
        response: { 200: sessionSchema, ...problems(400, 422, 429) },
      },
    },
    async (request, reply) => {
      const result = await accounts.resetPassword(request.body, requestMeta(request));
      return { ...result, csrfToken: startSession(reply, result.token, app.config) };
    },
  );
};
