import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Channel secrets at rest: AES-256-GCM (node:crypto), a random 96-bit IV per value, and the row and field the
 * value belongs to as associated data, so a ciphertext copied into another channel or field does not decrypt.
 * Stored as `v1.<iv>.<tag>.<ciphertext>`, base64url.
 */
export interface SecretBox {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('the secrets key must be 32 bytes');
  return {
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), body]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    open(sealed, context) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed secret');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    },
  };
}

/**
 * Outside production, without WHATSAPP_SECRETS_KEY: a key generated once and kept in a file only its owner may
 * read, so secrets stored by one run open in the next. Concurrent first starts agree: one creates, the rest read.
 */
export function loadOrCreateKeyFile(file: string): Buffer {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  for (let attempt = 0; ; attempt++) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length === 32) return key;
    // Another process created the file a moment ago and has not written it yet.
    if (attempt >= 50) throw new Error(`${file} does not hold a 32-byte base64 key`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  }
}

/** The key from the setting, else (development, tests) the key file under DATA_DIR. */
export function whatsappSecretsKey(config: { WHATSAPP_SECRETS_KEY?: string | undefined; DATA_DIR: string }) {
  return config.WHATSAPP_SECRETS_KEY
    ? Buffer.from(config.WHATSAPP_SECRETS_KEY, 'base64')
    : loadOrCreateKeyFile(path.join(config.DATA_DIR, 'secrets', 'whatsapp-secrets-key'));
}
