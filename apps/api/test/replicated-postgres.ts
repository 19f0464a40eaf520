import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './free-port';

const run = promisify(execFile);

/** Debian's PostgreSQL 15 server programs (the postgresql-15 package). */
const BIN = '/usr/lib/postgresql/15/bin';
export const hasPostgres15 = ['initdb', 'pg_ctl', 'pg_basebackup', 'postgres'].every((program) =>
  existsSync(path.join(BIN, program)),
);

/** PostgreSQL refuses to run as root: as root, the servers run as the `postgres` user. */
async function serverUser(): Promise<{ uid: number; gid: number } | null> {
  if (process.getuid?.() !== 0) return null;
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export interface ReplicatedPostgres {
  /** The primary's superuser URL of `database`. */
  primaryUrl(database: string): string;
  /** The replica's. */
  replicaUrl(database: string): string;
  /** Waits until the replica has replayed everything the primary has written so far. */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A private primary and a streaming replica of it, each in a temporary folder on a free port: the primary made by
 * initdb with wal_level=replica, the replica by `pg_basebackup -R` from it (hot standby). Nothing of the
 * machine's own server is touched.
 */
export async function startReplicatedPostgres(): Promise<ReplicatedPostgres> {
  const ids = await serverUser();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'crm-replica-'));
  if (ids) await chown(dir, ids.uid, ids.gid);
  await chmod(dir, 0o700);
  const asServer = ids ? { uid: ids.uid, gid: ids.gid } : {};
  const exec = (program: string, args: string[]) =>
    run(path.join(BIN, program), args, { ...asServer, cwd: dir, env: { ...process.env, LC_ALL: 'C' } });

  const primaryDir = path.join(dir, 'primary');
  const replicaDir = path.join(dir, 'replica');
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  // Small and quick: a test server, thrown away with its folder.
  const options = (port: number) =>
    [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      '-c wal_level=replica',
      '-c max_wal_senders=4',
      '-c hot_standby=on',
      '-c max_connections=40',
      '-c shared_buffers=16MB',
      '-c fsync=off',
    ].join(' ');
  const started: string[] = [];
  const stop = async () => {
    for (const data of started.reverse())
      await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await exec('initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C']);
    await exec('pg_ctl', [
      '-D',
      primaryDir,
      '-l',
      `${primaryDir}.log`,
      '-w',
      '-o',
      options(primaryPort),
      'start',
    ]);
    started.push(primaryDir);
    // -R: the copy starts as a standby that streams from the primary (standby.signal, primary_conninfo).
    await exec('pg_basebackup', [
      ...['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres'],
      ...['-D', replicaDir, '-R', '-X', 'stream'],
    ]);
    await exec('pg_ctl', [
      '-D',
      replicaDir,
      '-l',
      `${replicaDir}.log`,
      '-w',
      '-o',
      options(replicaPort),
      'start',
    ]);
    started.push(replicaDir);
  } catch (error) {
    await stop();
    throw error;
  }

  const url = (port: number, database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const query = async <R extends pg.QueryResultRow>(port: number, text: string) => {
    const client = new pg.Client({ connectionString: url(port, 'postgres') });
    await client.connect();
    try {
      return (await client.query<R>(text)).rows;
    } finally {
      await client.end();
    }
  };

  return {
    primaryUrl: (database) => url(primaryPort, database),
    replicaUrl: (database) => url(replicaPort, database),
    async caughtUp() {
      const [written] = await query<{ lsn: string }>(primaryPort, 'select pg_current_wal_lsn()::text as lsn');
      for (;;) {
        const [replica] = await query<{ done: boolean }>(
          replicaPort,
          `select pg_last_wal_replay_lsn() >= '${written?.lsn}'::pg_lsn as done`,
        );
        if (replica?.done) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    stop,
  };
}
