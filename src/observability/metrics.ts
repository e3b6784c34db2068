// Prometheus metrics at GET /metrics (no API key; METRICS_ENABLED=false turns the route off;
// METRICS_TOKEN requires a bearer token; METRICS_PORT serves them on a separate listener instead).
// One registry per app, so two apps in one process (tests) never share a counter. Label values are
// bounded: routes from a fixed list, operation names from the project's own documents, error codes checked.
import { timingSafeEqual } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db/client.ts';
import type { ReplicaStatus } from '../db/replicas.ts';
import type { LiveHub } from '../live/hub.ts';
import { KNOWN_OPERATIONS } from './known-operations.ts';
import { currentRequest, type RequestInfo } from './requests.ts';

const ERROR_CODE = /^[A-Z][A-Z_]{0,39}$/;
/** Tables whose inserts are the ingest rate, as Postgres counts them (every process, every path). */
const INGEST_TABLES = ['aos_traces', 'aos_trace_steps', 'llm_run_records', 'incidents'];
const STATS_TIMEOUT_MS = 2_000;

export type MetricsOptions = {
  /** When set, a scrape must send `Authorization: Bearer <token>`. */
  token?: string | undefined;
  /** False when the metrics are served on their own listener (METRICS_PORT), not by the app. */
  onApp?: boolean;
};

/** "" outside GraphQL, "anonymous" for unnamed operations, a known name, or "other". */
export const operationLabel = (name: string) => (!name || name === 'anonymous' || KNOWN_OPERATIONS.has(name) ? name : 'other');

export function createMetrics({ db, live, token, onApp = true }: { db: Db; live: LiveHub } & MetricsOptions) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: 'aos_http_requests_total',
    help: 'HTTP requests by route, GraphQL operation name ("" outside GraphQL) and status code.',
    labelNames: ['route', 'operation', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'aos_http_request_duration_seconds',
    help: 'Time to the response head, by route and GraphQL operation name (subscriptions: until the stream opens).',
    labelNames: ['route', 'operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'aos_graphql_errors_total',
    help: 'GraphQL errors returned, by extensions.code.',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'aos_db_pool_connections',
    help: 'Database connections of this process, by state (total, idle, waiting: callers queued for one).',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const stats = db.poolStats();
      this.set({ state: 'total' }, stats.total);
      this.set({ state: 'idle' }, stats.idle);
      this.set({ state: 'waiting' }, stats.waiting);
    },
  });
  const replicas = db.replicas;
  if (replicas) {
    // Labelled by the configured replicas (host:port/database): a fixed set.
    const replicaGauge = (name: string, help: string, value: (status: ReplicaStatus) => number | null) =>
      new Gauge({
        name,
        help,
        labelNames: ['replica'] as const,
        registers: [registry],
        collect() {
          this.reset();
          for (const status of replicas.status()) {
            const v = value(status);
            if (v !== null) this.set({ replica: status.name }, v);
          }
        },
      });
    replicaGauge('aos_db_replica_up', '1 while a read replica serves reads (answers, in recovery, within REPLICA_MAX_LAG_MS); 0 while it is skipped.', (s) =>
      s.state === 'up' ? 1 : 0,
    );
    replicaGauge('aos_db_replica_lag_seconds', 'Replay lag of a read replica behind the primary at the last probe (absent while unknown).', (s) => s.lagSeconds);
    replicaGauge('aos_db_replica_lag_bytes', 'WAL bytes a read replica had not replayed at the last probe (absent while unknown).', (s) => s.lagBytes);
    new Counter({
      name: 'aos_db_reads_total',
      help: 'GraphQL query operations of this process by where they read: a replica, or "primary" when none qualified.',
      labelNames: ['server'] as const,
      registers: [registry],
      collect() {
        this.reset();
        this.inc({ server: 'primary' }, replicas.primaryReads());
        for (const status of replicas.status()) this.inc({ server: status.name }, status.reads);
      },
    });
  }
  new Counter({
    name: 'aos_ingested_rows_total',
    help: 'Rows inserted into each ingest table, database-wide (all processes), from Postgres statistics; rate() is the ingest rate.',
    labelNames: ['table'] as const,
    registers: [registry],
    async collect() {
      const rows = await insertedRows(db).catch(() => null);
      this.reset();
      for (const row of rows ?? []) this.inc({ table: row.table }, row.inserted);
    },
  });
  new Gauge({
    name: 'aos_live_subscriptions',
    help: 'Open live-tail subscriptions in this process.',
    registers: [registry],
    collect() {
      this.set(live.stats().subscribers);
    },
  });
  new Gauge({
    name: 'aos_live_listening',
    help: '1 while this process holds its LISTEN connection for the live tail.',
    registers: [registry],
    collect() {
      this.set(live.stats().connected ? 1 : 0);
    },
  });
  new Counter({
    name: 'aos_live_announcements_total',
    help: 'Change announcements received by this process for the live tail.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(live.stats().announcements);
    },
  });

  /** The answer to GET /metrics, wherever it is served. */
  const scrape = async (authorization: string | null): Promise<Response> => {
    if (token !== undefined && !bearerMatches(authorization, token)) {
      return new Response('metrics need Authorization: Bearer <METRICS_TOKEN>\n', { status: 401, headers: { 'www-authenticate': 'Bearer' } });
    }
    return new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType } });
  };

  const plugin: Plugin = {
    onRequest({ request, url, endResponse }) {
      if (!onApp || url.pathname !== '/metrics' || request.method !== 'GET') return;
      return scrape(request.headers.get('authorization')).then(endResponse);
    },
    onResultProcess({ result }) {
      if (Array.isArray(result) || !result || !('errors' in result)) return;
      for (const error of result.errors ?? []) {
        const code = (error as GraphQLError).extensions?.code;
        errors.inc({ code: typeof code === 'string' && ERROR_CODE.test(code) ? code : 'OTHER' });
      }
    },
    onResponse({ response }) {
      const info = currentRequest();
      if (info) countRequest(info, response.status);
    },
  };
  /** Counts a finished request and its latency (the fast GraphQL path calls this itself). */
  function countRequest(info: RequestInfo, status: number) {
    const operation = operationLabel(info.operation);
    requests.inc({ route: info.route, operation, status: String(status) });
    latency.observe({ route: info.route, operation }, (performance.now() - info.startedAt) / 1000);
  }
  return { registry, plugin, scrape, countRequest };
}

function bearerMatches(authorization: string | null, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function insertedRows(db: Db): Promise<{ table: string; inserted: number }[]> {
  const query = db.withSession((s) =>
    s.query<{ table: string; inserted: string }>(
      `SELECT relname AS table, n_tup_ins::text AS inserted FROM pg_stat_user_tables WHERE schemaname = 'public' AND relname = ANY($1)`,
      [INGEST_TABLES],
    ),
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('statistics query timed out')), STATS_TIMEOUT_MS)));
  try {
    return (await Promise.race([query, timeout])).map((r) => ({ table: r.table, inserted: Number(r.inserted) }));
  } finally {
    clearTimeout(timer);
  }
}

export type Metrics = ReturnType<typeof createMetrics>;
