// Month partitions of the trace steps (issue 14 §3, docs/partitions.md): the maintenance job makes
// them ahead, DEFAULT catches a step outside them, uniqueness and idempotency hold as before
// across partitions, and retention drops a whole past month while it keeps what is not due.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { runRetention } from '../../src/cli/retention.ts';
import { startPartitionMaintenance } from '../../src/partition-maintenance.ts';
import { monthStart } from '../../src/stores/partitions.ts';
import type { SpanStepInput } from '../../src/stores/otlp-spans.ts';
import { setup, sql, usingPostgres, type TestEnv } from '../helpers.ts';

let env: TestEnv;
let a: string;
let b: string;

const partitionOf = async (tenant: string, traceId: string) =>
  (await sql<{ p: string }>(env.db, `SELECT DISTINCT tableoid::regclass::text AS p FROM aos_trace_steps WHERE tenant_id = $1 AND trace_id = $2`, [tenant, traceId])).map((r) => r.p);

const partitions = async () =>
  (await sql<{ name: string }>(env.db, `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'aos_trace_steps'::regclass ORDER BY 1`)).map((r) => r.name);

const steps = (n: number) => Array.from({ length: n }, (_, stepIndex) => ({ stepIndex, skillName: `skill-${stepIndex}`, status: 'success' as const }));

async function storeTrace(tenant: string, runId: string, startedAt: Date, n = 3) {
  const { trace } = await env.stores.traces.store(tenant, { runId, startedAt, status: 'completed', steps: steps(n) }, 'test');
  return trace.traceId;
}

beforeAll(async () => {
  env = await setup();
  a = env.a.tenantId;
  b = env.b.tenantId;
}, 60_000);
afterAll(() => env?.close());

describe('partition maintenance', () => {
  it('the migration made this month, three ahead and DEFAULT', async () => {
    const names = await partitions();
    const month = (m: number) => `aos_trace_steps_p${monthStart(new Date(), m).toISOString().slice(0, 7).replace('-', '_')}`;
    expect(names).toEqual(expect.arrayContaining([month(0), month(1), month(2), month(3), 'aos_trace_steps_default']));
  });

  it('creates the months ahead that are missing, once: a second run finds them all', async () => {
    const first = await env.stores.partitions.ensureStepPartitions(new Date('2030-05-17T12:00:00Z'), 2);
    expect(first.map((p) => [p.name, p.state])).toEqual([
      ['aos_trace_steps_p2030_05', 'created'],
      ['aos_trace_steps_p2030_06', 'created'],
      ['aos_trace_steps_p2030_07', 'created'],
    ]);
    expect(first[0]!.rangeStart).toEqual(new Date('2030-05-01T00:00:00Z'));
    expect(first[0]!.rangeEnd).toEqual(new Date('2030-06-01T00:00:00Z'));
    const again = await env.stores.partitions.ensureStepPartitions(new Date('2030-05-01T00:00:00Z'), 2);
    expect(again.map((p) => p.state)).toEqual(['exists', 'exists', 'exists']);
    const traceId = await storeTrace(a, 'run-2030', new Date('2030-06-30T23:59:59.999Z'));
    expect(await partitionOf(a, traceId)).toEqual(['aos_trace_steps_p2030_06']);
  });

  it('runs as the background job does (runOnce), making the current month and the ones ahead', async () => {
    const job = startPartitionMaintenance({ stores: env.stores, logger: pino({ level: 'silent' }), monthsAhead: 5, intervalMs: 0 });
    try {
      const made = await job.runOnce();
      expect(made).toHaveLength(6);
      expect(made.filter((p) => p.state === 'created').map((p) => p.name)).toEqual(made.slice(4).map((p) => p.name));
    } finally {
      await job.stop();
    }
  });

  it('refuses a negative number of months, changing nothing', async () => {
    const before = await partitions();
    await expect(env.stores.partitions.ensureStepPartitions(new Date(), -1)).rejects.toThrow(RangeError);
    expect(await partitions()).toEqual(before);
  });
});

describe('the DEFAULT partition', () => {
  it('takes steps of a trace outside every month partition; they read back like any other', async () => {
    const traceId = await storeTrace(a, 'run-1999', new Date('1999-12-31T23:00:00Z'), 4);
    expect(await partitionOf(a, traceId)).toEqual(['aos_trace_steps_default']);
    const [count] = await sql<{ n: number }>(env.db, `SELECT count(*)::int AS n FROM aos_trace_steps WHERE tenant_id = $1 AND trace_id = $2`, [a, traceId]);
    expect(count!.n).toBe(4);
  });

  it('holds a month back when its rows already sit in DEFAULT (reported blocked), and creates the others', async () => {
    const traceId = await storeTrace(b, 'run-2041', new Date('2041-02-10T00:00:00Z'));
    expect(await partitionOf(b, traceId)).toEqual(['aos_trace_steps_default']);
    const made = await env.stores.partitions.ensureStepPartitions(new Date('2041-01-05T00:00:00Z'), 2);
    expect(made.map((p) => [p.name, p.state])).toEqual([
      ['aos_trace_steps_p2041_01', 'created'],
      ['aos_trace_steps_p2041_02', 'blocked'],
      ['aos_trace_steps_p2041_03', 'created'],
    ]);
    expect(await partitionOf(b, traceId)).toEqual(['aos_trace_steps_default']);
  });

  it.runIf(usingPostgres)('is out of aos_app reach: a partition read directly (bypassing the parent policy) is refused', async () => {
    await expect(
      env.db.withTenant(a, () => env.db.query('/* cross-tenant: the test checks a partition is refused */ SELECT count(*) FROM aos_trace_steps_default')),
    ).rejects.toThrow(/permission denied/);
  });
});

describe('uniqueness and idempotency across partitions', () => {
  let traceId: string;
  beforeAll(async () => {
    ({ trace: { traceId } } = await env.stores.traces.start(a, { runId: 'run-unique', startedAt: new Date('2030-05-02T00:00:00Z') }));
    await env.stores.traces.recordSteps(a, [{ traceId, stepIndex: 0, skillName: 's', status: 'success' }]);
  });

  it('a retried step is a DUPLICATE; the same index with other content is the same CONFLICT as before', async () => {
    const [again] = await env.stores.traces.recordSteps(a, [{ traceId, stepIndex: 0, skillName: 's', status: 'success' }]);
    expect(again!.outcome).toBe('DUPLICATE');
    await expect(env.stores.traces.recordSteps(a, [{ traceId, stepIndex: 0, skillName: 'other', status: 'success' }])).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining(`step 0 of trace ${traceId} is already stored with different content`),
    });
    expect(await partitionOf(a, traceId)).toEqual(['aos_trace_steps_p2030_05']);
  });

  it('the database itself refuses a second row for (tenant, trace, step index), and a step claiming another started_at', async () => {
    const insert = (startedAt: string) =>
      sql(
        env.db,
        `INSERT INTO aos_trace_steps (tenant_id, trace_id, step_index, skill_id, skill_name, status, level, outcome_category, content_hash, trace_started_at)
         VALUES ($1, $2, 0, 's', 's', 'success', 'INFO', 'SUCCESS', repeat('0', 64), $3)`,
        [a, traceId, startedAt],
      );
    // Same partition: the unique index.
    await expect(insert('2030-05-02T00:00:00Z')).rejects.toMatchObject({ code: '23505' });
    // Another month (another partition's unique index would not see the first row): the foreign key.
    await expect(insert('2030-06-02T00:00:00Z')).rejects.toMatchObject({ code: '23503' });
    await expect(insert('1990-01-01T00:00:00Z')).rejects.toMatchObject({ code: '23503' });
    const [n] = await sql<{ n: number }>(env.db, `SELECT count(*)::int AS n FROM aos_trace_steps WHERE tenant_id = $1 AND trace_id = $2`, [a, traceId]);
    expect(n!.n).toBe(1);
  });

  it("a trace's started_at never changes (its steps' partition key depends on it)", async () => {
    await expect(sql(env.db, `UPDATE aos_traces SET started_at = started_at + interval '40 days' WHERE tenant_id = $1 AND trace_id = $2`, [a, traceId])).rejects.toThrow(
      /started_at is immutable/,
    );
  });

  it('an OTLP span stored twice is one row; its trace starts at its first span, and the span sits in that month', async () => {
    const span: SpanStepInput = {
      traceId: 'aa'.repeat(16), spanId: 'bb'.repeat(8), parentSpanId: null, name: 'chat', kind: 'CLIENT',
      startTimeUnixNano: BigInt(Date.parse('2030-07-04T00:00:00Z')) * 1_000_000n, endTimeUnixNano: BigInt(Date.parse('2030-07-04T00:00:01Z')) * 1_000_000n,
      status: 'success', outcomeCode: null, costMicrocents: 0n, input: {}, output: null, serviceName: 'svc', attributes: {},
      operation: 'chat', provider: null, model: null, inputTokens: 1, outputTokens: 1, cachedInputTokens: null, reasoningTokens: null,
      agentName: null, toolName: null, conversationId: null,
    };
    expect(await env.stores.otlpSpans.ingest(a, [span])).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(await env.stores.otlpSpans.ingest(a, [span])).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await partitionOf(a, span.traceId)).toEqual(['aos_trace_steps_p2030_07']);
    const [n] = await sql<{ n: number }>(env.db, `SELECT count(*)::int AS n FROM aos_trace_steps WHERE tenant_id = $1 AND trace_id = $2`, [a, span.traceId]);
    expect(n!.n).toBe(1);
  });
});

describe('retention by partition', () => {
  const jan = new Date('2025-01-10T00:00:00Z');
  const feb = new Date('2025-02-10T00:00:00Z');
  let janA: string[];
  let janB: string;
  let febDone: string;
  let febRunning: string;
  const asOf = new Date(Date.now() + 3 * 86_400_000);

  beforeAll(async () => {
    await env.stores.partitions.ensureStepPartitions(jan, 1);
    janA = [await storeTrace(a, 'jan-a-1', jan), await storeTrace(a, 'jan-a-2', new Date(jan.getTime() + 86_400_000))];
    janB = await storeTrace(b, 'jan-b-1', jan);
    febDone = await storeTrace(a, 'feb-a-1', feb);
    ({ trace: { traceId: febRunning } } = await env.stores.traces.start(a, { runId: 'feb-a-running', startedAt: feb }));
    await env.stores.traces.recordSteps(a, [{ traceId: febRunning, stepIndex: 0, skillName: 's', status: 'success' }]);
    expect(await partitionOf(a, janA[0]!)).toEqual(['aos_trace_steps_p2025_01']);
    expect(await partitionOf(a, febRunning)).toEqual(['aos_trace_steps_p2025_02']);
  });

  it('a one-tenant run deletes in batches only: a partition holds other tenants too', async () => {
    const report = await runRetention(env.stores, { tenantId: b, archiveAfterDays: 1, deleteAfterDays: 1, asOf });
    expect(report.droppedPartitions).toEqual([]);
    expect(await partitionOf(b, janB)).toEqual([]);
    expect(await partitions()).toContain('aos_trace_steps_p2025_01');
  });

  it('drops the month whose traces are all archived and due, counted per tenant; keeps the month with a running trace', async () => {
    const report = await runRetention(env.stores, { archiveAfterDays: 1, deleteAfterDays: 1, asOf });
    expect(report.droppedPartitions).toEqual(['aos_trace_steps_p2025_01']);
    const names = await partitions();
    expect(names).not.toContain('aos_trace_steps_p2025_01');
    expect(names).toContain('aos_trace_steps_p2025_02');
    // January's steps went with the partition, its traces by the batched delete that followed.
    const [jan] = await sql<{ traces: number }>(env.db, `SELECT count(*)::int AS traces FROM aos_traces WHERE tenant_id = $1 AND trace_id = ANY($2)`, [a, janA]);
    expect(jan!.traces).toBe(0);
    // February: the finished trace deleted in batches, the running one kept with its step.
    expect(await partitionOf(a, febDone)).toEqual([]);
    expect(await partitionOf(a, febRunning)).toEqual(['aos_trace_steps_p2025_02']);
    const tenantA = report.tenants.find((t) => t.tenantId === a)!;
    expect(tenantA.runningSkipped).toBeGreaterThanOrEqual(1);
    // Every deleted step of tenant a is counted once: 2 × 3 dropped with January, the rest in batches.
    const [left] = await sql<{ n: number }>(env.db, `SELECT count(*)::int AS n FROM aos_traces WHERE tenant_id = $1 AND status <> 'running'`, [a]);
    expect(left!.n).toBe(0);
    expect(tenantA.deletedSteps).toBe(tenantA.archivedSteps);
  });
});
