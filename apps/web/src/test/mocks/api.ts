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

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

/**
 * A refusal as the API writes it (problem+json, checked against the contract's problem schema, or one that
 * extends it such as `loginProblem`): a handler may answer it instead of its schema's answer.
 */
export function problem(
  status: number,
  fields: Partial<z.input<typeof problemSchema>> & Record<string, unknown> = {},
  schema: z.ZodType = problemSchema,
) {
  return HttpResponse.json(
    schema.parse({ type: 'about:blank', title: titles[status] ?? 'Error', status, ...fields }) as never,
    { status, headers: { 'content-type': 'application/problem+json' } },
  );
}

function validationProblem(error: z.ZodError) {
  return problem(400, {
    code: 'VALIDATION',
    errors: error.issues.map((issue) => ({ path: `body.${issue.path.join('.')}`, message: issue.message })),
  });
}

/** The answer of a handler: what its schema takes, or a `problem(…)`. */
type Answer<Schema extends z.ZodType> = z.input<Schema> | Response;
const respond = <Schema extends z.ZodType>(schema: Schema, answer: Answer<Schema>, status?: number) => {
  if (answer instanceof Response) return answer;
  const parsed = schema.parse(answer);
  // A 204 has no body (the schema is `z.null()`, or `z.void()`).
  return status === 204 ? new HttpResponse(null, { status }) : HttpResponse.json(parsed as never, { status });
};

/** GET `path` answers `answer(…)`, checked against `schema`. */
export function getting<Schema extends z.ZodType>(
  path: string,
  schema: Schema,
  answer: (request: { url: URL; params: Params }) => Answer<Schema>,
) {
  return http.get(onApi(path), ({ request, params }) =>
    respond(schema, answer({ url: new URL(request.url), params })),
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
  answer: (body: z.output<Body>, request: { params: Params; sent: unknown }) => Answer<Schema>,
) {
  return http[method](onApi(path), async ({ request, params }) => {
    const sent: unknown = await request.json();
    const parsed = body.safeParse(sent);
    if (!parsed.success) return validationProblem(parsed.error);
    return respond(schema, answer(parsed.data, { params, sent }), status);
  });
}

/** DELETE `path` answers 204, after `answer(…)` (which may refuse with a `problem`). */
export function deleting(
  path: string,
  answer: (request: { params: Params }) => Response | undefined = () => undefined,
) {
  return http.delete(
    onApi(path),
    ({ params }) => answer({ params }) ?? new HttpResponse(null, { status: 204 }),
  );
}

/** POST `path` without a body (an action: test a channel, sync templates) answers `answer(…)`, checked against `schema`. */
export function posting<Schema extends z.ZodType>(
  path: string,
  schema: Schema,
  answer: (request: { params: Params }) => Answer<Schema>,
  status = 200,
) {
  return http.post(onApi(path), ({ params }) => respond(schema, answer({ params }), status));
}
