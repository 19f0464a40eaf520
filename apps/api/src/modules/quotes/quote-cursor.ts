import { badField } from '../../platform/errors';

/** The quote list's keyset cursor: (`created_at`, `id`), newest first. */
export function encodeQuoteCursor(row: { createdAt: string; id: string }) {
  return Buffer.from(`${row.createdAt}|${row.id}`).toString('base64url');
}

export function decodeQuoteCursor(cursor: string) {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!at || !id || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw badField('cursor', 'not a cursor of this list');
  }
  return { at, id };
}
