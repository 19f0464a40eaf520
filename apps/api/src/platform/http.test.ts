import { leadSchema, page } from '@techmarket/contracts';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { projectingSerializerCompiler } from './http';

const serializerFor = (schema: unknown) =>
  projectingSerializerCompiler({ schema, method: 'GET', url: '/x', httpStatus: '200' });

describe('projectingSerializerCompiler', () => {
  it('writes only the declared fields, at every depth, keeping nulls', () => {
    const schema = z.object({
      items: z.array(z.object({ id: z.string(), contact: z.object({ name: z.string().nullable() }) })),
      nextCursor: z.string().nullable(),
      note: z.string().optional(),
    });
    const data = {
      items: [{ id: 'a', secret: 1, contact: { name: null, passwordHash: 'x' } }],
      nextCursor: null,
      internal: true,
    };
    expect(JSON.parse(serializerFor(schema)(data))).toEqual({
      items: [{ id: 'a', contact: { name: null } }],
      nextCursor: null,
    });
  });

  it('follows the inbox page schema, and writes it as zod would', () => {
    const lead = {
      id: '0193c7a0-1111-7222-8333-444455556666',
      tenantId: '0193c7a0-1111-7222-8333-444455556667',
      branchId: '0193c7a0-1111-7222-8333-444455556668',
      customerUserId: null,
      contact: { id: '0193c7a0-1111-7222-8333-444455556669', name: 'Lucía', phone: '+51987000001' },
      status: 'NEW',
      source: 'WHATSAPP',
      campaignId: null,
      listingId: null,
      priority: 'HIGH',
      leadType: null,
      assignedToUserId: null,
      lostReason: null,
      firstResponseAt: null,
      statusChangedAt: '2026-11-24T10:05:07.123Z',
      lastActivityAt: '2026-11-24T10:05:07.123Z',
      createdAt: '2026-11-24T10:05:07.123Z',
      updatedAt: '2026-11-24T10:05:07.123Z',
      version: 1,
    };
    const schema = page(leadSchema);
    const item = schema.shape.items.element.parse({ ...lead, ...extraFields(schema) });
    const data = { items: [{ ...item, priorityRank: 0, statusCode: 0 }], nextCursor: 'c' };
    expect(serializerFor(schema)(data)).toBe(JSON.stringify(schema.encode(data as never)));
  });

  it('leaves a schema it cannot follow to zod', () => {
    const schema = z.object({ at: z.string().transform((s) => s.length) });
    expect(() => serializerFor(schema)({ at: 3 })).toThrow();
  });
});

/** Fields the contract may have gained since this test was written, filled with their schema's null or false. */
function extraFields(schema: ReturnType<typeof page<typeof leadSchema>>) {
  const extra: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape.items.element.shape)) {
    if (field.safeParse(null).success) extra[key] = null;
    else if (field.safeParse(false).success) extra[key] = false;
  }
  return extra;
}
