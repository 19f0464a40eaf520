import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createQuoteLinks } from './quote-link';

const claims = {
  quoteId: '019ac0a1-2b3c-7d4e-8f90-123456789abc',
  tenantId: '019ac0a1-0000-7000-8000-00000000beef',
  expiresAt: new Date('2030-03-08T14:00:00.000Z'),
  generation: 3,
};
const secret = 'a-test-secret-that-is-long-enough-000000';
const links = createQuoteLinks(secret);
const before = new Date('2030-03-08T13:59:59.000Z');

describe('signed quote links', () => {
  it('round-trips its claims until it expires', () => {
    const token = links.token(claims);
    expect(token).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(links.verify(token, before)).toEqual({ ok: true, claims });
    expect(links.verify(token, claims.expiresAt)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses any change to the payload or the signature, and another secret', () => {
    const token = links.token(claims);
    const [payload = '', signature = ''] = token.split('.');
    const flip = (text: string, at: number) =>
      text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    // A later expiry, signed with nothing: the payload no longer matches its signature.
    const later = links.token({ ...claims, expiresAt: new Date('2031-01-01T00:00:00Z') }).split('.')[0];
    // The generation of before the revocation, under the signature of a newer link.
    const older = links.token({ ...claims, generation: 2 }).split('.')[0];
    for (const forged of [
      `${flip(payload, 3)}.${signature}`,
      `${payload}.${flip(signature, 5)}`,
      `${later}.${signature}`,
      `${older}.${signature}`,
      `${payload}.${signature.slice(0, -2)}`,
      `${payload}`,
      `${payload}.${signature}.x`,
      '',
    ]) {
      expect(links.verify(forged, before)).toEqual({ ok: false, reason: 'invalid' });
    }
    expect(createQuoteLinks('another-secret-that-is-long-enough-00000').verify(token, before)).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('reads a link signed before generations existed as generation 0', () => {
    const expiry = Buffer.alloc(6);
    expiry.writeUIntBE(Math.floor(claims.expiresAt.getTime() / 1000), 0, 6);
    const uuid = (value: string) => Buffer.from(value.replaceAll('-', ''), 'hex');
    const payload = Buffer.concat([uuid(claims.quoteId), uuid(claims.tenantId), expiry]).toString(
      'base64url',
    );
    const signature = createHmac('sha256', secret)
      .update('quote-pdf:v1:')
      .update(payload)
      .digest('base64url');
    expect(links.verify(`${payload}.${signature}`, before)).toEqual({
      ok: true,
      claims: { ...claims, generation: 0 },
    });
  });
});
