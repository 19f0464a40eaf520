import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { loadOrCreateSecret } from '../../platform/secrets';

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

/** The key from the setting, else (development, tests) the key file under DATA_DIR. */
export function whatsappSecretsKey(config: { WHATSAPP_SECRETS_KEY?: string | undefined; DATA_DIR: string }) {
  return config.WHATSAPP_SECRETS_KEY
    ? Buffer.from(config.WHATSAPP_SECRETS_KEY, 'base64')
    : // Outside production: made up once and kept in DATA_DIR, so secrets stored by one run open in the next.
      Buffer.from(loadOrCreateSecret(config.DATA_DIR, 'whatsapp-secrets-key'), 'base64url');
}
