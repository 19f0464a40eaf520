import { createHash, randomBytes } from 'node:crypto';

/** An opaque bearer secret: 256 random bits, prefixed so a leaked token says what it is. */
export const newSecret = (prefix: 'tms' | 'tmk' | 'tmi' | 'tmr') =>
  `${prefix}_${randomBytes(32).toString('base64url')}`;

/** Secrets are stored only as their sha256: they carry 256 bits, so a slow hash adds nothing. */
export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');
