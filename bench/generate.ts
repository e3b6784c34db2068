// npm run bench:generate -- --steps 1M [--database aos_bench_1m] [--database-url postgres://…] [--reset]
//
// Writes a deterministic, realistic dataset into its own Postgres database (created and migrated
// here): 24 tenants of very different sizes, agents, runs, traces of 5–2,000 steps with a long
// tail, JSON params of varying size, failures and retries, LLM run records, system records, a
// hash-chained audit ledger and incidents. The same --steps and --seed give the same rows.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createDb } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { createPartitionStore } from '../src/stores/partitions.ts';
import { buildWorld, GENERATOR_VERSION, LARGE_TENANT, TENANTS, TREE_TRACE } from './lib/catalog.ts';
import { databaseOf, describeUrl, META_KIND, quoteIdent, readMeta, requireDatabaseUrl, withDatabase, writeMeta, type DatasetMeta } from './lib/db.ts';
import { formatInt, Progress } from './lib/progress.ts';
import { Limiter, TableWriter, type LoaderKind } from './lib/writer.ts';
import { emptyRows, plan, WorldGenerator, type Rows } from './lib/world.ts';

const USAGE = `Usage: npm run bench:generate -- --steps <n> [options]

  --steps <n>          trace steps to generate: 100k, 1M, 10M or a number (required)
  --database <name>    database to create on the server of the URL (default aos_bench_<steps>,
                       or the URL's own database when its name starts with aos_bench)
  --database-url <url> a Postgres server (default $DATABASE_URL)
  --reset              drop and recreate the database when it already holds generated data
  --seed <n>           PRNG seed (default 42)
  --days <n>           time span of the traces (default 30), ending at --end
  --end <iso>          end of the span (default 2026-11-01T00:00:00Z)
  --connections <n>    parallel load statements (default 2)
  --loader copy|insert COPY FROM STDIN (default) or INSERT … SELECT FROM json_populate_recordset
`;

function fail(message: string, code = 2): never {
  console.error(`error: ${message}`);
  process.exit(code);
}

function parseSteps(text: string | undefined): { steps: number; label: string } {
  if (!text) fail(`--steps is required\n\n${USAGE}`);
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.trim());
  if (!m) fail(`--steps: expected a number such as 100k, 1M or 250000, got "${text}"`);
  const steps = Math.round(Number(m[1]) * (m[2]!.toLowerCase() === 'k' ? 1e3 : m[2]!.toLowerCase() === 'm' ? 1e6 : 1));
  if (steps < 10_000) fail('--steps: at least 10k (the dataset includes four traces of 1,000–2,000 steps)');
  const label = steps % 1e6 === 0 ? `${steps / 1e6}m` : steps % 1e3 === 0 ? `${steps / 1e3}k` : String(steps);
  return { steps, label };
}

const { values: args } = parseArgs({
  options: {
    steps: { type: 'string' },
    database: { type: 'string' },
    'database-url': { type: 'string' },
    reset: { type: 'boolean', default: false },
    seed: { type: 'string', default: '42' },
    days: { type: 'string', default: '30' },
    end: { type: 'string', default: '2026-11-01T00:00:00Z' },
    connections: { type: 'string', default: '2' },
    loader: { type: 'string', default: 'copy' },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const { steps: targetSteps, label } = parseSteps(args.steps);
const serverUrl = requireDatabaseUrl(args['database-url']);
const urlDb = databaseOf(serverUrl);
const database = args.database ?? (urlDb.startsWith('aos_bench') ? urlDb : `aos_bench_${label}`);
if (['postgres', 'template0', 'template1'].includes(database)) fail(`refusing to load generated data into the ${database} database`);
const seed = Number(args.seed);
const days = Number(args.days);
const endMs = Date.parse(args.end!);
const connections = Number(args.connections);
if (!Number.isInteger(seed)) fail('--seed must be an integer');
if (!(days > 0)) fail('--days must be positive');
if (Number.isNaN(endMs)) fail('--end must be an ISO date-time');
if (!Number.isInteger(connections) || connections < 1 || connections > 16) fail('--connections must be 1–16');
if (args.loader !== 'copy' && args.loader !== 'insert') fail('--loader must be copy or insert');
const loader = args.loader as LoaderKind;

const targetUrl = withDatabase(serverUrl, database);
const adminUrl = urlDb === database ? withDatabase(serverUrl, 'postgres') : serverUrl;

/** Creates the database, or empties it with --reset; refuses to touch data it did not generate. */
async function prepareDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount! > 0;
    if (exists) {
      const target = new pg.Client({ connectionString: targetUrl });
      await target.connect();
      const meta = await readMeta(target);
      const { rows } = await target.query<{ n: number }>(
        `SELECT CASE WHEN to_regclass('public.tenants') IS NULL THEN 0 ELSE (SELECT count(*)::int FROM tenants) END AS n`,
      );
      await target.end();
      const holdsData = meta !== null || rows[0]!.n > 0;
      if (holdsData) {
        if (!args.reset) {
          const what = meta ? `a generated dataset (${meta.label}, ${meta.complete ? 'complete' : 'INCOMPLETE'}, ${meta.generatedAt})` : `${rows[0]!.n} tenants`;
          fail(`database ${database} already holds ${what}; pass --reset to drop and regenerate it`);
        }
        if (!meta && !database.startsWith('aos_bench')) {
          fail(`database ${database} holds data this generator did not write; refusing to drop it even with --reset`);
        }
        console.error(`Dropping database ${database} (--reset)…`);
        await admin.query(`DROP DATABASE ${quoteIdent(database)} WITH (FORCE)`);
        await admin.query(`CREATE DATABASE ${quoteIdent(database)}`);
      }
    } else {
      await admin.query(`CREATE DATABASE ${quoteIdent(database)}`);
    }
  } finally {
    await admin.end();
  }
  const db = await createDb({ databaseUrl: targetUrl, poolSize: 1 });
  try {
    await migrate(db);
    // The migration makes this month's partitions and the next ones; the dataset's own months
    // need theirs before loading, or every step would land in DEFAULT (docs/partitions.md).
    const [from, to] = [new Date(endMs - days * 86_400_000), new Date(endMs)];
    const monthsAfterFirst = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth();
    await createPartitionStore(db).ensureStepPartitions(from, monthsAfterFirst);
  } finally {
    await db.close();
  }
}

async function main() {
  const started = performance.now();
  console.error(`Generating ${formatInt(targetSteps)} steps (seed ${seed}) into ${describeUrl(targetUrl)}`);
  await prepareDatabase();

  const spanMs = days * 86_400_000;
  const startMs = endMs - spanMs;
  const meta: DatasetMeta = {
    kind: META_KIND,
    generatorVersion: GENERATOR_VERSION,
    seed,
    targetSteps,
    label,
    from: new Date(startMs).toISOString(),
    to: new Date(endMs).toISOString(),
    counts: {},
    largeTenant: LARGE_TENANT,
    treeTraceId: TREE_TRACE.traceId,
    generatedAt: new Date().toISOString(),
    loadSeconds: 0,
    complete: false,
  };
  // Without waiting for the WAL flush at each commit: a crashed load is redone with --reset anyway.
  const pool = new pg.Pool({ connectionString: targetUrl, max: connections, options: '-c synchronous_commit=off' });
  pool.on('error', () => {});
  await writeMeta(pool, database, meta);
  await pool.query(
    `INSERT INTO tenants (id, name, created_at) SELECT id, name, $2::timestamptz FROM json_populate_recordset(NULL::tenants, $1::json)`,
    [JSON.stringify(TENANTS.map((t) => ({ id: t.id, name: t.name }))), meta.from],
  );

  const world = buildWorld(seed);
  const thePlan = plan(seed, targetSteps);
  const generator = new WorldGenerator(seed, world, thePlan, startMs, spanMs);
  const progress = new Progress('steps', thePlan.totalSteps);
  const limiter = new Limiter(connections);
  const writer = <R extends object>(table: string, batch: number, onWritten?: (n: number) => void) =>
    new TableWriter<R>(pool, table, batch, limiter, loader, onWritten);
  const writers = {
    runs: writer('runs', 2000),
    traces: writer('aos_traces', 2000),
    llmRuns: writer('llm_run_records', 2000),
    systemRecords: writer('system_records', 2000),
    globalSystemRecords: writer('global_system_records', 2000),
    auditEntries: writer('audit_ledger', 2000),
    incidents: writer('incidents', 1000),
    steps: writer('aos_trace_steps', 2000, (n) => progress.tick(n)),
  };

  const flushWindow = async (rows: Rows) => {
    for (const key of ['runs', 'traces', 'llmRuns', 'systemRecords', 'auditEntries', 'incidents'] as const) {
      await writers[key].addAll(rows[key] as object[]);
    }
    // Steps reference their trace (foreign key): the window's traces must be committed first.
    await writers.traces.drain();
    // Steps of concurrent traces interleave on disk, as live ingestion would leave them.
    rows.steps.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
    await writers.steps.addAll(rows.steps);
  };

  const loadStarted = performance.now();
  let rows = emptyRows();
  for (let i = 0; i < thePlan.runs; i += 1) {
    generator.run(i, rows);
    if (rows.steps.length >= 20_000) {
      await flushWindow(rows);
      rows = emptyRows();
    }
  }
  generator.finish(rows);
  await flushWindow(rows);
  await writers.globalSystemRecords.addAll(generator.globalSystemRecords());
  for (const w of Object.values(writers)) await w.drain();
  progress.finish();
  const loadSeconds = (performance.now() - loadStarted) / 1000;

  // VACUUM as well as ANALYZE: a freshly loaded table has no visibility map, so no index-only scan
  // is possible and every first read rewrites hint bits; a live database's autovacuum (off on the
  // shared benchmark server) would have done this long since.
  console.error('VACUUM (ANALYZE)…');
  const analyzeStarted = performance.now();
  await pool.query('VACUUM (ANALYZE)');
  const analyzeSeconds = (performance.now() - analyzeStarted) / 1000;

  const counts = Object.fromEntries(Object.entries(writers).map(([k, w]) => [k, w.written]));
  counts.tenants = TENANTS.length;
  const { rows: size } = await pool.query<{ size: string }>('SELECT pg_size_pretty(pg_database_size(current_database())) AS size');
  await writeMeta(pool, database, { ...meta, counts, loadSeconds: Math.round(loadSeconds), complete: true });
  await pool.end();

  const long = Array.from(thePlan.steps1).concat(Array.from(thePlan.steps2)).filter((n) => n >= 1000).length + thePlan.specials.length;
  const total = (performance.now() - started) / 1000;
  console.log(`Dataset ${database} (${label} steps, seed ${seed}, generator v${GENERATOR_VERSION}, ${loader}) on ${describeUrl(targetUrl)}`);
  console.log(Object.entries(counts).map(([k, n]) => `  ${k.padEnd(14)} ${formatInt(n).padStart(12)}`).join('\n'));
  console.log(`  traces with 1,000+ steps: ${long}; trace-tree benchmark trace: ${TREE_TRACE.traceId} (${LARGE_TENANT})`);
  console.log(`  database size ${size[0]!.size}`);
  console.log(
    `Loaded in ${loadSeconds.toFixed(1)} s (${formatInt(thePlan.totalSteps / loadSeconds)} steps/s), VACUUM (ANALYZE) ${analyzeSeconds.toFixed(1)} s, total ${total.toFixed(1)} s`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write('\n');
  fail((error as Error).message ?? String(error), 1);
});
