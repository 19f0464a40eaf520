import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { repoRoot } from './platform/assets';

/** The repository root: embedded data and the built web app are found from here, whatever the cwd or layout. */
export { repoRoot };

const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

/**
 * Which proxies in front of the app may say who the client is (X-Forwarded-For): off, a hop count, or a
 * comma-separated list of addresses and CIDR ranges. Off by default, so that no client can choose its own address.
 */
const trustProxy = z
  .string()
  .trim()
  .transform((value, context): false | number | string[] => {
    if (value === 'false' || value === '0') return false;
    if (/^\d+$/.test(value)) return Number(value);
    const entries = value.split(',').map((entry) => entry.trim());
    for (const entry of entries) {
      const [address = '', bits, ...rest] = entry.split('/');
      const family = isIP(address);
      const maxBits = family === 6 ? 128 : 32;
      const validBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= maxBits);
      if (family === 0 || !validBits || rest.length > 0) {
        context.addIssue({
          code: 'custom',
          message: `"${entry}" is neither a hop count nor an IP address or CIDR range`,
        });
        return z.NEVER;
      }
    }
    return entries;
  });

const postgresUrl = z.url({ protocol: /^postgres(ql)?$/ }).describe('a postgres:// connection string');

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Loopback unless told otherwise: a fresh `npm start` (demo logins with a known password) is not on the network. */
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ROLE: z.enum(['api', 'worker', 'all']).default('all'),
  DATABASE_URL: postgresUrl.optional(),
  /** The app's login role (member of crm_app, owns nothing); when absent, crm_app_login (platform/app-login.ts). */
  APP_DATABASE_URL: postgresUrl.optional(),
  /**
   * A streaming replica of DATABASE_URL's database, as its owner: reads that may lag (KPIs, the dashboard,
   * exports, segment previews) go there, each caller's own writes kept in view (platform/read-replica.ts).
   */
  DATABASE_REPLICA_URL: postgresUrl.optional(),
  /** The app's login role on the replica; when absent, crm_app_login as for APP_DATABASE_URL. */
  APP_DATABASE_REPLICA_URL: postgresUrl.optional(),
  /** While the replica is further behind than this (or does not answer), its reads go to the primary. */
  REPLICA_MAX_LAG_MS: z.coerce.number().int().min(0).max(3_600_000).default(10_000),
  /** How often each process measures the replica's lag (two small queries, one per server). */
  REPLICA_LAG_CHECK_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /**
   * Months of lead history (lead_event) and of marketplace page views (listing_view) kept: the worker drops the
   * monthly partitions older than that (platform/partitions.ts). Unset: kept for ever.
   */
  LEAD_EVENT_RETENTION_MONTHS: z.coerce.number().int().min(1).max(1200).optional(),
  LISTING_VIEW_RETENTION_MONTHS: z.coerce.number().int().min(1).max(1200).optional(),
  /**
   * Months of WhatsApp messages (with their media) and of stored webhook deliveries kept, the same way (migration
   * 0030). A redelivered webhook or message is recognised as long as its month is kept. Unset: kept for ever.
   */
  WHATSAPP_MESSAGE_RETENTION_MONTHS: z.coerce.number().int().min(1).max(1200).optional(),
  WHATSAPP_DELIVERY_RETENTION_MONTHS: z.coerce.number().int().min(1).max(1200).optional(),
  DATA_DIR: z.string().min(1).default(path.join(repoRoot, '.data')),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  /** Shared cache, rate limits and live-update fan-out across instances; in-process without it. */
  REDIS_URL: z
    .url({ protocol: /^rediss?$/ })
    .describe('a redis:// connection string')
    .optional(),
  /** How long a Redis command may take before the app carries on without Redis (in-process limits and caches). */
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  TRUST_PROXY: trustProxy.default(false),
  /** Tracking calls per minute: per client IP, and per tenant; a tenant API key multiplies both by 10. */
  TRACKING_LIMIT_PER_IP: z.coerce.number().int().min(1).default(120),
  TRACKING_LIMIT_PER_TENANT: z.coerce.number().int().min(1).default(6000),
  /** Signs the public links to quote PDFs (HMAC-SHA256). Required in production; at least 32 characters. */
  LINK_SIGNING_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  /**
   * The marketplace's bearer key to the platform-wide feeds (GET /api/v1/platform/branch-reputation); at least 32
   * characters. Required in production; elsewhere, unset: one is made on first start and kept in
   * DATA_DIR/secrets/platform-api-key.
   */
  PLATFORM_API_KEY: z.string().min(32, 'at least 32 characters').optional(),
  /** The assistant's LLM; without it (or when it fails) the built-in model answers. */
  AI_PROVIDER: z.enum(['none', 'openai', 'anthropic', 'openai-compatible']).default('none'),
  AI_MODEL: z.string().min(1).optional(),
  AI_BASE_URL: z.url().optional(),
  AI_API_KEY: z.string().min(1).optional(),
  AI_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(8000),
  /**
   * How long a running job may go without its worker's heartbeat before pg-boss retries it on another worker (a
   * worker that died mid-job). pg-boss's least is 10.
   */
  JOB_HEARTBEAT_SECONDS: z.coerce.number().int().min(10).max(3600).default(30),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  SEED_DEMO: booleanFlag.optional(),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 14),
  /** How often an open live stream checks that its session still stands and still sees what it did. */
  STREAM_RECHECK_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** How often an idle live stream sends a comment, so that proxies (often 60 s idle) and browsers keep it. */
  STREAM_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(300).default(15),
  COOKIE_SECURE: booleanFlag.optional(),
  LOGIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(10),
  /** Wrong passwords for one e-mail, from any address, that lock its login for LOGIN_LOCK_MINUTES. */
  LOGIN_LOCK_FAILURES: z.coerce.number().int().min(1).default(10),
  LOGIN_LOCK_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  /** New shops per client address per hour. */
  SIGNUP_LIMIT_PER_IP: z.coerce.number().int().min(1).default(10),
  /** Users a shop may create or invite per hour. */
  INVITE_LIMIT_PER_TENANT: z.coerce.number().int().min(1).default(50),
  WEB_DIST_DIR: z.string().min(1).default(path.join(repoRoot, 'apps/web/dist')),
  /**
   * Meta's Graph API, at the version modules/whatsapp is written for; a simulator's address in tests and the demo.
   * Unset: Meta's, or the in-process simulator's when WHATSAPP_SIMULATOR is on.
   */
  WHATSAPP_GRAPH_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** 32 bytes, base64: encrypts the channels' access tokens and app secrets. Required in production. */
  WHATSAPP_SECRETS_KEY: z
    .string()
    .refine((value) => Buffer.from(value, 'base64').length === 32, '32 bytes, base64-encoded')
    .optional(),
  /** Inbound photos, voice notes, videos and documents larger than this are kept as "too large", not fetched. */
  WHATSAPP_MEDIA_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(100 * 1024 * 1024)
    .default(16 * 1024 * 1024),
  /** The first wait before a send is retried after a 429 or 5xx from the Graph API; doubles each try. */
  /** The largest file an import accepts (100,000 customers in a CSV are about 8 MB). */
  IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(50 * 1024 * 1024),
  WHATSAPP_RETRY_BASE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  /**
   * Sends per second per phone number, counted across instances (Redis): Meta's default throughput for a Cloud
   * API number is 80 messages/s (1,000 after Meta upgrades it). A send over it waits in the queue, still QUEUED.
   */
  WHATSAPP_SEND_RATE_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(80),
  /**
   * Mounts the built-in Cloud API simulator at /simulator/whatsapp (tests, the demo); never in production. Unset:
   * on when the demo is seeded on the embedded database, off otherwise.
   */
  WHATSAPP_SIMULATOR: booleanFlag.optional(),
  /**
   * The server's VAPID key pair for Web Push (RFC 8292), base64url as `npx web-push generate-vapid-keys` prints
   * them; both or neither. Unset: a pair is made on first start and kept in the database (the private key sealed
   * with WHATSAPP_SECRETS_KEY), the same for every instance.
   */
  VAPID_PUBLIC_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{87}$/, 'a P-256 public key, base64url (87 characters)')
    .optional(),
  VAPID_PRIVATE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'a P-256 private key, base64url (43 characters)')
    .optional(),
  /**
   * Lets push subscriptions point at loopback and private addresses (a push service on this machine: tests, local
   * development). Off, an endpoint must be an https URL of a public host, at subscribe and at each send. Never in
   * production.
   */
  PUSH_ALLOW_PRIVATE_ENDPOINTS: booleanFlag.default(false),
  /** Whom push services may contact about our pushes: a mailto: or https: address. Unset: PUBLIC_URL when https. */
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:[^@\s]+@[^@\s]+|https:\/\/\S+)$/, 'a mailto: or https: address')
    .optional(),
  /**
   * On SIGTERM/SIGINT, how long requests, live streams and running jobs get to finish before the process stops
   * anyway (a job still running then is handed back to the queue, to be retried).
   */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(20_000),
  /**
   * On SIGTERM/SIGINT, how long the server goes on accepting and answering with readiness already 503, before it
   * stops accepting and drains: the time a load balancer takes to see the failing check and send traffic elsewhere
   * (a connection refused before then is a client's error). Unset: 5 s in production, 0 otherwise (tests, `npm start`).
   */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).optional(),
  /** Serves Prometheus metrics at /metrics on PORT to `Authorization: Bearer <token>`; unset, not on PORT at all. */
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  /** Serves /metrics on a port of its own (worker processes, or to keep them off PORT); the token applies there too. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
});

export const META_GRAPH_URL = 'https://graph.facebook.com/v23.0';

export type AppConfig = Omit<z.output<typeof configSchema>, 'WHATSAPP_GRAPH_URL' | 'WHATSAPP_SIMULATOR'> & {
  WHATSAPP_GRAPH_URL: string;
  WHATSAPP_SIMULATOR: boolean;
  vapidSubject: string;
  /** This server as this machine reaches it (loopback when it listens on every address): the demo talks to itself. */
  localUrl: string;
  publicUrl: string;
  linkSigningSecret: string;
  platformApiKey: string;
  seedDemo: boolean;
  cookieSecure: boolean;
  /** SHUTDOWN_GRACE_MS, or its default for NODE_ENV. */
  shutdownGraceMs: number;
};

export class ConfigError extends Error {}

/**
 * What a production start refuses to go without: a secret one instance made up for itself would differ from the
 * others' and be lost with its container. LINK_SIGNING_SECRET: a quote link signed on one instance would not open on
 * another. WHATSAPP_SECRETS_KEY: every stored channel secret would be unreadable after the next restart.
 * PLATFORM_API_KEY: each instance would accept another key from the marketplace (and its DATA_DIR is not kept).
 */
const productionSecrets = ['LINK_SIGNING_SECRET', 'WHATSAPP_SECRETS_KEY', 'PLATFORM_API_KEY'] as const;

/** Makes up (or finds again) a secret that was not configured; `platform/secrets.ts` keeps them in DATA_DIR. */
export type SecretSource = (dataDir: string, name: string) => string;
const perProcessSecret: SecretSource = () => randomBytes(32).toString('base64url');

const isLoopback = (host: string) =>
  host === 'localhost' || host === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);

/** The one place that reads the environment. A bad variable stops start-up with its name. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Record<string, string> = {},
  { generatedSecret = perProcessSecret }: { generatedSecret?: SecretSource } = {},
): AppConfig {
  const source: Record<string, string | undefined> = { ...env, ...overrides };
  for (const key of Object.keys(source)) if (source[key] === '') delete source[key];
  const parsed = configSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  if (config.AI_PROVIDER !== 'none' && !config.AI_MODEL) {
    throw new ConfigError('Invalid configuration:\n  AI_MODEL: required when AI_PROVIDER is set');
  }
  if (config.AI_PROVIDER === 'openai-compatible' && !config.AI_BASE_URL) {
    throw new ConfigError(
      'Invalid configuration:\n  AI_BASE_URL: required for AI_PROVIDER=openai-compatible',
    );
  }
  if (config.NODE_ENV === 'production') {
    // Every one of them, named at once: a deployment fixes its settings in one go, not one restart per secret.
    const missing = productionSecrets.filter((name) => !config[name]);
    if (missing.length > 0) {
      throw new ConfigError(
        `Invalid configuration:\n${missing.map((name) => `  ${name}: required in production`).join('\n')}`,
      );
    }
  }
  if (config.NODE_ENV === 'production' && config.PUSH_ALLOW_PRIVATE_ENDPOINTS) {
    throw new ConfigError('Invalid configuration:\n  PUSH_ALLOW_PRIVATE_ENDPOINTS: never in production');
  }
  if (config.NODE_ENV === 'production' && config.WHATSAPP_SIMULATOR) {
    throw new ConfigError('Invalid configuration:\n  WHATSAPP_SIMULATOR: never in production');
  }
  if (config.DATABASE_REPLICA_URL && !config.DATABASE_URL) {
    // The embedded server has no replica: a replica of some other database would answer with other rows.
    throw new ConfigError('Invalid configuration:\n  DATABASE_REPLICA_URL: needs DATABASE_URL (its primary)');
  }
  if (!config.VAPID_PUBLIC_KEY !== !config.VAPID_PRIVATE_KEY) {
    throw new ConfigError(
      'Invalid configuration:\n  VAPID_PRIVATE_KEY: VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together',
    );
  }
  const publicUrl = (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/$/, '');
  // Demo data (logins with a published password) only on the embedded database of a server that listens on
  // this machine alone, unless asked for: never surprise a real database, never open a known login to a network.
  const seedDemo =
    config.SEED_DEMO ?? (!config.DATABASE_URL && config.NODE_ENV !== 'test' && isLoopback(config.HOST));
  // The demo shop's branches talk to the built-in simulator; a real deployment never does unless told to (and
  // production refuses it above).
  const whatsappSimulator =
    config.WHATSAPP_SIMULATOR ?? (seedDemo && !config.DATABASE_URL && config.NODE_ENV !== 'production');
  const localHost = ['0.0.0.0', '::', 'localhost'].includes(config.HOST)
    ? '127.0.0.1'
    : config.HOST.includes(':')
      ? `[${config.HOST}]`
      : config.HOST;
  const localUrl = `http://${localHost}:${config.PORT}`;
  return {
    ...config,
    WHATSAPP_SIMULATOR: whatsappSimulator,
    vapidSubject:
      config.VAPID_SUBJECT ?? (publicUrl.startsWith('https:') ? publicUrl : 'mailto:push@techmarket.invalid'),
    WHATSAPP_GRAPH_URL:
      config.WHATSAPP_GRAPH_URL ??
      (whatsappSimulator ? `${localUrl}/simulator/whatsapp/graph` : META_GRAPH_URL),
    localUrl,
    // Without one set, a secret kept in DATA_DIR by `npm start` (links survive a restart); per process in tests.
    linkSigningSecret: config.LINK_SIGNING_SECRET ?? generatedSecret(config.DATA_DIR, 'link-signing-secret'),
    platformApiKey: config.PLATFORM_API_KEY ?? generatedSecret(config.DATA_DIR, 'platform-api-key'),
    publicUrl,
    seedDemo,
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS ?? (config.NODE_ENV === 'production' ? 5000 : 0),
    // Served over https (PUBLIC_URL says so), the cookies say it too.
    cookieSecure:
      config.COOKIE_SECURE ?? (config.NODE_ENV === 'production' || publicUrl.startsWith('https:')),
  };
}
