import {
  cancelledTasksSchema,
  createTaskBody,
  followupPolicySchema,
  followupRunSchema,
  idParams,
  page,
  patchFollowupPolicyBody,
  putFollowupPolicyBody,
  taskCountsQuery,
  taskCountsSchema,
  taskListQuery,
  taskSchema,
  tenantParams,
  updateTaskBody,
} from '@techmarket/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requirePrincipal, requireTenant, requireUser } from '../../platform/auth';
import { problems } from '../../platform/http';
import type { FollowupsService } from './followups.service';

export const followupsRoutes: FastifyPluginAsyncZod<{ followups: FollowupsService }> = async (
  app,
  { followups },
) => {
  app.get(
    '/tenants/:tenantId/followup-policy',
    {
      schema: {
        tags: ['followups'],
        summary: "The shop's follow-up rules (defaults until set)",
        params: tenantParams,
        response: { 200: followupPolicySchema, ...problems(400, 401, 404) },
      },
    },
    async (request) =>
      followups.getPolicy(requireTenant(request, request.params.tenantId), request.params.tenantId),
  );

  app.put(
    '/tenants/:tenantId/followup-policy',
    {
      schema: {
        tags: ['followups'],
        summary: "Set the shop's follow-up rules (OWNER, MANAGER)",
        params: tenantParams,
        body: putFollowupPolicyBody,
        response: { 200: followupPolicySchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      requireTenant(request, request.params.tenantId);
      const actor = requireUser(request, 'OWNER', 'MANAGER');
      return followups.putPolicy(actor, request.params.tenantId, request.body);
    },
  );

  app.patch(
    '/tenants/:tenantId/followup-policy',
    {
      schema: {
        tags: ['followups'],
        summary: "Change some of the shop's follow-up rules (OWNER, MANAGER)",
        params: tenantParams,
        body: patchFollowupPolicyBody,
        response: { 200: followupPolicySchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      requireTenant(request, request.params.tenantId);
      const actor = requireUser(request, 'OWNER', 'MANAGER');
      return followups.patchPolicy(actor, request.params.tenantId, request.body);
    },
  );

  app.post(
    '/tenants/:tenantId/followups/run',
    {
      schema: {
        tags: ['followups'],
        summary: 'Run the follow-up engine over the shop now (OWNER, MANAGER)',
        description:
          'The same pass the worker runs every minute: idempotent, so running it again creates nothing twice.',
        params: tenantParams,
        response: { 200: followupRunSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      requireTenant(request, request.params.tenantId);
      requireUser(request, 'OWNER', 'MANAGER');
      return followups.runEngine(request.params.tenantId);
    },
  );

  app.get(
    '/tenants/:tenantId/tasks',
    {
      schema: {
        tags: ['followups'],
        summary: 'Tasks, soonest due first: by assignee (`me`), status, due (overdue, today, upcoming), lead',
        params: tenantParams,
        querystring: taskListQuery,
        response: { 200: page(taskSchema), ...problems(400, 401, 404) },
      },
    },
    async (request) =>
      followups.listTasks(
        requireTenant(request, request.params.tenantId),
        request.params.tenantId,
        request.query,
      ),
  );

  app.get(
    '/tenants/:tenantId/tasks/counts',
    {
      schema: {
        tags: ['followups'],
        summary: "Open and overdue tasks per lead (the inbox's badges)",
        params: tenantParams,
        querystring: taskCountsQuery,
        response: { 200: taskCountsSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) =>
      followups.taskCounts(
        requireTenant(request, request.params.tenantId),
        request.params.tenantId,
        request.query.leadId,
      ),
  );

  app.post(
    '/leads/:id/tasks',
    {
      schema: {
        tags: ['followups'],
        summary: 'Add a task or reminder to a lead ("seguir en 24h", "enviar promo")',
        params: idParams,
        body: createTaskBody,
        response: { 201: taskSchema, ...problems(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const task = await followups.createTask(requireUser(request), request.params.id, request.body);
      return reply.status(201).send(task);
    },
  );

  app.post(
    '/leads/:id/tasks/cancel-open',
    {
      schema: {
        tags: ['followups'],
        summary: 'Cancel every open task of a lead (offered when the lead is won or lost)',
        params: idParams,
        response: { 200: cancelledTasksSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => followups.cancelOpenTasks(requireUser(request), request.params.id),
  );

  app.patch(
    '/tasks/:id',
    {
      schema: {
        tags: ['followups'],
        summary:
          'Mark done, reopen, cancel, snooze (a later dueAt) or reassign a task (send the version read)',
        params: idParams,
        body: updateTaskBody,
        response: { 200: taskSchema, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      requirePrincipal(request);
      return followups.updateTask(requireUser(request), request.params.id, request.body);
    },
  );
};
