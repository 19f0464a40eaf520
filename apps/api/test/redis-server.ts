import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** Whether `redis-server` is on PATH: the outage tests need one of their own to stop and start. */
export const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

async function freePort() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * A throwaway Redis of the test's own, that the test can pause (SIGSTOP: connections stay open, nothing
 * answers, as with a hung server or a black-holed network), resume, kill and start again on the same port.
 */
export async function startThrowawayRedis() {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;

  async function start() {
    const process = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    child = process;
    // Ready when it answers a PING.
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 20 });
    probe.on('error', () => undefined);
    try {
      for (;;) {
        if (process.exitCode !== null) throw new Error(`redis-server exited with ${process.exitCode}`);
        const answered = await probe.ping().catch(() => null);
        if (answered === 'PONG') return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      probe.disconnect();
    }
  }

  async function kill() {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  }

  await start();
  return {
    url,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    kill,
    restart: start,
    /** A client of the test's own, to look at what the app wrote. */
    client: () => {
      const client = new Redis(url);
      // It lives through the outages the test makes: it reconnects by itself.
      client.on('error', () => undefined);
      return client;
    },
    async stop() {
      child?.kill('SIGCONT');
      await kill();
    },
  };
}
