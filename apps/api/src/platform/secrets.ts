import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Secrets the app makes up itself when none is configured (the link-signing key today) live in
 * `DATA_DIR/secrets/<name>`, readable by this user only, so what they signed outlives a restart. The first
 * process to start writes the file; the others (the worker beside the API) read it.
 */
export function loadOrCreateSecret(dataDir: string, name: string): string {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`not a secret name: ${name}`);
  const dir = path.join(dataDir, 'secrets');
  const file = path.join(dir, name);
  // DATA_DIR itself keeps the usual mode: as root, the embedded PostgreSQL's own user must pass through it to
  // its data. Only secrets/ is closed to everyone else.
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stored = readSecret(file);
  if (stored !== null) return stored;
  // Written whole beside it, then linked into place: a process starting at the same time sees no file or the
  // complete one, and when two race, the link of the second fails and it reads the first's.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(draft);
  }
  const secret = readSecret(file);
  if (secret === null) throw new Error(`${file}: could not be written`);
  return secret;
}

function readSecret(file: string): string | null {
  let stored: string;
  try {
    stored = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (stored.length < 32) throw new Error(`${file}: a secret of at least 32 characters was expected`);
  return stored;
}
