import { id, isoInstant, type LeadInboxQuery, leadPriority } from '@techmarket/contracts';
import { z } from 'zod';
import { cursorCodec } from '../../platform/cursor';
import { badField } from '../../platform/errors';

/**
 * The inbox's keyset cursor, in the one cursor format (platform/cursor.ts): the sort key of the last row served
 * plus its id. It names its sort so that a cursor is never applied to a list in another order.
 */

export type InboxSort = LeadInboxQuery['sort'];

export type InboxPosition =
  | { sort: 'priority'; priority: z.infer<typeof leadPriority>; at: string; id: string }
  | { sort: 'waiting'; answered: boolean; at: string; id: string }
  | { sort: '-createdAt' | '-lastActivityAt'; at: string; id: string };

const inboxCursor = cursorCodec(
  z.union([
    z.object({ sort: z.literal('priority'), priority: leadPriority, at: isoInstant, id }),
    z.object({ sort: z.literal('waiting'), answered: z.boolean(), at: isoInstant, id }),
    z.object({ sort: z.enum(['-createdAt', '-lastActivityAt']), at: isoInstant, id }),
  ]),
);

export const encodeCursor = (position: InboxPosition): string => inboxCursor.encode(position);

/** The position a cursor names, or a 400 naming `cursor` when it is not one of ours for this sort. */
export function decodeCursor(cursor: string, sort: InboxSort): InboxPosition {
  const position = inboxCursor.decode(cursor);
  if (position.sort !== sort)
    throw badField('cursor', 'not a cursor of this list; start again without it', 'CURSOR_INVALID');
  return position;
}
