import { chmod, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test/free-port';
import { closedFoldersOnTheWay, type EmbeddedDatabase, startEmbeddedPostgres } from './embedded-postgres';

/** What connecting with this connection string gives: 'ok', or PostgreSQL's error code. */
async function tryConnect(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const withPassword = (url: string, password: string) => {
  const parsed = new URL(url);
  parsed.password = password;
  return parsed.toString();
};

let root: string;
let dataDir: string;
let port: number;
let server: EmbeddedDatabase | null = null;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'crm-embedded-'));
  // mkdtemp makes a 0700 folder; as root, the postgres user must pass through it.
  await chmod(root, 0o755);
  dataDir = path.join(root, 'data', 'pg');
  port = await freePort();
});
afterAll(async () => {
  await server?.stop();
  await rm(root, { recursive: true, force: true });
});

describe('the embedded superuser', () => {
  it('gets a random password on first initialisation, kept beside the data (0600); postgres/postgres is refused', async () => {
    server = await startEmbeddedPostgres({ dataDir, port });
    const file = `${dataDir}.password`;
    const info = await stat(file);
    expect(info.mode & 0o777).toBe(0o600);
    const password = (await readFile(file, 'utf8')).trim();
    expect(password.length).toBeGreaterThanOrEqual(32);
    expect(decodeURIComponent(new URL(server.url).password)).toBe(password);
    expect(await tryConnect(server.adminUrl)).toBe('ok');
    expect(await tryConnect(withPassword(server.adminUrl, 'postgres'))).toBe('28P01');
  });

  it('replaces the old fixed password of a data directory initialised before, and keeps the new one', async () => {
    if (!server) throw new Error('the first test starts the server');
    const admin = new pg.Client({ connectionString: server.adminUrl });
    await admin.connect();
    await admin.query(`alter role postgres password 'postgres'`);
    await admin.end();
    await server.stop();
    await rm(`${dataDir}.password`);

    server = await startEmbeddedPostgres({ dataDir, port });
    expect(await tryConnect(server.adminUrl)).toBe('ok');
    expect(await tryConnect(withPassword(server.adminUrl, 'postgres'))).toBe('28P01');
    expect((await stat(`${dataDir}.password`)).mode & 0o777).toBe(0o600);
  });
});

describe('running as root where the postgres user cannot enter', () => {
  it.skipIf(process.getuid?.() !== 0)(
    'stops before initdb with a message that names the folder and what to do',
    async () => {
      const closed = path.join(root, 'closed');
      const clone = path.join(closed, 'crm');
      await mkdir(clone, { recursive: true });
      await chmod(closed, 0o700);
      await chmod(clone, 0o700);
      const started = startEmbeddedPostgres({ dataDir: path.join(clone, '.data', 'pg'), port });
      const error = await started.then(
        () => null,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(Error);
      const message = (error as Error).message;
      expect(message).toContain(
        `cannot enter ${closed} (mode 700), ${clone} (mode 700) on the way to its data`,
      );
      expect(message).toContain('run npm start as a regular user');
      expect(message).toContain('DATA_DIR=');
      expect(message).toContain(`chmod o+x ${closed} ${clone}`);
      expect(message).toContain('DATABASE_URL');
    },
  );

  it('finds the first closed folder on the way, by the bits that apply to the postgres user', async () => {
    const inner = path.join(root, 'a', 'b');
    await mkdir(inner, { recursive: true });
    await chmod(path.join(root, 'a'), 0o750);
    const stranger = { uid: 123_456, gid: 123_456 };
    await chmod(inner, 0o700);
    expect(await closedFoldersOnTheWay(path.join(inner, 'c', 'd'), stranger)).toEqual([
      path.join(root, 'a'),
      inner,
    ]);
    const info = await stat(path.join(root, 'a'));
    // The group may enter (0750): a postgres user in the folder's group passes.
    expect(await closedFoldersOnTheWay(inner, { uid: 123_456, gid: info.gid })).toEqual([inner]);
    await chmod(path.join(root, 'a'), 0o755);
    await chmod(inner, 0o755);
    expect(await closedFoldersOnTheWay(inner, stranger)).toEqual([]);
  });
});
