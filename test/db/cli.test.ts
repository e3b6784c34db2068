// The command line as an operator runs it: a child process, configured only by environment
// variables, against a fresh database (its own Postgres database, or a PGlite data folder).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/db/client.ts';
import { createStores, type Stores } from '../../src/stores/index.ts';
import { createTestDb, sql, usingPostgres } from '../helpers.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KEY = /\baos_[A-Za-z0-9]{12}_[A-Za-z0-9]{40}\b/;

let env: Record<string, string>;
let cleanup: () => Promise<unknown>;
/** Direct access to the same database, for checks; the embedded one is opened only between commands. */
let withDb: <T>(work: (db: Db) => Promise<T>) => Promise<T>;
const withStores = <T,>(work: (stores: Stores) => Promise<T>) => withDb((db) => work(createStores(db)));

beforeAll(async () => {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k, v]) => v !== undefined && !/^(DATABASE_URL|AOS_|PORT$|HOST$|LOG_LEVEL$|NODE_OPTIONS$|TRACE_)/.test(k)),
  ) as Record<string, string>;
  // Warnings only, so stdout holds just the human lines these tests read.
  base.LOG_LEVEL = 'warn';
  if (usingPostgres) {
    const test = await createTestDb();
    env = { ...base, DATABASE_URL: test.url! };
    withDb = (work) => work(test.db);
    cleanup = test.drop;
  } else {
    const dataDir = await mkdtemp(join(tmpdir(), 'aos-cli-'));
    env = { ...base, AOS_DATA_DIR: dataDir };
    withDb = async (work) => {
      const db = await createDb({ dataDir });
      try {
        return await work(db);
      } finally {
        await db.close();
      }
    };
    cleanup = () => rm(dataDir, { recursive: true, force: true });
  }
});
afterAll(() => cleanup?.());

function start(args: string[], extraEnv: Record<string, string> = {}): ChildProcess {
  // `node --import tsx` rather than `npx tsx`: one process, so a signal reaches our handlers directly.
  return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { cwd: ROOT, env: { ...env, ...extraEnv } });
}

type Outcome = { code: number | null; stdout: string; stderr: string };

function aos(args: string[], extraEnv: Record<string, string> = {}): Promise<Outcome> {
  const child = start(args, extraEnv);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('command line', () => {
  it('commands other than migrate and serve refuse a database without our schema', async () => {
    const refused = await aos(['tenants', 'list']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: .* lacks migration \d{14}_init.*: run `npm run db:migrate` first/);
    const tables = await withDb((db) => sql(db, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`));
    expect(tables).toEqual([]);
  });

  it('migrate applies the migrations once, then says the database is up to date', async () => {
    const first = await aos(['migrate']);
    expect(first, first.stderr).toMatchObject({ code: 0 });
    expect(first.stdout).toMatch(/Applied to .*\n\s+\d{14}_init/);
    const second = await aos(['migrate']);
    expect(second).toMatchObject({ code: 0 });
    expect(second.stdout).toMatch(/up to date/);
  });

  it('creates a tenant and a key that authenticates until it is revoked', async () => {
    expect(await aos(['tenants', 'create', '--id', 'cli-tenant', '--name', 'CLI tenant'])).toMatchObject({ code: 0 });
    const again = await aos(['tenants', 'create', '--id', 'cli-tenant', '--name', 'CLI tenant']);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe('error: tenant cli-tenant already exists');

    const created = await aos(['keys', 'create', '--tenant', 'cli-tenant', '--scopes', 'read,write', '--name', 'ci']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/cannot be shown again/);
    const key = KEY.exec(created.stdout)![0];
    const keyId = key.split('_')[1]!;
    expect(await withStores((s) => s.tenants.authenticate(key))).toEqual({ tenantId: 'cli-tenant', keyId, scopes: ['read', 'write'] });

    const listed = await aos(['keys', 'list', '--tenant', 'cli-tenant']);
    expect(listed.stdout).toContain(keyId);
    expect(listed.stdout).not.toContain(key.split('_')[2]);

    // Says how long running servers may still accept it (they keep verified keys for a few seconds).
    expect(await aos(['keys', 'revoke', '--key-id', keyId])).toMatchObject({ code: 0, stdout: expect.stringMatching(/within API_KEY_CACHE_TTL_SECONDS/) });
    expect(await withStores((s) => s.tenants.authenticate(key))).toBeNull();
    const twice = await aos(['keys', 'revoke', '--key-id', keyId]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/already revoked/);
  });

  it('reap aborts idle running traces', async () => {
    await withStores((s) => s.traces.start('cli-tenant', { runId: 'idle', startedAt: new Date(Date.now() - 7200_000) }));
    const reaped = await aos(['reap', '--older-than-seconds', '3600']);
    expect(reaped.code, reaped.stderr).toBe(0);
    expect(reaped.stdout).toMatch(/Aborted 1 running trace with no activity for 3600 s/);
    const [trace] = await withStores((s) => s.traceQueries.byTraceIds('cli-tenant', ['trace_idle']));
    expect(trace?.status).toBe('aborted');
  });

  it('answers bad usage and bad configuration with exit code 2 and one clear message', async () => {
    const [unknown, missing, extra, badScope, badNumber, badConfig, none] = await Promise.all([
      aos(['frobnicate']),
      aos(['keys', 'create', '--tenant', 'cli-tenant']),
      aos(['tenants', 'create', '--id', 'x', '--name', 'y', '--colour', 'red']),
      aos(['keys', 'create', '--tenant', 'cli-tenant', '--scopes', 'read,root']),
      aos(['reap', '--older-than-seconds', 'soon']),
      aos(['migrate'], { PORT: 'eighty' }),
      aos([]),
    ]);
    expect(unknown.stderr).toMatch(/^error: unknown command "frobnicate"/);
    expect(missing.stderr).toMatch(/^error: --scopes is required/);
    expect(extra.stderr).toMatch(/^error: .*--colour/);
    expect(badScope.stderr).toMatch(/^error: --scopes: unknown scope root/);
    expect(badNumber.stderr).toMatch(/^error: --older-than-seconds/);
    expect(badConfig.stderr).toMatch(/^error: invalid configuration:\n\s+PORT:/);
    for (const outcome of [unknown, missing, extra, badScope, badNumber, badConfig, none]) {
      expect(outcome.code, outcome.stderr).toBe(2);
      expect(outcome.stdout).toBe('');
    }
  });

  it('help lists the commands and every environment variable config.ts reads', async () => {
    const help = await aos(['help']);
    expect(help.code).toBe(0);
    const source = await readFile(join(ROOT, 'src/config.ts'), 'utf8');
    const schema = source.slice(source.indexOf('EnvSchema = z.object({'), source.indexOf('});'));
    const variables = [...schema.matchAll(/^\s+([A-Z][A-Z_]+):/gm)].map((m) => m[1]!);
    expect(variables.length).toBeGreaterThan(5);
    for (const name of variables) expect(help.stdout).toContain(name);
    for (const command of ['serve', 'migrate', 'tenants create', 'keys create', 'keys revoke', 'reap', 'demo']) expect(help.stdout).toContain(command);
  });

  it('serve answers /health and GraphQL with the demo key, and stops cleanly on SIGTERM', async () => {
    const server = start(['serve'], { PORT: '0', AOS_DEMO: 'on', TRACE_REAPER_INTERVAL_SECONDS: '0' });
    let stdout = '';
    let stderr = '';
    server.stderr!.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => server.on('close', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        server.stdout!.on('data', (chunk) => {
          stdout += chunk;
          const match = /GraphiQL: (http:\/\/\S+\/graphql)/.exec(stdout);
          if (match) resolve(match[1]!);
        });
        void exited.then((code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
      });
      const demoKey = KEY.exec(stdout)![0];

      const health = await fetch(new URL('/health', url));
      expect(health.status).toBe(200);
      const body = await health.text();
      // yoga answers any URL ending in its healthCheckEndpoint (default /health) with an empty 200 first.
      expect(body, "empty /health body: yoga's built-in health check shadows ours").not.toBe('');
      expect(JSON.parse(body)).toMatchObject({ status: 'ok', database: 'up' });

      const viewer = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${demoKey}` },
        body: JSON.stringify({ query: '{ viewer { tenant { id } } }' }),
      });
      expect(await viewer.json()).toEqual({ data: { viewer: { tenant: { id: 'demo' } } } });
      // A typed error keeps its code through the real server (graphql loaded once outside vitest too).
      const anonymous = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ viewer { scopes } }"}' });
      expect(((await anonymous.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
      // The key reaches the browser only in the printed link's fragment, never in a page (D12).
      expect(stdout).toContain(`${new URL('/', url)}#key=${demoKey}`);
      const graphiql = await fetch(url, { headers: { accept: 'text/html' } });
      const html = await graphiql.text();
      expect(html).toContain('YogaGraphiQL');
      expect(html).not.toContain(demoKey);

      if (!usingPostgres) {
        // PGlite allows one process per data folder: a second one is refused, not let in to corrupt it.
        const busy = await aos(['tenants', 'list']);
        expect(busy.code).toBe(1);
        expect(busy.stderr).toMatch(/in use by process \d+/);
      }
    } finally {
      server.kill('SIGTERM');
    }
    expect(await exited, stderr).toBe(0);

    // Each demo run mints a new key and revokes the one printed before.
    const demo = await aos(['demo']);
    expect(demo.code, demo.stderr).toBe(0);
    const newKey = KEY.exec(demo.stdout)![0];
    const [before, after] = await withStores(async (s) => [await s.tenants.authenticate(KEY.exec(stdout)![0]), await s.tenants.authenticate(newKey)]);
    expect(before).toBeNull();
    expect(after).toMatchObject({ tenantId: 'demo', scopes: ['read', 'write', 'admin'] });
  });
});
