// Read benchmarks: each GraphQL query of a dashboard next to the best hand-written SQL returning
// the same rows through `pg` (the floor). Inputs rotate through a fixed list drawn from the
// dataset, identical for both sides.
import type { GraphqlClient } from '../lib/http.ts';
import type { Op } from '../lib/measure.ts';
import { httpFloorVariant, peerVariant, scalarPageBenches, traceLookupBenches } from './side-by-side.ts';
import { agree, keyOf, same, type Bench, type SuiteContext } from './types.ts';

const DAY = 86_400_000;
const PAGE = 50;
const FIRST_STEPS = 20;
const TREE_STEPS = 1000;

// ---------------------------------------------------------------- dashboard page

const DASHBOARD = `query BenchDashboardPage($filter: TraceFilter!, $first: Int!, $steps: Int!) {
  traces(filter: $filter, first: $first) {
    pageInfo { hasNextPage endCursor }
    edges { node {
      traceId runId agentId status startedAt completedAt durationMs
      summary { stepCount successCount failureCount totalCostCents totalDurationMs }
      steps(first: $steps) { edges { node { stepIndex skillName status level costCents durationMs timestamp } } }
    } }
  }
}`;

const DASHBOARD_HEADERS = `query BenchDashboardHeaders($filter: TraceFilter!, $first: Int!) {
  traces(filter: $filter, first: $first) {
    pageInfo { hasNextPage endCursor }
    edges { node { traceId runId agentId status startedAt completedAt durationMs } }
  }
}`;

const DASHBOARD_ITEM = `query BenchDashboardItem($traceId: String!, $steps: Int!) {
  trace(traceId: $traceId) {
    summary { stepCount successCount failureCount totalCostCents totalDurationMs }
    steps(first: $steps) { edges { node { stepIndex skillName status level costCents durationMs timestamp } } }
  }
}`;

/** One statement: the page (one row more answers hasNextPage), then per trace its rollup and first steps. */
const DASHBOARD_SQL = `
WITH page AS (
  SELECT t.id, t.trace_id, t.run_id, t.agent_id, t.status, t.started_at, t.completed_at
  FROM aos_traces t
  WHERE t.tenant_id = $1 AND t.archived_at IS NULL AND t.started_at >= $2 AND t.started_at <= $3
  ORDER BY t.started_at DESC, t.id DESC
  LIMIT ${PAGE + 1}
)
SELECT p.trace_id, p.run_id, p.agent_id, p.status, p.started_at, p.completed_at,
       (SELECT count(*) FROM page) > ${PAGE} AS has_next,
       sm.step_count, sm.success_count, sm.failure_count, sm.cost, sm.duration, st.steps
FROM (SELECT * FROM page ORDER BY started_at DESC, id DESC LIMIT ${PAGE}) p
CROSS JOIN LATERAL (
  SELECT count(*)::int AS step_count,
         count(*) FILTER (WHERE s.status = 'success')::int AS success_count,
         count(*) FILTER (WHERE s.status = 'failure')::int AS failure_count,
         coalesce(sum(s.cost_microcents), 0)::text AS cost, coalesce(sum(s.duration_ms), 0) AS duration
  FROM aos_trace_steps s
  WHERE s.tenant_id = $1 AND s.trace_id = p.trace_id AND s.trace_started_at = p.started_at AND s.archived_at IS NULL
) sm
CROSS JOIN LATERAL (
  SELECT coalesce(json_agg(x ORDER BY x.step_index), '[]') AS steps FROM (
    SELECT s.step_index, s.skill_name, s.status, s.level, s.cost_microcents, s.duration_ms, s."timestamp"
    FROM aos_trace_steps s
    WHERE s.tenant_id = $1 AND s.trace_id = p.trace_id AND s.trace_started_at = p.started_at AND s.archived_at IS NULL
    ORDER BY s.step_index LIMIT ${FIRST_STEPS}
  ) x
) st
ORDER BY p.started_at DESC, p.id DESC`;

type DashboardData = {
  traces: {
    edges: { node: { traceId: string; summary: { stepCount: number; failureCount: number }; steps: { edges: { node: { stepIndex: number } }[] } } }[];
  };
};

/** Twenty one-day windows in the middle of the span, each holding more traces than a page. */
function dayWindows(ctx: SuiteContext) {
  const from = Date.parse(ctx.meta.from);
  return Array.from({ length: 20 }, (_, k) => ({
    startedAfter: new Date(from + (5 + k) * DAY).toISOString(),
    startedBefore: new Date(from + (6 + k) * DAY - 1).toISOString(),
  }));
}

function dashboardBenches(ctx: SuiteContext): Bench[] {
  const windows = dayWindows(ctx);
  const window = (i: number) => windows[i % windows.length]!;
  const ourPage = (i: number) => ctx.reader.request<DashboardData>(DASHBOARD, { filter: window(i), first: PAGE, steps: FIRST_STEPS });
  const floorPage = (i: number) => ctx.pool.query(DASHBOARD_SQL, [ctx.tenantId, window(i).startedAfter, window(i).startedBefore]);
  const ours: Op = async ({ i }) => (await ourPage(i), 1);
  const floor: Op = async ({ i }) => (await floorPage(i), 1);
  // What per-item fetching costs: the page of headers, then one trace(traceId) request per item
  // (sent together, as a reasonable client would), each loading its own summary and steps.
  const naive: Op = async ({ i }) => {
    const page = await ctx.reader.request<{ traces: { edges: { node: { traceId: string } }[] } }>(DASHBOARD_HEADERS, { filter: window(i), first: PAGE });
    await Promise.all(page.traces.edges.map((e) => ctx.reader.request(DASHBOARD_ITEM, { traceId: e.node.traceId, steps: FIRST_STEPS })));
    return 1;
  };
  const check = async () => {
    const a = (await ourPage(0)).traces.edges.map((e) => [e.node.traceId, e.node.summary.stepCount, e.node.summary.failureCount, e.node.steps.edges.map((s) => s.node.stepIndex)]);
    const b = (await floorPage(0)).rows.map((r) => [r.trace_id, r.step_count, r.failure_count, (r.steps as { step_index: number }[]).map((s) => s.step_index)]);
    return same(`${a.length} traces, their summaries and first steps`, a, b);
  };
  return [1, 8].map((concurrency) => ({
    group: 'dashboard',
    title: `Dashboard page (${PAGE} traces + summaries + first ${FIRST_STEPS} steps)`,
    concurrency,
    unit: 'req' as const,
    ours: { label: 'ours', op: ours, viaServer: true },
    floor: { label: 'floor', op: floor, viaServer: false },
    baselines: [{ label: `naive client (1 + ${PAGE} requests)`, op: naive, viaServer: true }],
    check,
    sample: {
      query: DASHBOARD,
      variables: { filter: window(0), first: PAGE, steps: FIRST_STEPS },
      sql: [{ text: DASHBOARD_SQL, values: [ctx.tenantId, window(0).startedAfter, window(0).startedBefore] }],
    },
  }));
}

// ---------------------------------------------------------------- trace tree

const TRACE_FIELDS = `traceId runId correlationId agentId planId seed frozenTimestamp rootHash planHash schemaVersion plan metadata
    status startedAt completedAt createdAt storedBy incidentId isSynthetic syntheticScenarioId archivedAt
    violationStepIndex violationTimestamp violationPolicyId violationReason replayMode replayAttemptId
    replayArtifactVersion traceCompletenessStatus`;

/** The 26 step fields the bench has always asked for (ours; the peer names the same columns alike, but costMicrocents). */
const STEP_FIELDS = `traceId stepIndex skillId skillName params status level outcomeCategory outcomeCode outcomeData
  durationMs retryCount inputHash outputHash rngStateBefore idempotencyKey replayBehavior source timestamp recordedAt
  isSynthetic syntheticScenarioId contentHash archivedAt`;

/** The 16 OpenTelemetry step fields (src/graphql/types/trace-span.ts); the peer's names are the same. */
const OTLP_FIELDS = `spanId parentSpanId spanKind startTimeUnixNano endTimeUnixNano operation provider model inputTokens outputTokens
  cachedInputTokens reasoningTokens agentName toolName conversationId attributes`;

const TREE_HEADER_SQL = `SELECT id, trace_id, run_id, correlation_id, agent_id, plan_id, seed, frozen_timestamp, root_hash, plan_hash,
  schema_version, plan, metadata, status, started_at, completed_at, created_at, stored_by, incident_id, is_synthetic,
  synthetic_scenario_id, archived_at, violation_step_index, violation_timestamp, violation_policy_id, violation_reason,
  replay_mode, replay_attempt_id, replay_artifact_version, trace_completeness_status
  FROM aos_traces WHERE tenant_id = $1 AND trace_id = $2`;

const STEP_COLUMNS = `id, trace_id, step_index, skill_id, skill_name, params, status, level, outcome_category, outcome_code,
  outcome_data, cost_microcents, duration_ms, retry_count, input_hash, output_hash, rng_state_before, idempotency_key,
  replay_behavior, source, "timestamp", recorded_at, is_synthetic, synthetic_scenario_id, content_hash, archived_at`;

const OTLP_COLUMNS = `span_id, parent_span_id, span_kind, start_time_unix_nano, end_time_unix_nano, operation, provider, model,
  input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, agent_name, tool_name, conversation_id, attributes`;

interface TreeShape {
  group: string;
  title: string;
  /** Step fields beyond id and cost, the same names in our API and the peer's; and the floor's columns. */
  stepFields: string;
  sqlStepColumns: string;
}

function treeBenches(ctx: SuiteContext, shape: TreeShape): Bench[] {
  const traceId = ctx.meta.treeTraceId;
  const tree = `query BenchTraceTree($traceId: String!, $steps: Int!) {
  trace(traceId: $traceId) {
    id ${TRACE_FIELDS} durationMs
    steps(first: $steps) { pageInfo { hasNextPage endCursor } edges { node { id costCents ${shape.stepFields} } } }
  }
}`;
  // The peer: the trace by its (tenant_id, trace_id) key, its steps through the foreign key, the
  // same columns (rowId is the uuid column; the peer has no computed durationMs).
  const peerTree = `query BenchTraceTree($tenantId: String!, $traceId: String!, $steps: Int!) {
  aosTraceByTenantIdAndTraceId(tenantId: $tenantId, traceId: $traceId) {
    rowId ${TRACE_FIELDS}
    aosTraceStepsByTenantIdAndTraceIdAndTraceStartedAt(first: $steps, orderBy: STEP_INDEX_ASC) {
      pageInfo { hasNextPage endCursor } edges { node { rowId costMicrocents ${shape.stepFields} } }
    }
  }
}`;
  const stepsSql = `SELECT ${shape.sqlStepColumns}
  FROM aos_trace_steps WHERE tenant_id = $1 AND trace_id = $2 AND archived_at IS NULL
    -- the trace's start is the steps' partition key (docs/partitions.md): one partition is read
    AND trace_started_at = (SELECT started_at FROM aos_traces WHERE tenant_id = $1 AND trace_id = $2)
  ORDER BY step_index LIMIT ${TREE_STEPS + 1}`;
  type Steps = { edges: { node: Record<string, string> & { stepIndex: number } }[] };
  type TreeData = { trace: { traceId: string; steps: Steps } | null };
  type PeerTreeData = { aosTraceByTenantIdAndTraceId: { aosTraceStepsByTenantIdAndTraceIdAndTraceStartedAt: Steps } | null };
  const ourTree = () => ctx.reader.request<TreeData>(tree, { traceId, steps: TREE_STEPS });
  const peerOp = (p: GraphqlClient) => p.request<PeerTreeData>(peerTree, { tenantId: ctx.tenantId, traceId, steps: TREE_STEPS });
  // Two statements on one connection, as a hand-written repository would do it.
  const floorTree = async () => {
    const client = await ctx.pool.connect();
    try {
      const header = await client.query(TREE_HEADER_SQL, [ctx.tenantId, traceId]);
      const steps = await client.query(stepsSql, [ctx.tenantId, traceId]);
      return { header: header.rows[0], steps: steps.rows };
    } finally {
      client.release();
    }
  };
  // The same two statements behind a bare HTTP server (bench/peer/http-floor.mjs): header rows, then steps.
  const httpFloorTree = (floor: GraphqlClient) =>
    floor.request<[Record<string, unknown>[], Record<string, unknown>[]]>('', { values: [ctx.tenantId, traceId], statements: [TREE_HEADER_SQL, stepsSql] });
  const check = async () => {
    const sides: Record<string, unknown> = {
      ours: (await ourTree()).trace!.steps.edges.map((e) => [keyOf(e.node.id!), e.node.stepIndex, e.node.contentHash]),
      floor: (await floorTree()).steps.map((r) => [r.id, r.step_index, r.content_hash]),
    };
    if (ctx.httpFloor) sides['floor over HTTP'] = (await httpFloorTree(ctx.httpFloor))[1].map((r) => [r.id, r.step_index, r.content_hash]);
    if (ctx.peer) {
      const steps = (await peerOp(ctx.peer)).aosTraceByTenantIdAndTraceId!.aosTraceStepsByTenantIdAndTraceIdAndTraceStartedAt;
      sides.postgraphile = steps.edges.map((e) => [e.node.rowId, e.node.stepIndex, e.node.contentHash]);
    }
    return agree(`${(sides.ours as unknown[]).length} steps of ${traceId}`, sides);
  };
  return [1, 8].map((concurrency) => ({
    group: shape.group,
    title: `${shape.title} (${traceId}: ${TREE_STEPS} steps)`,
    concurrency,
    unit: 'req' as const,
    ours: { label: 'ours', op: async () => (await ourTree(), 1), viaServer: true },
    floor: { label: 'floor', op: async () => (await floorTree(), 1), viaServer: false },
    peer: peerVariant(ctx, (p) => peerOp(p)),
    httpFloor: ctx.httpFloor && { label: 'floor over HTTP', op: async () => (await httpFloorTree(ctx.httpFloor!), 1), viaServer: false },
    baselines: [],
    check,
    sample: {
      query: tree,
      variables: { traceId, steps: TREE_STEPS },
      sql: [TREE_HEADER_SQL, stepsSql].map((text) => ({ text, values: [ctx.tenantId, traceId] })),
    },
  }));
}

function treeShapes(ctx: SuiteContext): Bench[] {
  return [
    ...treeBenches(ctx, { group: 'trace-tree', title: 'Trace tree, 26 step fields', stepFields: STEP_FIELDS, sqlStepColumns: STEP_COLUMNS }),
    ...treeBenches(ctx, {
      group: 'trace-tree-full',
      title: 'Trace tree, every step field (the 26 + 16 OpenTelemetry)',
      stepFields: `${STEP_FIELDS} ${OTLP_FIELDS}`,
      sqlStepColumns: `${STEP_COLUMNS}, ${OTLP_COLUMNS}`,
    }),
  ];
}

// ---------------------------------------------------------------- filtered lists

interface ListSpec<P> {
  group: string;
  title: string;
  params: P[];
  query: string;
  field: string;
  variables: (p: P) => Record<string, unknown>;
  sql: string;
  sqlParams: (p: P) => unknown[];
  /** The identity of a row, from the API's node and from the floor's row. */
  ourKey: (node: Record<string, unknown>) => unknown;
  floorKey: (row: Record<string, unknown>) => unknown;
  /** The same page from the peer, where its conditions (equalities on indexed columns) can express the filter. */
  peer?: { query: string; field: string; variables: (p: P) => Record<string, unknown>; key: (node: Record<string, unknown>) => unknown };
}

function listBench<P>(ctx: SuiteContext, s: ListSpec<P>): Bench {
  const param = (i: number) => s.params[i % s.params.length]!;
  type ListData = Record<string, { edges: { node: Record<string, unknown> }[] }>;
  const ours = (i: number) => ctx.reader.request<ListData>(s.query, s.variables(param(i)));
  const floor = (i: number) => ctx.pool.query(s.sql, s.sqlParams(param(i)));
  const peerSpec = s.peer;
  const peer = peerSpec && ((p: GraphqlClient, i: number) => p.request<ListData>(peerSpec.query, peerSpec.variables(param(i))));
  return {
    group: s.group,
    title: s.title,
    concurrency: 1,
    unit: 'req',
    ours: { label: 'ours', op: async ({ i }) => (await ours(i), 1), viaServer: true },
    floor: { label: 'floor', op: async ({ i }) => (await floor(i), 1), viaServer: false },
    peer: peer && peerVariant(ctx, peer),
    httpFloor: httpFloorVariant(ctx, s.sql, (i) => s.sqlParams(param(i))),
    baselines: [],
    check: async () => {
      const sides: Record<string, unknown> = {
        ours: (await ours(0))[s.field]!.edges.map((e) => s.ourKey(e.node)),
        floor: (await floor(0)).rows.slice(0, PAGE).map(s.floorKey),
      };
      if (ctx.peer && peer) sides.postgraphile = (await peer(ctx.peer, 0))[peerSpec.field]!.edges.map((e) => peerSpec.key(e.node));
      if (ctx.httpFloor) sides['floor over HTTP'] = (await ctx.httpFloor.request<Record<string, unknown>[]>(s.sql, { values: s.sqlParams(param(0)) })).slice(0, PAGE).map(s.floorKey);
      return agree(`${(sides.ours as unknown[]).length} rows`, sides);
    },
    sample: { query: s.query, variables: s.variables(param(0)), sql: [{ text: s.sql, values: s.sqlParams(param(0)) }] },
  };
}

/** `n` items evenly spaced from most to least frequent: popular filters and long-tail ones alike. */
function spread<T>(sorted: T[], n: number): T[] {
  if (sorted.length <= n) return sorted;
  return Array.from({ length: n }, (_, k) => sorted[Math.round((k * (sorted.length - 1)) / (n - 1))]!);
}

async function listBenches(ctx: SuiteContext): Promise<Bench[]> {
  const t = ctx.tenantId;
  const combos = (
    await ctx.pool.query<{ model: string; status: string }>(
      `SELECT model, execution_status::text AS status FROM llm_run_records WHERE tenant_id = $1
       GROUP BY 1, 2 HAVING count(*) >= 5 ORDER BY count(*) DESC, 1, 2`,
      [t],
    )
  ).rows;
  const actors = (
    await ctx.pool.query<{ actor_id: string }>(
      `SELECT actor_id FROM audit_ledger WHERE tenant_id = $1 AND actor_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1`,
      [t],
    )
  ).rows.map((r) => r.actor_id);
  const correlations = (
    await ctx.pool.query<{ c: string }>(
      `SELECT correlation_id AS c FROM system_records WHERE tenant_id = $1 AND correlation_id IS NOT NULL
       GROUP BY 1 ORDER BY md5(correlation_id) LIMIT 50`,
      [t],
    )
  ).rows.map((r) => r.c);

  return [
    listBench(ctx, {
      group: 'llm-runs',
      title: `LLM runs by model and status (${PAGE} a page)`,
      params: spread(combos, 16),
      field: 'llmRuns',
      query: `query BenchLlmRuns($filter: LlmRunFilter!, $first: Int!) {
        llmRuns(filter: $filter, first: $first) {
          pageInfo { hasNextPage endCursor }
          edges { node { id runId traceId provider model executionStatus inputTokens outputTokens costCents startedAt completedAt source isSynthetic createdAt } }
        }
      }`,
      variables: (p) => ({ filter: { model: p.model, executionStatus: p.status }, first: PAGE }),
      sql: `SELECT id, run_id, trace_id, provider, model, execution_status, input_tokens, output_tokens, cost_microcents,
              started_at, completed_at, source, is_synthetic, created_at
            FROM llm_run_records WHERE tenant_id = $1 AND model = $2 AND execution_status = $3::"LlmExecutionStatus"
            ORDER BY created_at DESC, id DESC LIMIT ${PAGE + 1}`,
      sqlParams: (p) => [t, p.model, p.status],
      ourKey: (n) => n.runId,
      floorKey: (r) => r.run_id,
    }),
    listBench(ctx, {
      group: 'audit-entries',
      title: `Audit entries by actor (${PAGE} a page)`,
      params: spread(actors, 12),
      field: 'auditEntries',
      query: `query BenchAuditEntries($filter: AuditEntryFilter!, $first: Int!) {
        auditEntries(filter: $filter, first: $first) {
          pageInfo { hasNextPage endCursor }
          edges { node { id entryId seq eventType entityType entityId actorType actorId actionReason beforeState afterState correlationId createdAt } }
        }
      }`,
      variables: (actorId) => ({ filter: { actorId }, first: PAGE }),
      sql: `SELECT id, seq, event_type, entity_type, entity_id, actor_type, actor_id, action_reason, before_state, after_state,
              correlation_id, created_at
            FROM audit_ledger WHERE tenant_id = $1 AND actor_id = $2
            ORDER BY created_at DESC, id DESC LIMIT ${PAGE + 1}`,
      sqlParams: (actorId) => [t, actorId],
      ourKey: (n) => n.entryId,
      floorKey: (r) => r.id,
      peer: {
        query: `query BenchAuditEntries($tenantId: String!, $actorId: String!, $first: Int!) {
          allAuditLedgers(condition: { tenantId: $tenantId, actorId: $actorId }, orderBy: [CREATED_AT_DESC, ROW_ID_DESC], first: $first) {
            pageInfo { hasNextPage endCursor }
            edges { node { rowId seq eventType entityType entityId actorType actorId actionReason beforeState afterState correlationId createdAt } }
          }
        }`,
        field: 'allAuditLedgers',
        variables: (actorId) => ({ tenantId: t, actorId, first: PAGE }),
        key: (n) => n.rowId,
      },
    }),
    listBench(ctx, {
      group: 'system-records',
      title: `System records by correlation id (${PAGE} a page)`,
      params: correlations,
      field: 'systemRecords',
      query: `query BenchSystemRecords($filter: SystemRecordFilter!, $first: Int!) {
        systemRecords(filter: $filter, first: $first) {
          pageInfo { hasNextPage endCursor }
          edges { node { id isGlobal component eventType severity summary details causedBy correlationId createdAt } }
        }
      }`,
      variables: (correlationId) => ({ filter: { correlationId }, first: PAGE }),
      // The tenant's rows and the global ones (a table of their own), each table's page, merged.
      sql: `(SELECT id, false AS is_global, component, event_type, severity, summary, details, caused_by, correlation_id, created_at
             FROM system_records WHERE tenant_id = $1 AND correlation_id = $2
             ORDER BY created_at DESC, id DESC LIMIT ${PAGE + 1})
            UNION ALL
            (SELECT id, true, component, event_type, severity, summary, details, caused_by, correlation_id, created_at
             FROM global_system_records WHERE correlation_id = $2
             ORDER BY created_at DESC, id DESC LIMIT ${PAGE + 1})
            ORDER BY created_at DESC, id DESC LIMIT ${PAGE + 1}`,
      sqlParams: (correlationId) => [t, correlationId],
      ourKey: (n) => keyOf(n.id as string),
      floorKey: (r) => r.id,
      // The peer cannot say "this tenant's or global" (conditions are equalities): it asks for the
      // tenant's rows. The same rows here, because global records carry correlation ids of their
      // own (sys-…), never a tenant's run id; the check compares the first input.
      peer: {
        query: `query BenchSystemRecords($tenantId: String!, $correlationId: String!, $first: Int!) {
          allSystemRecords(condition: { tenantId: $tenantId, correlationId: $correlationId }, orderBy: [CREATED_AT_DESC, ROW_ID_DESC], first: $first) {
            pageInfo { hasNextPage endCursor }
            edges { node { rowId tenantId component eventType severity summary details causedBy correlationId createdAt } }
          }
        }`,
        field: 'allSystemRecords',
        variables: (correlationId) => ({ tenantId: t, correlationId, first: PAGE }),
        key: (n) => n.rowId,
      },
    }),
  ];
}

// ---------------------------------------------------------------- metrics

const METRICS = `query BenchStepP95ByAgentHourly($from: DateTime!, $to: DateTime!) {
  metrics(input: { view: STEPS, measures: [{ measure: DURATION, aggregation: P95 }], dimensions: [AGENT], timeBucket: HOUR, from: $from, to: $to }) {
    groupCount
    rows { bucket dimensionValues values }
  }
}`;

const METRICS_SQL = `
SELECT date_trunc('hour', s."timestamp", 'UTC') AS bucket, t.agent_id,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY s.duration_ms) AS p95
FROM aos_trace_steps s
JOIN aos_traces t ON t.tenant_id = s.tenant_id AND t.trace_id = s.trace_id
WHERE s.tenant_id = $1 AND s."timestamp" >= $2 AND s."timestamp" < $3 AND s.archived_at IS NULL
GROUP BY 1, 2
ORDER BY 1, 2 NULLS LAST`;

function metricsBench(ctx: SuiteContext): Bench {
  const from = Date.parse(ctx.meta.from);
  const days = Array.from({ length: 10 }, (_, k) => ({ from: new Date(from + (10 + k) * DAY).toISOString(), to: new Date(from + (11 + k) * DAY).toISOString() }));
  const day = (i: number) => days[i % days.length]!;
  type MetricsData = { metrics: { rows: { bucket: string; dimensionValues: (string | null)[]; values: (number | null)[] }[] } };
  const ours = (i: number) => ctx.reader.request<MetricsData>(METRICS, day(i));
  const floor = (i: number) => ctx.pool.query(METRICS_SQL, [ctx.tenantId, day(i).from, day(i).to]);
  // 12 significant digits: the API cuts float noise past the 15th (stores/metrics.ts), so both sides
  // agree well beyond the millisecond, but rounding both to 3 decimals could split them at a .0005 edge.
  const round = (x: number | null) => (x === null ? null : Number(x.toPrecision(12)));
  return {
    group: 'metrics',
    title: 'Metrics: p95 step duration per agent per hour over a day',
    concurrency: 1,
    unit: 'req',
    ours: { label: 'ours', op: async ({ i }) => (await ours(i), 1), viaServer: true },
    floor: { label: 'floor', op: async ({ i }) => (await floor(i), 1), viaServer: false },
    baselines: [],
    check: async () => {
      const a = (await ours(0)).metrics.rows.map((r) => [new Date(r.bucket).toISOString(), r.dimensionValues[0], round(r.values[0]!)]);
      const b = (await floor(0)).rows.map((r) => [(r.bucket as Date).toISOString(), r.agent_id, round(r.p95)]);
      return same(`${a.length} (hour, agent) rows`, a, b);
    },
    sample: { query: METRICS, variables: day(0), sql: [{ text: METRICS_SQL, values: [ctx.tenantId, day(0).from, day(0).to] }] },
  };
}

export async function readBenches(ctx: SuiteContext): Promise<Bench[]> {
  return [
    ...(await traceLookupBenches(ctx)),
    ...dashboardBenches(ctx),
    ...(await scalarPageBenches(ctx)),
    ...treeShapes(ctx),
    ...(await listBenches(ctx)),
    metricsBench(ctx),
  ];
}

