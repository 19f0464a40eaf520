import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { click, type Shop, signUp } from './http';
import { type AppProcess, sharedEnv, spawnApp, startPrivatePostgres } from './processes';

/**
 * PostgreSQL restarted under a click load: an API process on a PostgreSQL of this file's own, which the test stops
 * and starts again while clients keep clicking over real HTTP. Clients meanwhile get 503 with Retry-After (no other
 * 5xx), the app reconnects by itself, and every click answered 201 is stored.
 */
describe('PostgreSQL restarted during a click load', () => {
  let postgres: Awaited<ReturnType<typeof startPrivatePostgres>>;
  let api: AppProcess;
  let shop: Shop;

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    api = await spawnApp({
      role: 'api',
      env: sharedEnv(postgres.url, { TRACKING_LIMIT_PER_IP: '1000000', DB_POOL_SIZE: '8' }),
    });
    shop = await signUp(api.url ?? '');
  });
  afterAll(async () => {
    await api?.stop();
    await postgres?.remove();
  });

  it('answers 503 with Retry-After while it is away, comes back by itself, and loses no click it acknowledged', async () => {
    const base = api.url ?? '';
    const answers: { status: number; retryAfter: string | null; leadId?: string; phase: string }[] = [];
    let phase = 'before';
    let running = true;
    // Eight clients clicking one after another each, as fast as the app answers, until told to stop.
    const clients = Array.from({ length: 8 }, async () => {
      while (running) {
        const response = await click(base, shop);
        const leadId = response.status === 201 ? String(response.json().leadId) : undefined;
        answers.push({
          status: response.status,
          retryAfter: response.headers.get('retry-after'),
          leadId,
          phase,
        });
      }
    });
    const seen = (status: number, inPhase: string) =>
      answers.filter((a) => a.status === status && a.phase === inPhase).length;

    await vi.waitFor(() => expect(seen(201, 'before')).toBeGreaterThanOrEqual(20), { timeout: 60_000 });
    phase = 'down';
    await postgres.stop();
    await vi.waitFor(() => expect(seen(503, 'down')).toBeGreaterThanOrEqual(20), { timeout: 60_000 });
    phase = 'back';
    await postgres.start();
    // Reconnected by itself: clicks are stored again, with no restart of the app.
    await vi.waitFor(() => expect(seen(201, 'back')).toBeGreaterThanOrEqual(20), { timeout: 60_000 });
    running = false;
    await Promise.all(clients);

    const failures = answers.filter((a) => a.status >= 500 && a.status !== 503);
    expect(failures, `${failures.length} answers were 5xx but not 503`).toEqual([]);
    const unexpected = answers.filter((a) => a.status !== 201 && a.status !== 503);
    expect(unexpected).toEqual([]);
    for (const refused of answers.filter((a) => a.status === 503))
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);

    // Every 201 is a stored lead with its click, looked up on the owner connection.
    const acknowledged = answers.flatMap((a) => (a.leadId ? [a.leadId] : []));
    const owner = new pg.Client({ connectionString: postgres.url });
    await owner.connect();
    try {
      const { rows } = await owner.query<{ n: number }>(
        `select count(distinct l.id)::int as n from lead l
           join lead_event e on e.tenant_id = l.tenant_id and e.lead_id = l.id and e.type = 'WHATSAPP_CLICK'
          where l.tenant_id = $1 and l.id = any($2::uuid[])`,
        [shop.tenantId, acknowledged],
      );
      expect(rows[0]?.n).toBe(new Set(acknowledged).size);
    } finally {
      await owner.end();
    }
    expect(api.exited).toBe(false);
  });
});
