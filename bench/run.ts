// npm run bench -- --database aos_bench_100k [--only dashboard,trace-tree,…] [--runs 5] [--duration 3]
// npm run bench -- --growth aos_bench_100k,aos_bench_1m,aos_bench_10m
//
// Starts the real server on a generated dataset, and measures each benchmark through HTTP next to
// its SQL floor through `pg`, in the same process run, at the same concurrency and pool size.
// Prints a table and appends it to BENCHMARKS.md. No thresholds fail anything: targets are reported.
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createDb } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { createStores } from '../src/stores/index.ts';
import { databaseOf, describeUrl, quoteIdent, readMeta, requireDatabaseUrl, withDatabase, type DatasetMeta } from './lib/db.ts';
import { GraphqlClient } from './lib/http.ts';
import { explainBenches } from './lib/explain.ts';
import { measure, type Summary } from './lib/measure.ts';
import {
  appendSection,
  BENCHMARKS_MD,
  datasetLine,
  machineLines,
  memoryLines,
  peerTable,
  resultTable,
  targetLines,
  type BenchResult,
  type MemoryAtRest,
  type Target,
} from './lib/report.ts';
import { startHttpFloor, startPeer, startServer, type Server } from './lib/server.ts';
import { ingestBenches } from './suites/ingest.ts';
import { readBenches } from './suites/reads.ts';
import type { Bench, SuiteContext } from './suites/types.ts';

const GROUPS = [
  'trace-lookup',
  'dashboard',
  'dashboard-scalar',
  'dashboard-params',
  'trace-tree',
  'trace-tree-full',
  'llm-runs', 'audit-entries', 'system-records', 'metrics', 'ingest-100', 'ingest-500', 'ingest-single'];
/** The groups where the peer (PostGraphile) can express the same request. */
const PEER_GROUPS = ['trace-lookup', 'dashboard-scalar', 'dashboard-params', 'trace-tree', 'trace-tree-full', 'audit-entries', 'system-records'];
/** The small reads, whose floor is also measured over HTTP (bench/peer/http-floor.mjs). */
const HTTP_FLOOR_GROUPS = ['trace-lookup', 'llm-runs', 'audit-entries', 'system-records'];
const INGEST_TENANT = 'bench-ingest';

const USAGE = `Usage: npm run bench -- [options]

  --database <name>     generated dataset to measure (default: the database of the URL)
  --database-url <url>  Postgres server (default $DATABASE_URL)
  --growth <a,b,c>      datasets, smallest first: dashboard and trace tree at concurrency 1 on
                        each, and the ratio of the last to the first
  --only <list>         some of: ${GROUPS.join(', ')}, ingest (all three)
  --runs <n>            measured runs per variant (default 5); figures are medians over runs
  --duration <s>        seconds per run (default 3)
  --warmup <s>          seconds of warm-up per variant (default 1)
  --pool <n>            server DB_POOL_SIZE and floor pool size (default 10)
  --workers <n>         server processes (WORKERS; default 1), each with its own pool of --pool;
                        the memory figures are then the cluster primary's only
  --explain             print EXPLAIN (ANALYZE, BUFFERS) of our SQL and the floor's for the read
                        benchmarks (first input each), measure nothing
  --no-baselines        skip the naive-client baseline (it is slow)
  --no-peer             do not start PostGraphile (the peer) nor measure it
  --no-append           print only, leave BENCHMARKS.md alone
`;

function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(2);
}

const { values: args } = parseArgs({
  options: {
    database: { type: 'string' },
    'database-url': { type: 'string' },
    growth: { type: 'string' },
    only: { type: 'string' },
    runs: { type: 'string', default: '5' },
    duration: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '1' },
    pool: { type: 'string', default: '10' },
    workers: { type: 'string', default: '1' },
    'no-append': { type: 'boolean', default: false },
    'no-baselines': { type: 'boolean', default: false },
    'no-peer': { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const serverUrl = requireDatabaseUrl(args['database-url']);
const runs = Number(args.runs);
const durationMs = Number(args.duration) * 1000;
const warmupMs = Number(args.warmup) * 1000;
const poolSize = Number(args.pool);
const workers = Number(args.workers);
if (!Number.isInteger(runs) || runs < 1) fail('--runs must be a positive integer');
if (!(durationMs > 0) || !(warmupMs >= 0)) fail('--duration must be positive and --warmup not negative');
if (!Number.isInteger(poolSize) || poolSize < 1) fail('--pool must be a positive integer');
if (!Number.isInteger(workers) || workers < 1) fail('--workers must be a positive integer');

const growth = args.growth?.split(',').map((s) => s.trim()).filter(Boolean);
if (growth && growth.length < 2) fail('--growth needs at least two datasets, smallest first');
const only = new Set(
  (args.only ?? (growth ? 'dashboard,trace-tree' : GROUPS.join(',')))
    .split(',')
    .map((s) => s.trim())
    .flatMap((s) => (s === 'ingest' ? ['ingest-100', 'ingest-500', 'ingest-single'] : [s])),
);
for (const g of only) if (!GROUPS.includes(g)) fail(`--only: unknown benchmark "${g}" (one of ${GROUPS.join(', ')}, ingest)`);
const databases = growth ?? [args.database ?? databaseOf(serverUrl)];

const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();

interface Session {
  database: string;
  meta: DatasetMeta;
  machine: string[];
  benches: Bench[];
  /** Resident memory of each server process, MB: at rest after start, and at rest after the load. */
  memory: MemoryAtRest[];
  close(): Promise<void>;
}

/** How long the servers sit idle (after start, after the last run) before their memory at rest is read. */
const IDLE_MS = 5000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function openDataset(database: string): Promise<{ url: string; pool: pg.Pool; meta: DatasetMeta }> {
  const url = withDatabase(serverUrl, database);
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // A restart of the shared Postgres kills idle connections too; the pool replaces them.
  pool.on('error', () => {});
  const meta = await readMeta(pool).catch(async (error: Error) => {
    await pool.end();
    fail(`cannot read database ${database}: ${error.message}`);
  });
  if (!meta || !meta.complete) {
    await pool.end();
    fail(`${describeUrl(url)} is not a complete generated dataset: run \`npm run bench:generate -- --steps 100k\` and pass --database aos_bench_100k`);
  }
  return { url, pool, meta };
}

const adminUrl = () => withDatabase(serverUrl, 'postgres');

/**
 * A throw-away copy of the dataset for a run that writes: the ingest benchmarks add up to a
 * million steps a run, which no DELETE could take back quickly (every step row passes its guard
 * trigger). CREATE DATABASE … TEMPLATE needs the dataset idle: no other session connected to it.
 * Copies left by an interrupted run are dropped first.
 */
async function cloneDataset(database: string): Promise<{ clone: string; drop: () => Promise<void> }> {
  const clone = `${database.slice(0, 40)}__run_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${database.slice(0, 40)}\\_\\_run\\_%`]);
    for (const { datname } of rows) {
      const pid = Number(datname.split('__run_')[1]);
      const alive = (() => {
        try {
          return process.kill(pid, 0);
        } catch {
          return false;
        }
      })();
      if (!alive) await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
    }
    const started = performance.now();
    console.error(`Copying ${database} to ${clone} for this run (the ingest benchmarks write)…`);
    await admin.query(`CREATE DATABASE ${quoteIdent(clone)} TEMPLATE ${quoteIdent(database)} STRATEGY FILE_COPY`).catch((error: Error) => {
      throw new Error(`cannot copy ${database} (${error.message}); leave it idle, or leave out the ingest benchmarks with --only`);
    });
    console.error(`Copied in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
  } finally {
    await admin.end();
  }
  const drop = async () => {
    const c = new pg.Client({ connectionString: adminUrl() });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(clone)} WITH (FORCE)`);
    await c.end();
  };
  return { clone, drop };
}

/**
 * One dataset ready to measure: migrated, a fresh server, fresh keys (revoked afterwards). When
 * the ingest benchmarks are selected, everything runs on a copy of the dataset, dropped afterwards.
 */
async function openSession(database: string, select: (b: Bench) => boolean): Promise<Session> {
  const dataset = await openDataset(database);
  const machine = await machineLines(dataset.pool);
  const migrator = await createDb({ databaseUrl: dataset.url, poolSize: 1 });
  await migrateDataset(migrator, dataset.pool, database);
  await migrator.close();
  const meta = dataset.meta;
  const writes = !growth && [...only].some((g) => g.startsWith('ingest'));
  let pool = dataset.pool;
  let url = dataset.url;
  let dropClone = async () => {};
  if (writes) {
    await dataset.pool.end();
    const { clone, drop } = await cloneDataset(database);
    dropClone = drop;
    url = withDatabase(serverUrl, clone);
    pool = new pg.Pool({ connectionString: url, max: poolSize });
    pool.on('error', () => {});
  }
  const db = await createDb({ databaseUrl: url, poolSize: 1 });
  const stores = createStores(db);
  if (!(await stores.tenants.byIds([INGEST_TENANT]))[0]) await stores.tenants.create(INGEST_TENANT, 'Benchmark ingest');
  const label = `npm run bench ${new Date().toISOString()}`;
  const readKey = await stores.tenants.createKey(meta.largeTenant, ['read'], label);
  const writeKey = await stores.tenants.createKey(INGEST_TENANT, ['read', 'write'], label);
  console.error(`Starting the server on ${describeUrl(url)} (${workers} process${workers === 1 ? '' : 'es'}, pool ${poolSize} each)…`);
  const server = await startServer(url, poolSize, workers).catch(async (error: unknown) => {
    await db.close();
    await pool.end();
    await dropClone();
    throw error;
  });
  console.error(`Server pid ${server.pid} at ${server.url}; its log: ${server.logFile}`);
  // The peer connects as the URL's user, the database owner: no row-level security, no key.
  let peer: Server | undefined;
  if (!growth && !args['no-peer'] && PEER_GROUPS.some((g) => only.has(g))) {
    console.error(`Starting the peer (PostGraphile) on ${describeUrl(url)} (pool ${poolSize})…`);
    peer = await startPeer(url, poolSize).catch(async (error: unknown) => {
      await server.stop();
      await db.close();
      await pool.end();
      await dropClone();
      throw error;
    });
    console.error(`Peer pid ${peer.pid} at ${peer.url}; its log: ${peer.logFile}`);
  }
  let httpFloor: Server | undefined;
  if (!growth && HTTP_FLOOR_GROUPS.some((g) => only.has(g))) {
    httpFloor = await startHttpFloor(url, poolSize).catch(async (error: unknown) => {
      await peer?.stop();
      await server.stop();
      await db.close();
      await pool.end();
      await dropClone();
      throw error;
    });
  }
  const servers = [{ name: 'ours', server }, ...(peer ? [{ name: 'postgraphile', server: peer }] : [])];
  await sleep(IDLE_MS);
  const memory: MemoryAtRest[] = servers.map((s) => ({ name: s.name, afterStartMb: s.server.rssMb(), startPeakMb: s.server.peakMb(), afterLoadMb: null }));
  const reader = new GraphqlClient(server.url, readKey.key);
  const writer = new GraphqlClient(server.url, writeKey.key);
  const peerClient = peer && new GraphqlClient(peer.url, '');
  const httpFloorClient = httpFloor && new GraphqlClient(httpFloor.url, '');
  const close = async () => {
    reader.close();
    writer.close();
    peerClient?.close();
    httpFloorClient?.close();
    await peer?.stop();
    await httpFloor?.stop();
    await server.stop();
    await stores.tenants.revokeKey(readKey.info.keyId);
    await stores.tenants.revokeKey(writeKey.info.keyId);
    await db.close();
    await pool.end();
    await dropClone();
  };
  try {
    const ctx: SuiteContext = { pool, reader, writer, peer: peerClient, httpFloor: httpFloorClient, meta, tenantId: meta.largeTenant, ingestTenantId: INGEST_TENANT };
    const benches = [...(await readBenches(ctx)), ...ingestBenches(ctx)].filter((b) => only.has(b.group) && select(b));
    for (const b of benches) for (const v of [b.ours, b.floor, ...b.baselines]) if (v.viaServer) v.server = server;
    for (const b of benches) if (b.peer) b.peer.server = peer;
    const readMemoryAfterLoad = () => servers.forEach((s, k) => (memory[k]!.afterLoadMb = s.server.rssMb()));
    return { database, meta, machine, benches, memory, close: async () => (readMemoryAfterLoad(), close()) };
  } catch (error) {
    await close();
    throw error;
  }
}

const variantsOf = (b: Bench) => [b.ours, b.floor, ...(b.peer ? [b.peer] : []), ...(b.httpFloor ? [b.httpFloor] : []), ...(args['no-baselines'] ? [] : b.baselines)];

function announce(b: Bench, check: string, variants: number) {
  const seconds = Math.round((variants * (runs * durationMs + warmupMs)) / 1000);
  console.error(`${b.title}, concurrency ${b.concurrency}: ${check}; measuring ${variants} variants × ${runs} runs (~${seconds} s)…`);
}

/**
 * Measures one benchmark; on a failure (the shared Postgres restarted under us, say) waits and
 * tries once more, then reports the error in the table instead of losing the whole run.
 */
async function measureBench(b: Bench): Promise<BenchResult> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const check = await b.check();
      const variants = variantsOf(b);
      announce(b, check, variants.length);
      const [ours, floor, ...others] = await measure(variants, b.concurrency, { runs, durationMs, warmupMs });
      // The floor over HTTP is reported as a baseline row, after the peer.
      const peer = b.peer ? others.shift() : undefined;
      return { group: b.group, title: b.title, concurrency: b.concurrency, unit: b.unit, check, ours: ours!, floor: floor!, peer, baselines: others };
    } catch (error) {
      const message = (error as Error).message.split('\n')[0]!;
      if (attempt === 2) {
        console.error(`${b.title}, concurrency ${b.concurrency} failed again (${message}); going on with the next benchmark.`);
        const none: Summary = { label: 'ours', p50: NaN, p99: NaN, opsPerSec: NaN, unitsPerSec: NaN, requests: 0, peakRssMb: null };
        return { group: b.group, title: b.title, concurrency: b.concurrency, unit: b.unit, check: '', ours: none, floor: { ...none, label: 'floor' }, baselines: [], error: message };
      }
      console.error(`${b.title}, concurrency ${b.concurrency} failed (${message}); retrying in 10 s…`);
      await new Promise((resolve) => setTimeout(resolve, 10_000));
    }
  }
}

/** Every selected benchmark of one dataset, one after the other. */
async function runSession(session: Session): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const b of session.benches) results.push(await measureBench(b));
  return results;
}

/**
 * The same benchmark on every dataset, their runs interleaved (all servers are up at once), so a
 * noisy minute slows every dataset rather than one of them.
 */
async function runGrowth(sessions: Session[]): Promise<BenchResult[][]> {
  const perDataset: BenchResult[][] = sessions.map(() => []);
  for (const [k, b0] of sessions[0]!.benches.entries()) {
    const benches = sessions.map((s) => s.benches[k]!);
    const checks = await Promise.all(benches.map((b) => b.check()));
    const variants = benches.flatMap((b, d) => [b.ours, b.floor].map((v) => ({ ...v, label: `${sessions[d]!.meta.label} ${v.label}` })));
    announce(b0, checks.join('; '), variants.length);
    const summaries = await measure(variants, b0.concurrency, { runs, durationMs, warmupMs });
    benches.forEach((b, d) => {
      perDataset[d]!.push({ group: b.group, title: b.title, concurrency: b.concurrency, unit: b.unit, check: checks[d]!, ours: summaries[2 * d]!, floor: summaries[2 * d + 1]!, baselines: [] });
    });
  }
  return perDataset;
}

const find = (results: BenchResult[], group: string, concurrency: number) =>
  results.find((r) => !r.error && r.group === group && r.concurrency === concurrency);

function standardTargets(results: BenchResult[], memory: MemoryAtRest[]): Target[] {
  const targets: Target[] = [];
  const lookup = find(results, 'trace-lookup', 8);
  if (lookup?.peer) targets.push({ what: 'One trace by id at concurrency 8, throughput ours ÷ postgraphile', value: lookup.ours.unitsPerSec / lookup.peer.unitsPerSec, limit: 1, kind: 'min' });
  for (const [group, name] of [['dashboard', 'Dashboard page'], ['trace-tree', 'Trace tree']] as const) {
    const c1 = find(results, group, 1);
    const c8 = find(results, group, 8);
    if (c1) targets.push({ what: `${name} p50 at concurrency 1, ours ÷ floor`, value: c1.ours.p50 / c1.floor.p50, limit: 2, kind: 'max' });
    if (c8) targets.push({ what: `${name} throughput at concurrency 8, ours ÷ floor`, value: c8.ours.unitsPerSec / c8.floor.unitsPerSec, limit: 0.5, kind: 'min' });
  }
  const full = find(results, 'trace-tree-full', 1);
  const tree = find(results, 'trace-tree', 1);
  if (full) targets.push({ what: 'Trace tree with every field, p50 at concurrency 1, ours ÷ floor', value: full.ours.p50 / full.floor.p50, limit: 2, kind: 'max' });
  if (full && tree) targets.push({ what: 'Trace tree p50 at concurrency 1, every field ÷ 26 fields (ours)', value: full.ours.p50 / tree.ours.p50, limit: 1.1, kind: 'max' });
  const ours = memory.find((m) => m.name === 'ours');
  if (ours) targets.push({ what: 'Our server at rest after start, MB', value: ours.afterStartMb, limit: 150, kind: 'max' });
  const peaks = results.map((r) => r.ours.peakRssMb).filter((p): p is number => p !== null && !Number.isNaN(p));
  if (peaks.length) targets.push({ what: 'Our server peak RSS over every benchmark, MB', value: Math.max(...peaks), limit: 400, kind: 'max' });
  for (const batch of [100, 500]) {
    const r = results.find((x) => !x.error && x.title.includes(`batches of ${batch}`));
    if (!r) continue;
    targets.push({ what: `Ingest in batches of ${batch} at concurrency 4, steps/s ours ÷ floor (COPY)`, value: r.ours.unitsPerSec / r.floor.unitsPerSec, limit: 0.5, kind: 'min' });
    const values = r.baselines[0];
    if (values) targets.push({ what: `Ingest in batches of ${batch} at concurrency 4, steps/s ours ÷ multi-row INSERT`, value: r.ours.unitsPerSec / values.unitsPerSec, limit: 0.5, kind: 'min' });
  }
  return targets;
}

function batchingLines(results: BenchResult[]): string[] {
  return results
    .filter((r) => !r.error && r.group === 'dashboard' && r.baselines.length)
    .map((r) => {
      const naive = r.baselines[0]!;
      return `- What batching buys (${r.title}, concurrency ${r.concurrency}): the naive client's p50 is ${(naive.p50 / r.ours.p50).toFixed(1)}× ours, its throughput ${(naive.unitsPerSec / r.ours.unitsPerSec).toFixed(2)}× ours.`;
    });
}

/** What the HTTP hop alone costs, from the floor over HTTP, and where ours stands against it. */
function hopLines(results: BenchResult[]): string[] {
  return results.flatMap((r) => {
    const http = r.error ? undefined : r.baselines.find((b) => b.label === 'floor over HTTP');
    if (!http) return [];
    return [
      `- The HTTP hop (${r.title}, concurrency ${r.concurrency}): the floor over HTTP's p50 is ${(http.p50 / r.floor.p50).toFixed(2)}× the floor's; ours is ${(r.ours.p50 / http.p50).toFixed(2)}× the floor over HTTP's (throughput ${(r.ours.unitsPerSec / http.unitsPerSec).toFixed(2)}×).`,
    ];
  });
}

function settingsLine(): string {
  return `${runs} runs × ${durationMs / 1000} s per variant after ${warmupMs / 1000} s of warm-up, medians over runs; server and floor pool ${poolSize} connections; ours and floor runs alternate.`;
}

/**
 * Brings the dataset's schema up to the code's (the server would, but an index build on 10M rows
 * must not count against its start-up timeout), and refreshes statistics after a change.
 */
async function migrateDataset(db: Awaited<ReturnType<typeof createDb>>, pool: pg.Pool, database: string) {
  const started = performance.now();
  const applied = await migrate(db);
  if (!applied.length) return;
  await pool.query('ANALYZE');
  console.error(`Applied ${applied.join(', ')} to ${database} and ran ANALYZE (${((performance.now() - started) / 1000).toFixed(0)} s).`);
}

async function explain(database: string) {
  const { url, pool, meta } = await openDataset(database);
  const db = await createDb({ databaseUrl: url, poolSize: 1 });
  await migrateDataset(db, pool, database);
  const stores = createStores(db);
  const key = await stores.tenants.createKey(meta.largeTenant, ['read'], `npm run bench --explain ${new Date().toISOString()}`);
  const unused = new GraphqlClient('http://127.0.0.1:1/graphql', '');
  try {
    const ctx: SuiteContext = { pool, reader: unused, writer: unused, meta, tenantId: meta.largeTenant, ingestTenantId: INGEST_TENANT };
    const benches = (await readBenches(ctx)).filter((b) => only.has(b.group));
    console.log(`# EXPLAIN on ${database} (${meta.label} steps)\n\n${await explainBenches(url, key.key, benches)}`);
  } finally {
    unused.close();
    await stores.tenants.revokeKey(key.info.keyId);
    await db.close();
    await pool.end();
  }
}

const loadAtEnd = () => `load average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`;

async function main() {
  if (args.explain) return explain(databases[0]!);
  const started = performance.now();
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  let markdown: string;
  if (!growth) {
    const session = await openSession(databases[0]!, () => true);
    let results: BenchResult[];
    try {
      results = await runSession(session);
      await sleep(IDLE_MS);
    } finally {
      await session.close();
    }
    const run = { ...session, results };
    const targets = standardTargets(run.results, run.memory);
    const table = resultTable(run.results);
    const sideBySide = peerTable(run.results);
    const memory = memoryLines(run.memory, IDLE_MS / 1000);
    console.log(`\n${table}\n`);
    if (sideBySide) console.log(`Side by side with the peer:\n\n${sideBySide}\n`);
    console.log(`Memory at rest (VmRSS):\n${memory.join('\n')}\n`);
    console.log([...targetLines(targets), ...batchingLines(run.results), ...hopLines(run.results)].join('\n'));
    markdown = [
      `## ${date} — ${run.meta.label} steps`,
      '',
      `Command: \`${command}\``,
      '',
      `Machine: ${run.machine.join('; ')}`,
      '',
      `Dataset: ${datasetLine(run.database, run.meta)}`,
      '',
      `Settings: ${settingsLine()}`,
      '',
      table,
      '',
      ...(sideBySide ? ['Side by side with the peer (PostGraphile 5, configured as bench/README.md says):', '', sideBySide, ''] : []),
      'Memory at rest (VmRSS):',
      '',
      ...memory,
      '',
      'Targets:',
      '',
      ...targetLines(targets),
      ...batchingLines(run.results),
      ...hopLines(run.results),
      '',
      `Checks (ours, the floor and the peer on the same input): ${run.results.map((r) => `${r.title} c${r.concurrency}: ${r.check}`).join('; ')}.`,
      '',
      `Whole run: ${((performance.now() - started) / 1000).toFixed(0)} s; ${loadAtEnd()}.`,
    ].join('\n');
  } else {
    const sessions: Session[] = [];
    let perDataset: BenchResult[][];
    try {
      for (const database of growth) sessions.push(await openSession(database, (b) => b.concurrency === 1));
      perDataset = await runGrowth(sessions);
    } finally {
      for (const s of sessions) await s.close();
    }
    const all = sessions.map((s, d) => ({ ...s, results: perDataset[d]! }));
    const first = all[0]!;
    const last = all.at(-1)!;
    const targets: Target[] = [];
    const rows: string[] = [
      `| Benchmark | Variant | ${all.map((d) => `${d.meta.label} p50 ms`).join(' | ')} | ${last.meta.label} ÷ ${first.meta.label} |`,
      `|---|---|${all.map(() => '---:').join('|')}|---:|`,
    ];
    for (const r of first.results) {
      for (const variant of ['ours', 'floor'] as const) {
        const p50s = all.map((d) => d.results.find((x) => x.title === r.title)![variant].p50);
        const growthRatio = p50s.at(-1)! / p50s[0]!;
        rows.push(`| ${variant === 'ours' ? r.title : ''} | ${variant} | ${p50s.map((p) => p.toFixed(2)).join(' | ')} | ${growthRatio.toFixed(2)}× |`);
        if (variant === 'ours') targets.push({ what: `${r.title}: p50 at ${last.meta.label} ÷ p50 at ${first.meta.label}`, value: growthRatio, limit: 1.3, kind: 'max' });
      }
    }
    const table = rows.join('\n');
    console.log(`\n${table}\n`);
    console.log(targetLines(targets).join('\n'));
    markdown = [
      `## ${date} — growth: ${all.map((d) => d.meta.label).join(', ')} steps`,
      '',
      `Command: \`${command}\``,
      '',
      `Machine: ${first.machine.join('; ')}`,
      '',
      `Datasets: ${all.map((d) => datasetLine(d.database, d.meta)).join('; ')}`,
      '',
      `Settings: ${settingsLine()} One server per dataset, all up at once; the runs of every dataset interleave.`,
      '',
      table,
      '',
      'Targets:',
      '',
      ...targetLines(targets),
      '',
      ...all.flatMap((d) => [`Per dataset, ${d.meta.label}:`, '', resultTable(d.results), '']),
      `Whole run: ${((performance.now() - started) / 1000).toFixed(0)} s; ${loadAtEnd()}.`,
    ].join('\n');
  }
  if (!args['no-append']) {
    await appendSection(markdown);
    console.error(`Appended to ${BENCHMARKS_MD}`);
  }
}

main().catch((error: unknown) => {
  console.error(`error: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});


