// Server CPU per request: each read benchmark's first input sent N times to the app in this
// process (app.fetch: no sockets, no HTTP client), with the CPU time it took. On a shared, busy
// machine, CPU milliseconds per request are steadier than latency, so this is the quick loop for
// work on the server's fixed costs; `npm run bench` remains the measurement of record.
//   npm run bench:cpu -- --database aos_bench_100k [--only dashboard,trace-tree] [--requests 200]
//     [--profile dir]   a V8 CPU profile of the measured requests of each benchmark, for DevTools
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import pino from 'pino';
import { createDb } from '../src/db/client.ts';
import { createApp } from '../src/server.ts';
import { createStores } from '../src/stores/index.ts';
import { readMeta, requireDatabaseUrl, withDatabase } from './lib/db.ts';
import type { GraphqlClient } from './lib/http.ts';
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
const url = withDatabase(requireDatabaseUrl(args['database-url']), args.database!);
const requests = Number(args.requests);
const pool = new pg.Pool({ connectionString: url, max: 2 });
const meta = await readMeta(pool);
if (!meta) throw new Error(`${args.database} holds no generated dataset`);
const db = await createDb({ databaseUrl: url, poolSize: 4 });
const stores = createStores(db);
const app = createApp({ db, stores, logger: pino({ level: 'warn' }), metricsEnabled: false });
const key = await stores.tenants.createKey(meta.largeTenant, ['read'], `npm run bench:cpu ${new Date().toISOString()}`);
const unused = {} as GraphqlClient;
const only = args.only ? new Set(args.only.split(',')) : null;
const benches = (await readBenches({ pool, reader: unused, writer: unused, meta, tenantId: meta.largeTenant, ingestTenantId: '' }))
  .filter((b) => b.sample && b.concurrency === 1 && (!only || only.has(b.group)));

const send = async (query: string, variables: Record<string, unknown>) => {
  const res = await app.fetch('http://bench/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key.key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
};
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

try {
  console.log(`| Benchmark | server CPU ms/request | wall ms p50 | floor wall ms p50 |`);
  console.log(`|---|---:|---:|---:|`);
  for (const b of benches) {
    const { query, variables, sql } = b.sample!;
    for (let i = 0; i < 20; i++) await send(query, variables); // warm-up: JIT, caches, pools
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
      await send(query, variables);
      walls.push(performance.now() - t);
    }
    const cpu = process.cpuUsage(cpu0);
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      await writeFile(join(args.profile!, `${b.group}.cpuprofile`), JSON.stringify(profile));
      profiler.disconnect();
    }
    const floors: number[] = [];
    for (let i = 0; i < Math.min(requests, 100); i++) {
      const t = performance.now();
      for (const s of sql) await pool.query(s.text, s.values);
      floors.push(performance.now() - t);
    }
    const cpuMs = (cpu.user + cpu.system) / 1000 / requests;
    console.log(`| ${b.title} | ${cpuMs.toFixed(2)} | ${median(walls).toFixed(2)} | ${median(floors).toFixed(2)} |`);
  }
} finally {
  await stores.tenants.revokeKey(key.info.keyId);
  await db.close();
  await pool.end();
}
