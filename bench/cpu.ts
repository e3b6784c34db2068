// Server CPU per request: each read benchmark's first input sent N times to the app in this
// process, through its node listener on a local port as `serve` runs it (so a document answered
// once takes the fast path, src/http/fast-graphql.ts, as in production), with the CPU time it took
// (the in-process client's small share included). On a shared, busy
// machine, CPU milliseconds per request are steadier than latency, so this is the quick loop for
// work on the server's fixed costs; `npm run bench` remains the measurement of record.
//   npm run bench:cpu -- --database aos_bench_100k [--only dashboard,trace-tree] [--requests 200]
//     [--profile dir]   a V8 CPU profile of the measured requests of each benchmark, for DevTools
// The ingest groups (ingest-100, ingest-500, ingest-single) write: they run on a scratch database
// of their own (<database>_cpu_ingest, made empty and migrated each time, dropped at the end), each
// request appending to one running trace, so the dataset never changes.
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import pino from 'pino';
import { createDb } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { createApp } from '../src/server.ts';
import { createStores } from '../src/stores/index.ts';
import { quoteIdent, readMeta, requireDatabaseUrl, withDatabase } from './lib/db.ts';
import { GraphqlClient } from './lib/http.ts';
import { templates, toInput } from './suites/ingest.ts';
import { readBenches } from './suites/reads.ts';

const { values: args } = parseArgs({
  options: {
    database: { type: 'string', default: 'aos_bench_100k' },
    'database-url': { type: 'string' },
    only: { type: 'string' },
    requests: { type: 'string', default: '200' },
    profile: { type: 'string' },
  },
});
const serverUrl = requireDatabaseUrl(args['database-url']);
const url = withDatabase(serverUrl, args.database!);
const requests = Number(args.requests);
const only = args.only ? new Set(args.only.split(',')) : null;
const INGEST = [
  { group: 'ingest-100', title: 'Ingest: recordTraceSteps, batches of 100', batch: 100 },
  { group: 'ingest-500', title: 'Ingest: recordTraceSteps, batches of 500', batch: 500 },
  { group: 'ingest-single', title: 'Ingest: recordTraceStep, one step a request', batch: 1 },
].filter((b) => only?.has(b.group));

const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

type App = ReturnType<typeof createApp>;
type Send = (query: string, variables: Record<string, unknown>) => Promise<void>;

/** Runs `work` with a sender to the app behind its node listener (rejects on GraphQL errors). */
async function serving(app: App, key: string, work: (send: Send) => Promise<void>) {
  const server = createServer(app.listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new GraphqlClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, key);
  try {
    await work(async (query, variables) => void (await client.request(query, variables)));
  } finally {
    client.close();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** Runs `request` N times after a warm-up; prints CPU per request and the wall p50 (and the floor's, given one). */
async function measure(title: string, group: string, request: () => Promise<void>, floor?: () => Promise<void>) {
  for (let i = 0; i < 20; i++) await request(); // warm-up: JIT, caches, pools
  const walls: number[] = [];
  const profiler = args.profile ? new Session() : null;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < requests; i++) {
    const t = performance.now();
    await request();
    walls.push(performance.now() - t);
  }
  const cpu = process.cpuUsage(cpu0);
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    await writeFile(join(args.profile!, `${group}.cpuprofile`), JSON.stringify(profile));
    profiler.disconnect();
  }
  const floors: number[] = [];
  if (floor) {
    for (let i = 0; i < Math.min(requests, 100); i++) {
      const t = performance.now();
      await floor();
      floors.push(performance.now() - t);
    }
  }
  const cpuMs = (cpu.user + cpu.system) / 1000 / requests;
  console.log(`| ${title} | ${cpuMs.toFixed(2)} | ${median(walls).toFixed(2)} | ${floors.length ? median(floors).toFixed(2) : '–'} |`);
}

async function readGroups() {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const meta = await readMeta(pool);
  if (!meta) throw new Error(`${args.database} holds no generated dataset`);
  const db = await createDb({ databaseUrl: url, poolSize: 4 });
  const stores = createStores(db);
  const app = createApp({ db, stores, logger: pino({ level: 'warn' }), metricsEnabled: false });
  const key = await stores.tenants.createKey(meta.largeTenant, ['read'], `npm run bench:cpu ${new Date().toISOString()}`);
  const unused = {} as GraphqlClient;
  const benches = (await readBenches({ pool, reader: unused, writer: unused, meta, tenantId: meta.largeTenant, ingestTenantId: '' }))
    .filter((b) => b.sample && b.concurrency === 1 && (!only || only.has(b.group)));
  try {
    await serving(app, key.key, async (send) => {
      for (const b of benches) {
        const { query, variables, sql } = b.sample!;
        await measure(b.title, b.group, () => send(query, variables), async () => {
          for (const s of sql) await pool.query(s.text, s.values);
        });
      }
    });
  } finally {
    await stores.tenants.revokeKey(key.info.keyId);
    await db.close();
    await pool.end();
  }
}

const RECORD_STEPS = `mutation CpuRecordTraceSteps($steps: [TraceStepInput!]!) { recordTraceSteps(input: { steps: $steps }) { createdCount } }`;
const RECORD_STEP = `mutation CpuRecordTraceStep($step: TraceStepInput!) { recordTraceStep(input: $step) { outcome } }`;

/** The ingest groups, on a scratch database: every request appends new steps to one running trace. */
async function ingestGroups() {
  const scratch = `${args.database!.slice(0, 40)}_cpu_ingest`;
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(scratch)} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${quoteIdent(scratch)}`);
  const db = await createDb({ databaseUrl: withDatabase(serverUrl, scratch), poolSize: 4 });
  try {
    await migrate(db);
    const stores = createStores(db);
    await stores.tenants.create('cpu-ingest', 'bench:cpu ingest');
    const key = await stores.tenants.createKey('cpu-ingest', ['read', 'write'], 'npm run bench:cpu');
    const app = createApp({ db, stores, logger: pino({ level: 'warn' }), metricsEnabled: false });
    const steps = templates();
    await serving(app, key.key, async (send) => {
      for (const b of INGEST) {
        const { trace } = await stores.traces.start('cpu-ingest', { runId: `cpu-${b.group}` });
        let next = 0;
        const items = () => Array.from({ length: b.batch }, () => toInput(steps[next % steps.length]!, trace.traceId, next++));
        await measure(b.title, b.group, () => (b.batch === 1 ? send(RECORD_STEP, { step: items()[0] }) : send(RECORD_STEPS, { steps: items() })));
      }
    });
  } finally {
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(scratch)} WITH (FORCE)`);
    await admin.end();
  }
}

console.log(`| Benchmark | server CPU ms/request | wall ms p50 | floor wall ms p50 |`);
console.log(`|---|---:|---:|---:|`);
if (!only || [...only].some((g) => !g.startsWith('ingest'))) await readGroups();
if (INGEST.length) await ingestGroups();
