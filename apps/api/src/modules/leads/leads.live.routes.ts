import fastifySse from '@fastify/sse';
import { leadCountsQuery, leadCountsSchema, tenantParams } from '@techmarket/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { branchScope, narrowScope, type Principal, readBearer, requireTenant } from '../../platform/auth';
import { problems } from '../../platform/http';
import { compareEventIds, type RealtimeBus, type RealtimeEvent } from '../../platform/realtime';
import type { Ticker } from '../../platform/ticker';
import type { IdentityService } from '../identity';
import type { LeadFeed } from './lead-feed';

/** How long a browser waits before it opens a dropped stream again (the `retry:` field). */
const RECONNECT_MS = 3000;

export interface LeadsLiveOptions {
  feed: LeadFeed;
  realtime: RealtimeBus;
  principals: Pick<IdentityService, 'resolvePrincipal' | 'onRevoked'>;
  /** How often every open stream checks its principal again, and what runs that check. */
  recheck: { everyMs: number; ticker: Ticker };
  /** How often an idle stream sends a comment, so that proxies and the browser keep it open. */
  heartbeatMs: number;
}

/** Whether a principal still sees what it saw: the same session or key, role and branches. */
const sameView = (was: Principal, now: Principal) => {
  if (was.kind === 'apiKey' || now.kind === 'apiKey')
    return was.kind === 'apiKey' && now.kind === 'apiKey' && was.apiKeyId === now.apiKeyId;
  return (
    was.sessionId === now.sessionId &&
    was.userId === now.userId &&
    was.tenantId === now.tenantId &&
    was.role === now.role &&
    was.branchIds.length === now.branchIds.length &&
    was.branchIds.every((id) => now.branchIds.includes(id))
  );
};

/**
 * The inbox's live side: counts per status (cached, never stale) and the server-sent event stream.
 *
 * A stream carries customers' names and phones for as long as it stays open, so it lives no longer than what
 * let it open: it ends when its session is revoked (logout), its user deactivated or their role or branches
 * changed, its API key revoked (identity tells of each at once, in every instance), and it checks its principal
 * again every `recheck.everyMs` (a session that expired, a notice that was lost). The browser reconnects by
 * itself: with the new role and branches, or to a 401.
 *
 * @fastify/sse writes the stream (headers, `id:`/`event:`/`data:` framing, the heartbeat); what to send is
 * decided here: the replay from Last-Event-ID, the branch filter, and when to end.
 */
export const leadsLiveRoutes: FastifyPluginAsyncZod<LeadsLiveOptions> = async (
  app,
  { feed, realtime, principals, recheck, heartbeatMs },
) => {
  await app.register(fastifySse, { heartbeatInterval: heartbeatMs });

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

  // Each open stream: how to end it, and how to check its principal again.
  const open = new Map<() => void, () => Promise<void>>();
  const stopRechecks = recheck.ticker.every(recheck.everyMs, async () => {
    await Promise.all([...open.values()].map((check) => check()));
  });
  app.addHook('preClose', async () => {
    stopRechecks();
    for (const end of open.keys()) end();
  });

  app.get(
    '/tenants/:tenantId/stream',
    {
      // No Accept negotiation: what a caller may not see is a 401 or 404 problem, whatever it accepts.
      sse: 'manual',
      schema: {
        tags: ['leads'],
        summary:
          'Live updates (server-sent events): lead.created, lead.updated, lead.assigned, task.due, message.created, message.updated',
        description:
          "Each lead event carries the lead as JSON (task.due carries the task; message.created and message.updated carry {leadId, message}, a WhatsApp message of the lead's conversation) and an id; reconnect with Last-Event-ID to receive what was missed (kept 10 minutes). A SELLER receives the leads of their branches only. The stream ends when its session is logged out, its user deactivated or their role or branches changed, or its API key revoked; reconnecting then gets the new view, or a 401.",
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
      const principal = requireTenant(request, tenantId);
      const scope = branchScope(principal);
      const bearer = readBearer(request);
      if (!bearer) throw new Error('a principal without the secret that resolved it');
      const header = request.headers['last-event-id'];
      const lastEventId =
        (typeof header === 'string' && /^\d+-\d+$/.test(header) ? header : undefined) ??
        request.query.lastEventId;
      const visible = (event: RealtimeEvent) =>
        scope === null || (event.branchId !== null && scope.includes(event.branchId));

      reply.header('content-type', 'text/event-stream; charset=utf-8');
      reply.header('cache-control', 'no-cache, no-transform');
      const stream = reply.sse;
      stream.keepAlive();
      let sentUpTo = lastEventId ?? '0-0';
      const send = (event: RealtimeEvent) => {
        if (!stream.isConnected || compareEventIds(event.id, sentUpTo) <= 0 || !visible(event)) return;
        sentUpTo = event.id;
        // Written at once; the promise only waits for a slow client's buffer to drain.
        void stream.send({ id: event.id, event: event.type, data: event.data });
      };
      // The first write sends the headers, so the client knows at once that the stream is open.
      await stream.send({ retry: RECONNECT_MS, data: undefined });

      // Subscribe before replaying, holding live events back, so nothing falls between the two.
      let held: RealtimeEvent[] | null = [];
      const unsubscribe = await realtime.subscribe(tenantId, (event) => {
        if (held) held.push(event);
        else send(event);
      });
      if (lastEventId) for (const event of await realtime.replay(tenantId, lastEventId)) send(event);
      for (const event of held) send(event);
      held = null;

      let stopWatching = () => {};
      const end = () => {
        if (!open.delete(end)) return;
        stopWatching();
        void unsubscribe();
        stream.close();
      };
      /** Ends the stream unless its secret still resolves to a principal that sees what this one saw. */
      const check = async (fresh = false) => {
        if (!open.has(end)) return;
        try {
          const now = await principals.resolvePrincipal(bearer.secret, bearer.viaCookie, { fresh });
          if (!now || !sameView(principal, now)) end();
        } catch (error) {
          // Unsure is not allowed: the browser reconnects and is asked again.
          request.log.warn({ err: error }, 'live stream: the principal could not be checked; closing it');
          end();
        }
      };
      open.set(end, () => check());
      stream.onClose(end);
      // Told of revocations from now on; one made since the principal was read is seen by a fresh look now.
      stopWatching = principals.onRevoked(principal, () => void check(true));
      // A client that left during the replay closed the stream before `end` was listening.
      if (!stream.isConnected) return end();
      await check(true);
    },
  );
};
