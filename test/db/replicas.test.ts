// Read replicas (DATABASE_REPLICA_URLS) against a real streaming replica this test starts itself
// (test/db/streaming-replica.ts): queries read on the replica under the same tenant role and
// row-level security, a consistency token from a mutation gets a read that sees the write, a
// lagging or stopped replica sends reads to the primary without an error, /ready and /metrics
// show it, and the embedded database ignores the setting.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createDb, type Db } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';
import { parseLsn, type ReplicaOptions } from '../../src/db/replicas.ts';
import { CONSISTENCY_HEADER } from '../../src/graphql/replica-reads.ts';
import { createApp, type App } from '../../src/server.ts';
import { createStores } from '../../src/stores/index.ts';
import { codeOf, gql, tenantWithKeys, type TenantKeys } from '../helpers.ts';
import { replicaUnavailable, startStreamingReplica, type StreamingReplica } from './streaming-replica.ts';

const START = `mutation($runId: String!) { startTrace(input: { runId: $runId }) { created } }`;
const TRACE = `query($t: String!) { trace(traceId: $t) { traceId } }`;

/** POST /graphql with extra headers; the answer with its headers. */
async function post(app: App, query: string, variables: Record<string, unknown>, key: string, headers: Record<string, string> = {}) {
  const res = await app.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { headers: res.headers, body: (await res.json()) as { data?: any; errors?: any[]; extensions?: Record<string, unknown> } };
}

/** Polls `check` until it holds (a condition, not a duration: fails after 30 s). */
async function until(check: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting: ${what}`);
}

const primaryUrl = process.env.DATABASE_URL;
const unavailable = await replicaUnavailable(primaryUrl);
if (unavailable && primaryUrl) console.warn(`read replica tests skipped: ${unavailable}`);

describe.skipIf(unavailable !== undefined)(`read replicas against a streaming replica${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const database = `aos_test_${randomBytes(6).toString('hex')}`;
  const databaseUrl = (() => {
    const url = new URL(primaryUrl ?? 'postgresql://unused');
    url.pathname = `/${database}`;
    return url.toString();
  })();
  let replica: StreamingReplica;
  const opened: Db[] = [];
  let db: Db;
  let app: App;
  let a: TenantKeys;
  let b: TenantKeys;

  /** A handle on the test database with the replica; the probe timer is slowed so tests probe when they choose. */
  const openDb = async (options: Partial<ReplicaOptions> = {}) => {
    const handle = await createDb({
      databaseUrl,
      poolSize: 3,
      replicas: { urls: [replica.url(database)], maxLagMs: 60_000, consistencyWaitMs: 1_000, probeIntervalMs: 600_000, ...options },
    });
    opened.push(handle);
    return handle;
  };
  const stateOf = async (handle: Db) => {
    await handle.replicas!.probe();
    return handle.replicas!.status()[0]!;
  };
  const replayed = async () => parseLsn((await replica.query<{ lsn: string }>(database, 'SELECT pg_last_wal_replay_lsn()::text AS lsn'))[0]!.lsn)!;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: primaryUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    replica = await startStreamingReplica(primaryUrl!);
    db = await openDb();
    await migrate(db);
    const stores = createStores(db);
    app = createApp({ db, stores, logger: pino({ level: 'silent' }) });
    a = await tenantWithKeys(stores, 'tenant-a');
    b = await tenantWithKeys(stores, 'tenant-b');
    await gql(app, START, { runId: 'a-run' }, a.write);
    await gql(app, START, { runId: 'b-run' }, b.write);
    // The replica has the new database, tables and rows once it has replayed past the writes.
    const written = parseLsn(await db.replicas!.consistencyToken())!;
    await until(async () => (await stateOf(db)).state === 'up' && (await replayed()) >= written, 'the replica to catch up');
  });

  afterAll(async () => {
    for (const handle of opened) await handle.close();
    await replica?.remove();
    const admin = new pg.Client({ connectionString: primaryUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  it("reads inside onReplica run on the replica as the tenant role, under the same row-level security; writes' sessions stay on the primary", async () => {
    const probe = `SELECT pg_is_in_recovery() AS standby, current_user AS role, current_setting('aos.tenant_id') AS tenant,
                          (SELECT array_agg(DISTINCT tenant_id) FROM aos_traces) AS tenants`;
    const onReplica = await db.withTenant('tenant-a', () => db.onReplica(() => db.query(probe)));
    expect(onReplica).toEqual([{ standby: true, role: 'aos_app', tenant: 'tenant-a', tenants: ['tenant-a'] }]);
    const outside = await db.withTenant('tenant-b', () => db.query(probe));
    expect(outside).toEqual([{ standby: false, role: 'aos_app', tenant: 'tenant-b', tenants: ['tenant-b'] }]);
    const inTransaction = await db.withTenant('tenant-a', () =>
      db.onReplica(() => db.transaction(async () => db.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby'))),
    );
    expect(inTransaction).toEqual([{ standby: false }]);
    await expect(
      db.withTenant('tenant-a', () => db.onReplica(() => db.query('SELECT secret_hash FROM api_keys'))),
    ).rejects.toThrow(/permission denied/i);
  });

  it('a query lands on the replica; a query sending the consistency token of a mutation sees its write', async () => {
    await replica.query(database, 'SELECT pg_wal_replay_pause()');
    try {
      const started = await post(app, START, { runId: 'after-pause' }, a.write);
      expect(started.body.errors).toBeUndefined();
      const token = started.body.extensions?.consistencyToken as string;
      expect(parseLsn(token)).toBeDefined();
      expect(started.headers.get(CONSISTENCY_HEADER)).toBe(token);

      // The replica stopped replaying before the write: a plain query read there, so it misses it.
      const plain = await post(app, TRACE, { t: 'trace_after-pause' }, a.read);
      expect(plain.body).toEqual({ data: { trace: null } });
      // With the token no replica has replayed it within the wait: the primary answers.
      const primaryReads = db.replicas!.primaryReads();
      const withToken = await post(app, TRACE, { t: 'trace_after-pause' }, a.read, { [CONSISTENCY_HEADER]: token });
      expect(withToken.body).toEqual({ data: { trace: { traceId: 'trace_after-pause' } } });
      expect(db.replicas!.primaryReads()).toBe(primaryReads + 1);
      // Queries carry no token; only mutations do.
      expect(withToken.headers.get(CONSISTENCY_HEADER)).toBeNull();
      expect(withToken.body.extensions).toBeUndefined();

      await replica.query(database, 'SELECT pg_wal_replay_resume()');
      await until(async () => (await replayed()) >= parseLsn(token)!, 'replay to pass the token');
      // Now the replica has it, and serves the read.
      const replicaReads = db.replicas!.status()[0]!.reads;
      const replayedRead = await post(app, TRACE, { t: 'trace_after-pause' }, a.read, { [CONSISTENCY_HEADER]: token });
      expect(replayedRead.body).toEqual({ data: { trace: { traceId: 'trace_after-pause' } } });
      expect(db.replicas!.status()[0]!.reads).toBe(replicaReads + 1);
      expect(db.replicas!.primaryReads()).toBe(primaryReads + 1);
    } finally {
      await replica.query(database, 'SELECT pg_wal_replay_resume()');
    }
  });

  it('a consistency token that is not one is refused as BAD_USER_INPUT', async () => {
    const answer = await post(app, TRACE, { t: 'trace_a-run' }, a.read, { [CONSISTENCY_HEADER]: 'yesterday' });
    expect(codeOf(answer.body)).toBe('BAD_USER_INPUT');
    expect(answer.body.errors![0].message).toMatch(/x-aos-consistency/);
  });

  it('a replica lagging past REPLICA_MAX_LAG_MS is skipped: reads go to the primary, /ready and /metrics say so', async () => {
    const strict = await openDb({ maxLagMs: 0 });
    const strictApp = createApp({ db: strict, stores: createStores(strict), logger: pino({ level: 'silent' }) });
    await replica.query(database, 'SELECT pg_wal_replay_pause()');
    try {
      await post(strictApp, START, { runId: 'while-lagging' }, a.write);
      expect(await stateOf(strict)).toMatchObject({ state: 'lagging', reason: expect.stringMatching(/REPLICA_MAX_LAG_MS/) });
      const read = await post(strictApp, TRACE, { t: 'trace_while-lagging' }, a.read);
      expect(read.body).toEqual({ data: { trace: { traceId: 'trace_while-lagging' } } });
      const ready = await strictApp.fetch('http://test/ready');
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', replicas: [{ name: `127.0.0.1:${replica.port}/${database}`, state: 'lagging' }] });
      const metrics = await (await strictApp.fetch('http://test/metrics')).text();
      expect(metrics).toContain(`aos_db_replica_up{replica="127.0.0.1:${replica.port}/${database}"} 0`);
      expect(metrics).toMatch(new RegExp(`aos_db_replica_lag_bytes\\{replica="127.0.0.1:${replica.port}/${database}"\\} [1-9]`));
    } finally {
      await replica.query(database, 'SELECT pg_wal_replay_resume()');
    }
  });

  it('a stopped replica: reads fall back to the primary without an error, and /ready and /metrics show it down', async () => {
    const name = `127.0.0.1:${replica.port}/${database}`;
    expect(await stateOf(db)).toMatchObject({ state: 'up' });
    expect(await (await app.fetch('http://test/metrics')).text()).toContain(`aos_db_replica_up{replica="${name}"} 1`);
    await replica.stop();
    // Before any probe notices: the statement fails on the replica and runs again on the primary.
    const read = await post(app, TRACE, { t: 'trace_a-run' }, a.read);
    expect(read.body).toEqual({ data: { trace: { traceId: 'trace_a-run' } } });
    expect(db.replicas!.status()[0]!.state).toBe('down');
    // The probe agrees; later reads go straight to the primary.
    expect(await stateOf(db)).toMatchObject({ state: 'down', lagSeconds: null });
    const primaryReads = db.replicas!.primaryReads();
    expect((await post(app, TRACE, { t: 'trace_a-run' }, a.read)).body).toEqual({ data: { trace: { traceId: 'trace_a-run' } } });
    expect(db.replicas!.primaryReads()).toBe(primaryReads + 1);
    const ready = await app.fetch('http://test/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: 'up', replicas: [{ name, state: 'down' }] });
    expect(await (await app.fetch('http://test/metrics')).text()).toContain(`aos_db_replica_up{replica="${name}"} 0`);
  });
});

describe('without read replicas', () => {
  it('the embedded database ignores DATABASE_REPLICA_URLS: no replica, no token, reads answered', async () => {
    const config = loadConfig({ DATABASE_REPLICA_URLS: 'postgresql://nobody@127.0.0.1:1/none' });
    const db = await createDb({ dataDir: 'memory://', replicas: config.replicas });
    try {
      expect(db.replicas).toBeNull();
      await migrate(db);
      const stores = createStores(db);
      const app = createApp({ db, stores, logger: pino({ level: 'silent' }) });
      const keys = await tenantWithKeys(stores, 'tenant-a');
      const started = await post(app, START, { runId: 'embedded' }, keys.write);
      expect(started.body).toEqual({ data: { startTrace: { created: true } } });
      expect(started.headers.get(CONSISTENCY_HEADER)).toBeNull();
      const read = await post(app, TRACE, { t: 'trace_embedded' }, keys.read, { [CONSISTENCY_HEADER]: '0/0' });
      expect(read.body).toEqual({ data: { trace: { traceId: 'trace_embedded' } } });
    } finally {
      await db.close();
    }
  });

  it('DATABASE_REPLICA_URLS is a comma list of postgres URLs; the bounds have defaults', () => {
    expect(loadConfig({}).replicas).toEqual({ urls: [], maxLagMs: 2_000, consistencyWaitMs: 200 });
    const config = loadConfig({ DATABASE_REPLICA_URLS: ' postgresql://r1:5432/db , postgres://r2/db', REPLICA_MAX_LAG_MS: '500' });
    expect(config.replicas).toEqual({ urls: ['postgresql://r1:5432/db', 'postgres://r2/db'], maxLagMs: 500, consistencyWaitMs: 200 });
    expect(() => loadConfig({ DATABASE_REPLICA_URLS: 'mysql://r1/db' })).toThrow(/DATABASE_REPLICA_URLS/);
    expect(() => loadConfig({ DATABASE_REPLICA_URLS: 'postgres://r1/db,postgres://r1/db' })).toThrow(/twice/);
  });

  it('consistency tokens are WAL positions, compared as numbers', () => {
    expect(parseLsn('0/16B3748')).toBe(0x16b3748n);
    expect(parseLsn('1/0')! > parseLsn('0/FFFFFFFF')!).toBe(true);
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) | 0xb374d848n);
    for (const bad of ['', '0', '0/', '/1', 'x/1', '123456789/0', '0/1/2']) expect(parseLsn(bad)).toBeUndefined();
  });
});
