// Read shapes measured three ways: ours, the SQL floor and the peer (PostGraphile over the same
// database as its owner). Each asks all three for the same rows and the same columns; the peer
// filters by tenant with `condition: { tenantId }` because row-level security does not apply to
// the owner. Inputs rotate through a fixed list drawn from the dataset, identical for every side.
import type { GraphqlClient } from '../lib/http.ts';
import type { Op, Variant } from '../lib/measure.ts';
import { agree, epochMs, type Bench, type SuiteContext } from './types.ts';

const PAGE = 50;
const FIRST_STEPS = 20;
const LOOKUP_INPUTS = 200;

const variant = (label: string, op: Op, viaServer: boolean): Variant => ({ label, op, viaServer });

/** The peer's variant, when the peer runs. */
export function peerVariant(ctx: SuiteContext, op: (peer: GraphqlClient, i: number) => Promise<unknown>): Variant | undefined {
  const peer = ctx.peer;
  return peer && variant('postgraphile', async ({ i }) => (await op(peer, i), 1), true);
}

/** The floor's statement sent to the floor over HTTP (bench/peer/http-floor.mjs), when it runs. */
export function httpFloorVariant(ctx: SuiteContext, text: string, values: (i: number) => unknown[]): Variant | undefined {
  const floor = ctx.httpFloor;
  return floor && variant('floor over HTTP', async ({ i }) => (await floor.request(text, { values: values(i) }), 1), false);
}

// ---------------------------------------------------------------- one trace by id

const LOOKUP = `query BenchTraceLookup($traceId: String!) {
  trace(traceId: $traceId) { traceId status agentId startedAt completedAt }
}`;

const PEER_LOOKUP = `query BenchTraceLookup($tenantId: String!, $traceId: String!) {
  aosTraceByTenantIdAndTraceId(tenantId: $tenantId, traceId: $traceId) { traceId status agentId startedAt completedAt }
}`;

const LOOKUP_SQL = `SELECT trace_id, status, agent_id, started_at, completed_at FROM aos_traces WHERE tenant_id = $1 AND trace_id = $2`;

type TraceHead = { traceId: string; status: string; agentId: string | null; startedAt: string; completedAt: string | null };
const headRow = (h: TraceHead | null) => h && [h.traceId, h.status.toLowerCase(), h.agentId, epochMs(h.startedAt), epochMs(h.completedAt)];

export async function traceLookupBenches(ctx: SuiteContext): Promise<Bench[]> {
  const traceIds = (
    await ctx.pool.query<{ trace_id: string }>(`SELECT trace_id FROM aos_traces WHERE tenant_id = $1 ORDER BY md5(trace_id) LIMIT ${LOOKUP_INPUTS}`, [ctx.tenantId])
  ).rows.map((r) => r.trace_id);
  const traceId = (i: number) => traceIds[i % traceIds.length]!;
  const ours = (i: number) => ctx.reader.request<{ trace: TraceHead | null }>(LOOKUP, { traceId: traceId(i) });
  const floor = (i: number) => ctx.pool.query(LOOKUP_SQL, [ctx.tenantId, traceId(i)]);
  const peer = (p: GraphqlClient, i: number) =>
    p.request<{ aosTraceByTenantIdAndTraceId: TraceHead | null }>(PEER_LOOKUP, { tenantId: ctx.tenantId, traceId: traceId(i) });
  const check = async () => {
    const sides: Record<string, unknown> = {
      ours: headRow((await ours(0)).trace),
      floor: (await floor(0)).rows.map((r) => [r.trace_id, r.status, r.agent_id, epochMs(r.started_at), epochMs(r.completed_at)])[0] ?? null,
    };
    if (ctx.peer) sides.postgraphile = headRow((await peer(ctx.peer, 0)).aosTraceByTenantIdAndTraceId);
    if (ctx.httpFloor) {
      const rows = await ctx.httpFloor.request<Record<string, string | null>[]>(LOOKUP_SQL, { values: [ctx.tenantId, traceId(0)] });
      sides['floor over HTTP'] = rows.map((r) => [r.trace_id, r.status, r.agent_id, epochMs(r.started_at), epochMs(r.completed_at)])[0] ?? null;
    }
    return agree(`trace ${traceId(0)}, 5 fields`, sides);
  };
  return [1, 8].map((concurrency) => ({
    group: 'trace-lookup',
    title: 'One trace by id (5 fields)',
    concurrency,
    unit: 'req' as const,
    ours: variant('ours', async ({ i }) => (await ours(i), 1), true),
    floor: variant('floor', async ({ i }) => (await floor(i), 1), false),
    peer: peerVariant(ctx, peer),
    httpFloor: httpFloorVariant(ctx, LOOKUP_SQL, (i) => [ctx.tenantId, traceId(i)]),
    baselines: [],
    check,
    sample: { query: LOOKUP, variables: { traceId: traceId(0) }, sql: [{ text: LOOKUP_SQL, values: [ctx.tenantId, traceId(0)] }] },
  }));
}

// ---------------------------------------------------------------- dashboard page, scalar columns

/**
 * The dashboard page in a form the peer can ask for too: its conditions are equalities, so the
 * page is one agent's newest traces (not a time window), and it has no rollup, so no summary.
 */
interface PageShape {
  group: string;
  title: string;
  concurrencies: number[];
  /** Step fields in our API, in the peer's, and the floor's columns. */
  ourStepFields: string;
  peerStepFields: string;
  sqlStepColumns: string;
}

function pageQueries(s: PageShape) {
  const ours = `query BenchDashboardScalar($filter: TraceFilter!, $first: Int!, $steps: Int!) {
  traces(filter: $filter, first: $first) {
    pageInfo { hasNextPage endCursor }
    edges { node {
      traceId runId agentId status startedAt completedAt
      steps(first: $steps) { edges { node { ${s.ourStepFields} } } }
    } }
  }
}`;
  const peer = `query BenchDashboardScalar($tenantId: String!, $agentId: String!, $first: Int!, $steps: Int!) {
  allAosTraces(condition: { tenantId: $tenantId, agentId: $agentId }, orderBy: [STARTED_AT_DESC, ROW_ID_DESC], first: $first) {
    pageInfo { hasNextPage endCursor }
    edges { node {
      traceId runId agentId status startedAt completedAt
      aosTraceStepsByTenantIdAndTraceIdAndTraceStartedAt(first: $steps, orderBy: STEP_INDEX_ASC) { edges { node { ${s.peerStepFields} } } }
    } }
  }
}`;
  // One statement: the page (one row more answers hasNextPage), then per trace its first steps.
  const sql = `
WITH page AS (
  SELECT t.id, t.trace_id, t.run_id, t.agent_id, t.status, t.started_at, t.completed_at
  FROM aos_traces t
  WHERE t.tenant_id = $1 AND t.archived_at IS NULL AND t.agent_id = $2
  ORDER BY t.started_at DESC, t.id DESC
  LIMIT ${PAGE + 1}
)
SELECT p.trace_id, p.run_id, p.agent_id, p.status, p.started_at, p.completed_at,
       (SELECT count(*) FROM page) > ${PAGE} AS has_next, st.steps
FROM (SELECT * FROM page ORDER BY started_at DESC, id DESC LIMIT ${PAGE}) p
CROSS JOIN LATERAL (
  SELECT coalesce(json_agg(x ORDER BY x.step_index), '[]') AS steps FROM (
    SELECT ${s.sqlStepColumns}
    FROM aos_trace_steps s
    WHERE s.tenant_id = $1 AND s.trace_id = p.trace_id AND s.trace_started_at = p.started_at AND s.archived_at IS NULL
    ORDER BY s.step_index LIMIT ${FIRST_STEPS}
  ) x
) st
ORDER BY p.started_at DESC, p.id DESC`;
  return { ours, peer, sql };
}

type PageData<K extends string> = Record<K, { edges: { node: TraceHead & Record<string, { edges: { node: { stepIndex: number; timestamp: string } }[] }> }[] }>;

async function pageBenches(ctx: SuiteContext, s: PageShape): Promise<Bench[]> {
  // Agents with more than a page of traces, busiest first: every page is full.
  const agents = (
    await ctx.pool.query<{ agent_id: string }>(
      `SELECT agent_id FROM aos_traces WHERE tenant_id = $1 AND agent_id IS NOT NULL AND archived_at IS NULL
       GROUP BY 1 HAVING count(*) > ${PAGE} ORDER BY count(*) DESC, 1`,
      [ctx.tenantId],
    )
  ).rows.map((r) => r.agent_id);
  const agent = (i: number) => agents[i % agents.length]!;
  const q = pageQueries(s);
  const ours = (i: number) => ctx.reader.request<PageData<'traces'>>(q.ours, { filter: { agentId: agent(i) }, first: PAGE, steps: FIRST_STEPS });
  const floor = (i: number) => ctx.pool.query(q.sql, [ctx.tenantId, agent(i)]);
  const peer = (p: GraphqlClient, i: number) =>
    p.request<PageData<'allAosTraces'>>(q.peer, { tenantId: ctx.tenantId, agentId: agent(i), first: PAGE, steps: FIRST_STEPS });
  const apiRows = (data: PageData<string>[string], stepsField: string) =>
    data.edges.map((e) => [...headRow(e.node)!, e.node[stepsField]!.edges.map((x) => [x.node.stepIndex, epochMs(x.node.timestamp)])]);
  const check = async () => {
    const sides: Record<string, unknown> = {
      ours: apiRows((await ours(0)).traces, 'steps'),
      floor: (await floor(0)).rows.map((r) => [
        r.trace_id,
        r.status,
        r.agent_id,
        epochMs(r.started_at),
        epochMs(r.completed_at),
        (r.steps as { step_index: number; timestamp: string }[]).map((x) => [x.step_index, epochMs(x.timestamp)]),
      ]),
    };
    if (ctx.peer) sides.postgraphile = apiRows((await peer(ctx.peer, 0)).allAosTraces, 'aosTraceStepsByTenantIdAndTraceIdAndTraceStartedAt');
    return agree(`${agent(0)}: ${(sides.ours as unknown[]).length} traces and their first steps`, sides);
  };
  return s.concurrencies.map((concurrency) => ({
    group: s.group,
    title: s.title,
    concurrency,
    unit: 'req' as const,
    ours: variant('ours', async ({ i }) => (await ours(i), 1), true),
    floor: variant('floor', async ({ i }) => (await floor(i), 1), false),
    peer: peerVariant(ctx, peer),
    baselines: [],
    check,
    sample: {
      query: q.ours,
      variables: { filter: { agentId: agent(0) }, first: PAGE, steps: FIRST_STEPS },
      sql: [{ text: q.sql, values: [ctx.tenantId, agent(0)] }],
    },
  }));
}

const SCALAR_STEP = {
  ourStepFields: 'stepIndex skillName status level costCents durationMs timestamp',
  peerStepFields: 'stepIndex skillName status level costMicrocents durationMs timestamp',
  sqlStepColumns: 's.step_index, s.skill_name, s.status, s.level, s.cost_microcents, s.duration_ms, s."timestamp"',
};

export async function scalarPageBenches(ctx: SuiteContext): Promise<Bench[]> {
  return [
    ...(await pageBenches(ctx, {
      group: 'dashboard-scalar',
      title: `Dashboard page, scalar columns (one agent's ${PAGE} newest traces + first ${FIRST_STEPS} steps, no summary)`,
      concurrencies: [1, 8],
      ...SCALAR_STEP,
    })),
    ...(await pageBenches(ctx, {
      group: 'dashboard-params',
      title: `Dashboard page with step params and outcomeData (one agent's ${PAGE} newest traces + first ${FIRST_STEPS} steps)`,
      concurrencies: [8],
      ourStepFields: `${SCALAR_STEP.ourStepFields} params outcomeData`,
      peerStepFields: `${SCALAR_STEP.peerStepFields} params outcomeData`,
      sqlStepColumns: `${SCALAR_STEP.sqlStepColumns}, s.params, s.outcome_data`,
    })),
  ];
}
