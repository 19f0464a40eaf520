import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../src/platform/embedded-postgres';
import { freePort } from '../test/free-port';

/**
 * What the reliability suite runs for real: a PostgreSQL of its own (never the machine's shared server, which
 * other work uses), and the app as separate processes, started the way a deployment starts them
 * (`src/server.ts --role=api|worker`), that a test can stop, kill and start again.
 */

const apiRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A throwaway PostgreSQL server in a temporary folder, on a free port; `stop` and `start` restart it. */
export async function startPrivatePostgres() {
  const root = await mkdtemp(path.join(tmpdir(), 'crm-faults-'));
  // As root, the postgres user the server runs as passes through it.
  await chmod(root, 0o755);
  const server: EmbeddedDatabase = await startEmbeddedPostgres({
    dataDir: path.join(root, 'pg'),
    port: await freePort(),
  });
  return {
    url: server.url,
    stop: () => server.stop(),
    start: () => server.start(),
    async remove() {
      await server.stop().catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Settings every spawned process of one test shares: the same secrets, so links and keys hold across them. */
export function sharedEnv(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    SEED_DEMO: 'false',
    LINK_SIGNING_SECRET: 'faults-link-signing-secret-0123456789abcdef',
    PLATFORM_API_KEY: 'faults-platform-api-key-0123456789abcdefghij',
    WHATSAPP_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
    ...extra,
  };
}

/** Every process spawned here, killed when the test process exits however it ends: none outlives its file. */
const spawned = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of spawned) if (child.exitCode === null) child.kill('SIGKILL');
});

export interface AppProcess {
  /** The base URL it listens on (an API or all-in-one process), else null. */
  readonly url: string | null;
  readonly child: ChildProcess;
  /** What it printed so far (stdout and stderr), for a failing test to show. */
  output(): string;
  /** Whether the process has exited. */
  readonly exited: boolean;
  /** Ends it with the signal (SIGTERM by default) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * `src/server.ts --role=<role>` through tsx, as `npm start` runs it. Resolves once it is ready: an API answers
 * GET /api/v1/health with 200; a worker has printed that it runs. Rejects with its output if it exits before.
 */
export async function spawnApp(options: {
  role: 'api' | 'worker' | 'all';
  env: Record<string, string>;
  readyWithinMs?: number;
}): Promise<AppProcess> {
  const port = options.role === 'worker' ? 0 : await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts', `--role=${options.role}`], {
    cwd: apiRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  spawned.add(child);
  child.once('exit', () => spawned.delete(child));
  let printed = '';
  const keep = (chunk: Buffer) => {
    printed = (printed + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const url = options.role === 'worker' ? null : `http://127.0.0.1:${port}`;
  const ready = async () => {
    if (url === null) return printed.includes('worker is running');
    const response = await fetch(`${url}/api/v1/health`).catch(() => null);
    return response?.status === 200;
  };
  const deadline = Date.now() + (options.readyWithinMs ?? 90_000);
  while (!(await ready())) {
    if (exited) throw new Error(`the ${options.role} process exited before it was ready:\n${printed}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the ${options.role} process was not ready in time:\n${printed}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    child,
    output: () => printed,
    get exited() {
      return exited;
    },
    async stop(signal = 'SIGTERM') {
      if (exited) return;
      child.kill(signal);
      await exit;
    },
  };
}
