import { id, isoInstant, type LeadInboxQuery, leadPriority } from '@techmarket/contracts';
import { z } from 'zod';
import { badField } from '../../platform/errors';

/**
 * The inbox's keyset cursor: the sort key of the last row served plus its id, base64url-encoded JSON.
 * Opaque to clients; it names its sort so that a cursor is never applied to a list in another order.
 */

export type InboxSort = LeadInboxQuery['sort'];

export type InboxPosition =
  | { sort: 'priority'; priority: z.infer<typeof leadPriority>; at: string; id: string }
  | { sort: '-createdAt' | '-lastActivityAt'; at: string; id: string };

const encoded = z.union([
  z.tuple([z.literal('priority'), leadPriority, isoInstant, id]),
  z.tuple([z.enum(['-createdAt', '-lastActivityAt']), isoInstant, id]),
]);

export function encodeCursor(position: InboxPosition): string {
  const values =
    position.sort === 'priority'
      ? [position.sort, position.priority, position.at, position.id]
      : [position.sort, position.at, position.id];
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** The position a cursor names, or a 400 naming `cursor` when it is not one of ours for this sort. */
export function decodeCursor(cursor: string, sort: InboxSort): InboxPosition {
  const invalid = () => badField('cursor', 'not a cursor of this list; start again without it');
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = encoded.safeParse(json);
  if (!parsed.success || parsed.data[0] !== sort) throw invalid();
  const value = parsed.data;
  return value[0] === 'priority'
    ? { sort: 'priority', priority: value[1], at: value[2], id: value[3] }
    : { sort: value[0], at: value[1], id: value[2] };
}
