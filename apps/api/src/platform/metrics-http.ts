import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorsTotal, httpRequestDuration, registry } from './metrics';

/** Whether the request carries `Authorization: Bearer <token>`, compared in constant time. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = Buffer.from(header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : '');
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

const statusClass = (status: number) => `${Math.floor(status / 100)}xx`;

/**
 * Times every request by its route pattern (`/api/v1/leads/:leadId`, never the raw URL: one series per route, not
 * per lead), and serves `/metrics` on the app's own port when a token guards it. Without METRICS_TOKEN the
 * metrics are not on the public port at all: METRICS_PORT serves them on a port of their own.
 */
export function registerMetrics(app: FastifyInstance, options: { token: string | undefined }) {
  app.addHook('onResponse', (request: FastifyRequest, reply, done) => {
    const status = reply.statusCode;
    httpRequestDuration.observe(
      {
        // Requests that matched no route share one series: a scan of random URLs must not make thousands.
        route: request.routeOptions.url ?? 'unmatched',
        method: request.method,
        status_class: statusClass(status),
      },
      reply.elapsedTime / 1000,
    );
    if (status >= 500) errorsTotal.inc({ source: 'http' });
    done();
  });

  const { token } = options;
  if (!token) return;
  app.get('/metrics', { schema: { hide: true }, logLevel: 'warn' }, async (request, reply) => {
    if (!bearerMatches(request.headers.authorization, token)) {
      return reply
        .status(401)
        .header('www-authenticate', 'Bearer')
        .type('text/plain')
        .send('metrics need the bearer token (METRICS_TOKEN)\n');
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}

/**
 * `/metrics` on a port of its own (METRICS_PORT): for worker processes, which serve no HTTP, and for API processes
 * whose metrics should stay off the public port. With a token, it is required here too.
 */
export async function serveMetrics(options: {
  port: number;
  host: string;
  token: string | undefined;
}): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (options.token && !bearerMatches(request.headers.authorization, options.token)) {
      response.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' }).end();
      return;
    }
    registry.metrics().then(
      (body) => response.writeHead(200, { 'content-type': registry.contentType }).end(body),
      () => response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
