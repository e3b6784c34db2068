// The trace read API: keyset pages checked against brute-force SQL orderings (with ties), filters,
// summaries, per-trace step pages, lookups, tenant walls, and a constant statement count per page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardTracePage, TraceList } from '../../src/client/operations/dashboard.ts';
import { codeOf, gql, setup, sql, type TestEnv } from '../helpers.ts';

let env: TestEnv;
let statements = 0;
const T0 = Date.parse('2026-11-01T00:00:00Z');
const AGENTS = ['alpha', 'beta', 'gamma'];
const STATUSES = ['COMPLETED', 'FAILED', 'ABORTED'];

beforeAll(async () => {
  env = await setup({ onQuery: () => void statements++ });
  // 60 finished traces in tenant a: every third pair shares a start time (ties on the sort key).
  for (let i = 0; i < 60; i++) {
    const startedAt = new Date(T0 + Math.floor(i / 2) * 60_000).toISOString();
    const steps = Array.from({ length: 3 + (i % 25) }, (_, n) => ({
      stepIndex: n,
      skillName: `skill-${n % 4}`,
      status: n % 7 === 6 ? 'FAILURE' : n % 5 === 4 ? 'RETRY' : 'SUCCESS',
      costCents: `${n}.5`,
      durationMs: 10 * n,
    }));
    const res = await gql(env.app, `mutation($input: StoreTraceInput!) { storeTrace(input: $input) { created } }`, {
      input: { runId: `run-${String(i).padStart(3, '0')}`, agentId: AGENTS[i % 3], status: STATUSES[i % 3], startedAt, seed: String(i % 4), steps },
    }, env.a.write);
    expect(res.errors).toBeUndefined();
  }
  // Ties on created_at too (inserted directly: the column is set by the server and immutable after).
  for (let i = 0; i < 6; i++) {
    await sql(env.db, `INSERT INTO aos_traces (tenant_id, trace_id, run_id, correlation_id, status, started_at, completed_at, created_at, request_digest)
      VALUES ('tenant-a', $1, $2, $2, 'completed', $3, $3, $3, repeat('0', 64))`, [`trace_tie-${i}`, `tie-${i}`, '2026-10-01T00:00:00Z']);
  }
  // Two archived traces, hidden by default (B19).
  await sql(env.db, `UPDATE aos_traces SET archived_at = now() WHERE tenant_id = 'tenant-a' AND trace_id IN ('trace_run-000', 'trace_run-001')`);
  // Tenant b: traces that must never show up for tenant a.
  for (let i = 0; i < 5; i++) {
    await gql(env.app, `mutation($input: StoreTraceInput!) { storeTrace(input: $input) { created } }`, {
      input: { runId: `run-${String(i).padStart(3, '0')}`, agentId: 'alpha', startedAt: new Date(T0).toISOString(), steps: [] },
    }, env.b.write);
  }
}, 180_000);
afterAll(() => env?.close());

const LIST = `query($filter: TraceFilter, $sort: TraceSort, $first: Int, $after: String, $last: Int, $before: String) {
  traces(filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { traceId } }
  }
}`;

async function walk(variables: Record<string, unknown>, pageSize = 7): Promise<string[]> {
  const seen: string[] = [];
  let after: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const res = await gql(env.app, LIST, { ...variables, first: pageSize, after }, env.a.read);
    expect(res.errors).toBeUndefined();
    const conn = res.data!.traces;
    seen.push(...conn.edges.map((e: any) => e.node.traceId));
    if (!conn.pageInfo.hasNextPage) return seen;
    after = conn.pageInfo.endCursor;
  }
  throw new Error('pagination did not end');
}

const sqlOrder = async (column: string, direction: 'ASC' | 'DESC', where = 'TRUE') =>
  (await sql<{ trace_id: string }>(env.db, `SELECT trace_id FROM aos_traces WHERE tenant_id = 'tenant-a' AND archived_at IS NULL AND ${where}
     ORDER BY ${column} ${direction}, id ${direction}`)).map((r) => r.trace_id);

describe('traces: keyset pages match a brute-force SQL ordering', () => {
  for (const [field, column] of [['STARTED_AT', 'started_at'], ['CREATED_AT', 'created_at']] as const) {
    for (const direction of ['ASC', 'DESC'] as const) {
      it(`${field} ${direction}, every page, ties included`, async () => {
        const walked = await walk({ sort: { field, direction } });
        expect(walked).toEqual(await sqlOrder(column, direction));
      });
    }
  }

  it('walks backward with last/before to the same order', async () => {
    const expected = await sqlOrder('started_at', 'DESC');
    let before: string | undefined;
    const seen: string[] = [];
    for (let guard = 0; guard < 100; guard++) {
      const res = await gql(env.app, LIST, { last: 9, before }, env.a.read);
      const conn = res.data!.traces;
      seen.unshift(...conn.edges.map((e: any) => e.node.traceId));
      if (!conn.pageInfo.hasPreviousPage) break;
      before = conn.pageInfo.startCursor;
    }
    expect(seen).toEqual(expected);
  });

  it('filters by status (B5: the reference failed with an ambiguous column), agent and time, with a matching totalCount', async () => {
    const filter = { status: 'FAILED', agentId: 'beta', startedAfter: new Date(T0 + 5 * 60_000).toISOString(), startedBefore: new Date(T0 + 25 * 60_000).toISOString() };
    const walked = await walk({ filter }, 3);
    const expected = await sqlOrder('started_at', 'DESC', `status = 'failed' AND agent_id = 'beta' AND started_at BETWEEN '${filter.startedAfter}' AND '${filter.startedBefore}'`);
    expect(expected.length).toBeGreaterThan(2);
    expect(walked).toEqual(expected);
    const res = await gql(env.app, LIST, { filter, first: 1 }, env.a.read);
    expect(res.data!.traces.totalCount).toBe(expected.length);
  });

  it('leaves archived traces out unless asked (B19)', async () => {
    const ids = await walk({});
    expect(ids).not.toContain('trace_run-000');
    const all = await walk({ filter: { includeArchived: true } }, 50);
    expect(all).toContain('trace_run-000');
    expect(all.length).toBe(ids.length + 2);
    const count = await gql(env.app, `query { traceCount }`, {}, env.a.read);
    expect(count.data!.traceCount).toBe(ids.length);
  });

  it("never shows another tenant's traces", async () => {
    const res = await gql(env.app, LIST, { first: 100 }, env.b.read);
    expect(res.data!.traces.totalCount).toBe(5);
    const [{ n }] = await sql<any>(env.db, `SELECT count(*)::int AS n FROM aos_traces WHERE tenant_id = 'tenant-b'`);
    expect(res.data!.traces.edges).toHaveLength(n);
  });

  it('refuses a forged cursor, a cursor of another sort, and an oversized page', async () => {
    const first = await gql(env.app, LIST, { first: 2 }, env.a.read);
    const cursor = first.data!.traces.pageInfo.endCursor;
    expect(codeOf(await gql(env.app, LIST, { first: 2, after: 'bm90LWEtY3Vyc29y' }, env.a.read))).toBe('BAD_USER_INPUT');
    expect(codeOf(await gql(env.app, LIST, { first: 2, after: cursor, sort: { field: 'CREATED_AT', direction: 'DESC' } }, env.a.read))).toBe('BAD_USER_INPUT');
    expect(codeOf(await gql(env.app, LIST, { first: 1001 }, env.a.read))).toBe('BAD_USER_INPUT');
  });
});

describe('trace summaries and step pages', () => {
  it('summaries equal an SQL rollup of the steps', async () => {
    const res = await gql(env.app, TraceList, { first: 20 }, env.a.read);
    const ids = res.data!.traces.edges.map((e) => e.node.traceId);
    const rows = await sql<any>(env.db, `SELECT trace_id, count(*)::int AS n, count(*) FILTER (WHERE status = 'success')::int AS ok,
        count(*) FILTER (WHERE status = 'failure')::int AS failed, sum(cost_microcents)::text AS cost, sum(duration_ms)::float8 AS duration
      FROM aos_trace_steps WHERE tenant_id = 'tenant-a' AND trace_id = ANY($1) GROUP BY trace_id`, [ids]);
    for (const edge of res.data!.traces.edges) {
      const row = rows.find((r) => r.trace_id === edge.node.traceId);
      expect(edge.node.summary).toEqual({
        stepCount: row?.n ?? 0,
        successCount: row?.ok ?? 0,
        failureCount: row?.failed ?? 0,
        totalCostCents: row ? String(Number(row.cost) / 1e6) : '0',
        totalDurationMs: row?.duration ?? 0,
      });
    }
  });

  it('walks the steps of a long trace by step index, filtered by level', async () => {
    const STEPS = `query($traceId: String!, $first: Int, $after: String, $filter: TraceStepFilter) {
      trace(traceId: $traceId) { steps(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { stepIndex level } } } } }`;
    for (const filter of [undefined, { level: 'ERROR' }, { level: 'INFO', skillName: 'skill-1' }]) {
      const seen: number[] = [];
      let after: string | undefined;
      let total = 0;
      for (let guard = 0; guard < 50; guard++) {
        const res = await gql(env.app, STEPS, { traceId: 'trace_run-023', first: 4, after, filter }, env.a.read);
        expect(res.errors).toBeUndefined();
        const conn = res.data!.trace.steps;
        total = conn.totalCount;
        seen.push(...conn.edges.map((e: any) => e.node.stepIndex));
        if (!conn.pageInfo.hasNextPage) break;
        after = conn.pageInfo.endCursor;
      }
      const where = [filter?.level ? `level = '${filter.level}'` : 'TRUE', filter?.skillName ? `skill_name = '${filter.skillName}'` : 'TRUE'].join(' AND ');
      const expected = (await sql<any>(env.db, `SELECT step_index FROM aos_trace_steps WHERE tenant_id = 'tenant-a' AND trace_id = 'trace_run-023' AND ${where} ORDER BY step_index`)).map((r) => r.step_index);
      expect(seen).toEqual(expected);
      expect(total).toBe(expected.length);
    }
  });
});

describe('a page costs a fixed number of SQL statements, whatever its size', () => {
  const measure = async (first: number) => {
    statements = 0;
    const res = await gql(env.app, DashboardTracePage, { first, steps: 20 }, env.a.read);
    expect(res.errors).toBeUndefined();
    expect(res.data!.traces.edges).toHaveLength(first);
    return statements;
  };

  it('N = 5 and N = 50 traces with summaries, first 20 steps, step counts, run, LLM run and incident', async () => {
    const five = await measure(5);
    const fifty = await measure(50);
    expect(fifty).toBe(five);
    expect(five).toBeLessThanOrEqual(10);
  });
});

describe('lookups', () => {
  it('traceByRootHash is deterministic when replays share a hash: the latest start wins', async () => {
    const input = { steps: [{ stepIndex: 0, skillName: 'x', status: 'SUCCESS' }], frozenTimestamp: 'T', seed: '9' };
    await gql(env.app, `mutation($input: StoreTraceInput!) { storeTrace(input: $input) { trace { rootHash } } }`, { input: { ...input, runId: 'replay-1', startedAt: '2026-11-02T00:00:00Z' } }, env.a.write);
    const second = await gql(env.app, `mutation($input: StoreTraceInput!) { storeTrace(input: $input) { trace { rootHash } } }`, { input: { ...input, runId: 'replay-2', startedAt: '2026-11-03T00:00:00Z' } }, env.a.write);
    const hash = second.data!.storeTrace.trace.rootHash;
    for (let i = 0; i < 3; i++) {
      const res = await gql(env.app, `query($h: String!) { traceByRootHash(rootHash: $h) { traceId } }`, { h: hash }, env.a.read);
      expect(res.data!.traceByRootHash.traceId).toBe('trace_replay-2');
    }
    const other = await gql(env.app, `query($h: String!) { traceByRootHash(rootHash: $h) { traceId } }`, { h: hash }, env.b.read);
    expect(other.data!.traceByRootHash).toBeNull();
  });

  it('B18: trace(traceId) never falls back to a run id; run(runId) is its own lookup', async () => {
    const res = await gql(env.app, `query { trace(traceId: "run-005") { traceId } run(runId: "run-005") { runId agentId traces { traceId } } }`, {}, env.a.read);
    expect(res.data!.trace).toBeNull();
    expect(res.data!.run).toEqual({ runId: 'run-005', agentId: AGENTS[5 % 3], traces: [{ traceId: 'trace_run-005' }] });
    const other = await gql(env.app, `query { run(runId: "run-005") { runId } }`, {}, env.b.read);
    expect(other.data!.run).toBeNull();
  });

  it('runs lists the tenant’s runs newest first with a count', async () => {
    const res = await gql(env.app, `query { runs(first: 5) { totalCount edges { node { runId } } } }`, {}, env.a.read);
    const [{ n }] = await sql<any>(env.db, `SELECT count(*)::int AS n FROM runs WHERE tenant_id = 'tenant-a'`);
    expect(res.data!.runs.totalCount).toBe(n);
    const expected = (await sql<any>(env.db, `SELECT run_id FROM runs WHERE tenant_id = 'tenant-a' ORDER BY started_at DESC, id DESC LIMIT 5`)).map((r) => r.run_id);
    expect(res.data!.runs.edges.map((e: any) => e.node.runId)).toEqual(expected);
  });

  it('idempotencyCheck finds the earliest step with the key, in the caller’s tenant only', async () => {
    await gql(env.app, `mutation { startTrace(input: { runId: "side-effects" }) { created } }`, {}, env.a.write);
    await gql(env.app, `mutation { recordTraceSteps(input: { steps: [
      { traceId: "trace_side-effects", stepIndex: 0, skillName: "charge", status: SUCCESS, idempotencyKey: "tenant-a:charge-42", outcomeData: { charged: 42 } }
    ] }) { createdCount } }`, {}, env.a.write);
    const hit = await gql(env.app, `query { idempotencyCheck(key: "tenant-a:charge-42") { executed traceId stepIndex status outcomeData step { skillName } } }`, {}, env.a.read);
    expect(hit.data!.idempotencyCheck).toEqual({ executed: true, traceId: 'trace_side-effects', stepIndex: 0, status: 'SUCCESS', outcomeData: { charged: 42 }, step: { skillName: 'charge' } });
    const miss = await gql(env.app, `query { idempotencyCheck(key: "tenant-a:charge-42") { executed } }`, {}, env.b.read);
    expect(miss.data!.idempotencyCheck).toBeNull();
  });
});
