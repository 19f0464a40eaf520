import { problemSchema } from '@techmarket/contracts';
import fastJson from 'fast-json-stringify';
import type { FastifyRequest, FastifySerializerCompiler } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

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

/**
 * A route's serializer for large pages of rows the service has just read and typed: fast-json-stringify (Fastify's
 * own) compiled from the response schema's JSON Schema, so it writes only the fields the schema declares (internal
 * columns still cannot leak) without re-validating every value (zod's encode of a 50-lead inbox page cost about
 * twice its JSON.stringify). A schema JSON Schema cannot express (a transform) gets the app's zod serializer.
 */
export const projectingSerializerCompiler: FastifySerializerCompiler<unknown> = (route) => {
  // Fastify hands over the route's response schema for one status; for zod schemas that is the schema itself.
  const { schema } = route;
  const jsonSchema =
    schema !== null && typeof schema === 'object' && '_zod' in schema
      ? jsonSchemaOf(schema as z.ZodType)
      : null;
  if (!jsonSchema) return serializerCompiler(route as Parameters<typeof serializerCompiler>[0]);
  return fastJson(jsonSchema as Parameters<typeof fastJson>[0]);
};

function jsonSchemaOf(schema: z.ZodType) {
  try {
    return z.toJSONSchema(schema, { target: 'draft-7', io: 'output', unrepresentable: 'throw' });
  } catch {
    return null;
  }
}
