// Several server processes on one PostgreSQL database (issue 14), as real processes: a WORKERS=2
// cluster behind one port, and two separate servers (as behind any load balancer). What was
// per-process must hold across them: the rate limit, key revocation, live-tail resume, and the
// background jobs running in one process only.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';
import { BACKGROUND_JOBS_LOCK, RETENTION_LOCK } from '../../src/singleton-jobs.ts';
import { createStores, type Stores } from '../../src/stores/index.ts';
import { createTestDb, portRefuses, sql, usingPostgres } from '../helpers.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

type Server = {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
  /** The JSON log lines with this message so far. */
  logs: (msg: string) => Record<string, any>[];
  /** Waits until `count` log lines with this message have appeared. */
  waitForLog: (msg: string, count?: number) => Promise<Record<string, any>[]>;
};

async function startServer(databaseUrl: string | undefined, env: Record<string, string>): Promise<Server> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|AOS_|PORT$|HOST$|WORKERS$|WEB_CONCURRENCY$)/.test(k)));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    cwd: ROOT,
    env: { ...base, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), PORT: '0', LOG_LEVEL: 'info', AOS_DEMO: 'off', DB_POOL_SIZE: '3', ...env },
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const logs = (msg: string) =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, any>)
      .filter((line) => line.msg === msg);
  const until = async <T,>(what: string, check: () => T | undefined): Promise<T> => {
    for (const started = Date.now(); Date.now() - started < 90_000; await new Promise((r) => setTimeout(r, 50))) {
      const found = check();
      if (found !== undefined) return found;
      if (child.exitCode !== null) break;
    }
    throw new Error(`no ${what}; output:\n${output}`);
  };
  const url = await until('start banner', () => /GraphiQL: (http:\/\/\S+)\/graphql/.exec(output)?.[1]);
  return {
    child,
    url,
    output: () => output,
    exited,
    logs,
    waitForLog: (msg, count = 1) => until(`${count} × "${msg}"`, () => (logs(msg).length >= count ? logs(msg) : undefined)),
  };
}

async function stop(server: Server): Promise<number | null> {
  if (server.child.exitCode === null) server.child.kill('SIGTERM');
  return server.exited;
}

async function post(url: string, query: string, variables: Record<string, unknown>, key: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: await res.json() };
}

const VIEWER = `query { viewer { keyId } }`;
const STEPS = `subscription($traceId: String!, $after: String) {
  traceStepRecorded(traceId: $traceId, after: $after) { cursor step { stepIndex } } }`;
const RECORD = `mutation($input: RecordTraceStepsInput!) { recordTraceSteps(input: $input) { results { outcome } } }`;
const START = `mutation($input: StartTraceInput!) { startTrace(input: $input) { trace { traceId } } }`;

/** A live-tail subscription over real HTTP (server-sent events), read one event at a time. */
async function subscribe(url: string, variables: Record<string, unknown>, key: string) {
  const abort = new AbortController();
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    signal: abort.signal,
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: STEPS, variables }),
  });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    /** The next `n` steps' { cursor, stepIndex }. */
    async take(n: number): Promise<{ cursor: string; stepIndex: number }[]> {
      const out: { cursor: string; stepIndex: number }[] = [];
      while (out.length < n) {
        const cut = buffer.indexOf('\n\n');
        if (cut < 0) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`stream ended after ${out.length} of ${n} events`);
          buffer += decoder.decode(value, { stream: true });
          continue;
        }
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        if (!/^event: next$/m.test(block)) continue;
        const payload = JSON.parse(/^data: (.*)$/m.exec(block)![1]!);
        expect(payload.errors).toBeUndefined();
        const { cursor, step } = payload.data.traceStepRecorded;
        out.push({ cursor, stepIndex: step.stepIndex });
      }
      return out;
    },
    close() {
      void reader.cancel().catch(() => {});
      abort.abort();
    },
  };
}

describe.skipIf(usingPostgres)('the embedded database', () => {
  it('serves from one process whatever WORKERS asks, and says so', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'aos-workers-'));
    const server = await startServer(undefined, { WORKERS: '3', AOS_DATA_DIR: dataDir, TRACE_REAPER_INTERVAL_SECONDS: '0' });
    try {
      const [warning] = server.logs('3 server processes asked for, but the embedded database (PGlite) lives inside one process: serving with 1');
      expect(warning).toMatchObject({ workers: 3 });
      expect(server.logs('listening')).toHaveLength(1);
      expect(server.logs('background jobs run in this process (embedded database: one process)')).toHaveLength(1);
      expect(await stop(server)).toBe(0);
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe.runIf(usingPostgres)('several server processes on one database', () => {
  let url: string;
  let db: Db;
  let stores: Stores;
  let drop: () => Promise<void>;
  let tenantId: string;
  const key = async (scopes: ('read' | 'write')[] = ['read', 'write']) => (await stores.tenants.createKey(tenantId, scopes, 'workers test')).key;
  const keyIdOf = (key: string) => /^aos_([A-Za-z0-9]{12})_/.exec(key)![1]!;

  beforeAll(async () => {
    const test = await createTestDb();
    await migrate(test.db);
    url = test.url!;
    db = test.db;
    drop = test.drop;
    stores = createStores(test.db);
    tenantId = 'workers';
    await stores.tenants.create(tenantId, 'Workers');
  });
  afterAll(() => drop?.());

  it('WORKERS=2: two workers behind one port, background jobs in one of them, a dead worker restarted, one SIGTERM stops all', async () => {
    const cluster = await startServer(url, { WORKERS: '2', TRACE_REAPER_INTERVAL_SECONDS: '1', TRACE_STALE_AFTER_SECONDS: '1' });
    try {
      const listening = await cluster.waitForLog('listening', 2);
      expect(new Set(listening.map((line) => line.pid)).size).toBe(2);
      expect(new Set(listening.map((line) => line.port))).toEqual(new Set([Number(new URL(cluster.url).port)]));
      expect((await fetch(`${cluster.url}/health`)).status).toBe(200);

      // The reaper runs in the worker holding the advisory lock, and only there.
      const [holder] = await cluster.waitForLog('background jobs run in this process (it holds the advisory lock)');
      const writer = await key();
      const traceId = (await post(cluster.url, START, { input: { runId: 'to-reap' } }, writer)).body.data.startTrace.trace.traceId;
      const [reaped] = await cluster.waitForLog('reaper: aborted stale trace');
      expect(reaped).toMatchObject({ traceId, pid: holder!.pid });
      expect((await sql<{ status: string }>(db, `SELECT status::text FROM aos_traces WHERE trace_id = $1`, [traceId]))[0]?.status).toMatch(/abort/i);
      expect(cluster.logs('reaper: aborted stale trace').filter((line) => line.traceId === traceId)).toHaveLength(1);

      // The lock holder dies: the primary starts a new worker, and another process takes the jobs over.
      process.kill(holder!.pid, 'SIGKILL');
      const [died] = await cluster.waitForLog('worker died unexpectedly: restarting it');
      expect(died).toMatchObject({ pid: holder!.pid, signal: 'SIGKILL' });
      await cluster.waitForLog('listening', 3);
      const holders = await cluster.waitForLog('background jobs run in this process (it holds the advisory lock)', 2);
      expect(holders[1]!.pid).not.toBe(holder!.pid);
      expect((await fetch(`${cluster.url}/health`)).status).toBe(200);

      cluster.child.kill('SIGTERM');
      expect(await cluster.exited, cluster.output()).toBe(0);
      expect(cluster.logs('stopped')).toHaveLength(3); // two workers, then the primary
      expect(await portRefuses(cluster.url)).toBe(true);
    } finally {
      if (cluster.child.exitCode === null) cluster.child.kill('SIGKILL');
    }
  }, 180_000);

  it('runs one retention at a time on a database: a second one is refused and changes nothing', async () => {
    const run = () =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'retention', '--archive-after-days', '1'], {
          cwd: ROOT,
          env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' },
        });
        let stderr = '';
        child.stderr.on('data', (chunk) => (stderr += chunk));
        child.on('close', (code) => resolve({ code, stderr }));
      });
    const records = async () => (await sql<{ n: number }>(db, `SELECT count(*)::int AS n FROM system_records`))[0]!.n;
    const before = await records();
    // Another run in progress: a session holding the retention lock.
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1::bigint)', [RETENTION_LOCK]);
      const refused = await run();
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/a retention run is already running against this database/);
      expect(await records()).toBe(before);
      await holder.query('SELECT pg_advisory_unlock($1::bigint)', [RETENTION_LOCK]);
      expect((await run()).code).toBe(0);
    } finally {
      await holder.end();
    }
  }, 120_000);

  describe('two servers (as behind a load balancer)', () => {
    let a: Server;
    let b: Server;
    beforeAll(async () => {
      // A key cache that would answer for an hour: a refusal can only come from the announcement.
      const env = { RATE_LIMIT_PER_MINUTE: '30', API_KEY_CACHE_TTL_SECONDS: '3600', TRACE_REAPER_INTERVAL_SECONDS: '0' };
      [a, b] = await Promise.all([startServer(url, env), startServer(url, env)]);
    }, 180_000);
    afterAll(async () => {
      await Promise.all([a, b].filter(Boolean).map(stop));
    });

    it('share one rate limit per key', async () => {
      const limited = await key(['read']);
      const statuses: number[] = [];
      for (let i = 0; i < 32; i++) statuses.push((await post(i % 2 ? b.url : a.url, VIEWER, {}, limited)).status);
      // The lease is one token at this limit: exactly 30 pass in all, whichever server they reach.
      expect(statuses.filter((s) => s === 200)).toHaveLength(30);
      expect(statuses.slice(30)).toEqual([429, 429]);
    });

    it('both refuse a revoked key at once, though both had it cached', async () => {
      const revoked = await key(['read']);
      for (const server of [a, b]) expect((await post(server.url, VIEWER, {}, revoked)).status).toBe(200);
      expect(await stores.tenants.revokeKey(keyIdOf(revoked))).toBe(true);
      for (const server of [a, b]) {
        await expect.poll(async () => (await post(server.url, VIEWER, {}, revoked)).body.errors?.[0]?.extensions?.code, { timeout: 10_000 }).toBe('UNAUTHENTICATED');
      }
    });

    it('a live tail resumed on the other server gets exactly the steps it missed, then the new ones', async () => {
      const writer = await key();
      const traceId = (await post(a.url, START, { input: { runId: 'resume-across' } }, writer)).body.data.startTrace.trace.traceId;
      const record = async (server: Server, indexes: number[]) => {
        const steps = indexes.map((stepIndex) => ({ traceId, stepIndex, skillName: `skill-${stepIndex}`, status: 'SUCCESS' }));
        expect((await post(server.url, RECORD, { input: { steps } }, writer)).body.errors).toBeUndefined();
      };
      await record(a, [0, 1]);
      const first = await subscribe(a.url, { traceId }, writer);
      const seen = await first.take(2);
      await record(b, [2]);
      seen.push(...(await first.take(1)));
      expect(seen.map((s) => s.stepIndex)).toEqual([0, 1, 2]);
      first.close();
      // While away, writes through both servers.
      await record(a, [3]);
      await record(b, [4]);
      const again = await subscribe(b.url, { traceId, after: seen[2]!.cursor }, writer);
      expect((await again.take(2)).map((s) => s.stepIndex)).toEqual([3, 4]);
      await record(a, [5]);
      expect((await again.take(1)).map((s) => s.stepIndex)).toEqual([5]);
      again.close();
    });

    it('run the background jobs in one of them only', async () => {
      const line = 'background jobs run in this process (it holds the advisory lock)';
      await expect.poll(() => a.logs(line).length + b.logs(line).length, { timeout: 10_000 }).toBe(1);
      const [lock] = await sql<{ holders: number }>(
        db,
        `SELECT count(*)::int AS holders FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND ((classid::bigint << 32) | objid::bigint) = $1::bigint`,
        [BACKGROUND_JOBS_LOCK],
      );
      expect(lock!.holders).toBe(1);
    });
  });
});
