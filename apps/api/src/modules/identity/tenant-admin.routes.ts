import {
  apiKeySchema,
  branchSchema,
  createApiKeyBody,
  createBranchBody,
  createdApiKeySchema,
  createdUserSchema,
  createUserBody,
  id,
  tenantParams,
  tenantSettingsSchema,
  updateBranchBody,
  updateTenantSettingsBody,
  updateUserBody,
  userSchema,
} from '@techmarket/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireTenant, requireUser } from '../../platform/auth';
import { problems } from '../../platform/http';
import type { TenantAdminService } from './tenant-admin.service';

const branchParams = tenantParams.extend({ branchId: id });
const userParams = tenantParams.extend({ userId: id });
const keyParams = tenantParams.extend({ keyId: id });

/** The shop's settings, branches, users and API keys (the rules: tenant-admin.service.ts). */
export const tenantAdminRoutes: FastifyPluginAsyncZod<{ identity: TenantAdminService }> = async (
  app,
  { identity },
) => {
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
      // The invitation link is a one-time secret: not to be kept as an idempotent reply.
      config: { idempotency: 'secret-reply' },
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
      // The key is in this answer only: not to be kept as an idempotent reply.
      config: { idempotency: 'secret-reply' },
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
