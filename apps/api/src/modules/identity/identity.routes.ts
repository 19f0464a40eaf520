import {
  acceptInvitationBody,
  apiKeySchema,
  branchSchema,
  createApiKeyBody,
  createBranchBody,
  createdApiKeySchema,
  createdUserSchema,
  createUserBody,
  id,
  loginBody,
  loginProblem,
  meResponse,
  sessionSchema,
  sessionStateResponse,
  signupBody,
  signupResponse,
  tenantParams,
  tenantSettingsSchema,
  updateBranchBody,
  updateTenantSettingsBody,
  updateUserBody,
  userSchema,
} from '@techmarket/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal, requireTenant, requireUser, SESSION_COOKIE } from '../../platform/auth';
import { problems, requestMeta } from '../../platform/http';
import type { IdentityService } from './identity.service';
import { attemptLimit, startSession } from './session-routes';

const branchParams = tenantParams.extend({ branchId: id });
const userParams = tenantParams.extend({ userId: id });
const keyParams = tenantParams.extend({ keyId: id });

export const identityRoutes: FastifyPluginAsyncZod<{ identity: IdentityService }> = async (
  app,
  { identity },
) => {
  const { LOGIN_MAX_ATTEMPTS, SIGNUP_LIMIT_PER_IP } = app.config;

  // Throttled per client and e-mail, so a password cannot be guessed and one attacker cannot lock out everyone.
  const loginLimit = attemptLimit({
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
      config: loginLimit,
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
      config: loginLimit,
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

  // Branches
  app.get(
    '/tenants/:tenantId/settings',
    {
      schema: {
        tags: ['administration'],
        summary: "The shop's settings (how new leads are assigned)",
        params: tenantParams,
        response: { 200: tenantSettingsSchema, ...problems(401, 404) },
      },
    },
    async (request) => {
      requireTenant(request, request.params.tenantId);
      return identity.getSettings(request.params.tenantId);
    },
  );

  app.patch(
    '/tenants/:tenantId/settings',
    {
      schema: {
        tags: ['administration'],
        params: tenantParams,
        body: updateTenantSettingsBody,
        response: { 200: tenantSettingsSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      requireTenant(request, request.params.tenantId);
      requireUser(request, 'OWNER', 'MANAGER');
      return identity.updateSettings(request.params.tenantId, request.body);
    },
  );

  app.get(
    '/tenants/:tenantId/branches',
    {
      schema: {
        tags: ['admin'],
        params: tenantParams,
        response: { 200: z.object({ items: z.array(branchSchema) }), ...problems(401, 404) },
      },
    },
    async (request) => {
      requireTenant(request, request.params.tenantId);
      return { items: await identity.listBranches(request.params.tenantId) };
    },
  );
  app.get(
    '/tenants/:tenantId/branches/:branchId',
    {
      schema: {
        tags: ['admin'],
        params: branchParams,
        response: { 200: branchSchema, ...problems(401, 404) },
      },
    },
    async (request) => {
      requireTenant(request, request.params.tenantId);
      return identity.getBranch(request.params.tenantId, request.params.branchId);
    },
  );
  app.post(
    '/tenants/:tenantId/branches',
    {
      schema: {
        tags: ['admin'],
        params: tenantParams,
        body: createBranchBody,
        response: { 201: branchSchema, ...problems(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      requireTenant(request, request.params.tenantId);
      requireUser(request, 'OWNER', 'MANAGER');
      return reply.status(201).send(await identity.createBranch(request.params.tenantId, request.body));
    },
  );
  app.patch(
    '/tenants/:tenantId/branches/:branchId',
    {
      schema: {
        tags: ['admin'],
        params: branchParams,
        body: updateBranchBody,
        response: { 200: branchSchema, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      requireTenant(request, request.params.tenantId);
      requireUser(request, 'OWNER', 'MANAGER');
      return identity.updateBranch(request.params.tenantId, request.params.branchId, request.body);
    },
  );

  // Users
  app.get(
    '/tenants/:tenantId/users',
    {
      schema: {
        tags: ['admin'],
        params: tenantParams,
        response: { 200: z.object({ items: z.array(userSchema) }), ...problems(401, 403, 404) },
      },
    },
    async (request) => {
      requireTenant(request, request.params.tenantId);
      requireUser(request);
      return { items: await identity.listUsers(request.params.tenantId) };
    },
  );
  app.get(
    '/tenants/:tenantId/users/:userId',
    {
      schema: {
        tags: ['admin'],
        params: userParams,
        response: { 200: userSchema, ...problems(401, 403, 404) },
      },
    },
    async (request) => {
      requireTenant(request, request.params.tenantId);
      requireUser(request);
      return identity.getUser(request.params.tenantId, request.params.userId);
    },
  );
  app.post(
    '/tenants/:tenantId/users',
    {
      schema: {
        tags: ['admin'],
        summary: 'Invite a user (without a password the answer holds an invitation link)',
        description: 'Limited per tenant per hour (INVITE_LIMIT_PER_TENANT): 429 with Retry-After beyond it.',
        params: tenantParams,
        body: createUserBody,
        response: { 201: createdUserSchema, ...problems(400, 401, 403, 404, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      requireTenant(request, request.params.tenantId);
      const actor = requireUser(request, 'OWNER', 'MANAGER');
      return reply.status(201).send(await identity.createUser(actor, request.body));
    },
  );
  app.patch(
    '/tenants/:tenantId/users/:userId',
    {
      schema: {
        tags: ['admin'],
        summary: 'Edit, deactivate, or (for oneself) switch availability',
        params: userParams,
        body: updateUserBody,
        response: { 200: userSchema, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      requireTenant(request, request.params.tenantId);
      const actor = requireUser(request);
      return identity.updateUser(actor, request.params.userId, request.body);
    },
  );

  // API keys
  app.get(
    '/tenants/:tenantId/api-keys',
    {
      schema: {
        tags: ['admin'],
        params: tenantParams,
        response: { 200: z.object({ items: z.array(apiKeySchema) }), ...problems(401, 403, 404) },
      },
    },
    async (request) => {
      requireTenant(request, request.params.tenantId);
      requireUser(request, 'OWNER');
      return { items: await identity.listApiKeys(request.params.tenantId) };
    },
  );
  app.post(
    '/tenants/:tenantId/api-keys',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create a tenant API key; the key is in this answer only',
        params: tenantParams,
        body: createApiKeyBody,
        response: { 201: createdApiKeySchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      requireTenant(request, request.params.tenantId);
      const actor = requireUser(request, 'OWNER');
      return reply.status(201).send(await identity.createApiKey(actor, request.body));
    },
  );
  app.delete(
    '/tenants/:tenantId/api-keys/:keyId',
    {
      schema: {
        tags: ['admin'],
        summary: 'Revoke an API key',
        params: keyParams,
        response: { 200: apiKeySchema, ...problems(401, 403, 404) },
      },
    },
    async (request) => {
      requireTenant(request, request.params.tenantId);
      requireUser(request, 'OWNER');
      return identity.revokeApiKey(request.params.tenantId, request.params.keyId);
    },
  );
};
