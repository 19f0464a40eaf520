import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';
import { loadOrCreateSecret } from './platform/secrets';

const KEY = Buffer.alloc(32, 7).toString('base64');
const PLATFORM_KEY = 'p'.repeat(32);

describe('config', () => {
  it('runs on the embedded defaults with nothing set', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.seedDemo).toBe(true);
    expect(config.publicUrl).toBe('http://localhost:3000');
  });

  it('does not seed demo data into a database it was given', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/crm' }).seedDemo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/crm', SEED_DEMO: 'true' }).seedDemo).toBe(true);
  });

  it('stops with a message naming every bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', ROLE: 'boss' })).toThrowError(
      ConfigError,
    );
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', ROLE: 'boss' });
    } catch (error) {
      const message = String(error);
      expect(message).toContain('PORT');
      expect(message).toContain('DATABASE_URL');
      expect(message).toContain('ROLE');
    }
  });

  it('takes a read replica and retention months only beside a database of its own', () => {
    const replica = 'postgres://postgres@replica:5432/crm';
    expect(() => loadConfig({ DATABASE_REPLICA_URL: replica })).toThrowError(/DATABASE_REPLICA_URL/);
    expect(() => loadConfig({ DATABASE_REPLICA_URL: 'mysql://x' })).toThrowError(/DATABASE_REPLICA_URL/);
    const config = loadConfig({
      DATABASE_URL: 'postgres://postgres@primary:5432/crm',
      DATABASE_REPLICA_URL: replica,
      LEAD_EVENT_RETENTION_MONTHS: '24',
    });
    expect(config).toMatchObject({ DATABASE_REPLICA_URL: replica, LEAD_EVENT_RETENTION_MONTHS: 24 });
    expect(config.LISTING_VIEW_RETENTION_MONTHS).toBeUndefined();
    expect(() => loadConfig({ LISTING_VIEW_RETENTION_MONTHS: '0' })).toThrowError(
      /LISTING_VIEW_RETENTION_MONTHS/,
    );
  });

  it('signs quote links with LINK_SIGNING_SECRET, required in production, random per process elsewhere', () => {
    const secret = 'x'.repeat(32);
    expect(loadConfig({ LINK_SIGNING_SECRET: secret }).linkSigningSecret).toBe(secret);
    expect(
      loadConfig({
        NODE_ENV: 'production',
        LINK_SIGNING_SECRET: secret,
        WHATSAPP_SECRETS_KEY: KEY,
        PLATFORM_API_KEY: PLATFORM_KEY,
      }).linkSigningSecret,
    ).toBe(secret);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrowError(/LINK_SIGNING_SECRET/);
    expect(() => loadConfig({ LINK_SIGNING_SECRET: 'short' })).toThrowError(/LINK_SIGNING_SECRET/);
    const [a, b] = [loadConfig({}).linkSigningSecret, loadConfig({}).linkSigningSecret];
    expect(a).toHaveLength(43);
    expect(a).not.toBe(b);
  });

  it('needs WHATSAPP_SECRETS_KEY (32 bytes, base64) in production, and never mounts the simulator there', () => {
    const secret = 'x'.repeat(32);
    expect(() => loadConfig({ NODE_ENV: 'production', LINK_SIGNING_SECRET: secret })).toThrowError(
      /WHATSAPP_SECRETS_KEY: required in production/,
    );
    expect(() => loadConfig({ WHATSAPP_SECRETS_KEY: Buffer.alloc(16).toString('base64') })).toThrowError(
      /WHATSAPP_SECRETS_KEY/,
    );
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        LINK_SIGNING_SECRET: secret,
        WHATSAPP_SECRETS_KEY: KEY,
        PLATFORM_API_KEY: PLATFORM_KEY,
        WHATSAPP_SIMULATOR: 'true',
      }),
    ).toThrowError(/WHATSAPP_SIMULATOR: never in production/);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/crm' }).WHATSAPP_GRAPH_URL).toBe(
      'https://graph.facebook.com/v23.0',
    );
  });

  it('turns the simulator on for the demo on the embedded database only, pointing the Graph API at it', () => {
    const demo = loadConfig({ PORT: '3100' });
    expect(demo).toMatchObject({
      seedDemo: true,
      WHATSAPP_SIMULATOR: true,
      WHATSAPP_GRAPH_URL: 'http://127.0.0.1:3100/simulator/whatsapp/graph',
      localUrl: 'http://127.0.0.1:3100',
    });
    // No demo, or the demo on a real database: no simulator, Meta's Graph API.
    for (const env of [
      { SEED_DEMO: 'false' },
      { HOST: '0.0.0.0' },
      { DATABASE_URL: 'postgres://u@db:5432/crm' },
      { DATABASE_URL: 'postgres://u@db:5432/crm', SEED_DEMO: 'true' },
      { NODE_ENV: 'test' },
    ]) {
      expect(loadConfig(env), JSON.stringify(env)).toMatchObject({
        WHATSAPP_SIMULATOR: false,
        WHATSAPP_GRAPH_URL: 'https://graph.facebook.com/v23.0',
      });
    }
    // A production start that seeds the demo (SEED_DEMO=true) still never mounts the simulator.
    const secret = 'x'.repeat(32);
    expect(
      loadConfig({
        NODE_ENV: 'production',
        LINK_SIGNING_SECRET: secret,
        WHATSAPP_SECRETS_KEY: KEY,
        PLATFORM_API_KEY: PLATFORM_KEY,
        SEED_DEMO: 'true',
      }).WHATSAPP_SIMULATOR,
    ).toBe(false);
    // Set by hand, either way, the settings win.
    expect(loadConfig({ WHATSAPP_SIMULATOR: 'false' }).WHATSAPP_SIMULATOR).toBe(false);
    expect(
      loadConfig({ WHATSAPP_SIMULATOR: 'true', WHATSAPP_GRAPH_URL: 'http://sim.test:9000' })
        .WHATSAPP_GRAPH_URL,
    ).toBe('http://sim.test:9000');
  });

  it('listens on this machine alone unless HOST says otherwise, and seeds the demo logins only there', () => {
    expect(loadConfig({}).HOST).toBe('127.0.0.1');
    expect(loadConfig({ HOST: 'localhost' }).seedDemo).toBe(true);
    expect(loadConfig({ HOST: '0.0.0.0' }).seedDemo).toBe(false);
    expect(loadConfig({ HOST: '::' }).seedDemo).toBe(false);
    expect(loadConfig({ HOST: '0.0.0.0', SEED_DEMO: 'true' }).seedDemo).toBe(true);
  });

  it('marks cookies Secure when PUBLIC_URL is https, unless COOKIE_SECURE says otherwise', () => {
    expect(loadConfig({}).cookieSecure).toBe(false);
    expect(loadConfig({ PUBLIC_URL: 'http://crm.local:3000' }).cookieSecure).toBe(false);
    expect(loadConfig({ PUBLIC_URL: 'https://crm.example.com' }).cookieSecure).toBe(true);
    expect(loadConfig({ PUBLIC_URL: 'https://crm.example.com', COOKIE_SECURE: 'false' }).cookieSecure).toBe(
      false,
    );
    expect(loadConfig({ COOKIE_SECURE: 'true' }).cookieSecure).toBe(true);
  });

  it('keeps a made-up link-signing secret in DATA_DIR, readable by its owner only, so links survive a restart', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tm-config-'));
    try {
      const start = () => loadConfig({ DATA_DIR: dataDir }, {}, { generatedSecret: loadOrCreateSecret });
      const first = start().linkSigningSecret;
      expect(first.length).toBeGreaterThanOrEqual(32);
      expect(start().linkSigningSecret).toBe(first);
      const file = path.join(dataDir, 'secrets', 'link-signing-secret');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      // A configured secret still wins over the kept one.
      const configured = 'y'.repeat(32);
      expect(
        loadConfig(
          { DATA_DIR: dataDir, LINK_SIGNING_SECRET: configured },
          {},
          { generatedSecret: loadOrCreateSecret },
        ).linkSigningSecret,
      ).toBe(configured);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('waits SHUTDOWN_GRACE_MS before it stops accepting: 5 s in production, none elsewhere, unless set', () => {
    const production = {
      NODE_ENV: 'production',
      LINK_SIGNING_SECRET: 'x'.repeat(32),
      WHATSAPP_SECRETS_KEY: KEY,
      PLATFORM_API_KEY: PLATFORM_KEY,
    };
    expect(loadConfig(production).shutdownGraceMs).toBe(5000);
    expect(loadConfig({ ...production, SHUTDOWN_GRACE_MS: '15000' }).shutdownGraceMs).toBe(15_000);
    expect(loadConfig({}).shutdownGraceMs).toBe(0);
    expect(loadConfig({ NODE_ENV: 'test' }).shutdownGraceMs).toBe(0);
    expect(() => loadConfig({ SHUTDOWN_GRACE_MS: '-1' })).toThrowError(/SHUTDOWN_GRACE_MS/);
  });

  it('refuses a production start without PLATFORM_API_KEY (or any secret every instance must share), naming each missing', () => {
    const secrets = {
      LINK_SIGNING_SECRET: 'x'.repeat(32),
      WHATSAPP_SECRETS_KEY: KEY,
      PLATFORM_API_KEY: PLATFORM_KEY,
    };
    expect(() => loadConfig({ NODE_ENV: 'production', ...secrets, PLATFORM_API_KEY: '' })).toThrowError(
      /^Invalid configuration:\n {2}PLATFORM_API_KEY: required in production$/,
    );
    let message = '';
    try {
      loadConfig({ NODE_ENV: 'production' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    for (const name of Object.keys(secrets)) expect(message).toContain(`${name}: required in production`);
    // Set, it is the key, not one made up and kept in DATA_DIR.
    expect(loadConfig({ NODE_ENV: 'production', ...secrets }).platformApiKey).toBe(PLATFORM_KEY);
    // Elsewhere it is still made up when unset.
    expect(loadConfig({}).platformApiKey.length).toBeGreaterThanOrEqual(32);
  });

  it('lets push endpoints be private addresses only when told to, and never in production', () => {
    expect(loadConfig({}).PUSH_ALLOW_PRIVATE_ENDPOINTS).toBe(false);
    expect(loadConfig({ PUSH_ALLOW_PRIVATE_ENDPOINTS: 'true' }).PUSH_ALLOW_PRIVATE_ENDPOINTS).toBe(true);
    const production = {
      NODE_ENV: 'production',
      LINK_SIGNING_SECRET: 'x'.repeat(32),
      WHATSAPP_SECRETS_KEY: KEY,
      PLATFORM_API_KEY: PLATFORM_KEY,
    };
    expect(() => loadConfig({ ...production, PUSH_ALLOW_PRIVATE_ENDPOINTS: 'true' })).toThrowError(
      /PUSH_ALLOW_PRIVATE_ENDPOINTS: never in production/,
    );
  });
});
