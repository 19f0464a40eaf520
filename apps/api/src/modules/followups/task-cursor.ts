import { id, isoInstant } from '@techmarket/contracts';
import { z } from 'zod';
import { badField } from '../../platform/errors';

/** The task list's keyset cursor: the due time and id of the last task served, base64url-encoded JSON. */

const encoded = z.tuple([z.literal('due'), isoInstant, id]);

export function encodeTaskCursor(last: { dueAt: string; id: string }): string {
  return Buffer.from(JSON.stringify(['due', last.dueAt, last.id])).toString('base64url');
}

/** The position a cursor names, or a 400 naming `cursor` when it is not one of ours. */
export function decodeTaskCursor(cursor: string): { dueAt: string; id: string } {
  const invalid = () => badField('cursor', 'not a cursor of this list; start again without it');
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = encoded.safeParse(json);
  if (!parsed.success) throw invalid();
  return { dueAt: parsed.data[1], id: parsed.data[2] };
}
