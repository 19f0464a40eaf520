import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors';
import { decodeCursor, encodeCursor, type InboxPosition } from './inbox-cursor';

const id = '01936f6e-7a3b-7c4d-8e5f-0123456789ab';
const at = '2030-03-01T14:00:00.123Z';

describe('inbox cursor', () => {
  it.each<InboxPosition>([
    { sort: 'priority', priority: 'HIGH', at, id },
    { sort: '-createdAt', at, id },
    { sort: '-lastActivityAt', at, id },
    { sort: 'waiting', answered: false, at, id },
    { sort: 'waiting', answered: true, at, id },
  ])('round-trips a $sort position as URL-safe text', (position) => {
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, position.sort)).toEqual(position);
  });

  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it.each([
    ['garbage', 'not base64 json'],
    ['an empty array', encode([])],
    ['an object', encode({ sort: 'priority', at, id })],
    ['a bad priority', encode(['priority', 'URGENT', at, id])],
    ['a bad instant', encode(['priority', 'HIGH', 'ayer', id])],
    ['a bad id', encode(['-createdAt', at, 'lead-1'])],
    ['extra values', encode(['-createdAt', at, id, 'more'])],
    ['another sort', encodeCursor({ sort: '-createdAt', at, id })],
  ])('refuses %s with a 400 naming cursor', (_name, cursor) => {
    try {
      decodeCursor(cursor, 'priority');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({
        code: 'VALIDATION',
        errors: [{ path: 'cursor', code: 'CURSOR_INVALID' }],
      });
    }
  });

  it('refuses a waiting position without its answered flag, even for the waiting sort', () => {
    expect(() => decodeCursor(encode({ sort: 'waiting', at, id }), 'waiting')).toThrow(AppError);
    expect(decodeCursor(encode({ sort: 'waiting', answered: false, at, id }), 'waiting')).toEqual({
      sort: 'waiting',
      answered: false,
      at,
      id,
    });
  });
});
