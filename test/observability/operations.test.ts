// Operations endpoints and logs: /metrics, /ready, /health, request ids, and what logs may contain.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { readMigrations } from '../../src/db/migrate.ts';
import { createLiveHub } from '../../src/live/hub.ts';
import { KNOWN_OPERATIONS } from '../../src/observability/known-operations.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { createApp } from '../../src/server.ts';
import { createStores } from '../../src/stores/index.ts';
import { createTestDb, gql, setup, usingPostgres, type TestEnv } from '../helpers.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env?.close());

const scrape = async (app = env.app) => {
  const res = await app.fetch('http://test/metrics');
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};
/** The value of one sample, e.g. value(text, 'aos_graphql_errors_total{code="UNAUTHENTICATED"}'). */
const value = (text: string, sample: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
};

describe('/metrics', () => {
  it('counts requests and latency per GraphQL operation, and errors by code, without an API key', async () => {
    const before = (await scrape()).text;
    const requests = 'aos_http_requests_total{route="/graphql",operation="WhoAmI",status="200"}';
    const latency = 'aos_http_request_duration_seconds_count{route="/graphql",operation="WhoAmI"}';
    const unauthenticated = 'aos_graphql_errors_total{code="UNAUTHENTICATED"}';
    expect((await gql(env.app, 'query WhoAmI { viewer { keyId } }', {}, env.a.read)).errors).toBeUndefined();
    expect((await gql(env.app, 'query WhoAmI { viewer { keyId } }', {}, env.a.read)).errors).toBeUndefined();
    await gql(env.app, 'query WhoAmI { viewer { keyId } }', {}, 'aos_wrong_key');
    const after = await scrape();
    expect(after.status).toBe(200);
    expect(after.type).toMatch(/^text\/plain/);
    expect((value(after.text, requests) ?? 0) - (value(before, requests) ?? 0)).toBe(2);
    expect((value(after.text, latency) ?? 0) - (value(before, latency) ?? 0)).toBe(3);
    expect((value(after.text, unauthenticated) ?? 0) - (value(before, unauthenticated) ?? 0)).toBe(1);
    // A refused request still counts under its operation.
    expect(after.text).toContain('aos_http_requests_total{route="/graphql",operation="WhoAmI",status="401"} 1');
  });

  it('reports the database pool, the ingest tables and the live tail', async () => {
    const { text } = await scrape();
    expect(value(text, 'aos_db_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'aos_db_pool_connections{state="waiting"}')).toBe(0);
    // Postgres publishes its statistics with a delay of up to seconds: the family is there at once.
    expect(text).toMatch(/^aos_ingested_rows_total\{table="aos_trace_steps"\} \d+$/m);
    expect(text).toMatch(/^aos_live_subscriptions \d+$/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
  });

  it.skipIf(usingPostgres)('counts ingested steps (embedded database: statistics flushed within a couple of seconds)', async () => {
    const sample = 'aos_ingested_rows_total{table="aos_trace_steps"}';
    const before = value((await scrape()).text, sample)!;
    const steps = [0, 1, 2].map((i) => ({ stepIndex: i, skillName: 's', status: 'SUCCESS' }));
    const stored = await gql(env.app, 'mutation($input: StoreTraceInput!) { storeTrace(input: $input) { created } }', { input: { runId: 'metrics-run', steps } }, env.a.write);
    expect(stored.errors).toBeUndefined();
    // A backend flushes its table statistics when idle, at most once a second.
    await expect.poll(async () => value((await scrape()).text, sample)! - before, { timeout: 10_000, interval: 500 }).toBe(3);
  });

  it("labels only the project's own operation names: any other name is 'other' (no client's names, no unbounded growth)", async () => {
    for (let i = 0; i < 30; i++) await gql(env.app, `query Op${i} { viewer { keyId } }`, {}, env.a.read);
    await gql(env.app, 'query TenantBsSecretReport { viewer { keyId } }', {}, env.b.read);
    await gql(env.app, '{ viewer { keyId } }', {}, env.a.read);
    const { text } = await scrape();
    const names = new Set([...text.matchAll(/^aos_http_requests_total\{route="\/graphql",operation="([^"]*)"/gm)].map((m) => m[1]!));
    expect([...names].filter((n) => !KNOWN_OPERATIONS.has(n)).sort()).toEqual(['anonymous', 'other']);
    expect(text).not.toContain('Op0');
    expect(text).not.toContain('TenantBsSecretReport');
    // The typed client operations and the GraphiQL examples are the known set.
    expect(KNOWN_OPERATIONS.has('StartTrace')).toBe(true);
    expect(KNOWN_OPERATIONS.has('WhoAmI')).toBe(true);
  });

  it('answers 401 without the METRICS_TOKEN bearer token, and the metrics with it', async () => {
    const token = 'm'.repeat(24);
    const metrics = createMetrics({ db: env.db, live: createLiveHub({ target: env.db.listenTarget, logger: pino({ level: 'silent' }) }), token });
    const app = createApp({ db: env.db, stores: env.stores, logger: pino({ level: 'silent' }), metrics });
    const get = (authorization?: string) => app.fetch('http://test/metrics', { headers: authorization ? { authorization } : {} });
    expect((await get()).status).toBe(401);
    expect((await get('Bearer wrong')).status).toBe(401);
    expect((await get(`Bearer ${'m'.repeat(23)}x`)).status).toBe(401);
    const ok = await get(`Bearer ${token}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^aos_db_pool_connections/m);
    expect(loadConfig({ METRICS_TOKEN: token }).metricsToken).toBe(token);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: at least 16 characters/);
  });

  it('with a separate listener (METRICS_PORT), is not served on the API port but through scrape()', async () => {
    const metrics = createMetrics({ db: env.db, live: createLiveHub({ target: env.db.listenTarget, logger: pino({ level: 'silent' }) }), onApp: false });
    const app = createApp({ db: env.db, stores: env.stores, logger: pino({ level: 'silent' }), metrics });
    expect((await app.fetch('http://test/metrics')).status).toBe(404);
    await gql(app, 'query WhoAmI { viewer { keyId } }', {}, env.a.read);
    const res = await metrics.scrape(null);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('aos_http_requests_total{route="/graphql",operation="WhoAmI",status="200"} 1');
    expect(loadConfig({ METRICS_PORT: '9464', HOST: '0.0.0.0' }).metricsListen).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '127.0.0.1' }).metricsListen).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(loadConfig({}).metricsListen).toBeUndefined();
  });

  it('is not served when METRICS_ENABLED=false', async () => {
    expect(loadConfig({ METRICS_ENABLED: 'false' }).metricsEnabled).toBe(false);
    expect(loadConfig({}).metricsEnabled).toBe(true);
    expect(() => loadConfig({ METRICS_ENABLED: 'nope' })).toThrow(/METRICS_ENABLED: must be true or false/);
    expect(() => loadConfig({ METRICS_ENABLED: 'nope' })).toThrow(ConfigError);
    const app = createApp({ db: env.db, stores: env.stores, logger: pino({ level: 'silent' }), metricsEnabled: false });
    expect((await app.fetch('http://test/metrics')).status).toBe(404);
  });
});

describe('/ready and /health', () => {
  it('/ready answers 200 when the database answers and every migration is applied', async () => {
    const res = await env.app.fetch('http://test/ready');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', database: 'up', pendingMigrations: [] });
  });

  it('/ready answers 503 naming the migrations not applied, then when the database is gone; /health (the database answers) stays 200', async () => {
    const fresh = await createTestDb();
    const app = createApp({ db: fresh.db, stores: createStores(fresh.db), logger: pino({ level: 'silent' }) });
    try {
      const res = await app.fetch('http://test/ready');
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body).toMatchObject({ status: 'not_ready', database: 'up' });
      expect(body.pendingMigrations).toEqual((await readMigrations()).map((m) => m.name));
      expect((await app.fetch('http://test/health')).status).toBe(200);
    } finally {
      await fresh.drop();
    }
    const gone = await app.fetch('http://test/ready');
    expect(gone.status).toBe(503);
    expect(await gone.json()).toMatchObject({ status: 'not_ready', database: 'down' });
  });
});

describe('request ids and logs', () => {
  it("echoes the client's x-request-id when it is a sane token, and makes one otherwise", async () => {
    const echoed = await env.app.fetch('http://test/health', { headers: { 'x-request-id': 'req-42.a:b' } });
    expect(echoed.headers.get('x-request-id')).toBe('req-42.a:b');
    for (const offered of [undefined, 'x'.repeat(200), 'two words', '<script>']) {
      const res = await env.app.fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(offered ? { 'x-request-id': offered } : {}) },
        body: JSON.stringify({ query: '{ viewer { keyId } }' }),
      });
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('stamps the request id on every line of the request and never logs API keys or payloads', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    const app = createApp({ db: env.db, stores: env.stores, logger: pino({ level: 'trace' }, sink) });
    const secret = 'sunflower-7c1e0b9d-secret';
    const send = (query: string, variables: unknown, key: string | null, requestId: string) =>
      app.fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
    const start = 'mutation Start($input: StartTraceInput!) { startTrace(input: $input) { trace { traceId } } }';
    expect((await send(start, { input: { runId: 'log-run', metadata: { note: secret } } }, env.a.write, 'rid-ok')).status).toBe(200);
    // Refused input, a wrong key, a query that does not parse: each quotes nothing back into the log.
    await send(start, { input: { runId: `bad id ${secret}` } }, env.a.write, 'rid-bad-input');
    await send(start, { input: { runId: 'log-run-2' } }, `${env.a.write}x`, 'rid-bad-key');
    await send(`{ ${secret} `, {}, env.a.write, 'rid-syntax');
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const rid of ['rid-ok', 'rid-bad-input', 'rid-bad-key', 'rid-syntax']) {
      const mine = records.filter((r) => r.reqId === rid);
      expect(mine.some((r) => r.msg === 'request'), rid).toBe(true);
    }
    expect(records.find((r) => r.reqId === 'rid-ok' && r.msg === 'request')).toMatchObject({ route: '/graphql', operation: 'Start', status: 200 });
    // yoga's own lines (debug) carry the id too.
    expect(records.filter((r) => r.msg === 'Processing GraphQL Parameters').every((r) => typeof r.reqId === 'string')).toBe(true);
    const all = lines.join('\n');
    expect(all).not.toContain(secret);
    expect(all).not.toContain(env.a.write);
    expect(all).not.toContain(env.a.write.split('_').pop()!);
  });
});

describe('configuration', () => {
  it('names every invalid variable at once with what was set, but never echoes DATABASE_URL', () => {
    let message = '';
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', METRICS_ENABLED: 'yes', DATABASE_URL: 'mysql://app:s3cret-pw@db/aos' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/PORT: .* \(got "eighty"\)/);
    expect(message).toMatch(/LOG_LEVEL: .* \(got "loud"\)/);
    expect(message).toMatch(/METRICS_ENABLED: must be true or false \(got "yes"\)/);
    expect(message).toMatch(/DATABASE_URL: must be a postgres/);
    expect(message).not.toContain('s3cret-pw');
  });
});
