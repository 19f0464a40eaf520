import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OpenAI-compatible chat completions server for tests: the real SDK talks to it over real HTTP.
 * `answer` decides each reply: the assistant message's content, or a delay to provoke a timeout, or a promise to
 * hold the reply until (a caller kept waiting while the test does something to it).
 */
export async function startFakeLlm(
  answer: (body: Record<string, unknown>) => { content: string; delayMs?: number; until?: Promise<unknown> },
) {
  const requests: Record<string, unknown>[] = [];
  const read = async (request: IncomingMessage) => {
    let text = '';
    for await (const chunk of request) text += chunk;
    return JSON.parse(text || '{}') as Record<string, unknown>;
  };
  const server = createServer(async (request, response) => {
    const body = await read(request);
    requests.push(body);
    const { content, delayMs = 0, until } = answer(body);
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
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
