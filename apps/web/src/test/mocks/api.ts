import { page, problemSchema } from '@techmarket/contracts';
import { HttpResponse, http } from 'msw';
import type { z } from 'zod';

/**
 * Handlers for the component tests, typed from the contracts: a handler names the schema of what it answers
 * (and of the body it takes), so a mock cannot drift from the wire. Answers are parsed by their schema before
 * they are sent; a body the API would refuse is answered 400 as the API does, naming the fields, so a test
 * fails when a form sends what the server would not take.
 */
type Params = Record<string, string | readonly string[] | undefined>;

const onApi = (path: string) => `*/api/v1${path}`;

function validationProblem(error: z.ZodError) {
  return HttpResponse.json(
    problemSchema.parse({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      code: 'VALIDATION',
      errors: error.issues.map((issue) => ({ path: `body.${issue.path.join('.')}`, message: issue.message })),
    }),
    { status: 400, headers: { 'content-type': 'application/problem+json' } },
  );
}

/** GET `path` answers `answer(…)`, checked against `schema`. */
export function getting<Schema extends z.ZodType>(
  path: string,
  schema: Schema,
  answer: (request: { url: URL; params: Params }) => z.input<Schema>,
) {
  return http.get(onApi(path), ({ request, params }) =>
    HttpResponse.json(schema.parse(answer({ url: new URL(request.url), params })) as never),
  );
}

/** GET `path` answers one page of `items` (no next page), each checked against `item`. */
export function listing<Item extends z.ZodType>(path: string, item: Item, items: z.input<Item>[]) {
  return getting(path, page(item), () => ({ items, nextCursor: null }));
}

/**
 * `method` on `path` takes a body the `body` schema accepts (400 otherwise, as the API) and answers
 * `answer(body)`, checked against `schema`, with `status`. `sent` is the body as the web wrote it (before the
 * schema's defaults and transforms), for tests that check what was left out.
 */
export function sending<Body extends z.ZodType, Schema extends z.ZodType>(
  method: 'post' | 'put' | 'patch',
  path: string,
  { body, schema, status = method === 'post' ? 201 : 200 }: { body: Body; schema: Schema; status?: number },
  answer: (body: z.output<Body>, request: { params: Params; sent: unknown }) => z.input<Schema>,
) {
  return http[method](onApi(path), async ({ request, params }) => {
    const sent: unknown = await request.json();
    const parsed = body.safeParse(sent);
    if (!parsed.success) return validationProblem(parsed.error);
    return HttpResponse.json(schema.parse(answer(parsed.data, { params, sent })) as never, { status });
  });
}
