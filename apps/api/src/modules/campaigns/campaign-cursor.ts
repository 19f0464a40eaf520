import { isoInstant } from '@techmarket/contracts';
import { badField } from '../../platform/errors';

/** The campaign list's cursor: the last item's creation time and id, newest first. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCampaignCursor(last: { createdAt: string; id: string }) {
  return Buffer.from(JSON.stringify([last.createdAt, last.id])).toString('base64url');
}

export function decodeCampaignCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (
      typeof createdAt === 'string' &&
      typeof id === 'string' &&
      UUID.test(id) &&
      isoInstant.safeParse(createdAt).success
    )
      return { createdAt, id };
  } catch {
    // fall through
  }
  throw badField('cursor', 'not a cursor of this list; start again without it');
}
