import { isoInstant } from '@techmarket/contracts';
import { z } from 'zod';
import { badField } from './errors';

/**
 * Every list's cursor, one format: the sort key of the last row served (usually its time and id), as
 * base64url JSON. Opaque to clients; read back through the list's schema, so a cursor of another list, another
 * sort or a crafted one is a 400 naming `cursor`, never a query with garbage in it.
 */
export interface CursorCodec<Position> {
  encode(position: Position): string;
  decode(cursor: string): Position;
}

export function cursorCodec<S extends z.ZodType>(schema: S): CursorCodec<z.output<S>> {
  return {
    encode: (position) => Buffer.from(JSON.stringify(position)).toString('base64url'),
    decode(cursor) {
      let json: unknown;
      try {
        json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      } catch {
        json = undefined;
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success)
        throw badField('cursor', 'not a cursor of this list; start again without it', 'CURSOR_INVALID');
      return parsed.data;
    },
  };
}

/** The usual position: the last row's time and id (ties on time broken by id). */
export const timeAndIdCursor = cursorCodec(z.object({ at: isoInstant, id: z.uuid() }));
/** Lists ordered by id alone. */
export const idCursor = cursorCodec(z.object({ id: z.uuid() }));

/**
 * One keyset page from rows read with `limit + 1`: the extra row only says there is a next page, whose cursor is
 * the position of the last row served.
 */
export function paginate<Row, Position>(
  rows: readonly Row[],
  limit: number,
  codec: CursorCodec<Position>,
  positionOf: (row: Row) => Position,
): { rows: Row[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page,
    nextCursor: rows.length > limit && last !== undefined ? codec.encode(positionOf(last)) : null,
  };
}
