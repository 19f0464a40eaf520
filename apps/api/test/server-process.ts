import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port';

const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ServerProcess {
  child: ChildProcess;
  /** Where it listens (api and all roles). */
  base: string;
  /** Everything it wrote, stdout and stderr. */
  output(): string;
  /** Resolves once its output matches, at once if it already does; rejects if it exits first. */
  waitFor(pattern: RegExp): Promise<void>;
  /** Its exit code (null when a signal killed it). */
  exited: Promise<number | null>;
}

/**
 * The command line of an npm script of apps/api that starts node (`start:worker`), as the arguments after `node`:
 * the test runs what the script runs, with no npm or shell between the signal and the process.
 */
export function nodeArgsOfScript(script: string): string[] {
  const scripts = JSON.parse(readFileSync(path.join(apiDir, 'package.json'), 'utf8')).scripts as Record<
    string,
    string
  >;
  const words = (scripts[script] ?? '').split(' ').filter(Boolean);
  if (words[0] !== 'node') throw new Error(`npm run ${script} does not start node: ${scripts[script]}`);
  return words.slice(1);
}

/**
 * The server in its own process, with its own DATA_DIR and port; `env` on top of this process's environment. By
 * default `src/server.ts` under tsx's loader (the sources: what the tests change is what runs); with `built`, the
 * build (`dist/`, which the caller builds first) run as `npm run start:<role>` runs it, under plain node.
 */
export async function startServer(
  role: 'api' | 'worker' | 'all',
  env: Record<string, string>,
  { built = false }: { built?: boolean } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'crm-process-'));
  const args = built
    ? role === 'all'
      ? nodeArgsOfScript('start')
      : nodeArgsOfScript(`start:${role}`)
    : ['--import', 'tsx', 'src/server.ts', `--role=${role}`];
  const child = spawn(process.execPath, args, {
    cwd: apiDir,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const watchers = new Set<() => void>();
  const take = (chunk: Buffer) => {
    text += chunk.toString();
    for (const watcher of watchers) watcher();
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  // Its DATA_DIR (secrets it made up) goes with it.
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code))).then(
    async (code) => {
      await rm(dataDir, { recursive: true, force: true });
      return code;
    },
  );
  let done = false;
  void exited.then(() => {
    done = true;
    for (const watcher of watchers) watcher();
  });
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    output: () => text,
    exited,
    waitFor: (pattern) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(text)) {
            watchers.delete(check);
            resolve();
          } else if (done) {
            watchers.delete(check);
            reject(new Error(`the process exited before printing ${pattern}:\n${text}`));
          }
        };
        watchers.add(check);
        check();
      }),
  };
}

/** Asks until the answer is the one wanted (a server starting, or stopping); fails when `give up` says so. */
export async function until<T>(
  ask: () => Promise<T>,
  done: (answer: T) => boolean,
  what: string,
  tries = 600,
) {
  for (let attempt = 0; attempt < tries; attempt++) {
    const answer = await ask().catch(() => undefined);
    if (answer !== undefined && done(answer)) return answer;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what}: not after ${tries} tries`);
}
