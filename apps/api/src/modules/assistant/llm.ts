import { assistanceResult, nextBestAction } from '@techmarket/contracts';
import type { LanguageModel } from 'ai';
import { z } from 'zod';
import { storableJson } from '../../platform/jsonb-text';
import { redact } from './redact';
import { SELLER_SLOT } from './replies';

/**
 * The assistant through an LLM, with the `ai` SDK: the contract's schema as structured output, a time
 * limit, and no retries (the built-in model is the retry). Personal data never leaves: the caller sends
 * redacted text (redact.ts: no phone, e-mail or street address).
 */

export interface LlmSettings {
  provider: 'openai' | 'anthropic' | 'openai-compatible';
  model: string;
  baseUrl: string | undefined;
  apiKey: string | undefined;
  timeoutMs: number;
}

// v2: the seller's name is a slot filled when the reply is read; pronouns agree with the product.
// v3: the shop's facts (delivery, payment, warranty, hours, address, repairs); every question is answered from them.
export const PROMPT_VERSION = 'v3';

/** What the model is asked for: alternatives by id only, so titles and prices always come from the catalog. */
export const llmOutput = assistanceResult.omit({ alternatives: true }).extend({
  nextBestAction,
  alternatives: z.array(z.object({ listingId: z.string(), why: z.string().max(200) })).max(3),
});
export type LlmOutput = z.infer<typeof llmOutput>;

/**
 * The `ai` SDK and its providers, loaded by the first call to an LLM: most processes never make one (no provider
 * configured, or the API role), and the SDK is several megabytes of code a worker would otherwise hold from its start.
 */
const loadSdk = async () => {
  const [ai, anthropic, openai, compatible] = await Promise.all([
    import('ai'),
    import('@ai-sdk/anthropic'),
    import('@ai-sdk/openai'),
    import('@ai-sdk/openai-compatible'),
  ]);
  return { ai, ...anthropic, ...openai, ...compatible };
};
type Sdk = Awaited<ReturnType<typeof loadSdk>>;
let sdkLoading: Promise<Sdk> | undefined;
/** The SDK once loaded: an error's class is told by it (llmFailureReason), after a call that loaded it. */
let sdk: Sdk | undefined;

/** Loads the SDK now (a process with an LLM configured pays for it at its start, not in its first call's time). */
export async function preloadLlm(): Promise<void> {
  sdkLoading ??= loadSdk();
  sdk = await sdkLoading;
}

function languageModel(
  { createAnthropic, createOpenAI, createOpenAICompatible }: Sdk,
  settings: LlmSettings,
): LanguageModel {
  const baseURL = settings.baseUrl;
  switch (settings.provider) {
    case 'openai':
      return createOpenAI({ apiKey: settings.apiKey, ...(baseURL ? { baseURL } : {}) }).chat(settings.model);
    case 'anthropic':
      return createAnthropic({ apiKey: settings.apiKey, ...(baseURL ? { baseURL } : {}) })(settings.model);
    case 'openai-compatible':
      return createOpenAICompatible({
        name: 'openai-compatible',
        baseURL: baseURL ?? 'http://127.0.0.1:11434/v1',
        ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
        supportsStructuredOutputs: true,
      }).chatModel(settings.model);
  }
}

export interface LlmRequest {
  shopName: string;
  language: 'es' | 'pt';
  customerFirstName: string | null;
  messages: string[];
  product: { title: string; price: string; stock: number; category: string } | null;
  candidates: { listingId: string; title: string; price: string; stock: number }[];
  builtinHint: { leadType: string; priority: string };
  /** What the shop said of itself (llm-facts.ts): the only source of delivery, payment, warranty and hours. */
  shopFacts: Record<string, unknown>;
}

export function buildPrompt(request: LlmRequest) {
  const system = [
    `Eres el asistente de ventas de ${request.shopName}, una tienda de electrónica y computación en Latinoamérica.`,
    'Clasificas el primer mensaje de un cliente y redactas la primera respuesta que el vendedor enviará por WhatsApp.',
    'Tono: cercano, profesional, breve; sin emojis de más; nunca inventes precios ni stock: usa solo los datos dados.',
    'leadType: SERVICE si el cliente quiere un trabajo (reparación, diagnóstico, mantenimiento, instalación, garantía, soporte); SALE si quiere comprar.',
    'priority: HIGH si hay urgencia, un equipo que bloquea su trabajo, decisión de compra clara o compra de empresa/volumen; LOW si solo mira o es muy vago; MEDIUM en otro caso.',
    `suggestedReply: en ${request.language === 'pt' ? 'portugués de Brasil' : 'español latinoamericano'}, máximo 700 caracteres, nombra el producto y propone un paso concreto; los pronombres y artículos concuerdan con el género del producto ("te lo separo" para un router, "te la separo" para una laptop).`,
    `Quien envía la respuesta es el vendedor que abra el lead: donde va su nombre escribe exactamente ${SELLER_SLOT} (se reemplaza al mostrarla); nunca escribas otro nombre de vendedor.`,
    'Responde cada pregunta del cliente (precio, stock, delivery, pagos, garantía, horario, dirección, costo o tiempo de reparación) solo con el producto y datosTienda; si un dato es null o falta, di que el vendedor lo confirma. Nunca menciones montos, cuotas, garantías ni medios de pago que no estén ahí.',
    'alternatives: solo listingId de la lista de candidatos, con una razón corta. reasons: 1 a 4 frases cortas en español.',
  ].join('\n');
  const prompt = JSON.stringify(
    {
      cliente: request.customerFirstName,
      mensajes: request.messages.map(redact),
      producto: request.product,
      candidatos: request.candidates,
      datosTienda: request.shopFacts,
      clasificacionPrevia: request.builtinHint,
    },
    null,
    2,
  );
  return { system, prompt };
}

export async function askLlm(settings: LlmSettings, request: LlmRequest) {
  const { system, prompt } = buildPrompt(request);
  await preloadLlm();
  const { generateText, Output } = (sdk as Sdk).ai;
  const result = await generateText({
    model: languageModel(sdk as Sdk, settings),
    system,
    prompt,
    output: Output.object({ schema: llmOutput }),
    abortSignal: AbortSignal.timeout(settings.timeoutMs),
    maxRetries: 0,
    temperature: 0.3,
  });
  return {
    // The contract's free strings (reasons, why) may hold a NUL or a lone surrogate: jsonb refuses both.
    output: storableJson(result.output),
    tokens: { input: result.usage.inputTokens ?? null, output: result.usage.outputTokens ?? null },
  };
}

/**
 * Why the LLM's answer was not used, for the assistance's record (`fallbackReason`): a short, stable phrase a
 * person reads on the lead and a query can group by, never the provider's own error text (it may echo the prompt).
 */
export function llmFailureReason(error: unknown, timeoutMs: number): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return `timeout after ${timeoutMs} ms`;
  if (!sdk) return `error: ${name || 'unknown'}`;
  const { APICallError, NoObjectGeneratedError, JSONParseError, TypeValidationError } = sdk.ai;
  if (APICallError.isInstance(error)) {
    if (error.statusCode === undefined) {
      const cause = error.cause instanceof Error ? error.cause.message : 'no response';
      return `connection failed: ${cause}`.slice(0, 200);
    }
    if (error.statusCode === 429) {
      const retryAfter = error.responseHeaders?.['retry-after'];
      return retryAfter
        ? `rate limited (HTTP 429, retry after ${retryAfter.slice(0, 40)})`
        : 'rate limited (HTTP 429)';
    }
    return `provider error (HTTP ${error.statusCode})`;
  }
  if (NoObjectGeneratedError.isInstance(error)) {
    if (JSONParseError.isInstance(error.cause)) return 'invalid output: not JSON';
    if (TypeValidationError.isInstance(error.cause)) {
      // Which fields broke the schema (their paths, not their values: those are the model's words).
      const issues = (error.cause.cause as { issues?: { path?: PropertyKey[] }[] } | undefined)?.issues ?? [];
      const paths = [...new Set(issues.map((issue) => (issue.path ?? []).map(String).join('.') || '(root)'))];
      return `invalid output: schema mismatch${paths.length ? ` at ${paths.slice(0, 5).join(', ')}` : ''}`;
    }
    return 'invalid output: no answer';
  }
  if (String(error).includes('aborted')) return `timeout after ${timeoutMs} ms`;
  return `error: ${name || 'unknown'}`;
}
