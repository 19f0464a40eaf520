import { leadCountsQuery, leadCountsSchema, tenantParams } from '@techmarket/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { branchScope, narrowScope, requireTenant } from '../../platform/auth';
import { problems } from '../../platform/http';
import { compareEventIds, type RealtimeBus, type RealtimeEvent } from '../../platform/realtime';
import type { LeadFeed } from './lead-feed';

const HEARTBEAT_MS = 15_000;

/** The inbox's live side: counts per status (cached, never stale) and the server-sent event stream. */
export const leadsLiveRoutes: FastifyPluginAsyncZod<{ feed: LeadFeed; realtime: RealtimeBus }> = async (
  app,
  { feed, realtime },
) => {
  app.get(
    '/tenants/:tenantId/leads/counts',
    {
      schema: {
        tags: ['leads'],
        summary: "Leads per status, for the inbox's tabs",
        params: tenantParams,
        querystring: leadCountsQuery,
        response: { 200: leadCountsSchema, ...problems(400, 401, 404) },
      },
    },
    async (request) => {
      const { tenantId } = request.params;
      const scope = branchScope(requireTenant(request, tenantId));
      const branchIds = narrowScope(scope, request.query.branchId);
      return feed.counts(tenantId, branchIds, { assignedTo: request.query.assignedTo });
    },
  );

  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of open) end();
  });

  app.get(
    '/tenants/:tenantId/stream',
    {
      schema: {
        tags: ['leads'],
        summary: 'Live updates (server-sent events): lead.created, lead.updated, lead.assigned, task.due',
        description:
          'Each lead event carries the lead as JSON (task.due carries the task) and an id; reconnect with Last-Event-ID to receive what was missed (kept 10 minutes). A SELLER receives the leads of their branches only.',
        params: tenantParams,
        querystring: z.object({
          lastEventId: z
            .string()
            .regex(/^\d+-\d+$/)
            .optional(),
        }),
        response: { 200: z.string().describe('text/event-stream'), ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const { tenantId } = request.params;
      const scope = branchScope(requireTenant(request, tenantId));
      const header = request.headers['last-event-id'];
      const lastEventId =
        (typeof header === 'string' && /^\d+-\d+$/.test(header) ? header : undefined) ??
        request.query.lastEventId;
      const visible = (event: RealtimeEvent) =>
        scope === null || (event.branchId !== null && scope.includes(event.branchId));

      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      let sentUpTo = lastEventId ?? '0-0';
      const send = (event: RealtimeEvent) => {
        if (compareEventIds(event.id, sentUpTo) <= 0 || !visible(event)) return;
        sentUpTo = event.id;
        raw.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
      };
      raw.write('retry: 3000\n: connected\n\n');

      // Subscribe before replaying, holding live events back, so nothing falls between the two.
      let held: RealtimeEvent[] | null = [];
      const unsubscribe = await realtime.subscribe(tenantId, (event) => {
        if (held) held.push(event);
        else send(event);
      });
      if (lastEventId) for (const event of await realtime.replay(tenantId, lastEventId)) send(event);
      for (const event of held) send(event);
      held = null;

      const heartbeat = setInterval(() => raw.write(': ping\n\n'), HEARTBEAT_MS);
      const end = () => {
        if (!open.delete(end)) return;
        clearInterval(heartbeat);
        void unsubscribe();
        raw.end();
      };
      open.add(end);
      request.raw.on('close', end);
    },
  );
};
