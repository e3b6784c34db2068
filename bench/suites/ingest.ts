// Ingest benchmarks: recordTraceSteps in batches and recordTraceStep one at a time, next to the
// same rows written raw into the same table (same constraints, indexes, triggers): the floor is
// COPY FROM STDIN, the fastest way in; a multi-row INSERT … VALUES is shown beside it.
// Each worker appends to its own running trace of the ingest tenant, made fresh for every run.
// The harness runs these on a copy of the dataset, dropped afterwards (see cloneDataset).
import type pg from 'pg';
import { buildWorld } from '../lib/catalog.ts';
import type { Op, Variant } from '../lib/measure.ts';
import { Rng } from '../lib/prng.ts';
import { traceSteps, type StepRow } from '../lib/steps.ts';
import { copyRows } from '../lib/writer.ts';
import type { Bench, SuiteContext } from './types.ts';

const TEMPLATES = 2000;

const RECORD_STEPS = `mutation BenchRecordTraceSteps($steps: [TraceStepInput!]!) {
  recordTraceSteps(input: { steps: $steps }) { createdCount }
}`;
const RECORD_STEP = `mutation BenchRecordTraceStep($step: TraceStepInput!) {
  recordTraceStep(input: $step) { outcome }
}`;

const COLUMNS = [
  'tenant_id', 'trace_id', 'step_index', 'skill_id', 'skill_name', 'params', 'status', 'level', 'outcome_category', 'outcome_code',
  'outcome_data', 'cost_microcents', 'duration_ms', 'retry_count', 'input_hash', 'output_hash', 'rng_state_before', 'idempotency_key',
  'replay_behavior', 'source', 'timestamp', 'is_synthetic', 'synthetic_scenario_id', 'content_hash', 'trace_started_at',
] as const;

/** started_at of the traces the floor variants write into: their steps' partition key (docs/partitions.md). */
const TRACES_STARTED_AT = '2026-11-01T00:00:00.000Z';

const cents = (micro: number) => `${Math.floor(micro / 1e6)}.${String(micro % 1e6).padStart(6, '0')}`;

/** Step payloads drawn like the generator's, without trace id and index (set per request). */
export function templates(): StepRow[] {
  const agent = buildWorld(42)[0]!.agents[0]!;
  const rows: StepRow[] = [];
  traceSteps(new Rng(99, 11), { tenantId: '', traceId: '', runId: 'ingest', agent, count: TEMPLATES, startMs: Date.parse('2026-11-01T00:00:00Z'), failAtEnd: false, syntheticScenarioId: null }, rows);
  return rows;
}

export function toInput(s: StepRow, traceId: string, stepIndex: number) {
  return {
    traceId,
    stepIndex,
    skillName: s.skill_name,
    params: s.params,
    status: s.status.toUpperCase(),
    outcomeCode: s.outcome_code,
    outcomeData: s.outcome_data,
    costCents: cents(s.cost_microcents),
    durationMs: s.duration_ms,
    retryCount: s.retry_count,
    rngStateBefore: s.rng_state_before,
    idempotencyKey: s.idempotency_key === null ? null : `${traceId}:${stepIndex}`,
    replayBehavior: s.replay_behavior.toUpperCase(),
    source: s.source.toUpperCase(),
    timestamp: s.timestamp,
  };
}

/** The row exactly as the server stores it (less id and recorded_at, which default). */
function toRow(tenantId: string, s: StepRow, traceId: string, stepIndex: number): Record<(typeof COLUMNS)[number], unknown> {
  return {
    tenant_id: tenantId,
    trace_id: traceId,
    step_index: stepIndex,
    skill_id: s.skill_id,
    skill_name: s.skill_name,
    params: JSON.stringify(s.params),
    status: s.status,
    level: s.level,
    outcome_category: s.outcome_category,
    outcome_code: s.outcome_code,
    outcome_data: s.outcome_data === null ? null : JSON.stringify(s.outcome_data),
    cost_microcents: s.cost_microcents,
    duration_ms: s.duration_ms,
    retry_count: s.retry_count,
    input_hash: s.input_hash,
    output_hash: s.output_hash,
    rng_state_before: s.rng_state_before,
    idempotency_key: s.idempotency_key === null ? null : `${traceId}:${stepIndex}`,
    replay_behavior: s.replay_behavior,
    source: s.source,
    timestamp: s.timestamp,
    is_synthetic: false,
    synthetic_scenario_id: null,
    content_hash: s.content_hash,
    trace_started_at: TRACES_STARTED_AT,
  };
}

function insertSql(rows: number): string {
  const tuples = Array.from({ length: rows }, (_, r) => `(${COLUMNS.map((_c, c) => `$${r * COLUMNS.length + c + 1}`).join(', ')})`);
  return `INSERT INTO aos_trace_steps (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES ${tuples.join(', ')}`;
}

/** Fresh running traces (and their runs) for one run of one variant: one per worker. */
async function openTraces(pool: pg.Pool, tenantId: string, prefix: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, w) => `${prefix}-w${w}`);
  await pool.query(
    `INSERT INTO runs (tenant_id, run_id, agent_id) SELECT $1, r, 'ingest-agent' FROM unnest($2::text[]) AS r`,
    [tenantId, ids],
  );
  await pool.query(
    `INSERT INTO aos_traces (tenant_id, trace_id, run_id, correlation_id, agent_id, status, request_digest, started_at)
     SELECT $1, 'trace_' || r, r, r, 'ingest-agent', 'running', md5(r) || md5(r), $3 FROM unnest($2::text[]) AS r`,
    [tenantId, ids, TRACES_STARTED_AT],
  );
  return ids.map((r) => `trace_${r}`);
}

export function ingestBenches(ctx: SuiteContext): Bench[] {
  const steps = templates();
  const nonce = Date.now().toString(36);
  // Every setup opens new traces, even when a failed benchmark is measured again with the same tags.
  let opened = 0;

  /** ours/floor for one shape: `batch` steps per request at `concurrency`. */
  function bench(group: string, title: string, batch: number, concurrency: number): Bench {
    const sql = insertSql(batch);
    const state = (side: string) => {
      const s = { traces: [] as string[], next: [] as number[] };
      const first = () => s.traces[0]!;
      const setup = async (tag: string) => {
        opened += 1;
        s.traces = await openTraces(ctx.pool, ctx.ingestTenantId, `ingest-${nonce}-${group}-${side}-${tag}-${opened}`, concurrency);
        s.next = s.traces.map(() => 0);
      };
      /** The next `batch` steps of this worker's trace. */
      const take = (worker: number) => {
        const start = s.next[worker]!;
        s.next[worker] = start + batch;
        return Array.from({ length: batch }, (_, k) => ({ step: steps[(start + k) % TEMPLATES]!, traceId: s.traces[worker]!, index: start + k }));
      };
      return { setup, take, first };
    };
    const o = state('ours');
    const f = state('floor');
    const v = state('values');
    const oursOp: Op = async ({ worker }) => {
      const items = o.take(worker).map((x) => toInput(x.step, x.traceId, x.index));
      if (batch === 1) await ctx.writer.request(RECORD_STEP, { step: items[0] });
      else await ctx.writer.request(RECORD_STEPS, { steps: items });
      return batch;
    };
    const rows = (side: typeof f, worker: number) => side.take(worker).map((x) => toRow(ctx.ingestTenantId, x.step, x.traceId, x.index));
    const floorOp: Op = async ({ worker }) => {
      await copyRows(ctx.pool, 'aos_trace_steps', [...COLUMNS], rows(f, worker));
      return batch;
    };
    const valuesOp: Op = async ({ worker }) => {
      await ctx.pool.query(sql, rows(v, worker).flatMap((r) => COLUMNS.map((c) => r[c])));
      return batch;
    };
    const ours: Variant = { label: 'ours', op: oursOp, setup: o.setup, viaServer: true };
    const floor: Variant = { label: 'floor (COPY)', op: floorOp, setup: f.setup, viaServer: false };
    const values: Variant = { label: 'multi-row INSERT … VALUES', op: valuesOp, setup: v.setup, viaServer: false };
    return {
      group,
      title,
      concurrency,
      unit: 'steps',
      ours,
      floor,
      baselines: [values],
      check: async () => {
        await o.setup('check');
        await f.setup('check');
        await v.setup('check');
        await oursOp({ worker: 0, i: 0 });
        await floorOp({ worker: 0, i: 0 });
        await valuesOp({ worker: 0, i: 0 });
        const { rows } = await ctx.pool.query<{ trace_id: string; n: number }>(
          `SELECT trace_id, count(*)::int AS n FROM aos_trace_steps WHERE tenant_id = $1 AND trace_id = ANY($2) GROUP BY 1`,
          [ctx.ingestTenantId, [o.first(), f.first(), v.first()]],
        );
        if (rows.length !== 3 || rows.some((r) => r.n !== batch)) throw new Error(`${group}: expected ${batch} steps on each side, got ${JSON.stringify(rows)}`);
        return `same rows (${batch} step${batch > 1 ? 's' : ''} each)`;
      },
    };
  }

  return [
    bench('ingest-100', 'Ingest: recordTraceSteps, batches of 100', 100, 4),
    bench('ingest-500', 'Ingest: recordTraceSteps, batches of 500', 500, 4),
    bench('ingest-single', 'Ingest: recordTraceStep, one step a request', 1, 16),
  ];
}
