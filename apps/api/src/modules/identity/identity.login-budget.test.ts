import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, signUp, type TestContext } from '../../../test/harness';

const PASSWORD = 'correct-horse-battery';
const redisUrl = process.env.REDIS_URL;

/**
 * The per-client login budget counts wrong passwords only: a seller who signs in many times a day from the shop's
 * one address is never refused, and signing in gives back what earlier typos spent. Checked on Redis (instances
 * count in one place) and on the in-process fallback (no Redis configured).
 */
describe.each([
  { store: 'Redis', env: { REDIS_URL: redisUrl }, skip: !redisUrl },
  { store: 'in-process', env: { REDIS_URL: undefined }, skip: false },
])('the login budget on $store', ({ env, skip }) => {
  let ctx: TestContext;
  beforeAll(async () => {
    if (skip) return;
    ctx = await createTestContext({ env: { ...env, LOGIN_MAX_ATTEMPTS: '3', LOGIN_LOCK_FAILURES: '50' } });
  });
  afterAll(() => ctx?.close());

  const login = (email: string, password: string, ip: string) =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: ip,
      payload: { email, password },
    });

  it.skipIf(skip)('never refuses successful logins, however many', async () => {
    const shop = await signUp(ctx.app);
    const ip = `10.88.${Math.floor(Math.random() * 250)}.1`;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await login(shop.email, PASSWORD, ip)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
  });

  it.skipIf(skip)(
    'gives the failures back on success, and still refuses the guess past the budget',
    async () => {
      const shop = await signUp(ctx.app);
      const ip = `10.89.${Math.floor(Math.random() * 250)}.1`;
      const statuses: number[] = [];
      for (const password of ['typo-1', 'typo-2', PASSWORD, 'typo-3', 'typo-4', 'typo-5', 'typo-6', PASSWORD])
        statuses.push((await login(shop.email, password, ip)).statusCode);
      // Two typos and a success leave the whole budget of 3: three more wrong ones pass, the fourth is refused,
      // and so is the right password until the window ends (the budget is per client and e-mail, not a lock).
      expect(statuses).toEqual([401, 401, 200, 401, 401, 401, 429, 429]);
      // Another client with the same e-mail is not held back by this one's guesses.
      expect((await login(shop.email, PASSWORD, '10.90.0.1')).statusCode).toBe(200);
    },
  );
});
