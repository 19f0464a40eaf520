import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeLlm } from '../test/fake-llm';
import { click, signUp } from './http';
import { type AppProcess, sharedEnv, spawnApp, startPrivatePostgres } from './processes';

/**
 * A worker killed mid-job: the assistant's job on a new lead, held inside its call to the LLM (a local fake that
 * keeps the first request waiting), when the test SIGKILLs the worker process. Another worker then retries the job
 * (its heartbeat went quiet) and the lead gets its assistance once.
 */
describe('a worker killed in the middle of a job', () => {
  let postgres: Awaited<ReturnType<typeof startPrivatePostgres>>;
  let llm: Awaited<ReturnType<typeof startFakeLlm>>;
  let api: AppProcess;
  let env: Record<string, string>;
  const workers: AppProcess[] = [];
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });

  const answer = JSON.stringify({
    leadType: 'SALE',
    priority: 'MEDIUM',
    suggestedReply: 'Hola, soy {vendedor}. ¿Te ayudo con la laptop?',
    nextBestAction: 'REPLY_NOW',
    alternatives: [],
    confidence: 0.9,
    reasons: ['pregunta por un producto'],
  });

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    // The first call is held until the test lets go (after its worker is dead); later ones answer at once.
    llm = await startFakeLlm(() =>
      llm.requests.length === 1 ? { content: answer, until: held } : { content: answer },
    );
    env = sharedEnv(postgres.url, {
      AI_PROVIDER: 'openai-compatible',
      AI_MODEL: 'fake-model',
      AI_BASE_URL: llm.baseUrl,
      AI_API_KEY: 'test',
      // Long enough that the held call is still waiting when the worker is killed.
      AI_TIMEOUT_MS: '120000',
      // The least pg-boss takes: a dead worker's job is retried within seconds, not minutes.
      JOB_HEARTBEAT_SECONDS: '10',
    });
    api = await spawnApp({ role: 'api', env });
    workers.push(await spawnApp({ role: 'worker', env }));
  });
  afterAll(async () => {
    release();
    await Promise.all([api?.stop(), ...workers.map((w) => w.stop('SIGKILL'))]);
    await llm?.close();
    await postgres?.remove();
  });

  // Up to a heartbeat, a monitor pass and a retry delay pass between the kill and the retry (a slow machine: more).
  it('retries the job on another worker, and its effect happens once', { timeout: 300_000 }, async () => {
    const shop = await signUp(api.url ?? '');
    const clicked = await click(api.url ?? '', shop, { message: 'Hola, ¿tienen la Lenovo LOQ?' });
    expect(clicked.status, clicked.text).toBe(201);
    const leadId = String(clicked.json().leadId);

    // The worker has the job, and waits on the LLM inside it: killed there, without a chance to settle it.
    await vi.waitFor(() => expect(llm.requests.length).toBe(1), { timeout: 60_000, interval: 100 });
    await workers[0]?.stop('SIGKILL');

    const second = await spawnApp({ role: 'worker', env });
    workers.push(second);
    const owner = new pg.Client({ connectionString: postgres.url });
    owner.on('error', () => undefined);
    await owner.connect();
    try {
      const assistances = async () =>
        (
          await owner.query<{ provider: string }>(
            'select provider from lead_ai_assistance where tenant_id = $1 and lead_id = $2',
            [shop.tenantId, leadId],
          )
        ).rows;
      await vi.waitFor(async () => expect(await assistances()).toHaveLength(1), {
        timeout: 120_000,
        interval: 250,
      });
      // Answered by the second call: the retry asked the LLM again.
      expect(llm.requests.length).toBe(2);
      expect((await assistances())[0]?.provider).toBe('openai-compatible');
      // The job is done (no retry left in flight that could add a second one)...
      await vi.waitFor(
        async () => {
          const { rows } = await owner.query<{ state: string }>(
            `select state from pgboss.job where name = 'assistant.new-lead' and data->>'leadId' = $1`,
            [leadId],
          );
          expect(rows.map((r) => r.state)).toEqual(['completed']);
        },
        { timeout: 30_000, interval: 250 },
      );
      // ...and the held call, let go now, reaches no one: still one assistance, one AI_SUGGESTED event.
      release();
      expect(await assistances()).toHaveLength(1);
      const { rows } = await owner.query<{ n: number }>(
        `select count(*)::int as n from lead_event where tenant_id = $1 and lead_id = $2 and type = 'AI_SUGGESTED'`,
        [shop.tenantId, leadId],
      );
      expect(rows[0]?.n).toBe(1);
    } finally {
      await owner.end();
    }
  });
});
