import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateSecret } from './secrets';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'tm-secrets-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('loadOrCreateSecret', () => {
  it('makes a secret once, in DATA_DIR/secrets/<name> with mode 0600, and finds it again', () => {
    const secret = loadOrCreateSecret(dataDir, 'link-signing-secret');
    expect(secret).toMatch(/^[\w-]{43}$/);
    expect(loadOrCreateSecret(dataDir, 'link-signing-secret')).toBe(secret);
    expect(statSync(path.join(dataDir, 'secrets', 'link-signing-secret')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dataDir, 'secrets')).mode & 0o777).toBe(0o700);
  });

  it('makes a missing DATA_DIR passable by other users (the embedded PostgreSQL runs as its own), closing only secrets/', () => {
    const fresh = path.join(dataDir, 'new', '.data');
    loadOrCreateSecret(fresh, 'link-signing-secret');
    expect(statSync(fresh).mode & 0o001).toBe(0o001);
    expect(statSync(path.dirname(fresh)).mode & 0o001).toBe(0o001);
    expect(statSync(path.join(fresh, 'secrets')).mode & 0o777).toBe(0o700);
  });

  it('keeps each name apart', () => {
    expect(loadOrCreateSecret(dataDir, 'a')).not.toBe(loadOrCreateSecret(dataDir, 'b'));
  });

  it('refuses a name that would leave the folder, and a file too short to be a secret', () => {
    expect(() => loadOrCreateSecret(dataDir, '../escape')).toThrow(/not a secret name/);
    loadOrCreateSecret(dataDir, 'short');
    writeFileSync(path.join(dataDir, 'secrets', 'short'), 'abc\n');
    expect(() => loadOrCreateSecret(dataDir, 'short')).toThrow(/at least 32 characters/);
  });
});
