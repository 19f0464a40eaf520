/**
 * `npm run db:backup -- [--out FILE]` and `npm run db:restore -- FILE [--database NAME] [--force]`: the database
 * of DATABASE_URL, or the embedded server's (started for the while when the app is not running; used as it is when
 * it is).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config';
import { EmbeddedPostgresError, startEmbeddedPostgres } from '../platform/embedded-postgres';
import { BackupError, backupDatabase, restoreDatabase } from './backup';

const usage = `Usage:
  npm run db:backup -- [--out FILE]                         (default: DATA_DIR/backups/techmarket-<time>.dump)
  npm run db:restore -- FILE [--database NAME] [--force]    (default: the database the app uses)`;

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The embedded server's owner URL: the running one's (the app has it), else one started for this command. */
async function embeddedDatabase(dataDir: string, port: number) {
  const pgDir = path.join(dataDir, 'pg');
  const pidFile = path.join(pgDir, 'postmaster.pid');
  const pid = existsSync(pidFile)
    ? Number.parseInt((await readFile(pidFile, 'utf8')).split('\n')[0] ?? '', 10)
    : Number.NaN;
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    // The app is running on it: starting another would stop it (embedded-postgres.ts clears orphans).
    const password = (await readFile(`${pgDir}.password`, 'utf8')).trim();
    return {
      url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/techmarket`,
      stop: async () => undefined,
    };
  }
  if (!existsSync(path.join(pgDir, 'PG_VERSION')))
    throw new BackupError(`No embedded database in ${pgDir}, and DATABASE_URL is not set`);
  const embedded = await startEmbeddedPostgres({ dataDir: pgDir, port });
  return { url: embedded.url, stop: () => embedded.stop() };
}

/** A path as the person typed it: npm runs the script in apps/api, and says in INIT_CWD where they were. */
const fromCaller = (file: string) => path.resolve(process.env.INIT_CWD ?? process.cwd(), file);

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      database: { type: 'string' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || (command !== 'backup' && command !== 'restore')) {
    process.stdout.write(`${usage}\n`);
    process.exit(values.help ? 0 : 2);
  }
  const config = loadConfig(process.env);
  const server = config.DATABASE_URL
    ? { url: config.DATABASE_URL, stop: async () => undefined }
    : await embeddedDatabase(config.DATA_DIR, config.EMBEDDED_PG_PORT);
  try {
    if (command === 'backup') {
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
      const file = fromCaller(
        values.out ?? path.join(config.DATA_DIR, 'backups', `techmarket-${stamp}.dump`),
      );
      await mkdir(path.dirname(file), { recursive: true });
      await backupDatabase(server.url, file);
      process.stdout.write(`Backup written to ${file}\n`);
    } else {
      const file = positionals[0] ? fromCaller(positionals[0]) : '';
      if (!file || !existsSync(file)) throw new BackupError(`No backup file at "${file}"\n${usage}`);
      const restored = await restoreDatabase(server.url, file, {
        database: values.database,
        force: values.force,
      });
      const name = decodeURIComponent(new URL(restored).pathname.slice(1));
      process.stdout.write(
        `Restored ${file} into the database "${name}". The app applies any newer migrations when it starts on it` +
          `${values.database ? ` (point DATABASE_URL at it)` : ''}.\n`,
      );
    }
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  const known =
    error instanceof BackupError || error instanceof ConfigError || error instanceof EmbeddedPostgresError;
  process.stderr.write(
    `${known ? (error as Error).message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
