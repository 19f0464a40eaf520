import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problem, type SignedUp, signUp, type TestContext } from '../../test/harness';
import { createLead, createLeadsTestContext } from '../modules/leads/leads.fixtures';

/**
 * PostgreSQL text cannot hold U+0000: a NUL that reaches a query fails it (a 500). A lone UTF-16 surrogate
 * (`"\ud800"`, which JSON.parse takes) fails a jsonb column the same way: JSON.stringify writes it back as that
 * escape. The contracts' strings refuse both at the door, as a 400 naming the field, on every route at once.
 */

let ctx: TestContext;
let shop: SignedUp;

beforeAll(async () => {
  ctx = await createLeadsTestContext();
  shop = await signUp(ctx.app);
});
afterAll(() => ctx.close());

const paths = (body: { errors?: { path: string }[] }) => body.errors?.map((e) => e.path);

describe('a NUL character in input', () => {
  it('in the inbox search is a 400 naming querystring.q', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${shop.tenantId}/leads?q=a%00b`,
      headers: shop.auth,
    });
    expect(paths(problem(response, 400))).toContain('querystring.q');
  });

  it('in the catalog search, a public-facing query parameter, is a 400 naming querystring.q', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${shop.tenantId}/listings?q=%00`,
      headers: shop.auth,
    });
    expect(paths(problem(response, 400))).toContain('querystring.q');
  });

  it("in a note's text is a 400 naming body.text", async () => {
    const lead = await createLead(ctx.app, shop, { branchId: shop.branchId, contact: { name: 'Ana' } });
    const response = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/leads/${lead.id}/notes`,
      headers: shop.auth,
      payload: { text: 'llamar\u0000mañana' },
    });
    expect(paths(problem(response, 400))).toContain('body.text');
  });

  it("in a campaign's name is a 400 naming body.name", async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/campaigns',
      headers: shop.auth,
      payload: { tenantId: shop.tenantId, name: 'Cyber\u0000Wow', type: 'CATEGORY' },
    });
    expect(paths(problem(response, 400))).toContain('body.name');
  });

  it("in a tracked click's message, a public call without credentials, is a 400 naming body.message", async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/tracking/whatsapp-click',
      payload: {
        tenantId: shop.tenantId,
        branchId: shop.branchId,
        visitorId: 'visitor-1',
        message: 'hola\u0000',
      },
    });
    expect(paths(problem(response, 400))).toContain('body.message');
  });

  it("in a signup's name, before any session exists, is a 400 naming body.name", async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: {
        tenantName: 'Tienda nula',
        name: 'Ana\u0000',
        email: 'nul@example.com',
        password: 'correct-horse-battery',
      },
    });
    expect(paths(problem(response, 400))).toContain('body.name');
  });
});

describe('a lone UTF-16 surrogate in input', () => {
  it("in a ticket's device, stored as jsonb, is a 400 naming body.device.model", async () => {
    const lead = await createLead(ctx.app, shop, { branchId: shop.branchId, contact: { name: 'Ana' } });
    const response = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/leads/${lead.id}/convert-to-ticket`,
      headers: { ...shop.auth, 'content-type': 'application/json' },
      // Written by hand: the escape as a client sends it.
      payload: '{"device":{"model":"iPhone \\ud800"}}',
    });
    expect(paths(problem(response, 400))).toContain('body.device.model');
  });

  it("in a tracked click's message, a public call, is a 400 naming body.message", async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/tracking/whatsapp-click',
      payload: {
        tenantId: shop.tenantId,
        branchId: shop.branchId,
        visitorId: 'visitor-1',
        message: 'hola \udc00',
      },
    });
    expect(paths(problem(response, 400))).toContain('body.message');
  });

  it('is told apart from a surrogate pair: an emoji in a note is stored', async () => {
    const lead = await createLead(ctx.app, shop, { branchId: shop.branchId, contact: { name: 'Ana' } });
    const response = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/leads/${lead.id}/notes`,
      headers: shop.auth,
      payload: { text: 'llamar mañana 😀' },
    });
    expect(response.statusCode, response.body).toBe(201);
  });
});

type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema | JsonSchema[];
  prefixItems?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
};

type Operation = {
  parameters?: { in: string; name: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
};

/** Formats whose own validation already refuses a NUL character. */
const strictFormats = new Set(['uuid', 'date-time', 'date', 'time', 'email']);

/** Every string a client can send, by where it sits, that would let a NUL character through. */
function nulOpenings(document: {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}) {
  const found: string[] = [];
  const resolve = (node: JsonSchema) => {
    if (!node.$ref) return node;
    const name = node.$ref.replace('#/components/schemas/', '');
    return document.components?.schemas?.[name] ?? {};
  };
  const refusesNul = (node: JsonSchema) => {
    const patterns = [node.pattern, ...(node.allOf ?? []).map((part) => part.pattern)].filter(
      (pattern): pattern is string => pattern !== undefined,
    );
    return patterns.some((pattern) => {
      const refuses = new RegExp(pattern, 'u');
      return !refuses.test('a\u0000b') && !refuses.test('a\ud800b');
    });
  };
  const walk = (raw: JsonSchema, where: string, seen: Set<JsonSchema>) => {
    const node = resolve(raw);
    if (seen.has(node)) return;
    const inner = new Set(seen).add(node);
    const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
    if (
      types.includes('string') &&
      node.enum === undefined &&
      node.const === undefined &&
      !strictFormats.has(node.format ?? '') &&
      !refusesNul(node)
    ) {
      found.push(where);
    }
    for (const [key, child] of Object.entries(node.properties ?? {})) walk(child, `${where}.${key}`, inner);
    if (typeof node.additionalProperties === 'object') walk(node.additionalProperties, `${where}.*`, inner);
    const items = Array.isArray(node.items) ? node.items : node.items ? [node.items] : [];
    for (const child of [...items, ...(node.prefixItems ?? [])]) walk(child, `${where}[]`, inner);
    for (const child of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])])
      walk(child, where, inner);
  };
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      for (const parameter of operation.parameters ?? []) {
        if (parameter.schema && parameter.in !== 'header')
          walk(
            parameter.schema,
            `${method.toUpperCase()} ${path} ${parameter.in}.${parameter.name}`,
            new Set(),
          );
      }
      for (const [type, content] of Object.entries(operation.requestBody?.content ?? {})) {
        if (content.schema) walk(content.schema, `${method.toUpperCase()} ${path} body(${type})`, new Set());
      }
    }
  }
  return found;
}

describe('every string a route accepts', () => {
  it('refuses a NUL character and a lone surrogate in its schema (walked over the OpenAPI document)', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(Object.keys(document.paths).length).toBeGreaterThan(40);
    expect(nulOpenings(document)).toEqual([]);
  });
});
