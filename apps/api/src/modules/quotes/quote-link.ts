import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The public link to a quote's PDF: `<PUBLIC_URL>/q/<token>`, usable without logging in until it expires.
 * The token is `<payload>.<signature>`, both base64url: the payload is the quote id, the tenant id (so the
 * read runs under that tenant's row-level security) and the expiry in Unix seconds; the signature is
 * HMAC-SHA256 of the payload under LINK_SIGNING_SECRET. Links also carry the quote's link generation (4 bytes
 * after the expiry); revoking a quote's links moves its generation on, so every older link is refused. A link
 * signed before generations existed (38 bytes) reads as generation 0. Changing any byte of either part fails the check;
 * the comparison takes constant time.
 */

const PURPOSE = 'quote-pdf:v1:';

const uuidBytes = (uuid: string) => Buffer.from(uuid.replaceAll('-', ''), 'hex');
const bytesUuid = (bytes: Buffer) => {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

export interface QuoteLinkClaims {
  quoteId: string;
  tenantId: string;
  expiresAt: Date;
  /** The quote's link generation when the link was issued. */
  generation: number;
}

export type QuoteLinkCheck =
  | { ok: true; claims: QuoteLinkClaims }
  | { ok: false; reason: 'invalid' | 'expired' };

export function createQuoteLinks(secret: string) {
  const sign = (payload: string) => createHmac('sha256', secret).update(PURPOSE).update(payload).digest();

  return {
    token({ quoteId, tenantId, expiresAt, generation }: QuoteLinkClaims): string {
      const tail = Buffer.alloc(10);
      tail.writeUIntBE(Math.floor(expiresAt.getTime() / 1000), 0, 6);
      tail.writeUInt32BE(generation, 6);
      const payload = Buffer.concat([uuidBytes(quoteId), uuidBytes(tenantId), tail]).toString('base64url');
      return `${payload}.${sign(payload).toString('base64url')}`;
    },

    verify(token: string, now: Date): QuoteLinkCheck {
      const [payload, signature, extra] = token.split('.');
      if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'invalid' };
      const given = Buffer.from(signature, 'base64url');
      const expected = sign(payload);
      // timingSafeEqual needs equal lengths; the length of a valid signature is public anyway.
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return { ok: false, reason: 'invalid' };
      }
      const bytes = Buffer.from(payload, 'base64url');
      if (bytes.length !== 38 && bytes.length !== 42) return { ok: false, reason: 'invalid' };
      const expiresAt = new Date(bytes.readUIntBE(32, 6) * 1000);
      if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
      return {
        ok: true,
        claims: {
          quoteId: bytesUuid(bytes.subarray(0, 16)),
          tenantId: bytesUuid(bytes.subarray(16, 32)),
          expiresAt,
          generation: bytes.length === 42 ? bytes.readUInt32BE(38) : 0,
        },
      };
    },
  };
}

export type QuoteLinks = ReturnType<typeof createQuoteLinks>;
