// The command line as an operator runs it: a child process, configured only by environment
// variables, against a fresh database (its own Postgres database, or a PGlite data folder).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendCommand } from '../../src/cli/command-socket.ts';
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

  it('serve on a port already in use says so before migrating, seeding or printing a key', async () => {
    const blocker = createNetServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    try {
      const { port } = blocker.address() as AddressInfo;
      const busy = await aos(['serve'], { PORT: String(port), AOS_DEMO: 'on' });
      expect(busy.code).toBe(1);
      expect(busy.stderr.trim()).toBe(`error: 127.0.0.1:${port} is already in use: stop the other server or set PORT`);
      expect(busy.stdout).not.toMatch(KEY);
      const tables = await withDb((db) => sql(db, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`));
      expect(tables).toEqual([]);
    } finally {
      blocker.close();
    }
  });

  it('says what to check when PostgreSQL is unreachable or the database does not exist', async () => {
    const [refused, missing] = await Promise.all([
      aos(['tenants', 'list'], { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/aos' }),
      aos(['migrate'], { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/aos_no_such_database' }),
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(
      'error: cannot reach PostgreSQL at 127.0.0.1:1 (ECONNREFUSED): check that it is running there (pg_isready -h 127.0.0.1 -p 1) and that DATABASE_URL names the right host and port.',
    );
    if (usingPostgres) {
      expect(missing.code).toBe(1);
      expect(missing.stderr.trim()).toMatch(/^error: database "aos_no_such_database" does not exist on 127\.0\.0\.1:5432\. Create it \(createdb -h 127\.0\.0\.1 -p 5432 -U postgres aos_no_such_database\)/);
      expect(missing.stderr).not.toMatch(/"stack"/);
    }
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

  it('keys rotate: a new key with the same tenant and scopes, the old one kept for the grace period', async () => {
    const created = await aos(['keys', 'create', '--tenant', 'cli-tenant', '--scopes', 'read', '--name', 'to-rotate']);
    const oldKey = KEY.exec(created.stdout)![0];
    const rotated = await aos(['keys', 'rotate', '--key-id', oldKey.split('_')[1]!, '--grace', '600']);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toMatch(/keeps working until \d{4}-\d\d-\d\dT/);
    const newKey = KEY.exec(rotated.stdout)![0];
    expect(await withStores((s) => s.tenants.authenticate(newKey))).toMatchObject({ tenantId: 'cli-tenant', scopes: ['read'] });
    expect(await withStores((s) => s.tenants.authenticate(oldKey))).toMatchObject({ tenantId: 'cli-tenant' });
    expect((await aos(['keys', 'list', '--tenant', 'cli-tenant'])).stdout).toMatch(/EXPIRES/);
    const now = await aos(['keys', 'rotate', '--key-id', newKey.split('_')[1]!, '--grace', '0']);
    expect(now.stdout).toMatch(/is revoked/);
    expect(await withStores((s) => s.tenants.authenticate(newKey))).toBeNull();
    expect((await aos(['keys', 'rotate', '--key-id', 'x', '--grace', 'soon'])).code).toBe(2);
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
    // Near misses and usage pasted literally get one targeted line, not the whole help.
    const [singular, bracketed] = await Promise.all([
      aos(['tenant', 'list']),
      aos(['keys', 'create', '--tenant', 'cli-tenant', '--scopes', 'read,write', '[--name', 'ci-agent]']),
    ]);
    expect(singular).toMatchObject({ code: 2, stdout: '', stderr: 'error: unknown command "tenant": did you mean "tenants"? (npm run aos -- help lists them all)\n' });
    expect(bracketed).toMatchObject({ code: 2, stdout: '' });
    expect(bracketed.stderr).toBe('error: [--name: the brackets in the usage mark an optional part; type it without them (--name ci-agent) or leave it out\n');
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
        // PGlite allows one process per data folder: beside the running server, the CLI hands its
        // commands to it over a socket in the data folder that only the owner can open.
        const socket = join(env.AOS_DATA_DIR!, 'aos.sock');
        expect((await stat(socket)).mode & 0o777).toBe(0o600);
        const listed = await aos(['tenants', 'list']);
        expect(listed.code, listed.stderr).toBe(0);
        expect(listed.stdout).toMatch(/^demo\s+Demo tenant/m);
        const created = await aos(['keys', 'create', '--tenant', 'demo', '--scopes', 'read', '--name', 'beside-the-server']);
        expect(created.code, created.stderr).toBe(0);
        const readKey = KEY.exec(created.stdout)![0];
        const viewer = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${readKey}` },
          body: JSON.stringify({ query: '{ viewer { scopes } }' }),
        });
        expect(await viewer.json()).toEqual({ data: { viewer: { scopes: ['READ'] } } });
        const missing = await aos(['keys', 'list', '--tenant', 'nobody']);
        expect(missing).toMatchObject({ code: 0, stdout: 'Tenant nobody has no keys.\n' });
        // Ctrl-C reaches the command in the server, which cleans up and says so.
        const ctrlC = new AbortController();
        ctrlC.abort();
        const said: string[] = [];
        const out = join(env.AOS_DATA_DIR!, 'interrupted.jsonl');
        const code = await sendCommand(socket, ['export', '--tenant', 'demo', '--out', out], { out: () => {}, err: { write: (text: string) => said.push(text) } }, ctrlC.signal);
        expect(code).toBe(130);
        expect(said.join('')).toBe(`export interrupted (Ctrl-C): nothing exported; ${out}.partial removed\n`);
        expect(existsSync(`${out}.partial`)).toBe(false);
        // A second process is still never let in to open the folder and corrupt it.
        const busy = await aos(['migrate']);
        expect(busy.code).toBe(1);
        expect(busy.stderr).toMatch(/in use by process \d+/);
      }
    } finally {
      server.kill('SIGTERM');
    }
    expect(await exited, stderr).toBe(0);
    if (!usingPostgres) expect(existsSync(join(env.AOS_DATA_DIR!, 'aos.sock'))).toBe(false);

    const demo = await aos(['demo']);
    expect(demo.code, demo.stderr).toBe(0);
    const newKey = KEY.exec(demo.stdout)![0];
    const [before, after] = await withStores(async (s) => [await s.tenants.authenticate(KEY.exec(stdout)![0]), await s.tenants.authenticate(newKey)]);
    expect(after).toMatchObject({ tenantId: 'demo', scopes: ['read', 'write', 'admin'] });
    if (usingPostgres) {
      // No data folder to keep it in: each demo run mints a new key and revokes the one printed before.
      expect(before).toBeNull();
    } else {
      // The embedded demo keeps its key in the data folder: the key serve printed still works.
      expect(newKey).toBe(KEY.exec(stdout)![0]);
      expect(demo.stdout).toMatch(/the same as before; kept in .*demo-key/);
    }
  }, 180_000);

  it.runIf(usingPostgres)('a first start on PostgreSQL prints the two commands that create a tenant and a key', async () => {
    const fresh = await createTestDb();
    const server = start(['serve'], { DATABASE_URL: fresh.url!, PORT: '0', AOS_DEMO: 'off', TRACE_REAPER_INTERVAL_SECONDS: '0' });
    let stdout = '';
    const exited = new Promise<number | null>((resolve) => server.on('close', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        server.stdout!.on('data', (chunk) => {
          stdout += chunk;
          if (stdout.includes('--name first-key')) resolve();
        });
        void exited.then((code) => reject(new Error(`serve exited with ${code}: ${stdout}`)));
      });
      expect(stdout).toMatch(/export AOS_URL=http:\/\/127\.0\.0\.1:\d+\n/);
      expect(stdout).toContain('No tenant yet. Create one and a key for it (the key is printed once):\n' +
        '  npm run aos -- tenants create --id acme --name "Acme Inc."\n' +
        '  npm run aos -- keys create --tenant acme --scopes read,write --name first-key');
    } finally {
      server.kill('SIGTERM');
      await exited;
      await fresh.drop();
    }
  });
});
