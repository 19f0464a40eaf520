import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'components',
          environment: 'jsdom',
          // The longest a test may take, not a wait. A form test types as a person does into Mantine's inputs, and
          // the time zone picker re-renders its ~420 zones as the search changes: a few seconds quiet, but 47 s for
          // the five branch/settings forms at a load average of 25 on two cores (a whole-suite run beside other
          // work), where 30 s cut one of them off.
          testTimeout: 90_000,
          setupFiles: ['./src/test/setup.ts'],
          include: ['src/**/*.test.{ts,tsx}'],
        },
      },
      // The first visit's size budget, over a production build's manifest.
      {
        extends: true,
        test: { name: 'bundle', environment: 'node', include: ['bundle/**/*.test.ts'], testTimeout: 60_000 },
      },
      // The browser test: real API, real database, Debian's Chromium (skipped, saying so, without it).
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['e2e/**/*.test.ts'],
          testTimeout: 240_000,
          // A poll waits on a condition; on a loaded machine a refetch after a navigation can take seconds, far
          // more than vitest's default of one: this is the longest a condition may take, not a wait.
          expect: { poll: { timeout: 15_000 } },
        },
      },
    ],
  },
});
