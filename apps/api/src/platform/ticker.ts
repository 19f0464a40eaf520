/**
 * Work run every so often by this process (checks, not jobs: nothing is lost when the process stops). The app
 * runs it on a timer; tests run it when they choose, so that none waits on time.
 */
export interface Ticker {
  /** Runs `task` every `ms` until the answer is called. */
  every(ms: number, task: () => Promise<void>): () => void;
}

export const intervalTicker: Ticker = {
  every(ms, task) {
    const timer = setInterval(() => void task(), ms);
    // A pending check never keeps the process alive.
    timer.unref();
    return () => clearInterval(timer);
  },
};
