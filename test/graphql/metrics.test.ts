// The metrics query against known data: every answer is recomputed here in plain JS from what the
// test inserted (percentiles with percentile_cont's interpolation), in two tenants whose data share
// agent names and run ids, so a leak across tenants or a wrong join changes the numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlmCostByModelDaily, Metrics, StepLatencyByAgentHourly } from '../../src/client/operations/metrics.ts';
import type { MetricAggregation, MetricDimension, MetricMeasure, MetricMeasureInput, MetricsInput } from '../../src/client/generated/graphql.ts';
import { codeOf, gql, setup, sql, type TestEnv } from '../helpers.ts';

let env: TestEnv;

// ---------------------------------------------------------------- the data, as facts the test keeps

type View = 'TRACES' | 'STEPS' | 'LLM_RUNS';
type Fact = {
  time: Date;
  dims: Partial<Record<MetricDimension, string | null>>;
  values: Partial<Record<MetricMeasure, number | bigint | null>>;
  runId: string;
};
type Facts = Record<View, Fact[]>;

const DAY_MS = 86_400_000;
const FROM = new Date('2026-05-10T00:00:00.000Z');
const TO = new Date('2026-05-11T00:00:00.000Z');
const at = (base: Date, ms: number) => new Date(base.getTime() + Math.round(ms));

function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(rand: () => number, xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;

const SKILLS = ['search', 'fetch', 'summarise', 'plan'] as const;
const STEP_STATUSES = ['success', 'success', 'failure', 'retry', 'skipped'] as const;
const MODELS = [
  ['claude-sonnet-4', 'anthropic'],
  ['claude-haiku-4', 'anthropic'],
  ['gpt-4o', 'openai'],
] as const;
const LLM_STATUSES = ['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'FAILED', 'TIMEOUT', 'ABORTED'] as const;

/** Inserts one tenant's traces, steps and LLM runs through the stores, and returns what it inserted. */
async function seed(tenantId: string, seedValue: number, agents: (string | null)[]): Promise<Facts> {
  const rand = prng(seedValue);
  const facts: Facts = { TRACES: [], STEPS: [], LLM_RUNS: [] };
  const agentOfRun = new Map<string, string | null>();
  // Spread over the day, plus rows on both edges of [FROM, TO) and outside it.
  const starts = [
    ...Array.from({ length: 24 }, () => at(FROM, rand() * (DAY_MS - 10 * 60_000))),
    FROM,
    TO,
    at(FROM, -1),
    at(FROM, -3_600_000),
  ];
  for (const [i, startedAt] of starts.entries()) {
    const runId = `run-${i}`;
    const agent = agents[i % agents.length]!;
    agentOfRun.set(runId, agent);
    const status = (['completed', 'completed', 'failed', 'aborted', 'running'] as const)[i % 5]!;
    const steps = Array.from({ length: 1 + Math.floor(rand() * 5) }, (_s, k) => ({
      stepIndex: k,
      skillName: pick(rand, SKILLS),
      status: pick(rand, STEP_STATUSES),
      durationMs: Math.round(rand() * 5_000_000) / 1000,
      costMicrocents: BigInt(Math.floor(rand() * 5_000_000)),
      timestamp: at(startedAt, k * 90_000),
    }));
    const base = { runId, ...(agent ? { agentId: agent } : {}), startedAt };
    let completedAt: Date | null = null;
    if (status === 'running') {
      await env.stores.traces.start(tenantId, base);
      await env.stores.traces.recordSteps(tenantId, steps.map((s) => ({ ...s, traceId: `trace_${runId}` })));
    } else {
      completedAt = at(startedAt, 1 + rand() * 600_000);
      await env.stores.traces.store(tenantId, { ...base, status, completedAt, steps }, 'metrics-test');
    }
    facts.TRACES.push({
      time: startedAt,
      runId,
      dims: { AGENT: agent, STATUS: status.toUpperCase() },
      values: {
        COUNT: 1,
        COST: steps.reduce((sum, s) => sum + s.costMicrocents, 0n),
        DURATION: completedAt ? completedAt.getTime() - startedAt.getTime() : null,
        ERROR_RATE: status === 'failed' || status === 'aborted' ? 1 : 0,
      },
    });
    for (const s of steps) {
      facts.STEPS.push({
        time: s.timestamp,
        runId,
        dims: { AGENT: agent, SKILL: s.skillName, STATUS: s.status.toUpperCase() },
        values: { COUNT: 1, COST: s.costMicrocents, DURATION: s.durationMs, ERROR_RATE: s.status === 'failure' ? 1 : 0 },
      });
    }
  }
  // Archived rows never count: this trace and its steps are not in the facts.
  const archivedAt = at(FROM, 5 * 3_600_000);
  await env.stores.traces.store(
    tenantId,
    { runId: 'run-archived', agentId: agents[0]!, startedAt: archivedAt, completedAt: at(archivedAt, 1000), status: 'failed', steps: [{ stepIndex: 0, skillName: 'search', status: 'failure', durationMs: 99_999, costMicrocents: 999_999_999n, timestamp: archivedAt }] },
    'metrics-test',
  );
  await sql(env.db, `UPDATE aos_trace_steps SET archived_at = now() WHERE tenant_id = $1 AND trace_id = 'trace_run-archived'`, [tenantId]);
  await sql(env.db, `UPDATE aos_traces SET archived_at = now() WHERE tenant_id = $1 AND trace_id = 'trace_run-archived'`, [tenantId]);

  // LLM runs over three days; the first ones belong to traced runs (their agent), the rest to none.
  for (let i = 0; i < 40; i++) {
    const runId = i < 12 ? `run-${i}` : `llm-${i}`;
    const [model, provider] = pick(rand, MODELS);
    const status = pick(rand, LLM_STATUSES);
    const startedAt = i === 39 ? at(FROM, 3 * DAY_MS) : at(FROM, rand() * 3 * DAY_MS);
    const completedAt = i % 7 === 0 ? null : at(startedAt, rand() * 30_000);
    const inputTokens = Math.floor(rand() * 4000);
    const outputTokens = Math.floor(rand() * 1000);
    const costMicrocents = BigInt(Math.floor(rand() * 20_000_000));
    await env.stores.llmRuns.record(tenantId, {
      runId,
      provider,
      model,
      inputTokens,
      outputTokens,
      costMicrocents,
      executionStatus: status,
      startedAt,
      ...(completedAt ? { completedAt } : {}),
      source: 'SDK',
    });
    facts.LLM_RUNS.push({
      time: startedAt,
      runId,
      dims: { AGENT: agentOfRun.get(runId) ?? null, MODEL: model, PROVIDER: provider, STATUS: status },
      values: {
        COUNT: 1,
        COST: costMicrocents,
        DURATION: completedAt ? completedAt.getTime() - startedAt.getTime() : null,
        INPUT_TOKENS: inputTokens,
        OUTPUT_TOKENS: outputTokens,
        TOKENS: inputTokens + outputTokens,
        ERROR_RATE: status === 'SUCCEEDED' ? 0 : 1,
      },
    });
  }
  return facts;
}

// ---------------------------------------------------------------- the answers, recomputed in JS

const FILTER_DIMENSION = { agentId: 'AGENT', model: 'MODEL', provider: 'PROVIDER', status: 'STATUS', skillName: 'SKILL' } as const;
const BUCKET_MS = { MINUTE: 60_000, HOUR: 3_600_000, DAY: DAY_MS } as const;
const P = { P50: 0.5, P90: 0.9, P95: 0.95, P99: 0.99 } as const;

/** percentile_cont: linear interpolation between the two nearest ranks. */
function percentileCont(values: number[], p: number): number | null {
  if (!values.length) return null;
  const xs = [...values].sort((x, y) => x - y);
  const pos = p * (xs.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return xs[lo]! + (xs[hi]! - xs[lo]!) * (pos - lo);
}

function aggregate(measure: MetricMeasure, aggregation: MetricAggregation, raw: (number | bigint | null | undefined)[]): number | null {
  const present = raw.filter((v): v is number | bigint => v !== null && v !== undefined);
  if (aggregation === 'COUNT') return present.length;
  const scale = measure === 'COST' ? 1e6 : 1;
  if (aggregation === 'SUM') return measure === 'COST' ? Number(present.reduce<bigint>((s, v) => s + BigInt(v), 0n)) / scale : present.reduce<number>((s, v) => s + Number(v), 0);
  if (!present.length) return null;
  const xs = present.map(Number);
  if (aggregation === 'AVG') return xs.reduce((s, v) => s + v, 0) / xs.length / scale;
  if (aggregation === 'MIN') return Math.min(...xs) / scale;
  if (aggregation === 'MAX') return Math.max(...xs) / scale;
  return percentileCont(xs, P[aggregation])! / scale;
}

type Row = { bucket: string | null; dimensionValues: (string | null)[]; values: (number | null)[] };

function expected(facts: Fact[], input: MetricsInput): Row[] {
  const from = new Date(input.from).getTime();
  const to = new Date(input.to).getTime();
  const dims = (input.dimensions ?? []) as MetricDimension[];
  const filter = input.filter ?? {};
  const groups = new Map<string, Fact[]>();
  for (const f of facts) {
    const t = f.time.getTime();
    if (t < from || t >= to) continue;
    if (filter.runId && f.runId !== filter.runId) continue;
    if (Object.entries(FILTER_DIMENSION).some(([k, d]) => filter[k as keyof typeof FILTER_DIMENSION] != null && f.dims[d] !== filter[k as keyof typeof FILTER_DIMENSION])) continue;
    const bucket = input.timeBucket ? new Date(Math.floor(t / BUCKET_MS[input.timeBucket]) * BUCKET_MS[input.timeBucket]).toISOString() : null;
    const key = JSON.stringify([bucket, ...dims.map((d) => f.dims[d] ?? null)]);
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  if (!groups.size && !dims.length && !input.timeBucket) groups.set(JSON.stringify([null]), []);
  return [...groups].map(([key, members]) => {
    const [bucket, ...dimensionValues] = JSON.parse(key) as [string | null, ...(string | null)[]];
    return { bucket, dimensionValues, values: input.measures.map((m) => aggregate(m.measure, m.aggregation, members.map((f) => f.values[m.measure]))) };
  });
}

function expectSameRows(actual: Row[], wanted: Row[]) {
  const key = (r: Row) => JSON.stringify([r.bucket, ...r.dimensionValues]);
  expect(actual.map(key).sort()).toEqual(wanted.map(key).sort());
  const byKey = new Map(actual.map((r) => [key(r), r]));
  for (const w of wanted) {
    const got = byKey.get(key(w))!;
    w.values.forEach((v, i) => {
      if (v === null) expect(got.values[i], `${key(w)} value ${i}`).toBeNull();
      else expect(Math.abs(got.values[i]! - v), `${key(w)} value ${i}: ${got.values[i]} vs ${v}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v)));
    });
  }
}

// ---------------------------------------------------------------- helpers

let a: Facts;
let b: Facts;

const metrics = (input: MetricsInput, key = env.a.read) => gql(env.app, Metrics, { input }, key);

async function check(view: View, input: Omit<MetricsInput, 'view'>, facts = a, key = env.a.read) {
  const full = { view, ...input } as MetricsInput;
  const res = await metrics(full, key);
  expect(res.errors).toBeUndefined();
  expectSameRows(res.data!.metrics.rows, expected(facts[view], full));
  return res.data!.metrics;
}

const ALL_AGGREGATIONS: MetricAggregation[] = ['COUNT', 'SUM', 'AVG', 'MIN', 'MAX', 'P50', 'P90', 'P95', 'P99'];
const VIEW_MEASURES: Record<View, MetricMeasure[]> = {
  TRACES: ['COST', 'DURATION'],
  STEPS: ['COST', 'DURATION'],
  LLM_RUNS: ['COST', 'DURATION', 'INPUT_TOKENS', 'OUTPUT_TOKENS', 'TOKENS'],
};
/** Every valid (measure, aggregation) of a view, in requests of at most 10. */
function measureChunks(view: View) {
  const all = [
    { measure: 'COUNT' as const, aggregation: 'COUNT' as const },
    { measure: 'ERROR_RATE' as const, aggregation: 'AVG' as const },
    ...VIEW_MEASURES[view].flatMap((measure) => ALL_AGGREGATIONS.map((aggregation) => ({ measure, aggregation }))),
  ];
  return Array.from({ length: Math.ceil(all.length / 10) }, (_c, i) => all.slice(i * 10, i * 10 + 10));
}

const range = { from: FROM.toISOString(), to: TO.toISOString() };

beforeAll(async () => {
  env = await setup();
  a = await seed(env.a.tenantId, 1, ['agent-1', 'agent-2', 'agent-3', null]);
  // Same run ids and agent names in tenant b, with other values and another agent per run.
  b = await seed(env.b.tenantId, 2, ['agent-3', 'agent-1', null, 'agent-2', 'agent-4']);
}, 120_000);
afterAll(() => env?.close());

// ---------------------------------------------------------------- tests

describe('metrics: every measure and aggregation equals the value computed from the inserted data', () => {
  const cases: [View, MetricDimension[][]][] = [
    ['TRACES', [[], ['AGENT'], ['STATUS'], ['AGENT', 'STATUS']]],
    ['STEPS', [[], ['AGENT'], ['SKILL'], ['STATUS'], ['AGENT', 'SKILL', 'STATUS']]],
    ['LLM_RUNS', [[], ['AGENT'], ['MODEL'], ['PROVIDER'], ['STATUS'], ['PROVIDER', 'MODEL']]],
  ];
  for (const [view, dimensionSets] of cases) {
    for (const dimensions of dimensionSets) {
      it(`${view} grouped by [${dimensions.join(', ')}]`, async () => {
        for (const measures of measureChunks(view)) {
          const result = await check(view, { measures, dimensions, ...range });
          expect(result.dimensions).toEqual(dimensions);
          expect(result.groupCount).toBe(new Set(result.rows.map((r) => JSON.stringify(r.dimensionValues))).size);
        }
      });
    }
  }

  it('sums cost exactly in micro-cents and returns cents, with units per measure', async () => {
    const res = await metrics({
      view: 'STEPS',
      measures: [
        { measure: 'COST', aggregation: 'SUM' },
        { measure: 'DURATION', aggregation: 'AVG' },
        { measure: 'ERROR_RATE', aggregation: 'AVG' },
        { measure: 'COST', aggregation: 'COUNT' },
      ],
      ...range,
    });
    const inRange = a.STEPS.filter((f) => f.time >= FROM && f.time < TO);
    const micro = inRange.reduce((s, f) => s + (f.values.COST as bigint), 0n);
    expect(res.data!.metrics.rows[0]!.values[0]).toBe(Number(micro) / 1e6);
    expect(res.data!.metrics.measures.map((m) => m.unit)).toEqual(['CENTS', 'MILLISECONDS', 'RATIO', 'COUNT']);
  });

  it('leaves running traces out of DURATION but counts them, and a trace costs the sum of its steps', async () => {
    const result = await check('TRACES', {
      measures: [
        { measure: 'COUNT', aggregation: 'COUNT' },
        { measure: 'DURATION', aggregation: 'COUNT' },
        { measure: 'COST', aggregation: 'SUM' },
      ],
      dimensions: ['STATUS'],
      ...range,
    });
    const running = result.rows.find((r) => r.dimensionValues[0] === 'RUNNING')!;
    expect(running.values[0]).toBeGreaterThan(0);
    expect(running.values[1]).toBe(0);
    expect(running.values[2]).toBeGreaterThan(0);
  });

  it('gives the LLM run of a traced run its agent, and none to an untraced one', async () => {
    const result = await check('LLM_RUNS', { measures: [{ measure: 'COUNT', aggregation: 'COUNT' }], dimensions: ['AGENT'], from: FROM.toISOString(), to: at(FROM, 3 * DAY_MS).toISOString() });
    expect(result.rows.at(-1)!.dimensionValues).toEqual([null]); // nulls last
    expect(result.rows.map((r) => r.dimensionValues[0])).toContain('agent-1');
  });
});

describe('metrics: time buckets', () => {
  it('StepLatencyByAgentHourly: p95 and p50 step duration per agent per hour over a day', async () => {
    const res = await gql(env.app, StepLatencyByAgentHourly, range, env.a.read);
    expect(res.errors).toBeUndefined();
    const rows = res.data!.metrics.rows;
    const wanted = expected(a.STEPS, {
      view: 'STEPS',
      measures: [{ measure: 'DURATION', aggregation: 'P95' }, { measure: 'DURATION', aggregation: 'P50' }, { measure: 'COUNT', aggregation: 'COUNT' }],
      dimensions: ['AGENT'],
      timeBucket: 'HOUR',
      ...range,
    });
    expectSameRows(rows, wanted);
    expect(new Set(rows.map((r) => r.bucket)).size).toBeGreaterThan(5);
    for (const r of rows) expect(new Date(r.bucket!).getTime() % 3_600_000).toBe(0);
    expect(rows.map((r) => r.bucket)).toEqual([...rows.map((r) => r.bucket)].sort());
    expect(res.data!.metrics.groupCount).toBe(4); // three agents and "no agent"
  });

  it('LlmCostByModelDaily: cost and tokens per model per day, optionally for one provider', async () => {
    const vars = { from: FROM.toISOString(), to: at(FROM, 3 * DAY_MS).toISOString() };
    const input: MetricsInput = {
      view: 'LLM_RUNS',
      measures: [{ measure: 'COST', aggregation: 'SUM' }, { measure: 'TOKENS', aggregation: 'SUM' }, { measure: 'ERROR_RATE', aggregation: 'AVG' }],
      dimensions: ['MODEL'],
      timeBucket: 'DAY',
      ...vars,
    };
    const all = await gql(env.app, LlmCostByModelDaily, vars, env.a.read);
    expect(all.errors).toBeUndefined();
    expectSameRows(all.data!.metrics.rows, expected(a.LLM_RUNS, input));
    expect(new Set(all.data!.metrics.rows.map((r) => r.bucket))).toEqual(new Set(['2026-05-10T00:00:00.000Z', '2026-05-11T00:00:00.000Z', '2026-05-12T00:00:00.000Z']));
    const openai = await gql(env.app, LlmCostByModelDaily, { ...vars, provider: 'openai' }, env.a.read);
    expectSameRows(openai.data!.metrics.rows, expected(a.LLM_RUNS, { ...input, filter: { provider: 'openai' } }));
    expect(openai.data!.metrics.rows.every((r) => r.dimensionValues[0] === 'gpt-4o')).toBe(true);
  });

  it('buckets traces by hour and steps by minute and day', async () => {
    await check('TRACES', { measures: [{ measure: 'COUNT', aggregation: 'COUNT' }, { measure: 'DURATION', aggregation: 'P90' }], timeBucket: 'HOUR', ...range });
    await check('STEPS', { measures: [{ measure: 'COST', aggregation: 'SUM' }], dimensions: ['SKILL'], timeBucket: 'MINUTE', ...range });
    await check('STEPS', { measures: [{ measure: 'COST', aggregation: 'MAX' }], timeBucket: 'DAY', from: at(FROM, -DAY_MS).toISOString(), to: at(TO, DAY_MS).toISOString() });
  });

  it('aligns buckets to UTC even when the range starts mid-bucket', async () => {
    const from = at(FROM, 90 * 60_000).toISOString();
    const result = await check('STEPS', { measures: [{ measure: 'COUNT', aggregation: 'COUNT' }], timeBucket: 'HOUR', from, to: range.to });
    expect(result.rows[0]!.bucket! >= '2026-05-10T01:00:00.000Z').toBe(true);
  });
});

describe('metrics: ranges and filters', () => {
  it('counts a row at `from` and not one at `to`', async () => {
    const edge = await check('TRACES', { measures: [{ measure: 'COUNT', aggregation: 'COUNT' }], from: FROM.toISOString(), to: at(FROM, 1).toISOString() });
    expect(edge.rows[0]!.values).toEqual([1]);
    const before = await check('TRACES', { measures: [{ measure: 'COUNT', aggregation: 'COUNT' }], from: at(FROM, -1).toISOString(), to: FROM.toISOString() });
    expect(before.rows[0]!.values).toEqual([1]);
    const end = await check('TRACES', { measures: [{ measure: 'COUNT', aggregation: 'COUNT' }], from: at(TO, -1).toISOString(), to: TO.toISOString() });
    expect(end.rows[0]!.values).toEqual([0]);
  });

  it('answers one row over an empty range (COUNT 0, SUM 0, AVG null) and no rows when grouped', async () => {
    const measures = [
      { measure: 'COUNT', aggregation: 'COUNT' },
      { measure: 'COST', aggregation: 'SUM' },
      { measure: 'DURATION', aggregation: 'AVG' },
      { measure: 'DURATION', aggregation: 'P99' },
    ] as const;
    const empty = { from: '2020-01-01T00:00:00Z', to: '2020-01-02T00:00:00Z' };
    const one = await metrics({ view: 'STEPS', measures: [...measures], ...empty });
    expect(one.data!.metrics.rows).toEqual([{ bucket: null, dimensionValues: [], values: [0, 0, null, null] }]);
    const grouped = await metrics({ view: 'STEPS', measures: [...measures], dimensions: ['AGENT'], timeBucket: 'HOUR', ...empty });
    expect(grouped.data!.metrics).toMatchObject({ rows: [], groupCount: 0 });
  });

  it('filters each view by each of its fields', async () => {
    const measures = [{ measure: 'COUNT', aggregation: 'COUNT' }, { measure: 'COST', aggregation: 'SUM' }] as const;
    const cases: [View, MetricsInput['filter']][] = [
      ['TRACES', { agentId: 'agent-2' }],
      ['TRACES', { status: 'FAILED' }],
      ['TRACES', { runId: 'run-3' }],
      ['STEPS', { agentId: 'agent-1', status: 'FAILURE' }],
      ['STEPS', { skillName: 'plan' }],
      ['STEPS', { runId: 'run-5' }],
      ['LLM_RUNS', { model: 'claude-haiku-4' }],
      ['LLM_RUNS', { provider: 'anthropic', status: 'SUCCEEDED' }],
      ['LLM_RUNS', { agentId: 'agent-3' }],
      ['LLM_RUNS', { runId: 'run-7' }],
    ];
    for (const [view, filter] of cases) {
      const result = await check(view, { measures: [...measures], dimensions: view === 'STEPS' ? ['SKILL'] : ['STATUS'], filter, from: FROM.toISOString(), to: at(FROM, 3 * DAY_MS).toISOString() });
      expect(result.rows.length, `${view} ${JSON.stringify(filter)}`).toBeGreaterThan(0);
    }
  });

  it('binds filter values as parameters: SQL in a filter value is a value that matches nothing', async () => {
    // Filters accept any stored text (they store nothing), quotes included, so binding is the whole defence.
    for (const model of ['x OR 1 - 1', "x' OR '1'='1"]) {
      const res = await metrics({ view: 'LLM_RUNS', measures: [{ measure: 'COUNT', aggregation: 'COUNT' }], filter: { model }, ...range });
      expect(res.errors).toBeUndefined();
      expect(res.data!.metrics.rows[0]!.values).toEqual([0]);
    }
  });

  it('excludes archived traces and steps', async () => {
    const res = await metrics({ view: 'STEPS', measures: [{ measure: 'DURATION', aggregation: 'MAX' }, { measure: 'COUNT', aggregation: 'COUNT' }], filter: { runId: 'run-archived' }, ...range });
    expect(res.data!.metrics.rows[0]!.values).toEqual([null, 0]);
    const [stored] = await sql<{ n: number }>(env.db, `SELECT count(*)::int AS n FROM aos_trace_steps WHERE tenant_id = $1 AND trace_id = 'trace_run-archived'`, [env.a.tenantId]);
    expect(stored!.n).toBe(1);
  });
});

describe('metrics: tenancy', () => {
  it("never counts another tenant's rows, also through the agent joins", async () => {
    for (const view of ['TRACES', 'STEPS', 'LLM_RUNS'] as View[]) {
      const input = { measures: [{ measure: 'COUNT' as const, aggregation: 'COUNT' as const }, { measure: 'COST' as const, aggregation: 'SUM' as const }], dimensions: ['AGENT' as const], from: FROM.toISOString(), to: at(FROM, 3 * DAY_MS).toISOString() };
      const ofA = await check(view, input, a, env.a.read);
      const ofB = await check(view, input, b, env.b.read);
      expect(ofA.rows).not.toEqual(ofB.rows);
      expect(ofB.rows.map((r) => r.dimensionValues[0])).toContain('agent-4');
      expect(ofA.rows.map((r) => r.dimensionValues[0])).not.toContain('agent-4');
    }
  });

  it('needs a key', async () => {
    const res = await gql(env.app, Metrics, { input: { view: 'TRACES', measures: [{ measure: 'COUNT', aggregation: 'COUNT' }], ...range } }, null);
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
  });
});

describe('metrics: refusals', () => {
  const count: MetricMeasureInput[] = [{ measure: 'COUNT', aggregation: 'COUNT' }];

  it('requires a time range', async () => {
    const res = await gql(env.app, `query { metrics(input: { view: TRACES, measures: [{ measure: COUNT, aggregation: COUNT }] }) { groupCount } }`, {}, env.a.read);
    expect(res.errors?.[0]?.message).toMatch(/from.*required|required.*from/i);
    expect(res.data ?? null).toBeNull();
  });

  it.each([
    ['`to` not after `from`', { from: range.to, to: range.to }, 'input.to'],
    ['more than 400 days', { from: '2025-01-01T00:00:00Z', to: '2026-02-06T00:00:00Z' }, 'input.to'],
    ['MINUTE over more than 7 days', { timeBucket: 'MINUTE', from: '2026-05-01T00:00:00Z', to: '2026-05-08T00:00:01Z' }, 'input.timeBucket'],
    ['HOUR over more than 90 days', { timeBucket: 'HOUR', from: '2026-01-01T00:00:00Z', to: '2026-04-02T00:00:00Z' }, 'input.timeBucket'],
  ] as const)('refuses a range with %s', async (_name, extra, field) => {
    const res = await metrics({ view: 'TRACES', measures: count, ...range, ...extra } as MetricsInput);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0]!.extensions!.field).toBe(field);
  });

  it('accepts the longest allowed ranges', async () => {
    for (const extra of [
      { from: '2025-01-01T00:00:00Z', to: '2026-02-05T00:00:00Z' },
      { timeBucket: 'MINUTE' as const, from: '2026-05-01T00:00:00Z', to: '2026-05-08T00:00:00Z' },
      { timeBucket: 'HOUR' as const, from: '2026-01-01T00:00:00Z', to: '2026-04-01T00:00:00Z' },
    ]) {
      const res = await metrics({ view: 'TRACES', measures: count, ...extra });
      expect(res.errors).toBeUndefined();
    }
  });

  it.each([
    ['TOKENS on traces', { view: 'TRACES', measures: [{ measure: 'TOKENS', aggregation: 'SUM' }] }, 'input.measures.0.measure', /TRACES.*TOKENS/],
    ['INPUT_TOKENS on steps', { view: 'STEPS', measures: [...count, { measure: 'INPUT_TOKENS', aggregation: 'AVG' }] }, 'input.measures.1.measure', /INPUT_TOKENS/],
    ['SKILL on traces', { view: 'TRACES', measures: count, dimensions: ['SKILL'] }, 'input.dimensions.0', /SKILL/],
    ['MODEL on steps', { view: 'STEPS', measures: count, dimensions: ['AGENT', 'MODEL'] }, 'input.dimensions.1', /MODEL/],
    ['SKILL on LLM runs', { view: 'LLM_RUNS', measures: count, dimensions: ['SKILL'] }, 'input.dimensions.0', /SKILL/],
    ['a dimension twice', { view: 'STEPS', measures: count, dimensions: ['SKILL', 'SKILL'] }, 'input.dimensions.1', /twice/],
    ['COUNT summed', { view: 'STEPS', measures: [{ measure: 'COUNT', aggregation: 'SUM' }] }, 'input.measures.0.aggregation', /COUNT/],
    ['ERROR_RATE as a percentile', { view: 'STEPS', measures: [{ measure: 'ERROR_RATE', aggregation: 'P95' }] }, 'input.measures.0.aggregation', /AVG/],
    ['a model filter on traces', { view: 'TRACES', measures: count, filter: { model: 'gpt-4o' } }, 'input.filter.model', /model/],
    ['a skill filter on LLM runs', { view: 'LLM_RUNS', measures: count, filter: { skillName: 'plan' } }, 'input.filter.skillName', /skillName/],
    ["another view's status", { view: 'TRACES', measures: count, filter: { status: 'SUCCEEDED' } }, 'input.filter.status', /RUNNING, COMPLETED, FAILED, ABORTED/],
  ] as const)('refuses %s, naming it', async (_name, input, field, message) => {
    const res = await metrics({ ...range, ...input } as MetricsInput);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0]!.extensions!.field).toBe(field);
    expect(res.errors![0]!.message).toMatch(message);
  });

  it.each([
    ['no measures', { measures: [] }, 'input.measures'],
    ['11 measures', { measures: Array(11).fill(count[0]) }, 'input.measures'],
    ['4 dimensions', { dimensions: ['AGENT', 'SKILL', 'STATUS', 'MODEL'] }, 'input.dimensions'],
  ] as const)('refuses %s', async (_name, extra, field) => {
    const res = await metrics({ view: 'STEPS', measures: count, ...range, ...extra } as MetricsInput);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0]!.extensions!.fields).toEqual([field]);
  });
});

describe('metrics: high-cardinality dimensions', () => {
  const day = (d: string) => ({ from: `${d}T00:00:00Z`, to: `${d}T23:59:59Z` });
  const count: MetricMeasureInput[] = [{ measure: 'COUNT', aggregation: 'COUNT' }, { measure: 'DURATION', aggregation: 'P95' }];

  beforeAll(async () => {
    const startedAt = new Date('2026-06-01T08:00:00Z');
    const steps = Array.from({ length: 250 }, (_s, i) => ({ stepIndex: i, skillName: `skill-${i}`, status: 'success' as const, durationMs: i, timestamp: at(startedAt, i * 1000) }));
    await env.stores.traces.store(env.a.tenantId, { runId: 'many-skills', agentId: 'agent-x', startedAt, completedAt: at(startedAt, 300_000), steps }, 'metrics-test');
    // 15 agents × 15 skills: each dimension alone is fine, the combination is not.
    for (let g = 0; g < 15; g++) {
      const start = new Date(`2026-06-02T${String(g).padStart(2, '0')}:00:00Z`);
      await env.stores.traces.store(
        env.a.tenantId,
        { runId: `grid-${g}`, agentId: `agent-${g}`, startedAt: start, completedAt: at(start, 60_000), steps: Array.from({ length: 15 }, (_s, k) => ({ stepIndex: k, skillName: `skill-${k}`, status: 'success' as const, timestamp: at(start, k * 1000) })) },
        'metrics-test',
      );
    }
  }, 60_000);

  it('refuses a dimension with more than 200 values in the range, naming it and its count', async () => {
    const res = await metrics({ view: 'STEPS', measures: count, dimensions: ['SKILL'], ...day('2026-06-01') });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0]!.extensions!.field).toBe('input.dimensions');
    expect(res.errors![0]!.message).toMatch(/dimension SKILL has 250 values in this range; at most 200/);
  });

  it('answers the same dimension once a filter or a shorter range brings it under the limit', async () => {
    const filtered = await metrics({ view: 'STEPS', measures: count, dimensions: ['SKILL'], filter: { skillName: 'skill-7' }, ...day('2026-06-01') });
    expect(filtered.data!.metrics.rows).toEqual([{ bucket: null, dimensionValues: ['skill-7'], values: [1, 7] }]);
    // Steps are one second apart: the first 200 seconds hold exactly 200 skills.
    const shorter = await metrics({ view: 'STEPS', measures: count, dimensions: ['SKILL'], from: '2026-06-01T08:00:00Z', to: '2026-06-01T08:03:20Z' });
    expect(shorter.errors).toBeUndefined();
    expect(shorter.data!.metrics.groupCount).toBe(200);
  });

  it('refuses a combination of dimensions with more than 200 values', async () => {
    for (const dimensions of [['AGENT'], ['SKILL']] as MetricDimension[][]) {
      expect((await metrics({ view: 'STEPS', measures: count, dimensions, ...day('2026-06-02') })).data!.metrics.groupCount).toBe(15);
    }
    const res = await metrics({ view: 'STEPS', measures: count, dimensions: ['AGENT', 'SKILL'], ...day('2026-06-02') });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0]!.message).toMatch(/AGENT × SKILL have 225 combinations.*at most 200/);
  });

  it('refuses more than 10,000 rows (groups × buckets), with or without dimensions', async () => {
    const { trace } = await env.stores.traces.start(env.a.tenantId, { runId: 'ticks', agentId: 'ticker', startedAt: new Date('2026-07-01T00:00:00Z') });
    // One step a minute for 10,001 minutes, written directly: the stores take 1,000 at a time.
    await sql(
      env.db,
      `INSERT INTO aos_trace_steps (tenant_id, trace_id, step_index, skill_id, skill_name, status, level, outcome_category, content_hash, "timestamp", trace_started_at)
       SELECT $1, $2, g, 'tick', 'tick', 'success', 'INFO', 'SUCCESS', repeat('0', 64), '2026-07-01T00:00:00Z'::timestamptz + g * interval '1 minute', '2026-07-01T00:00:00Z'
       FROM generate_series(0, 10000) g`,
      [env.a.tenantId, trace.traceId],
    );
    const week = { from: '2026-07-01T00:00:00Z', to: '2026-07-08T00:00:00Z' };
    for (const dimensions of [[], ['SKILL']] as MetricDimension[][]) {
      const res = await metrics({ view: 'STEPS', measures: count, dimensions, timeBucket: 'MINUTE', ...week });
      expect(codeOf(res), `dimensions [${dimensions.join()}]`).toBe('BAD_USER_INPUT');
      expect(res.errors![0]!.extensions!.field).toBe('input.timeBucket');
      expect(res.errors![0]!.message).toMatch(/10000/);
    }
    const hourly = await metrics({ view: 'STEPS', measures: count, dimensions: ['SKILL'], timeBucket: 'HOUR', ...week });
    expect(hourly.errors).toBeUndefined();
    expect(hourly.data!.metrics.rows.reduce((s, r) => s + r.values[0]!, 0)).toBe(10_001);
  });

  it('names the dimension, with a lower bound, when both the groups and the rows are over the limits', async () => {
    // 10,001 minutes cycling through 250 skills: the first 10,001 rows (all the query reads) hold all 250.
    const { trace } = await env.stores.traces.start(env.a.tenantId, { runId: 'many-ticks', agentId: 'ticker', startedAt: new Date('2026-08-01T00:00:00Z') });
    await sql(
      env.db,
      `INSERT INTO aos_trace_steps (tenant_id, trace_id, step_index, skill_id, skill_name, status, level, outcome_category, content_hash, "timestamp", trace_started_at)
       SELECT $1, $2, g, 'tick', 'tick-' || (g % 250), 'success', 'INFO', 'SUCCESS', repeat('0', 64), '2026-08-01T00:00:00Z'::timestamptz + g * interval '1 minute', '2026-08-01T00:00:00Z'
       FROM generate_series(0, 10000) g`,
      [env.a.tenantId, trace.traceId],
    );
    const res = await metrics({ view: 'STEPS', measures: count, dimensions: ['SKILL'], timeBucket: 'MINUTE', from: '2026-08-01T00:00:00Z', to: '2026-08-08T00:00:00Z' });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0]!.extensions!.field).toBe('input.dimensions');
    expect(res.errors![0]!.message).toMatch(/dimension SKILL has at least 250 values in this range; at most 200/);
  });
});
