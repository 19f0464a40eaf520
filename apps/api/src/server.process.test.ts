import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import Papa from 'papaparse';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ServerProcess, startServer, until } from '../test/server-process';
import { openStream } from '../test/sse';

/**
 * The server as a process, the way production runs it: several processes starting at once on one fresh
 * database, and a SIGTERM while a request, a live stream and a job are under way.
 */
const adminUrl = inject('adminUrl');
const created: string[] = [];
const running: ServerProcess[] = [];
const admin = new pg.Client({ connectionString: adminUrl });
/** Owner connections a test opened, ended before its database is dropped. */
const clients: pg.Client[] = [];

const withDatabase = (url: string, database: string) => {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
};

async function freshDatabase(template?: string) {
  const name = `crm_p_${randomBytes(4).toString('hex')}`;
  await admin.query(`create database "${name}"${template ? ` template "${template}"` : ''}`);
  created.push(name);
  return withDatabase(adminUrl, name);
}

async function start(role: 'api' | 'worker' | 'all', env: Record<string, string>) {
  const server = await startServer(role, {
    DB_POOL_SIZE: '4',
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...env,
  });
  running.push(server);
  return server;
}

const ready = (server: ServerProcess) =>
  until(
    () => fetch(`${server.base}/api/v1/ready`),
    (response) => response.status === 200,
    `${server.base} ready`,
    1800,
  );

/** A GET on a connection of its own (no pool): whether the server still accepts new connections, and its answer. */
const freshGet = (url: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = httpRequest(url, { agent: false, headers: { connection: 'close' } }, (response) => {
      let body = '';
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });

beforeAll(async () => {
  await admin.connect();
});

afterAll(async () => {
  for (const server of running) if (server.child.exitCode === null) server.child.kill('SIGKILL');
  await Promise.all(running.map((server) => server.exited));
  for (const client of clients) await client.end().catch(() => undefined);
  for (const name of created) await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.end();
});

describe('processes', () => {
  it('an API process and a worker started together on one fresh database migrate it once, seed the demo once, and stop cleanly', async () => {
    const url = await freshDatabase();
    const env = { DATABASE_URL: url, SEED_DEMO: 'true' };
    // Both roles migrate and seed at start: each must find the other's work done, or wait for it.
    const [api, worker] = await Promise.all([start('api', env), start('worker', env)]);
    await Promise.all([ready(api), worker.waitFor(/worker is running/)]);

    const owner = new pg.Client({ connectionString: url });
    await owner.connect();
    try {
      const migrations = await owner.query('select hash from drizzle.__drizzle_migrations');
      expect(migrations.rowCount).toBe(readMigrationFiles({ migrationsFolder: 'drizzle' }).length);
      const tenants = await owner.query<{ slug: string; n: number }>(
        `select slug, count(*)::int as n from tenant group by slug order by slug`,
      );
      expect(tenants.rows.map((row) => row.n)).toEqual(tenants.rows.map(() => 1));
      expect(tenants.rowCount).toBe(2);
      const owners = await owner.query(`select 1 from app_user where email = 'owner@techperu.pe'`);
      expect(owners.rowCount).toBe(1);
    } finally {
      await owner.end();
    }
    const login = await fetch(`${api.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@techperu.pe', password: 'techmarket2026' }),
    });
    expect(login.status).toBe(200);

    for (const server of [api, worker]) server.child.kill('SIGTERM');
    expect(await Promise.all([api.exited, worker.exited])).toEqual([0, 0]);
  }, 300_000);

  it('on SIGTERM it stops accepting, answers the request in flight, ends the live stream, lets the running job finish once, and exits 0', async () => {
    const url = await freshDatabase(inject('templateDb'));
    const server = await start('all', {
      DATABASE_URL: url,
      SEED_DEMO: 'false',
      SHUTDOWN_TIMEOUT_MS: '120000',
    });
    await ready(server);
    const api = `${server.base}/api/v1`;

    const email = `owner-${randomBytes(4).toString('hex')}@example.com`;
    const signup = await fetch(`${api}/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        tenantName: 'Tienda de cierre',
        name: 'Dueña',
        email,
        password: 'correct-horse-battery',
        branch: { name: 'Centro', whatsappPhone: '+51 987 654 321', timezone: 'America/Lima' },
      }),
    });
    expect(signup.status).toBe(201);
    const { token, tenant } = (await signup.json()) as { token: string; tenant: { id: string } };
    const auth = { authorization: `Bearer ${token}` };

    // A job: an import big enough to be running when the signal comes.
    const rows = 20_000;
    const file = Papa.unparse([
      ['Nombre', 'Teléfono'],
      ...Array.from({ length: rows }, (_, i) => [`Cliente ${i}`, `+51 9${String(i).padStart(8, '0')}`]),
    ]);
    const form = new FormData();
    form.append('kind', 'contacts');
    form.append('mapping', JSON.stringify({ name: 'Nombre', phone: 'Teléfono' }));
    form.append('file', new Blob([file]), 'clientes.csv');
    const upload = await fetch(`${api}/tenants/${tenant.id}/imports`, {
      method: 'POST',
      headers: auth,
      body: form,
    });
    expect(upload.status, await upload.clone().text()).toBe(202);
    const { id: importId } = (await upload.json()) as { id: string };
    const owner = new pg.Client({ connectionString: url });
    await owner.connect();
    clients.push(owner);
    await until(
      () => owner.query(`select 1 from pgboss.job where name = 'imports.run' and state = 'active'`),
      (result) => (result.rowCount ?? 0) > 0,
      'the import job running',
    );

    // A live stream, open.
    const stream = await openStream(`${api}/tenants/${tenant.id}/stream`, auth);
    expect(stream.status).toBe(200);

    // A request in flight: its headers are in (the server said 100 Continue), its body not yet.
    const body = JSON.stringify({ email, password: 'correct-horse-battery' });
    const socket: Socket = connect(Number(new URL(server.base).port), '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString();
    });
    const answered = new Promise<void>((resolve) => socket.on('end', resolve));
    socket.write(
      `POST /api/v1/auth/login HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nexpect: 100-continue\r\nconnection: close\r\n\r\n`,
    );
    await until(
      async () => answer,
      (text) => text.includes('100 Continue'),
      'the request in flight',
    );

    server.child.kill('SIGTERM');
    await server.waitFor(/SIGTERM: shutting down/);
    // The server no longer accepts connections, while the request above is still open.
    await until(
      () =>
        fetch(`${api}/health`).then(
          () => 'accepted',
          () => 'refused',
        ),
      (state) => state === 'refused',
      'the server to stop accepting',
    );
    // The rest of the body (not a half-close: Node would take the client's FIN as giving up on its request).
    socket.write(body);
    await answered;
    expect(answer).toMatch(/HTTP\/1\.1 200 OK/);
    expect(answer).toContain('"token"');

    await stream.ended(60_000);
    expect(await server.exited).toBe(0);

    const done = await owner.query<{ status: string; processed: number; imported: number }>(
      `select status, processed_rows as processed, imported from import_job where id = $1`,
      [importId],
    );
    const contacts = await owner.query<{ n: number }>(
      `select count(*)::int as n from contact where tenant_id = $1`,
      [tenant.id],
    );
    expect(done.rows[0]).toMatchObject({ status: 'DONE', processed: rows, imported: rows });
    expect(contacts.rows[0]?.n).toBe(rows);
  }, 300_000);

  it('on SIGTERM, readiness turns 503 at once while new connections are still accepted and answered for SHUTDOWN_GRACE_MS; then it stops accepting and exits 0', async () => {
    const url = await freshDatabase(inject('templateDb'));
    const grace = 6000;
    const server = await start('api', {
      DATABASE_URL: url,
      SEED_DEMO: 'false',
      SHUTDOWN_GRACE_MS: String(grace),
    });
    await ready(server);
    const api = `${server.base}/api/v1`;

    const signalled = Date.now();
    server.child.kill('SIGTERM');
    await server.waitFor(/SIGTERM: shutting down/);
    // A load balancer's next check sees 503 naming why, on a new connection the server still took.
    const notReady = await freshGet(`${api}/ready`);
    expect(notReady.status).toBe(503);
    expect(JSON.parse(notReady.body)).toMatchObject({ detail: 'Not ready: shutting down' });
    // Requests it still routes here meanwhile are answered as usual, each on a new connection.
    const health = await freshGet(`${api}/health`);
    expect(health.status).toBe(200);
    expect(Date.now() - signalled).toBeLessThan(grace);

    // After the grace it refuses new connections, and not before.
    await until(
      () =>
        freshGet(`${api}/health`).then(
          () => 'accepted',
          () => 'refused',
        ),
      (state) => state === 'refused',
      'the server to stop accepting',
      300,
    );
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(grace);
    expect(server.output()).toMatch(/grace over, no longer accepting/);
    expect(await server.exited).toBe(0);
  }, 300_000);

  it('refuses to start in production without PLATFORM_API_KEY, naming it, before touching any database', async () => {
    const server = await startServer('api', {
      NODE_ENV: 'production',
      DATABASE_URL: withDatabase(adminUrl, 'crm_never_created'),
      LINK_SIGNING_SECRET: 'x'.repeat(32),
      WHATSAPP_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
      PLATFORM_API_KEY: '',
    });
    running.push(server);
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain('PLATFORM_API_KEY: required in production');
  }, 120_000);
});
