// Dashboard metrics: one small semantic layer (a view, measures with aggregations, dimensions, a
// time bucket) instead of one resolver per chart — the model is Langfuse's /v2/metrics.
//
// Safety of the SQL: every value the caller sends is a bound parameter; every identifier, unit,
// percentile and SQL expression comes from the fixed tables below, picked by a checked enum value.
//
// Indexes the queries rely on:
// - TRACES:   aos_traces (tenant_id, started_at DESC, id DESC) for the range; the per-trace cost
//             sums use aos_trace_steps' unique (tenant_id, trace_id, step_index).
// - STEPS:    aos_trace_steps_live_tenant_timestamp, (tenant_id, "timestamp") over live steps
//             INCLUDE every column the view reads: an index-only scan; the agent and run join uses
//             aos_traces_tenant_trace_agent_run, (tenant_id, trace_id) INCLUDE (agent_id, run_id).
//             A column added to the view belongs in those INCLUDE lists (a new migration).
// - LLM_RUNS: llm_run_records (tenant_id, started_at DESC, id DESC); the agent join uses runs'
//             unique (tenant_id, run_id).
import { badInput } from '../errors.ts';
import type { Db } from '../db/client.ts';

export type MetricsView = 'traces' | 'steps' | 'llmRuns';
export type MetricMeasure = 'count' | 'cost' | 'duration' | 'inputTokens' | 'outputTokens' | 'tokens' | 'errorRate';
export type MetricAggregation = 'count' | 'sum' | 'avg' | 'min' | 'max' | 'p50' | 'p90' | 'p95' | 'p99';
export type MetricDimension = 'agent' | 'model' | 'provider' | 'status' | 'skill';
export type TimeBucket = 'minute' | 'hour' | 'day';
export type MetricUnit = 'count' | 'cents' | 'milliseconds' | 'tokens' | 'ratio';

export interface MetricsFilter {
  agentId?: string | undefined;
  model?: string | undefined;
  provider?: string | undefined;
  /** The status as the API spells it for the view: TraceStatus, StepStatus or LlmExecutionStatus. */
  status?: string | undefined;
  skillName?: string | undefined;
  runId?: string | undefined;
}

export interface MetricsQuery {
  view: MetricsView;
  measures: { measure: MetricMeasure; aggregation: MetricAggregation }[];
  dimensions: MetricDimension[];
  timeBucket?: TimeBucket | undefined;
  /** Inclusive. */
  from: Date;
  /** Exclusive, so adjacent ranges and buckets never count a row twice. */
  to: Date;
  filter: MetricsFilter;
}

export interface MetricsRow {
  /** Start of the UTC bucket; null when the query has no time bucket. */
  bucket: Date | null;
  /** In the order of the query's dimensions; null where the row has no value (e.g. no agent). */
  dimensionValues: (string | null)[];
  /** In the order of the query's measures; null when undefined (AVG, MIN or a percentile of nothing). */
  values: (number | null)[];
}

export interface MetricsResult {
  measures: { measure: MetricMeasure; aggregation: MetricAggregation; unit: MetricUnit }[];
  rows: MetricsRow[];
  /** Distinct dimension-value combinations in the rows (the time bucket not counted). */
  groupCount: number;
}

export const METRICS_LIMITS = {
  maxMeasures: 10,
  maxDimensions: 3,
  /** Dimension-value combinations, the time bucket not counted. */
  maxGroups: 200,
  /** Groups × buckets. */
  maxRows: 10_000,
  maxRangeDays: 400,
  maxBucketRangeDays: { minute: 7, hour: 90, day: 400 } satisfies Record<TimeBucket, number>,
} as const;

const DAY_MS = 86_400_000;

/**
 * float8 arithmetic leaves noise past the 15th significant digit (2618.2999999999997 ms for
 * 2618.3), which says nothing and reads as a bug. 15 digits is what a float8 holds reliably
 * (DBL_DIG), so this drops only the noise: micro-cents and microseconds stay exact.
 */
function withoutFloatNoise(value: number): number {
  return Number(value.toPrecision(15));
}

type MeasureSql = {
  /** A per-row value: null where the row has none (a running trace has no duration). */
  expr: string;
  unit: MetricUnit;
  /** Applied after aggregating, so money is summed exactly in micro-cents and divided once. */
  divisor?: number;
};

type ViewSql = {
  from: string;
  /** Joins added only when a dimension or filter needs them. */
  joins: Partial<Record<'agent' | 'cost', string>>;
  time: string;
  /** Always in the WHERE: archived rows never count. */
  live: string;
  measures: Partial<Record<MetricMeasure, MeasureSql>>;
  dimensions: Partial<Record<MetricDimension, { expr: string; join?: 'agent' }>>;
  filters: Partial<Record<keyof MetricsFilter, { expr: string; join?: 'agent' }>>;
  /** API spelling → stored value, for the status filter. */
  statuses: Record<string, string>;
  tenant: string;
};

const COUNT: MeasureSql = { expr: '1', unit: 'count' };
const CENTS = 1_000_000;

/** The only SQL text a metrics query is built from; $1 is always the tenant. */
const VIEWS: Record<MetricsView, ViewSql> = {
  traces: {
    from: 'aos_traces t',
    joins: {
      // Only the trace's own live steps: a trace without steps cost nothing.
      cost: `LEFT JOIN LATERAL (SELECT sum(s.cost_microcents) AS cost FROM aos_trace_steps s
               WHERE s.tenant_id = $1 AND s.trace_id = t.trace_id AND s.archived_at IS NULL) c ON true`,
    },
    tenant: 't.tenant_id',
    time: 't.started_at',
    live: 't.archived_at IS NULL',
    measures: {
      count: COUNT,
      cost: { expr: 'coalesce(c.cost, 0)', unit: 'cents', divisor: CENTS },
      // Running traces have no duration yet; they are left out rather than counted as zero.
      duration: {
        expr: `CASE WHEN t.status <> 'running' THEN (extract(epoch FROM t.completed_at - t.started_at) * 1000)::float8 END`,
        unit: 'milliseconds',
      },
      errorRate: { expr: `CASE WHEN t.status IN ('failed', 'aborted') THEN 1 ELSE 0 END`, unit: 'ratio' },
    },
    dimensions: { agent: { expr: 't.agent_id' }, status: { expr: 'upper(t.status::text)' } },
    filters: { agentId: { expr: 't.agent_id' }, status: { expr: 't.status::text' }, runId: { expr: 't.run_id' } },
    statuses: { RUNNING: 'running', COMPLETED: 'completed', FAILED: 'failed', ABORTED: 'aborted' },
  },
  steps: {
    from: 'aos_trace_steps s',
    joins: { agent: 'JOIN aos_traces t ON t.tenant_id = $1 AND t.trace_id = s.trace_id' },
    tenant: 's.tenant_id',
    time: 's."timestamp"',
    live: 's.archived_at IS NULL',
    measures: {
      count: COUNT,
      cost: { expr: 's.cost_microcents', unit: 'cents', divisor: CENTS },
      duration: { expr: 's.duration_ms', unit: 'milliseconds' },
      errorRate: { expr: `CASE WHEN s.status = 'failure' THEN 1 ELSE 0 END`, unit: 'ratio' },
    },
    dimensions: { agent: { expr: 't.agent_id', join: 'agent' }, skill: { expr: 's.skill_name' }, status: { expr: 'upper(s.status::text)' } },
    filters: {
      agentId: { expr: 't.agent_id', join: 'agent' },
      runId: { expr: 't.run_id', join: 'agent' },
      skillName: { expr: 's.skill_name' },
      status: { expr: 's.status::text' },
    },
    statuses: { SUCCESS: 'success', FAILURE: 'failure', RETRY: 'retry', SKIPPED: 'skipped' },
  },
  llmRuns: {
    from: 'llm_run_records l',
    // The agent of an LLM run is its run's agent; a run never traced has none (null).
    joins: { agent: 'LEFT JOIN runs r ON r.tenant_id = $1 AND r.run_id = l.run_id' },
    tenant: 'l.tenant_id',
    time: 'l.started_at',
    live: 'true', // LLM run records are never archived
    measures: {
      count: COUNT,
      cost: { expr: 'l.cost_microcents', unit: 'cents', divisor: CENTS },
      duration: { expr: '(extract(epoch FROM l.completed_at - l.started_at) * 1000)::float8', unit: 'milliseconds' },
      inputTokens: { expr: 'l.input_tokens', unit: 'tokens' },
      outputTokens: { expr: 'l.output_tokens', unit: 'tokens' },
      tokens: { expr: '(l.input_tokens::bigint + l.output_tokens)', unit: 'tokens' },
      errorRate: { expr: `CASE WHEN l.execution_status <> 'SUCCEEDED' THEN 1 ELSE 0 END`, unit: 'ratio' },
    },
    dimensions: {
      agent: { expr: 'r.agent_id', join: 'agent' },
      model: { expr: 'l.model' },
      provider: { expr: 'l.provider' },
      status: { expr: 'l.execution_status::text' },
    },
    filters: {
      agentId: { expr: 'r.agent_id', join: 'agent' },
      model: { expr: 'l.model' },
      provider: { expr: 'l.provider' },
      status: { expr: 'l.execution_status::text' },
      runId: { expr: 'l.run_id' },
    },
    statuses: { SUCCEEDED: 'SUCCEEDED', FAILED: 'FAILED', ABORTED: 'ABORTED', TIMEOUT: 'TIMEOUT' },
  },
};

const PERCENTILES: Partial<Record<MetricAggregation, string>> = { p50: '0.5', p90: '0.9', p95: '0.95', p99: '0.99' };

function aggregateSql(aggregation: MetricAggregation, column: string, divisor: number | undefined): string {
  const percentile = PERCENTILES[aggregation];
  const raw =
    aggregation === 'count'
      ? `count(${column})`
      : aggregation === 'sum'
        ? `coalesce(sum(${column}), 0)` // the sum of nothing is 0, unlike SQL's null
        : percentile
          ? `percentile_cont(${percentile}) WITHIN GROUP (ORDER BY ${column}::float8)`
          : `${aggregation}(${column})`;
  if (!divisor || aggregation === 'count') return `(${raw})::float8`;
  // Exact aggregates of integer micro-cents stay numeric until the one division; percentiles are float already.
  return percentile ? `(${raw} / ${divisor}::float8)` : `(${raw}::numeric / ${divisor})::float8`;
}

const BUCKET_UNITS: Record<TimeBucket, string> = { minute: 'minute', hour: 'hour', day: 'day' };

// Spelled as the API spells them, so an error names what the caller sent.
const API_NAMES = {
  view: { traces: 'TRACES', steps: 'STEPS', llmRuns: 'LLM_RUNS' },
  measure: {
    count: 'COUNT',
    cost: 'COST',
    duration: 'DURATION',
    inputTokens: 'INPUT_TOKENS',
    outputTokens: 'OUTPUT_TOKENS',
    tokens: 'TOKENS',
    errorRate: 'ERROR_RATE',
  },
  dimension: { agent: 'AGENT', model: 'MODEL', provider: 'PROVIDER', status: 'STATUS', skill: 'SKILL' },
  bucket: { minute: 'MINUTE', hour: 'HOUR', day: 'DAY' },
} as const;

/** Refuses what the view cannot answer, before any SQL runs; errors name the input field. */
function check(q: MetricsQuery): ViewSql {
  const view = VIEWS[q.view];
  const viewName = API_NAMES.view[q.view];
  const L = METRICS_LIMITS;
  if (q.to.getTime() <= q.from.getTime()) throw badInput('`to` must be after `from`', 'input.to');
  const rangeDays = (q.to.getTime() - q.from.getTime()) / DAY_MS;
  if (rangeDays > L.maxRangeDays) throw badInput(`the time range may span at most ${L.maxRangeDays} days`, 'input.to');
  if (q.timeBucket && rangeDays > L.maxBucketRangeDays[q.timeBucket]) {
    throw badInput(
      `${API_NAMES.bucket[q.timeBucket]} buckets need a time range of at most ${L.maxBucketRangeDays[q.timeBucket]} days; use a coarser bucket or a shorter range`,
      'input.timeBucket',
    );
  }
  if (q.measures.length < 1 || q.measures.length > L.maxMeasures) throw badInput(`give 1 to ${L.maxMeasures} measures`, 'input.measures');
  q.measures.forEach(({ measure, aggregation }, i) => {
    if (!view.measures[measure]) throw badInput(`the ${viewName} view has no ${API_NAMES.measure[measure]} measure`, `input.measures.${i}.measure`);
    if (measure === 'count' && aggregation !== 'count') throw badInput('the COUNT measure takes only the COUNT aggregation', `input.measures.${i}.aggregation`);
    if (measure === 'errorRate' && aggregation !== 'avg') {
      throw badInput('ERROR_RATE is a share of rows and takes only the AVG aggregation', `input.measures.${i}.aggregation`);
    }
  });
  if (q.dimensions.length > L.maxDimensions) throw badInput(`at most ${L.maxDimensions} dimensions`, 'input.dimensions');
  q.dimensions.forEach((d, i) => {
    if (!view.dimensions[d]) throw badInput(`the ${viewName} view has no ${API_NAMES.dimension[d]} dimension`, `input.dimensions.${i}`);
    if (q.dimensions.indexOf(d) !== i) throw badInput(`dimension ${API_NAMES.dimension[d]} is given twice`, `input.dimensions.${i}`);
  });
  for (const [key, value] of Object.entries(q.filter) as [keyof MetricsFilter, string | undefined][]) {
    if (value === undefined) continue;
    if (!view.filters[key]) throw badInput(`the ${viewName} view cannot be filtered by ${key}`, `input.filter.${key}`);
    if (key === 'status' && !(value in view.statuses)) {
      throw badInput(`status of the ${viewName} view is one of ${Object.keys(view.statuses).join(', ')}`, 'input.filter.status');
    }
  }
  return view;
}

/** Collects bound parameters; `$1` is the tenant, `$2`/`$3` the range. */
function params(tenantId: string, from: Date, to: Date) {
  const values: unknown[] = [tenantId, from, to];
  return { values, bind: (value: unknown) => (values.push(value), `$${values.length}`) };
}

/** FROM … WHERE … of one view, with the columns `b` (bucket), `d0…` (dimensions) and `m0…` (measure values). */
function baseSelect(view: ViewSql, q: MetricsQuery, bind: (value: unknown) => string): string {
  const needsAgentJoin =
    q.dimensions.some((d) => view.dimensions[d]!.join === 'agent') ||
    (Object.keys(q.filter) as (keyof MetricsFilter)[]).some((k) => q.filter[k] !== undefined && view.filters[k]!.join === 'agent');
  const needsCost = q.measures.some((m) => m.measure === 'cost') && view.joins.cost;
  const columns = [
    q.timeBucket ? `date_trunc('${BUCKET_UNITS[q.timeBucket]}', ${view.time}, 'UTC') AS b` : 'NULL::timestamptz AS b',
    ...q.dimensions.map((d, i) => `${view.dimensions[d]!.expr} AS d${i}`),
    ...q.measures.map((m, i) => `${view.measures[m.measure]!.expr} AS m${i}`),
  ];
  const where = [`${view.tenant} = $1`, `${view.time} >= $2::timestamptz`, `${view.time} < $3::timestamptz`, view.live];
  for (const [key, value] of Object.entries(q.filter) as [keyof MetricsFilter, string | undefined][]) {
    if (value === undefined) continue;
    where.push(`${view.filters[key]!.expr} = ${bind(key === 'status' ? view.statuses[value] : value)}`);
  }
  return [
    `SELECT ${columns.join(', ')} FROM ${view.from}`,
    needsAgentJoin ? view.joins.agent! : '',
    needsCost ? view.joins.cost! : '',
    `WHERE ${where.join(' AND ')}`,
  ].join(' ');
}

/**
 * Refuses a grouped result with too many dimension-value combinations or too many rows. `found`
 * holds at most maxRows + 1 rows (the LIMIT): when it holds more than maxRows the result was cut,
 * and the counts seen are lower bounds, which the message says.
 */
function checkSize(q: MetricsQuery, found: Record<string, unknown>[]) {
  const { maxGroups, maxRows } = METRICS_LIMITS;
  const cut = found.length > maxRows;
  const groups = new Set(found.map((r) => JSON.stringify(q.dimensions.map((_d, i) => r[`d${i}`] ?? null)))).size;
  if (groups > maxGroups) {
    const count = (n: number) => (cut ? `at least ${n}` : `${n}`);
    const over = q.dimensions
      .map((d, i) => ({ name: API_NAMES.dimension[d], n: new Set(found.map((r) => r[`d${i}`] ?? null)).size }))
      .filter((d) => d.n > maxGroups);
    const what = over.length
      ? `dimension ${over.map((d) => `${d.name} has ${count(d.n)} values`).join(' and ')}`
      : `dimensions ${q.dimensions.map((d) => API_NAMES.dimension[d]).join(' × ')} have ${count(groups)} combinations`;
    throw badInput(`${what} in this range; at most ${maxGroups} groups — add a filter or shorten the range`, 'input.dimensions');
  }
  if (cut) {
    throw badInput(`the result would have more than ${maxRows} rows (groups × time buckets); use a coarser bucket or a shorter range`, 'input.timeBucket');
  }
}

export function createMetricsStore(db: Db) {
  return {
    /**
     * Aggregates one view over [from, to) for the tenant. Rows are ordered by bucket, then by the
     * dimension values (nulls last); buckets without data are absent. With neither dimensions nor
     * a time bucket there is exactly one row, even over no data (COUNT 0, SUM 0, AVG null).
     */
    async query(tenantId: string, q: MetricsQuery): Promise<MetricsResult> {
      const view = check(q);
      const p = params(tenantId, q.from, q.to);
      const keys = ['b', ...q.dimensions.map((_d, i) => `d${i}`)];
      const values = q.measures.map((m, i) => `${aggregateSql(m.aggregation, `m${i}`, view.measures[m.measure]!.divisor)} AS v${i}`);
      const grouped = q.dimensions.length > 0 || q.timeBucket !== undefined;
      // One pass: the sizes are checked on the grouped result itself, which the LIMIT keeps bounded
      // (a separate counting query first would scan the range twice).
      const text = grouped
        ? `SELECT ${[...keys, ...values].join(', ')} FROM (${baseSelect(view, q, p.bind)}) base
           GROUP BY ${keys.join(', ')} ORDER BY ${keys.join(', ')} LIMIT ${METRICS_LIMITS.maxRows + 1}`
        : `SELECT NULL::timestamptz AS b, ${values.join(', ')} FROM (${baseSelect(view, q, p.bind)}) base`;
      const found = await db.query<Record<string, unknown>>(text, p.values);
      checkSize(q, found);
      const rows = found.map((r) => ({
        bucket: r.b === null ? null : new Date(r.b as Date | string),
        dimensionValues: q.dimensions.map((_d, i) => (r[`d${i}`] ?? null) as string | null),
        values: q.measures.map((_m, i) => (r[`v${i}`] === null ? null : withoutFloatNoise(Number(r[`v${i}`])))),
      }));
      return {
        measures: q.measures.map((m) => ({ ...m, unit: m.aggregation === 'count' ? 'count' : view.measures[m.measure]!.unit })),
        rows,
        groupCount: new Set(rows.map((r) => JSON.stringify(r.dimensionValues))).size,
      };
    },
  };
}

export type MetricsStore = ReturnType<typeof createMetricsStore>;
