import { defineConfig } from 'vitest/config';

/**
 * The reliability suite (`npm run test:faults`): each file starts its own PostgreSQL, Redis and app processes and
 * breaks them on purpose. One file at a time: they spawn several servers each.
 */
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['faults/**/*.faults.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
    reporters: ['default'],
  },
});
