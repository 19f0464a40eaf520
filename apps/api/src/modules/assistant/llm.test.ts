import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLlm, type FakeLlmAnswer, startFakeLlm } from '../../../test/fake-llm';
import { askLlm, type LlmRequest, type LlmSettings, llmFailureReason, preloadLlm } from './llm';
import { SELLER_SLOT } from './replies';

/** llm.ts against a real HTTP server speaking the Chat Completions API: what is sent, and every way it fails. */

const goodAnswer = {
  leadType: 'SALE',
  priority: 'HIGH',
  suggestedReply: `Hola Rosa, soy ${SELLER_SLOT}. La Lenovo LOQ está disponible. ¿Te la separo?`,
  nextBestAction: 'SEND_QUOTE',
  alternatives: [],
  confidence: 0.8,
  reasons: ['Pregunta por disponibilidad'],
};

const request: LlmRequest = {
  shopName: 'Tecno Lima',
  language: 'es',
  customerFirstName: 'Rosa',
  messages: ['hola, la lenovo sigue? escríbeme a rosa.quispe@gmail.com, dni 45871236, cel 987654321'],
  product: { title: 'Laptop Lenovo LOQ 15', price: 'S/ 4,499.00', stock: 3, category: 'LAPTOPS' },
  candidates: [],
  builtinHint: { leadType: 'SALE', priority: 'MEDIUM' },
  shopFacts: { delivery: null },
};

describe('the LLM client against an OpenAI-compatible server', () => {
  let server: FakeLlm;
  let next: FakeLlmAnswer = { content: JSON.stringify(goodAnswer) };
  let settings: LlmSettings;

  beforeAll(async () => {
    // As a process with an LLM configured does at its start (assistant.service.ts): the SDK is loaded lazily.
    await preloadLlm();
    server = await startFakeLlm(() => next);
    settings = {
      provider: 'openai-compatible',
      model: 'llama-test',
      baseUrl: server.baseUrl,
      apiKey: 'test-key',
      timeoutMs: 500,
    };
  });
  afterAll(() => server.close());

  /** The failure's recorded reason, after checking that exactly one request was made (no retries). */
  const failure = async (answer: FakeLlmAnswer) => {
    next = answer;
    const before = server.calls.length;
    const error = await askLlm(settings, request).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error, 'the call should have failed').not.toBeNull();
    expect(server.calls.length - before).toBe(1);
    return llmFailureReason(error, settings.timeoutMs);
  };

  it('asks for the contract as a JSON schema, and reads the structured answer', async () => {
    next = { content: JSON.stringify(goodAnswer) };
    const answer = await askLlm(settings, request);
    expect(answer.output).toMatchObject({ leadType: 'SALE', priority: 'HIGH', nextBestAction: 'SEND_QUOTE' });
    expect(answer.tokens).toEqual({ input: 321, output: 123 });

    const call = server.calls.at(-1);
    expect(call?.path).toBe('/v1/chat/completions');
    expect(call?.headers.authorization).toBe('Bearer test-key');
    const body = call?.body as {
      model: string;
      response_format: { type: string; json_schema: { schema: { properties: Record<string, unknown> } } };
      messages: { role: string; content: string }[];
    };
    expect(body.model).toBe('llama-test');
    expect(body.response_format.type).toBe('json_schema');
    expect(Object.keys(body.response_format.json_schema.schema.properties)).toEqual(
      expect.arrayContaining(['leadType', 'priority', 'suggestedReply', 'nextBestAction', 'alternatives']),
    );
    expect(body.messages.map((m) => m.role)).toEqual(['system', 'user']);
    const sent = JSON.stringify(body.messages);
    expect(sent).toContain('la lenovo sigue');
    expect(sent).toContain('Tecno Lima');
    // The seller is a slot; who they are is not known, and nothing personal of the customer but a first name.
    expect(sent).toContain(SELLER_SLOT);
    for (const secret of ['rosa.quispe@gmail.com', '45871236', '987654321'])
      expect(sent).not.toContain(secret);
  });

  it('gives up on a slow answer at the time limit', async () => {
    expect(await failure({ content: JSON.stringify(goodAnswer), delayMs: 2_000 })).toBe(
      'timeout after 500 ms',
    );
  });

  it('refuses an answer that is not JSON, or not the schema, and says which', async () => {
    expect(await failure({ content: 'Claro, aquí va: la laptop está disponible' })).toBe(
      'invalid output: not JSON',
    );
    expect(await failure({ content: JSON.stringify({ ...goodAnswer, priority: 'SOON' }) })).toBe(
      'invalid output: schema mismatch at priority',
    );
  });

  it('does not wait for a rate limit or retry an error: the built-in model is the retry', async () => {
    expect(await failure({ status: 429, headers: { 'retry-after': '3600' } })).toBe(
      'rate limited (HTTP 429, retry after 3600)',
    );
    expect(await failure({ status: 429 })).toBe('rate limited (HTTP 429)');
    expect(await failure({ status: 500 })).toBe('provider error (HTTP 500)');
    expect(await failure({ status: 503, headers: { 'retry-after': '1' } })).toBe('provider error (HTTP 503)');
  });

  it('names a dropped connection, and one nobody answers', async () => {
    expect(await failure({ drop: true })).toMatch(/^connection failed: /);
    const closed = await startFakeLlm(() => next);
    await closed.close();
    const error = await askLlm({ ...settings, baseUrl: closed.baseUrl }, request).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(llmFailureReason(error, 500)).toMatch(/^connection failed: /);
  });
});
