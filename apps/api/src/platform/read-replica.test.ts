import type { Kpis } from '@techmarket/contracts';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, type SignedUp, signUp } from '../../test/harness';
import {
  hasPostgres15,
  type ReplicatedPostgres,
  startReplicatedPostgres,
} from '../../test/replicated-postgres';
import { until } from '../../test/server-process';
import { type App, buildApp } from '../app';
import { loadConfig } from '../config';
import { appLoginUrl, ensureAppLogin } from './app-login';
import type { Principal } from './auth';
import { createDatabase, type Database, runMigrations } from './db';
import { createReplicaReads, type LaggingReads } from './read-replica';

/**
 * Reads that may lag go to a real streaming replica (a private primary and a `pg_basebackup -R` copy of it,
 * started by the test), and each caller's own writes stay in view. Replay is paused on the replica to make the
 * lag visible: the replica then answers with what it had, the primary with what was written since.
 */
if (!hasPostgres15)
  console.warn('read-replica.test.ts skipped: no PostgreSQL 15 in /usr/lib/postgresql/15/bin');

describe.skipIf(!hasPostgres15)('reads on a streaming replica', () => {
  let servers: ReplicatedPostgres;
  let database: Database;
  let replica: Database;
  let app: App;
  let shop: SignedUp;
  let manager: { id: string; auth: { authorization: string } };
  /** Superuser on the replica, to pause and resume its replay. */
  let replicaAdmin: pg.Client;

  beforeAll(async () => {
    servers = await startReplicatedPostgres();
    const admin = new pg.Client({ connectionString: servers.primaryUrl('postgres') });
    await admin.connect();
    await admin.query('create database crm');
    await admin.end();
    const primaryUrl = servers.primaryUrl('crm');
    const replicaUrl = servers.replicaUrl('crm');
    await runMigrations(primaryUrl);
    await ensureAppLogin(primaryUrl);
    await servers.caughtUp();
    database = createDatabase({ appUrl: appLoginUrl(primaryUrl), poolSize: 4 });
    // The login role and its password came over with the WAL: the same derived URL opens the replica.
    replica = createDatabase({
      appUrl: await ensureAppLogin(replicaUrl, appLoginUrl(replicaUrl)),
      poolSize: 4,
    });
    const config = loadConfig(
      {},
      {
        NODE_ENV: 'test',
        DATABASE_URL: primaryUrl,
        DATABASE_REPLICA_URL: replicaUrl,
        LOG_LEVEL: 'silent',
        SEED_DEMO: 'false',
        // These tests pause replay for as long as they like: no lag cap here (the last test has its own).
        REPLICA_MAX_LAG_MS: '3600000',
        ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
      },
    );
    app = await buildApp({ config, database, replica, jobs: 'deferred' });
    await app.ready();
    shop = await signUp(app);
    manager = await addUser(app, shop, 'MANAGER');
    replicaAdmin = new pg.Client({ connectionString: servers.replicaUrl('postgres') });
    await replicaAdmin.connect();
  }, 180_000);

  afterAll(async () => {
    await replicaAdmin?.query('select pg_wal_replay_resume()').catch(() => undefined);
    await replicaAdmin?.end();
    await app?.close();
    await database?.close();
    await replica?.close();
    await servers?.stop();
  });

  const kpis = async (caller: { auth: { authorization: string } }): Promise<Kpis> => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${shop.tenantId}/kpis`,
      headers: caller.auth,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };

  const newLead = async (caller: { auth: { authorization: string } }) => {
    const response = await app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${shop.tenantId}/leads`,
      headers: caller.auth,
      payload: {
        branchId: shop.branchId,
        contact: { name: 'Rosa Huamán', phone: '987 100 200' },
        channel: 'WALK_IN',
      },
    });
    expect(response.statusCode, response.body).toBe(201);
  };

  /** Where the lagging reads of `who` run now: a replica is in recovery, the primary is not. */
  const servedBy = async (reads: LaggingReads<Database>, who: Principal | null) => {
    const source = await reads.forReader(who);
    return source.withTenant(shop.tenantId, async (tx) => {
      const { rows } = await tx.execute<{ recovery: boolean }>(sql`select pg_is_in_recovery() as recovery`);
      return rows[0]?.recovery ? 'replica' : 'primary';
    });
  };
  const servedByReplica = async (who: Principal | null) => {
    const reads = createReplicaReads({
      primary: database,
      replica,
      redis: null,
      keyPrefix: 'unused:',
      maxLagMs: 3_600_000,
      lagCheckMs: 1000,
    });
    try {
      return (await servedBy(reads, who)) === 'replica';
    } finally {
      reads.close();
    }
  };

  it('sends a lagging read to the replica, a connection in recovery', async () => {
    expect(await servedByReplica(null)).toBe(true);
    const owner: Principal = {
      kind: 'user',
      tenantId: shop.tenantId,
      userId: shop.ownerId,
      role: 'OWNER',
      branchIds: [shop.branchId],
      sessionId: 'none',
      viaCookie: false,
    };
    expect(await servedByReplica(owner)).toBe(true);
  });

  it('keeps the writer on the primary until the replica has replayed their write; others read the replica as it is', async () => {
    await servers.caughtUp();
    const before = (await kpis(manager)).totals.leads;
    await replicaAdmin.query('select pg_wal_replay_pause()');
    try {
      await newLead(shop);
      // The writer sees their lead at once (the primary); the manager sees the replica, replay paused: not yet.
      expect((await kpis(shop)).totals.leads).toBe(before + 1);
      expect((await kpis(manager)).totals.leads).toBe(before);
    } finally {
      await replicaAdmin.query('select pg_wal_replay_resume()');
    }
    await servers.caughtUp();
    // Replayed: everyone reads the replica, and it has the lead.
    expect((await kpis(manager)).totals.leads).toBe(before + 1);
    expect((await kpis(shop)).totals.leads).toBe(before + 1);
  });

  it('serves exports from the replica too, the writer from the primary', async () => {
    await servers.caughtUp();
    await replicaAdmin.query('select pg_wal_replay_pause()');
    try {
      await newLead(shop);
      const rows = async (caller: { auth: { authorization: string } }) => {
        const response = await app.inject({
          method: 'GET',
          url: `/api/v1/tenants/${shop.tenantId}/exports/leads?format=csv`,
          headers: caller.auth,
        });
        expect(response.statusCode, response.body).toBe(200);
        return response.body.trim().split('\n').length - 1;
      };
      const writerSees = await rows(shop);
      expect(await rows(manager)).toBe(writerSees - 1);
    } finally {
      await replicaAdmin.query('select pg_wal_replay_resume()');
    }
  });

  it('sends every lagging read to the primary while the replica is more than REPLICA_MAX_LAG_MS behind, and back once it has caught up', async () => {
    const maxLagMs = 300;
    const capped = await buildApp({
      config: loadConfig(
        {},
        {
          NODE_ENV: 'test',
          DATABASE_URL: servers.primaryUrl('crm'),
          DATABASE_REPLICA_URL: servers.replicaUrl('crm'),
          LOG_LEVEL: 'silent',
          SEED_DEMO: 'false',
          REPLICA_MAX_LAG_MS: String(maxLagMs),
          REPLICA_LAG_CHECK_MS: '50',
        },
      ),
      database,
      replica,
      jobs: 'deferred',
    });
    await capped.ready();
    const reads = createReplicaReads({
      primary: database,
      replica,
      redis: null,
      keyPrefix: 'unused:',
      maxLagMs,
      lagCheckMs: 50,
    });
    const managerKpis = async () => {
      const response = await capped.inject({
        method: 'GET',
        url: `/api/v1/tenants/${shop.tenantId}/kpis`,
        headers: manager.auth,
      });
      expect(response.statusCode, response.body).toBe(200);
      return (response.json() as Kpis).totals.leads;
    };
    try {
      await servers.caughtUp();
      await until(
        async () => reads.lag.lagMs(),
        (lag) => lag === 0,
        'the replica current',
      );
      expect(await servedBy(reads, null)).toBe('replica');
      const before = await managerKpis();
      await replicaAdmin.query('select pg_wal_replay_pause()');
      try {
        // Written by the shop on the primary; the replica, replay paused, falls further behind each moment.
        await newLead(shop);
        await until(
          async () => reads.lag.lagMs(),
          (lag) => lag > maxLagMs,
          'the replica past the lag cap',
        );
        expect(await servedBy(reads, null)).toBe('primary');
        // The manager, who did not write, reads the primary too now: the lead is there.
        await until(managerKpis, (leads) => leads === before + 1, 'the manager reading the primary');
      } finally {
        await replicaAdmin.query('select pg_wal_replay_resume()');
      }
      await servers.caughtUp();
      await until(
        async () => reads.lag.lagMs(),
        (lag) => lag === 0,
        'the replica caught up',
      );
      expect(await servedBy(reads, null)).toBe('replica');
    } finally {
      reads.close();
      await capped.close();
    }
  });
});
