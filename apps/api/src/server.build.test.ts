import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Papa from 'papaparse';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ServerProcess, startServer, until } from '../test/server-process';

/**
 * The build (`npm run build -w @techmarket/api`: apps/api/dist, esbuild) run the way production runs it, by
 * `npm run start:api` and `start:worker`'s own command lines under plain node, no tsx: it starts, finds what it
 * reads beside its code (migrations, the simulator's page, the assistant's data set), serves the API, and its
 * worker takes a job from the queue and finishes it, on a real PostgreSQL.
 */
const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const adminUrl = inject('adminUrl');
const admin = new pg.Client({ connectionString: adminUrl });
const created: string[] = [];
const running: ServerProcess[] = [];

beforeAll(async () => {
  await admin.connect();
  await promisify(execFile)(process.execPath, ['build.mjs'], { cwd: apiDir });
}, 120_000);

afterAll(async () => {
  for (const server of running) if (server.child.exitCode === null) server.child.kill('SIGKILL');
  await Promise.all(running.map((server) => server.exited));
  for (const name of created) await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.end();
});

describe('the built API and worker', () => {
  it('build into dist/ with the files the app reads beside its code', () => {
    for (const file of [
      'server.js',
      'telemetry.js',
      'modules/whatsapp/simulator/phone/index.html',
      'modules/whatsapp/simulator/phone/phone.js',
      'modules/assistant/classifier/data/messages.jsonl',
    ])
      expect(existsSync(path.join(apiDir, 'dist', file)), file).toBe(true);
  });

  it('start under plain node, serve the API, and the worker runs an import to its end', async () => {
    const name = `crm_b_${randomBytes(4).toString('hex')}`;
    await admin.query(`create database "${name}" template "${inject('templateDb')}"`);
    created.push(name);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const env = {
      DATABASE_URL: url.toString(),
      SEED_DEMO: 'false',
      WHATSAPP_SIMULATOR: 'true',
      DB_POOL_SIZE: '4',
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    };
    const [api, worker] = await Promise.all([
      startServer('api', env, { built: true }),
      startServer('worker', env, { built: true }),
    ]);
    running.push(api, worker);
    // No TypeScript loader in either process: the build is what runs.
    for (const server of [api, worker]) expect(server.child.spawnargs.join(' ')).not.toMatch(/tsx|\.ts\b/);
    await Promise.all([
      until(
        () => fetch(`${api.base}/api/v1/ready`),
        (response) => response.status === 200,
        'the built API ready',
        1800,
      ),
      worker.waitFor(/worker is running/),
    ]);
    const v1 = `${api.base}/api/v1`;

    // The simulator's customer phone: a page read from beside the code.
    const phone = await fetch(`${api.base}/simulator/whatsapp/phone`);
    expect(phone.status).toBe(200);
    expect(await phone.text()).toContain('<html');

    const signup = await fetch(`${v1}/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        tenantName: 'Tienda compilada',
        name: 'Dueña',
        email: `owner-${randomBytes(4).toString('hex')}@example.com`,
        password: 'correct-horse-battery',
        branch: { name: 'Centro', whatsappPhone: '+51 987 654 321', timezone: 'America/Lima' },
      }),
    });
    expect(signup.status).toBe(201);
    const { token, tenant } = (await signup.json()) as { token: string; tenant: { id: string } };
    const auth = { authorization: `Bearer ${token}` };

    const rows = 300;
    const file = Papa.unparse([
      ['Nombre', 'Teléfono'],
      ...Array.from({ length: rows }, (_, i) => [`Cliente ${i}`, `+51 9${String(i).padStart(8, '0')}`]),
      ['Sin teléfono', 'no es un número'],
    ]);
    const form = new FormData();
    form.append('kind', 'contacts');
    form.append('mapping', JSON.stringify({ name: 'Nombre', phone: 'Teléfono' }));
    form.append('file', new Blob([file]), 'clientes.csv');
    const upload = await fetch(`${v1}/tenants/${tenant.id}/imports`, {
      method: 'POST',
      headers: auth,
      body: form,
    });
    expect(upload.status, await upload.clone().text()).toBe(202);
    const { id } = (await upload.json()) as { id: string };

    // The API process does not run jobs: the worker does.
    const done = await until(
      async () =>
        (await (await fetch(`${v1}/imports/${id}`, { headers: auth })).json()) as {
          status: string;
          imported: number;
          rejected: number;
        },
      (job) => job.status === 'DONE' || job.status === 'FAILED',
      'the import done by the built worker',
      1800,
    );
    expect(done).toMatchObject({ status: 'DONE', imported: rows, rejected: 1 });
    const customers = await fetch(
      `${v1}/tenants/${tenant.id}/contacts?q=${encodeURIComponent('+51 900000042')}`,
      {
        headers: auth,
      },
    );
    expect(customers.status).toBe(200);

    for (const server of [api, worker]) server.child.kill('SIGTERM');
    expect(await Promise.all([api.exited, worker.exited])).toEqual([0, 0]);
  }, 300_000);
});
