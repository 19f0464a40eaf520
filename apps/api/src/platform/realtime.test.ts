import { afterEach, describe, expect, it, vi } from 'vitest';
import { compareEventIds, createMemoryRealtime, REPLAY_MS } from './realtime';

/** The in-process bus (no Redis): what a reconnecting board may replay. */
describe('the in-process live bus', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('replays what came after the last id seen, in order, per tenant', async () => {
    const bus = createMemoryRealtime();
    const heard: string[] = [];
    await bus.subscribe('t1', (event) => heard.push(event.id));
    for (let i = 0; i < 5; i++)
      await bus.publish('t1', { type: 'lead.updated', branchId: null, data: { i } });
    await bus.publish('t2', { type: 'lead.updated', branchId: null, data: { other: true } });
    expect(heard).toHaveLength(5);
    const after = await bus.replay('t1', heard[1] ?? '');
    expect(after.map((e) => e.data.i)).toEqual([2, 3, 4]);
    expect(after.every((e, k) => k === 0 || compareEventIds(after[k - 1]?.id ?? '', e.id) < 0)).toBe(true);
  });

  it('keeps the last 2,000 however many were published, and nothing older than the replay window', async () => {
    const bus = createMemoryRealtime();
    for (let i = 0; i < 4_500; i++) await bus.publish('t1', { type: 'x', branchId: null, data: { i } });
    const kept = await bus.replay('t1', '0-0');
    expect(kept).toHaveLength(2_000);
    expect(kept[0]?.data.i).toBe(2_500);
    expect(kept.at(-1)?.data.i).toBe(4_499);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + REPLAY_MS + 1);
    expect(await bus.replay('t1', '0-0')).toEqual([]);
  });
});
