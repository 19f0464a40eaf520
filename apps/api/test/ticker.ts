import type { Ticker } from '../src/platform/ticker';

/** A ticker whose tasks run when the test calls `tick()`, which resolves once they have all finished. */
export function manualTicker(): Ticker & { tick(): Promise<void> } {
  const tasks = new Set<() => Promise<void>>();
  return {
    every(_ms, task) {
      tasks.add(task);
      return () => tasks.delete(task);
    },
    async tick() {
      await Promise.all([...tasks].map((task) => task()));
    },
  };
}
