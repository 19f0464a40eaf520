import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OpenAI-compatible Chat Completions server for tests: the real SDK talks to it over real HTTP, on
 * 127.0.0.1 and a port of the system's choosing. `answer` decides each reply:
 * - `{ content }`: a completion whose assistant message is `content` (a JSON answer, or text that is not JSON);
 * - `{ content, delayMs }`: the same, late (to outlast the caller's time limit);
 * - `{ content, until }`: the same, held until the promise settles (a caller kept waiting while the test does
 *   something to it);
 * - `{ status, headers?, body? }`: an HTTP error such as a 429 with or without Retry-After, or a 500;
 * - `{ drop: true }`: the connection is cut before any response is written.
 * Every request is kept (`calls`: path, headers and body; `requests`: the bodies alone) so a test can check what
 * was sent: the prompt, the response_format with the schema, that nothing personal left.
 */
export type FakeLlmAnswer =
  | { content: string; delayMs?: number; until?: Promise<unknown> }
  | { status: number; headers?: Record<string, string>; body?: unknown }
  | { drop: true };

export interface FakeLlmCall {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export async function startFakeLlm(answer: (body: Record<string, unknown>) => FakeLlmAnswer) {
  const calls: FakeLlmCall[] = [];
  const requests: Record<string, unknown>[] = [];
  const read = async (request: IncomingMessage) => {
    let text = '';
    for await (const chunk of request) text += chunk;
    return JSON.parse(text || '{}') as Record<string, unknown>;
  };
  const server = createServer(async (request, response) => {
    const body = await read(request);
    calls.push({ path: request.url ?? '', headers: request.headers, body });
    requests.push(body);
    const reply = answer(body);
    if ('drop' in reply) {
      request.socket.destroy();
      return;
    }
    if ('status' in reply) {
      response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      response.end(
        JSON.stringify(
          reply.body ?? { error: { message: `status ${reply.status}`, type: 'test_error', code: null } },
        ),
      );
      return;
    }
    const { content, delayMs = 0, until } = reply;
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (until) await until;
    if (response.destroyed) return;
    response.setHeader('content-type', 'application/json');
    response.end(
      JSON.stringify({
        id: 'chatcmpl-test',
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 321, completion_tokens: 123, total_tokens: 444 },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    calls,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type FakeLlm = Awaited<ReturnType<typeof startFakeLlm>>;
