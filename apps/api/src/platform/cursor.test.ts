import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cursorCodec, idCursor, paginate, timeAndIdCursor } from './cursor';
import { AppError } from './errors';

const id = '0190a5b4-0000-7000-8000-000000000001';

describe('list cursors', () => {
  it('give back the position they were made from', () => {
    const position = { at: '2026-12-07T10:00:00.123Z', id };
    expect(timeAndIdCursor.decode(timeAndIdCursor.encode(position))).toEqual(position);
    expect(idCursor.decode(idCursor.encode({ id }))).toEqual({ id });
  });

  it("refuse another list's cursor, a crafted one and garbage with a 400 naming cursor", () => {
    const sorted = cursorCodec(z.object({ sort: z.enum(['a', 'b']), id: z.uuid() }));
    const refused = [
      idCursor.encode({ id }),
      Buffer.from(JSON.stringify({ at: 'yesterday', id })).toString('base64url'),
      Buffer.from(JSON.stringify({ at: '0000-01-01T00:00:00Z', id })).toString('base64url'),
      Buffer.from("{'at'").toString('base64url'),
      'not base64 at all!',
    ];
    for (const cursor of refused) {
      const error = (() => {
        try {
          timeAndIdCursor.decode(cursor);
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('VALIDATION');
      expect((error as AppError).errors?.[0]?.path).toBe('cursor');
    }
    expect(() => sorted.decode(sorted.encode({ sort: 'c' as 'a', id }))).toThrow(AppError);
  });

  it('page rows read with one extra: the cursor only when there is a next page, at the last row served', () => {
    const rows = [1, 2, 3].map((n) => ({ id: `0190a5b4-0000-7000-8000-00000000000${n}` }));
    const full = paginate(rows, 2, idCursor, (row) => ({ id: row.id }));
    expect(full.rows).toEqual(rows.slice(0, 2));
    expect(idCursor.decode(full.nextCursor ?? '')).toEqual({ id: rows[1]?.id });
    expect(paginate(rows.slice(0, 2), 2, idCursor, (row) => ({ id: row.id })).nextCursor).toBeNull();
  });
});
