// Soak: mixed reads and writes at a fixed rate for a bounded time against the real server on a small
// generated dataset; prints throughput, errors (non-2xx and GraphQL errors; must be 0), p50/p99
// latency and the server's resident memory at start and end, and appends them to BENCHMARKS.md.
// `npm run soak -- --duration 180 --rate 100 [--connections 10] [--no-record]` (needs Postgres).
import { appendFileSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { startServer, REPO_ROOT } from './lib/server.ts';
import { freshDatabase, post, START } from './faults/lib.ts';

const { values } = parseArgs({
  options: { duration: { type: 'string', default: '180' }, rate: { type: 'string', default: '100' }, connections: { type: 'string', default: '10' }, 'no-record': { type: 'boolean', default: false } },
});
const duration = Number(values.duration);
const rate = Number(values.rate);
const connections = Number(values.connections);

const SEED_TRACES = 200;
const WRITE_TRACES = 200;
const DAY = Date.UTC(2026, 0, 1);

const STORE = `mutation($input: StoreTraceInput!) { storeTrace(input: $input) { created } }`;
const PAGE = `query($first: Int!, $steps: Int!, $after: String) { traces(first: $first, after: $after) { pageInfo { endCursor } edges { node { traceId status durationMs summary { stepCount failureCount totalCostCents } steps(first: $steps) { totalCount edges { node { stepIndex skillName status level costCents } } } run { runId status } } } } }`;
const TRACE = `query($traceId: String!) { trace(traceId: $traceId) { traceId status rootHash steps(first: 50) { edges { node { stepIndex skillName status params } } } } }`;
const METRICS = `query($from: DateTime!, $to: DateTime!) { metrics(input: { view: STEPS, measures: [{ measure: DURATION, aggregation: P95 }, { measure: COUNT, aggregation: COUNT }], dimensions: [AGENT], timeBucket: HOUR, from: $from, to: $to }) { groupCount rows { bucket values } } }`;
const RECORD = `mutation($input: RecordTraceStepsInput!) { recordTraceSteps(input: $input) { createdCount } }`;

const db = await freshDatabase();
const server = await startServer(db.url, 10);
try {
  console.log(`seeding ${SEED_TRACES} stored traces of 20 steps and ${WRITE_TRACES} running ones…`);
  for (let t = 0; t < SEED_TRACES; t += 1) {
    const startedAt = DAY + t * 60_000;
    const steps = Array.from({ length: 20 }, (_, i) => ({ stepIndex: i, skillName: `skill-${i % 5}`, status: i % 9 === 8 ? 'FAILURE' : 'SUCCESS', durationMs: 10 + ((t * 7 + i * 13) % 90), costCents: '0.01', params: { q: `question ${t}/${i}` }, timestamp: new Date(startedAt + i * 1000).toISOString() }));
    const a = await post(server.url, db.key, STORE, { input: { runId: `seed-${t}`, agentId: `agent-${t % 4}`, startedAt: new Date(startedAt).toISOString(), completedAt: new Date(startedAt + 30_000).toISOString(), steps } });
    if (a.errors) throw new Error(`seeding failed: ${JSON.stringify(a.errors)}`);
  }
  for (let t = 0; t < WRITE_TRACES; t += 1) await post(server.url, db.key, START, { input: { runId: `soak-${t}`, agentId: `agent-${t % 4}` } });

  let n = 0;
  let writes = 0;
  const graphqlErrors: Record<string, number> = {};
  const body = (): string => {
    n += 1;
    const kind = n % 10;
    if (kind < 4) return JSON.stringify({ query: PAGE, variables: { first: 20, steps: 5 } });
    if (kind < 7) return JSON.stringify({ query: TRACE, variables: { traceId: `trace_seed-${(n * 7919) % SEED_TRACES}` } });
    if (kind < 9) {
      const w = writes++;
      const traceId = `trace_soak-${w % WRITE_TRACES}`;
      const from = Math.floor(w / WRITE_TRACES) * 20;
      const steps = Array.from({ length: 20 }, (_, i) => ({ traceId, stepIndex: from + i, skillName: 'soak', status: 'SUCCESS', durationMs: 12.5, params: { i } }));
      return JSON.stringify({ query: RECORD, variables: { input: { steps } } });
    }
    return JSON.stringify({ query: METRICS, variables: { from: new Date(DAY).toISOString(), to: new Date(DAY + 86_400_000).toISOString() } });
  };

  const rssStart = server.rssMb();
  console.log(`soak: ${duration} s at ${rate} requests/s over ${connections} connections (server RSS ${rssStart.toFixed(0)} MB)…`);
  const result = await autocannon({
    url: server.url,
    method: 'POST',
    connections,
    overallRate: rate,
    duration,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${db.key}` },
    requests: [
      {
        setupRequest: (req) => ({ ...req, body: body() }),
        onResponse: (_status, text) => {
          if (!text.includes('"errors"')) return;
          const code = /"code":"([A-Z_]+)"/.exec(text)?.[1] ?? 'UNKNOWN';
          graphqlErrors[code] = (graphqlErrors[code] ?? 0) + 1;
        },
      },
    ],
  });
  const rssEnd = server.rssMb();
  const gqlErrorCount = Object.values(graphqlErrors).reduce((a, b) => a + b, 0);
  const errors = result.errors + result.timeouts + result.non2xx + gqlErrorCount;
  const stored = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM aos_trace_steps WHERE skill_name = 'soak'`);
  const line = `soak: ${result.requests.total} requests in ${result.duration} s (${result.requests.average.toFixed(1)}/s), errors: ${errors} (transport ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}, GraphQL ${JSON.stringify(graphqlErrors)}), latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms, RSS ${rssStart.toFixed(0)} → ${rssEnd.toFixed(0)} MB, soak steps stored ${stored[0]!.n}`;
  console.log(line);
  if (!values['no-record']) {
    const file = `${REPO_ROOT}/BENCHMARKS.md`;
    const existing = (() => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return '';
      }
    })();
    const section = [
      existing.includes('## Soak') ? '' : '\n## Soak (mixed reads and writes at a fixed rate)\n\nRun with `npm run soak -- --duration 180 --rate 100` (Postgres on 127.0.0.1, the real server as a child process, autocannon). Mix: 40% dashboard page (20 traces with summaries and 5 steps each), 30% trace lookup with 50 steps, 20% recordTraceSteps batches of 20 steps, 10% metrics (p95 step duration by agent, hourly, over a day). Dataset: 200 stored traces of 20 steps.\n',
      '\n| date | duration | target rate | requests | throughput | errors | p50 | p99 | max | server RSS start → end |',
      '|---|---|---|---|---|---|---|---|---|---|',
      `| ${new Date().toISOString().slice(0, 16)}Z | ${result.duration} s | ${rate}/s | ${result.requests.total} | ${result.requests.average.toFixed(1)}/s | ${errors} | ${result.latency.p50} ms | ${result.latency.p99} ms | ${result.latency.max} ms | ${rssStart.toFixed(0)} → ${rssEnd.toFixed(0)} MB |`,
      '',
    ].join('\n');
    appendFileSync(file, section);
    console.log(`appended to ${file}`);
  }
  process.exitCode = errors === 0 ? 0 : 1;
} finally {
  await server.stop();
  await db.drop();
}
