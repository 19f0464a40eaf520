import { problemSchema } from '@techmarket/contracts';
import type { FastifyRequest, FastifySerializerCompiler } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import type { z } from 'zod';

/** Declares the problem+json answers of a route, so they appear in the OpenAPI document. */
export function problems<S extends number>(...statuses: S[]) {
  return Object.fromEntries(statuses.map((status) => [status, problemSchema])) as Record<
    S,
    typeof problemSchema
  >;
}

export const requestMeta = (request: FastifyRequest) => ({
  ip: request.ip,
  userAgent: request.headers['user-agent'],
});

type Projection = (value: unknown) => unknown;

const NESTING = new Set(['nullable', 'optional', 'default', 'readonly']);
const LEAVES = new Set(['string', 'number', 'boolean', 'bigint', 'enum', 'literal', 'null']);

/**
 * Copies what the schema declares out of a value, recursively through objects, arrays, nullables and optionals.
 * Null when the schema holds something it cannot follow (a transform, a union, a record).
 */
function projectionOf(schema: z.core.$ZodType): Projection | null {
  const def = schema._zod.def;
  if (def.type === 'object') {
    const fields: [string, Projection][] = [];
    for (const [key, field] of Object.entries((def as z.core.$ZodObjectDef).shape)) {
      const projection = projectionOf(field);
      if (!projection) return null;
      fields.push([key, projection]);
    }
    return (value) => {
      if (value === null || typeof value !== 'object') return value;
      const source = value as Record<string, unknown>;
      const copy: Record<string, unknown> = {};
      for (const [key, projection] of fields) {
        const field = source[key];
        if (field !== undefined) copy[key] = projection(field);
      }
      return copy;
    };
  }
  if (def.type === 'array') {
    const element = projectionOf((def as z.core.$ZodArrayDef).element);
    return element && ((value) => (Array.isArray(value) ? value.map(element) : value));
  }
  if (NESTING.has(def.type)) {
    const inner = projectionOf((def as z.core.$ZodNullableDef).innerType);
    return inner && ((value) => (value === null || value === undefined ? value : inner(value)));
  }
  return LEAVES.has(def.type) ? (value) => value : null;
}

/**
 * A route's serializer for large pages of rows the service has just read and typed: it writes only the fields
 * the response schema declares, so internal columns still cannot leak, but does not re-validate every value
 * (zod's encode of a 50-lead inbox page cost about twice its JSON.stringify). Any schema it cannot follow gets
 * the app's zod serializer.
 */
export const projectingSerializerCompiler: FastifySerializerCompiler<unknown> = (route) => {
  // Fastify hands over the route's response schema for one status; for zod schemas that is the schema itself.
  const { schema } = route;
  const projection =
    schema !== null && typeof schema === 'object' && '_zod' in schema
      ? projectionOf(schema as z.core.$ZodType)
      : null;
  if (!projection) return serializerCompiler(route as Parameters<typeof serializerCompiler>[0]);
  return (data) => JSON.stringify(projection(data));
};
