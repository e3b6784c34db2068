// Redaction's share of ingest CPU (issue 11): the server CPU of recordTraceSteps in batches of
// 100 (app.fetch in this process, so all of GraphQL, validation, redaction, hashing and the pg
// client; Postgres' own CPU is another process and not counted), next to the CPU of the
// redaction work alone on the same step payloads (redactJson of params and outcomeData, and the
// secret check of the identifier and name fields). Uses a fresh database on $DATABASE_URL's server.
//   npx tsx bench/redaction-cost.ts [--batches 200]
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import pino from 'pino';
import { createDb } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { redactJson, wouldRedact } from '../src/domain/redact.ts';
import { createApp } from '../src/server.ts';
import { createStores } from '../src/stores/index.ts';
import { requireDatabaseUrl, withDatabase } from './lib/db.ts';
import { templates, toInput } from './suites/ingest.ts';

const { values: args } = parseArgs({ options: { batches: { type: 'string', default: '200' }, 'database-url': { type: 'string' } } });
const batches = Number(args.batches);
const BATCH = 100;
const adminUrl = requireDatabaseUrl(args['database-url']);
const name = `aos_redaction_cost_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);

const cpuMs = (f: () => void | Promise<void>) => async () => {
  const c0 = process.cpuUsage();
  await f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};

try {
  const db = await createDb({ databaseUrl: withDatabase(adminUrl, name), poolSize: 4 });
  await migrate(db);
  const stores = createStores(db);
  await stores.tenants.create('bench-ingest', 'bench');
  const key = (await stores.tenants.createKey('bench-ingest', ['read', 'write'], 'redaction-cost')).key;
  const app = createApp({ db, stores, logger: pino({ level: 'warn' }), metricsEnabled: false });
  const steps = templates();
  const traceId = 'trace-redaction-cost';
  const started = await app.fetch('http://bench/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: `mutation { startTrace(input: { traceId: "${traceId}", runId: "run-redaction-cost" }) { created } }` }),
  });
  if (!started.ok) throw new Error(await started.text());

  let next = 0;
  const batchInputs = () => Array.from({ length: BATCH }, () => { const i = next++; return toInput(steps[i % steps.length]!, traceId, i); });
  const send = async () => {
    const res = await app.fetch('http://bench/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: 'mutation($steps: [TraceStepInput!]!) { recordTraceSteps(input: { steps: $steps }) { createdCount } }', variables: { steps: batchInputs() } }),
    });
    const body = (await res.json()) as { errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
  };
  for (let i = 0; i < 20; i++) await send(); // warm-up
  const ingest = await cpuMs(async () => { for (let i = 0; i < batches; i++) await send(); })();

  // The same payloads, redacted as the write path does; identifiers repeat, as in real ingest.
  const inputs = steps.map((s, i) => toInput(s, traceId, i));
  const redactAll = () => {
    for (const s of inputs) {
      redactJson(s.params ?? {});
      if (s.outcomeData != null) redactJson(s.outcomeData);
      for (const v of [s.traceId, s.skillName, s.outcomeCode, s.rngStateBefore, s.idempotencyKey]) if (v) wouldRedact(v);
    }
  };
  for (let i = 0; i < 5; i++) redactAll(); // warm-up
  const reps = Math.max(1, Math.round((batches * BATCH) / inputs.length));
  const redaction = await cpuMs(() => { for (let i = 0; i < reps; i++) redactAll(); })();

  const perBatchIngest = ingest / batches;
  const perBatchRedaction = redaction / ((reps * inputs.length) / BATCH);
  console.log(`| measure | CPU ms per batch of ${BATCH} steps |`);
  console.log(`|---|---:|`);
  console.log(`| server CPU, recordTraceSteps (${batches} batches) | ${perBatchIngest.toFixed(2)} |`);
  console.log(`| redaction alone (same payloads, ${reps}× ${inputs.length} steps) | ${perBatchRedaction.toFixed(2)} |`);
  console.log(`| redaction's share of ingest CPU | ${((100 * perBatchRedaction) / perBatchIngest).toFixed(1)} % |`);
  await db.close();
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
