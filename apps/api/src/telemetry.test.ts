import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../test/free-port';
import { createTestContext, type TestContext } from '../test/harness';
import { maskLiterals } from './telemetry';

/**
 * The server as `npm start` runs it (`tsx --import ./src/telemetry.ts src/server.ts`), told to export traces over
 * OTLP/HTTP in JSON to a collector stand-in here, which keeps every span it is sent.
 */

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  scope: string;
  attributes: Record<string, unknown>;
}

const apiRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let ctx: TestContext;
let collector: http.Server;
let server: ChildProcess | null = null;
let serverOutput = '';
let dataDir: string;
const spans: Span[] = [];

/** OTLP's JSON attribute list (`[{ key, value: { stringValue } }]`) as a plain object. */
const attributesOf = (list: { key: string; value: Record<string, unknown> }[] = []) =>
  Object.fromEntries(list.map(({ key, value }) => [key, Object.values(value)[0]]));

function receive(body: string) {
  const request = JSON.parse(body) as {
    resourceSpans: {
      scopeSpans: {
        scope: { name: string };
        spans: (Omit<Span, 'scope' | 'attributes'> & { attributes?: [] })[];
      }[];
    }[];
  };
  for (const resource of request.resourceSpans ?? [])
    for (const scoped of resource.scopeSpans ?? [])
      for (const span of scoped.spans ?? [])
        spans.push({ ...span, scope: scoped.scope.name, attributes: attributesOf(span.attributes) });
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (server?.exitCode !== null)
      throw new Error(`server exited while waiting for ${what}:\n${serverOutput}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let port = 0;
let metricsPort = 0;

beforeAll(async () => {
  ctx = await createTestContext();
  collector = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      if (request.url === '/v1/traces') receive(body);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  port = await freePort();
  metricsPort = await freePort();
  dataDir = mkdtempSync(path.join(tmpdir(), 'tm-otel-'));
  server = spawn(
    path.join(apiRoot, '../../node_modules/.bin/tsx'),
    ['--import', './src/telemetry.ts', 'src/server.ts'],
    {
      cwd: apiRoot,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'test',
        // API and worker in one process: a request's job runs here too.
        ROLE: 'all',
        PORT: String(port),
        METRICS_PORT: String(metricsPort),
        LOG_LEVEL: 'warn',
        SEED_DEMO: 'false',
        DATA_DIR: dataDir,
        DATABASE_URL: ctx.databaseUrl,
        APP_DATABASE_URL: ctx.appUrl,
        DB_POOL_SIZE: '3',
        OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_SERVICE_NAME: 'techmarket-test',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  server.stdout?.on('data', (chunk: Buffer) => {
    serverOutput += chunk.toString();
  });
  server.stderr?.on('data', (chunk: Buffer) => {
    serverOutput += chunk.toString();
  });
  await until('the server to listen', () => (serverOutput.includes('is running on') ? true : undefined));
});

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server?.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  await new Promise((resolve) => collector?.close(resolve));
  await ctx?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('traces, with an OTLP exporter configured', () => {
  it("export an API request's spans, its database statement a descendant of its HTTP span", async () => {
    const requestId = 'otel-request-1';
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/health`, {
      headers: { 'x-request-id': requestId },
    });
    expect(response.status).toBe(200);

    const tagged = await until('the request span with its id', () =>
      spans.find((span) => span.attributes['http.request.id'] === requestId),
    );
    const query = await until('a pg span in the same trace', () =>
      spans.find(
        (span) =>
          span.traceId === tagged.traceId &&
          span.scope.includes('instrumentation-pg') &&
          span.name.startsWith('pg.query'),
      ),
    );
    await until('the HTTP server span', () =>
      spans.find((span) => span.traceId === tagged.traceId && span.scope.includes('instrumentation-http')),
    );
    // Parent by parent, the statement's span leads up to the request's HTTP span.
    const byId = new Map(spans.filter((s) => s.traceId === tagged.traceId).map((s) => [s.spanId, s]));
    const chain: Span[] = [];
    for (let at: Span | undefined = query; at; at = at.parentSpanId ? byId.get(at.parentSpanId) : undefined)
      chain.push(at);
    expect(chain.at(-1)?.spanId).toBe(chain.find((s) => s.scope.includes('instrumentation-http'))?.spanId);
    expect(chain.some((s) => s.attributes['http.request.id'] === requestId)).toBe(true);
    expect(chain.some((s) => s.scope === '@fastify/otel')).toBe(true);
  });
});

describe('a job run', () => {
  it('is a span of its own, its statements its children, and counted on the metrics port', async () => {
    const signup = await fetch(`http://127.0.0.1:${port}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        tenantName: 'Tienda trazada',
        name: 'Dueña',
        email: 'otel-owner@example.com',
        password: 'correct-horse-battery',
        branch: { name: 'Centro', whatsappPhone: '+51 987 654 321', timezone: 'America/Lima' },
      }),
    });
    expect(signup.status).toBe(201);
    const shop = (await signup.json()) as { tenant: { id: string }; branch: { id: string } };
    // A click that opens a lead queues the assistant's job for it (pg-boss); this process works the queue.
    const click = await fetch(`http://127.0.0.1:${port}/api/v1/tracking/whatsapp-click`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenantId: shop.tenant.id, branchId: shop.branch.id, visitorId: 'otel-visitor' }),
    });
    expect(click.status).toBe(201);

    const job = await until('the job span', () =>
      spans.find((span) => span.name === 'job assistant.new-lead'),
    );
    expect(job.attributes['job.queue']).toBe('assistant.new-lead');
    await until('a statement of the job', () =>
      spans.find((span) => span.parentSpanId === job.spanId && span.scope.includes('instrumentation-pg')),
    );

    const completed = await until('the job counted', async () => {
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      const line = text
        .split('\n')
        .find(
          (l) =>
            l.startsWith('techmarket_jobs_total{') &&
            l.includes('queue="assistant.new-lead"') &&
            l.includes('outcome="completed"'),
        );
      return line ? text : undefined;
    });
    expect(completed).toMatch(/techmarket_clicks_total\{[^}]*kind="whatsapp"[^}]*\} 1/);
    expect(completed).toMatch(/techmarket_leads_created_total\{[^}]*\} 1/);
  });
});

describe('maskLiterals', () => {
  it('masks every string literal of a statement sent with its values inlined', () => {
    expect(
      maskLiterals(
        "begin; select set_config('app.tenant_id', 'a1', true); insert into t values (E'x\\\\y''z', 'ana') ; commit",
      ),
    ).toBe("begin; select set_config('?', '?', true); insert into t values ('?', '?') ; commit");
  });
});
