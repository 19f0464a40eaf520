import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hasRedisServer, startThrowawayRedis } from '../../test/redis-server';
import { createRedisDayCounters } from './cache';
import { connectRedis, linkRedis, type RedisLink } from './redis';

/**
 * The campaign funnel's per-day counters on a Redis of this file's own, which the test pauses (a hung server:
 * the command is sent, and applied only when the server wakes up, after the client gave up on it).
 */
if (!hasRedisServer) console.warn('day-counters.test: redis-server is not on PATH; these tests are skipped');

describe.skipIf(!hasRedisServer)('day counters while Redis hangs', () => {
  let redis: Awaited<ReturnType<typeof startThrowawayRedis>>;
  let link: RedisLink;

  beforeAll(async () => {
    redis = await startThrowawayRedis();
    link = linkRedis(connectRedis(redis.url, 'counters-test', 200));
  });
  afterAll(async () => {
    redis?.resume();
    await link?.close();
    await redis?.stop();
  });

  it('counts a count that timed out but was applied once, not again when the held counts are handed over', async () => {
    const counters = createRedisDayCounters(link, 'test:counters:');
    // Registered after the counters': runs once their hand-over is done.
    const handedOver = new Promise<void>((resolve) => link.onRecovered(() => resolve()));
    await counters.add('campaign:t:c', '2026-12-07', { clicks: 1 });

    redis.pause();
    // Sent, not answered within 200 ms: held here, and applied by Redis when it wakes up.
    await counters.add('campaign:t:c', '2026-12-07', { clicks: 1 });
    expect(link.available).toBe(false);
    // Redis known to be away: held without being sent.
    await counters.add('campaign:t:c', '2026-12-07', { clicks: 1, leads: 1 });
    expect((await counters.read('campaign:t:c', ['2026-12-07'])).get('2026-12-07')).toEqual({
      clicks: 2,
      leads: 1,
    });
    redis.resume();
    await handedOver;

    expect((await counters.read('campaign:t:c', ['2026-12-07'])).get('2026-12-07')).toEqual({
      clicks: 3,
      leads: 1,
    });
    const { entries } = await counters.changed();
    expect(entries).toEqual([{ key: 'campaign:t:c', day: '2026-12-07', values: { clicks: 3, leads: 1 } }]);
  });

  it('rebuilds a counter exactly: the rows before the watermark plus what was counted since, even while the rows were read', async () => {
    const counters = createRedisDayCounters(link, 'test:exact:');
    const day = '2026-12-07';
    const watermark = Date.parse('2026-12-07T15:00:00.000Z');
    // Before the watermark: three clicks, in the rows (the counter lost them: Redis restarted empty since).
    const counted = { impressions: 0, clicks: 3, leads: 0, wins: 0 };
    // Counted in Redis while the rebuild was reading those rows: two clicks after the watermark. Raising the
    // counter to the rows' 3 (the old rebuild) would have dropped them: max(2, 3) = 3.
    await counters.add('campaign:t:x', day, { clicks: 1 }, watermark + 2_000);
    await counters.add('campaign:t:x', day, { clicks: 1, leads: 1 }, watermark + 61_000);
    // A count of an event before the watermark that arrives late is the rows' already: not added twice.
    await counters.add('campaign:t:x', day, { clicks: 1 }, watermark - 1_000);
    const totals = await counters.rebuild('campaign:t:x', day, counted, watermark, watermark + 120_000);
    expect(totals).toEqual({ impressions: 0, clicks: 5, leads: 1, wins: 0 });
    expect((await counters.read('campaign:t:x', [day])).get(day)).toEqual(totals);
    // Counting goes on from there, and the day is folded with the rebuilt totals.
    await counters.add('campaign:t:x', day, { clicks: 1 }, watermark + 90_000);
    expect((await counters.read('campaign:t:x', [day])).get(day)?.clicks).toBe(6);
    const { entries } = await counters.changed();
    expect(entries).toContainEqual({
      key: 'campaign:t:x',
      day,
      values: { impressions: 0, clicks: 6, leads: 1, wins: 0 },
    });
  });

  it('lifts a counter to rebuilt totals, never lowers it, and says once that Redis forgot its counters', async () => {
    const counters = createRedisDayCounters(link, 'test:rebuilt:');
    // The first time it is asked, nothing says the counters go back further.
    expect(await counters.forgotten()).toBe(true);
    expect(await counters.forgotten()).toBe(false);
    await counters.add('campaign:t:r', '2026-12-07', { clicks: 2 });
    await counters.raise('campaign:t:r', '2026-12-07', { clicks: 5, leads: 1 });
    await counters.raise('campaign:t:r', '2026-12-07', { clicks: 3 });
    await counters.add('campaign:t:r', '2026-12-07', { clicks: 1 });
    expect((await counters.read('campaign:t:r', ['2026-12-07'])).get('2026-12-07')).toEqual({
      clicks: 6,
      leads: 1,
    });

    // Restarted empty: said once, when it answers again.
    await redis.kill();
    await redis.restart();
    await vi.waitFor(async () => expect(await counters.forgotten()).toBe(true), {
      timeout: 15_000,
      interval: 100,
    });
    expect(await counters.forgotten()).toBe(false);
  });
});
