// OpenTelemetry tracing, loaded before the app (`tsx --import ./src/telemetry.ts src/server.ts`, as the npm start
// scripts do): instrumentations patch http, Fastify, pg and ioredis as those are first imported, so they must be
// in place first. It starts only when an OTLP exporter is configured by the standard variables
// (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT; OTEL_EXPORTER_OTLP_PROTOCOL,
// OTEL_SERVICE_NAME, OTEL_TRACES_SAMPLER… as the SDK reads them). Otherwise nothing here is even loaded: the app's
// own spans (platform/jobs.ts, platform/tracing.ts) go to @opentelemetry/api's no-op tracer.
import { register } from 'node:module';

/** SQL text with each string literal (`'…'`, `E'…'`, quotes doubled inside) replaced by `'?'`. */
export const maskLiterals = (text: string) => text.replace(/(?:\bE)?'(?:[^']|'')*'/g, "'?'");

const env = process.env;
const exporterConfigured = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);

if (exporterConfigured && env.OTEL_SDK_DISABLED !== 'true') {
  // ES modules are patched by this loader hook (CommonJS ones by require-in-the-middle, inside the SDK).
  // The app's own files are none of theirs: its TypeScript (the hook cannot wrap it), or its build (dist/, this
  // file's folder when built: bundled app code that instruments nothing).
  const appCode = new RegExp(`^${new URL('.', import.meta.url).href.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
  register('import-in-the-middle/hook.mjs', import.meta.url, { data: { exclude: [/\.tsx?$/, appCode] } });
  const [
    { NodeSDK },
    { HttpInstrumentation },
    { PgInstrumentation },
    { IORedisInstrumentation },
    fastifyOtel,
  ] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-pg'),
    import('@opentelemetry/instrumentation-ioredis'),
    import('@fastify/otel'),
  ]);
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME ?? 'techmarket-crm',
    // Traces only: metrics are Prometheus's (/metrics), logs are pino's on stdout.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation(),
      new fastifyOtel.FastifyOtelInstrumentation({
        registerOnInitialization: true,
        // The request id on the request's span: a trace is found from a log line, or from the id a user quotes
        // (every problem+json 5xx asks them to).
        requestHook: (span, request) => span.setAttribute('http.request.id', String(request.id)),
      }),
      // A span per statement with its text, but never a value: platform/db.ts's one-message statements carry their
      // values inlined as literals (a customer's phone, what they wrote), so every literal is masked, as the log
      // masks them (platform/logging.ts).
      new PgInstrumentation({
        requireParentSpan: true,
        requestHook: (span, { query }) => span.setAttribute('db.query.text', maskLiterals(query.text)),
      }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  // What is still buffered goes out before the process ends (server.ts exits after its graceful shutdown).
  const flush = () => void sdk.shutdown().catch(() => undefined);
  process.once('SIGTERM', flush);
  process.once('SIGINT', flush);
}
