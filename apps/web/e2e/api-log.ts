import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const logs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'logs');

/** The API's log level in an e2e run: its warnings and errors (a 500's cause, Redis or PostgreSQL away). */
export const E2E_API_LOG_LEVEL = 'warn';

export interface ApiLog {
  /** The file the lines are kept in (e2e/logs/, gitignored), for after the run. */
  file: string;
  /** What buildApp's logger writes to. */
  stream: { write(line: string): void };
  /** Prints the lines not printed yet: a failed test shows what the API said meanwhile. */
  printNew(title: string): void;
}

/**
 * Keeps the API's warning and error lines of one e2e run in e2e/logs/<name>-api.log, and in memory for printing
 * when a test fails: an answer the browser saw as a 500 then names its cause (the error and its stack), which a
 * silent logger threw away.
 */
export function createApiLog(name: string): ApiLog {
  mkdirSync(logs, { recursive: true });
  const file = path.join(logs, `${name}-api.log`);
  writeFileSync(file, '');
  const lines: string[] = [];
  let printed = 0;
  return {
    file,
    stream: {
      write(line) {
        lines.push(line);
        appendFileSync(file, line);
      },
    },
    printNew(title) {
      const fresh = lines.slice(printed);
      printed = lines.length;
      if (fresh.length === 0) return;
      console.error(
        `The API's warnings and errors until "${title}" failed (all in ${file}):\n${fresh.join('')}`,
      );
    },
  };
}
