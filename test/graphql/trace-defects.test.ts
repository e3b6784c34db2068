// One test per reference defect on the trace write paths (reference §4), each of which would fail
// against the reference's behaviour, plus the idempotency and atomicity rules of DESIGN D6.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traceRootHash } from '../../src/domain/trace.ts';
import { codeOf, gql, setup, sql, type TestEnv } from '../helpers.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env?.close());

const START = `mutation($input: StartTraceInput!) { startTrace(input: $input) { created trace { traceId status isSynthetic syntheticScenarioId metadata plan } } }`;
const STEPS = `mutation($input: RecordTraceStepsInput!) { recordTraceSteps(input: $input) { createdCount duplicateCount results { index outcome step { stepIndex contentHash isSynthetic syntheticScenarioId } } } }`;
const COMPLETE = `mutation($input: CompleteTraceInput!) { completeTrace(input: $input) { traceId status rootHash metadata } }`;
const ABORT = `mutation($input: AbortTraceInput!) { abortTrace(input: $input) { traceId status metadata } }`;
const STORE = `mutation($input: StoreTraceInput!) { storeTrace(input: $input) { created trace { traceId status rootHash storedBy steps(first: 100) { totalCount: edges { node { stepIndex isSynthetic } } } } } }`;

const start = (key: string, input: Record<string, unknown>) => gql(env.app, START, { input }, key);
const steps = (key: string, list: Record<string, unknown>[]) => gql(env.app, STEPS, { input: { steps: list } }, key);
const stepRows = (tenant: string, traceId: string) =>
  sql<{ step_index: number; tenant_id: string }>(env.db, 'SELECT step_index, tenant_id FROM aos_trace_steps WHERE tenant_id = $1 AND trace_id = $2 ORDER BY step_index', [tenant, traceId]);

describe('D6 idempotent steps', () => {
  it('a retried batch stores nothing twice and reports DUPLICATE', async () => {
    await start(env.a.write, { runId: 'idem' });
    const batch = [0, 1, 2].map((i) => ({ traceId: 'trace_idem', stepIndex: i, skillName: 's', status: 'SUCCESS', params: { i } }));
    const first = await steps(env.a.write, batch);
    const retry = await steps(env.a.write, batch);
    expect(first.data!.recordTraceSteps).toMatchObject({ createdCount: 3, duplicateCount: 0 });
    expect(retry.data!.recordTraceSteps).toMatchObject({ createdCount: 0, duplicateCount: 3 });
    expect(retry.data!.recordTraceSteps.results.map((r: any) => r.step.contentHash)).toEqual(first.data!.recordTraceSteps.results.map((r: any) => r.step.contentHash));
    expect(await stepRows('tenant-a', 'trace_idem')).toHaveLength(3);
  });

  it('different content under a stored step index is a CONFLICT, not a silent drop', async () => {
    const res = await steps(env.a.write, [{ traceId: 'trace_idem', stepIndex: 1, skillName: 's', status: 'FAILURE', params: { i: 1 } }]);
    expect(codeOf(res)).toBe('CONFLICT');
    expect(res.errors![0]!.extensions!.items).toEqual([expect.objectContaining({ index: 0, code: 'CONFLICT' })]);
    const [row] = await sql<{ status: string }>(env.db, `SELECT status::text FROM aos_trace_steps WHERE tenant_id = 'tenant-a' AND trace_id = 'trace_idem' AND step_index = 1`);
    expect(row!.status).toBe('success');
  });

  it('a batch with one bad item writes nothing and names the item', async () => {
    await start(env.a.write, { runId: 'atomic' });
    const res = await steps(env.a.write, [
      { traceId: 'trace_atomic', stepIndex: 0, skillName: 's', status: 'SUCCESS' },
      { traceId: 'trace_missing', stepIndex: 1, skillName: 's', status: 'SUCCESS' },
    ]);
    expect(codeOf(res)).toBe('NOT_FOUND');
    expect(res.errors![0]!.extensions!.items).toEqual([expect.objectContaining({ index: 1, code: 'NOT_FOUND' })]);
    expect(await stepRows('tenant-a', 'trace_atomic')).toHaveLength(0);
  });

  it('the same step twice in one batch with different content is rejected whole', async () => {
    const res = await steps(env.a.write, [
      { traceId: 'trace_atomic', stepIndex: 5, skillName: 's', status: 'SUCCESS' },
      { traceId: 'trace_atomic', stepIndex: 5, skillName: 't', status: 'SUCCESS' },
    ]);
    expect(codeOf(res)).toBe('CONFLICT');
    expect(await stepRows('tenant-a', 'trace_atomic')).toHaveLength(0);
  });

  it('repeating startTrace returns the same trace; different content is a CONFLICT', async () => {
    const again = await start(env.a.write, { runId: 'idem' });
    expect(again.data!.startTrace).toMatchObject({ created: false, trace: { traceId: 'trace_idem' } });
    const other = await start(env.a.write, { runId: 'idem', agentId: 'someone-else' });
    expect(codeOf(other)).toBe('CONFLICT');
  });
});

describe('B4: client-chosen trace ids never reach another tenant', () => {
  it("storeTrace with another tenant's trace id creates an independent trace and leaves theirs alone", async () => {
    await start(env.a.write, { runId: 'shared-run', traceId: 'shared-trace' });
    await steps(env.a.write, [{ traceId: 'shared-trace', stepIndex: 0, skillName: 'a-only', status: 'SUCCESS' }]);
    const stored = await gql(env.app, STORE, { input: {
      runId: 'shared-run', traceId: 'shared-trace',
      steps: [{ stepIndex: 0, skillName: 'b', status: 'SUCCESS' }, { stepIndex: 1, skillName: 'b', status: 'FAILURE' }],
    } }, env.b.write);
    expect(stored.errors).toBeUndefined();
    expect(stored.data!.storeTrace.created).toBe(true);
    expect(await stepRows('tenant-a', 'shared-trace')).toEqual([{ step_index: 0, tenant_id: 'tenant-a' }]);
    expect(await stepRows('tenant-b', 'shared-trace')).toHaveLength(2);
  });

  it('storeTrace over an existing trace of the same tenant with other content is a CONFLICT and writes nothing', async () => {
    const res = await gql(env.app, STORE, { input: { runId: 'shared-run', traceId: 'shared-trace', steps: [{ stepIndex: 7, skillName: 'x', status: 'SUCCESS' }] } }, env.a.write);
    expect(codeOf(res)).toBe('CONFLICT');
    expect(await stepRows('tenant-a', 'shared-trace')).toHaveLength(1);
  });

  it('storeTrace retried with the identical request returns created: false', async () => {
    const input = { runId: 'stored-twice', steps: [{ stepIndex: 0, skillName: 'x', status: 'SUCCESS', timestamp: '2026-01-01T00:00:00Z' }] };
    const first = await gql(env.app, STORE, { input }, env.a.write);
    const second = await gql(env.app, STORE, { input }, env.a.write);
    expect(first.data!.storeTrace.created).toBe(true);
    expect(second.data!.storeTrace).toMatchObject({ created: false, trace: { rootHash: first.data!.storeTrace.trace.rootHash } });
    expect(await stepRows('tenant-a', 'trace_stored-twice')).toHaveLength(1);
  });
});

describe('B17: every trace write checks ownership', () => {
  it("recording a step into another tenant's trace is NOT_FOUND", async () => {
    await start(env.a.write, { runId: 'owned' });
    const res = await steps(env.b.write, [{ traceId: 'trace_owned', stepIndex: 0, skillName: 's', status: 'SUCCESS' }]);
    expect(codeOf(res)).toBe('NOT_FOUND');
    expect(await stepRows('tenant-a', 'trace_owned')).toHaveLength(0);
  });

  it("completing or aborting another tenant's trace is NOT_FOUND and leaves it running", async () => {
    expect(codeOf(await gql(env.app, COMPLETE, { input: { traceId: 'trace_owned', status: 'COMPLETED' } }, env.b.write))).toBe('NOT_FOUND');
    expect(codeOf(await gql(env.app, ABORT, { input: { traceId: 'trace_owned', reason: 'x' } }, env.b.write))).toBe('NOT_FOUND');
    const [row] = await sql<{ status: string }>(env.db, `SELECT status::text FROM aos_traces WHERE tenant_id = 'tenant-a' AND trace_id = 'trace_owned'`);
    expect(row!.status).toBe('running');
  });
});

describe('B14: the root hash is computed by the server', () => {
  it('completion stores the root hash of the stored steps, which a recomputation reproduces', async () => {
    await start(env.a.write, { runId: 'hashed', seed: '7', frozenTimestamp: '2026-01-01T00:00:00Z' });
    await steps(env.a.write, [
      { traceId: 'trace_hashed', stepIndex: 1, skillName: 'b', status: 'FAILURE', params: { q: 2 } },
      { traceId: 'trace_hashed', stepIndex: 0, skillName: 'a', status: 'SUCCESS', params: { q: 1 }, outcomeData: { ok: true } },
    ]);
    const done = await gql(env.app, COMPLETE, { input: { traceId: 'trace_hashed', status: 'COMPLETED' } }, env.a.write);
    const [trace] = await sql<any>(env.db, `SELECT seed, frozen_timestamp, started_at, tenant_id, root_hash FROM aos_traces WHERE trace_id = 'trace_hashed'`);
    const rows = await sql<any>(env.db, `SELECT step_index, skill_id, input_hash, output_hash, rng_state_before, status::text, idempotency_key, replay_behavior::text FROM aos_trace_steps WHERE trace_id = 'trace_hashed'`);
    const recomputed = traceRootHash(
      { seed: BigInt(trace.seed), frozenTimestamp: trace.frozen_timestamp, startedAt: new Date(trace.started_at), tenantId: trace.tenant_id },
      rows.map((r) => ({ stepIndex: r.step_index, skillId: r.skill_id, inputHash: r.input_hash, outputHash: r.output_hash, rngStateBefore: r.rng_state_before, status: r.status, idempotencyKey: r.idempotency_key, replayBehavior: r.replay_behavior })),
    );
    expect(trace.root_hash).toBe(recomputed);
    expect(done.data!.completeTrace.rootHash).toBe(recomputed);
    expect(trace.root_hash).not.toBe('pending');
  });

  it('a running trace has no root hash yet, and a wrong client root hash is refused', async () => {
    const running = await gql(env.app, `query { trace(traceId: "trace_owned") { rootHash } }`, {}, env.a.read);
    expect(running.data!.trace.rootHash).toBeNull();
    const res = await gql(env.app, STORE, { input: { runId: 'bad-hash', rootHash: 'ab'.repeat(32), steps: [{ stepIndex: 0, skillName: 'x', status: 'SUCCESS' }] } }, env.a.write);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(await sql(env.db, `SELECT 1 FROM aos_traces WHERE trace_id = 'trace_bad-hash'`)).toHaveLength(0);
  });

  it('a client root hash equal to the computed one is accepted, and the tenant is part of it', async () => {
    const input = { runId: 'good-hash', steps: [{ stepIndex: 0, skillName: 'x', status: 'SUCCESS' }], startedAt: '2026-02-01T00:00:00Z', frozenTimestamp: 'T0', seed: '1' };
    const probe = await gql(env.app, STORE, { input }, env.b.write);
    const expected = probe.data!.storeTrace.trace.rootHash;
    const same = await gql(env.app, STORE, { input: { ...input, runId: 'good-hash-2', rootHash: expected } }, env.b.write);
    expect(same.errors).toBeUndefined();
    expect(same.data!.storeTrace.trace.rootHash).toBe(expected);
    const otherTenant = await gql(env.app, STORE, { input: { ...input, rootHash: expected } }, env.a.write);
    expect(codeOf(otherTenant)).toBe('BAD_USER_INPUT');
  });
});

describe('B15: final means final, and completion fails closed', () => {
  it('completing an aborted trace is a CONFLICT and it stays aborted', async () => {
    await start(env.a.write, { runId: 'abort-first' });
    const aborted = await gql(env.app, ABORT, { input: { traceId: 'trace_abort-first', reason: 'operator stop' } }, env.a.write);
    expect(aborted.data!.abortTrace).toMatchObject({ status: 'ABORTED', metadata: { abort_reason: 'operator stop' } });
    const res = await gql(env.app, COMPLETE, { input: { traceId: 'trace_abort-first', status: 'COMPLETED' } }, env.a.write);
    expect(codeOf(res)).toBe('CONFLICT');
    const again = await gql(env.app, ABORT, { input: { traceId: 'trace_abort-first', reason: 'retry' } }, env.a.write);
    expect(again.data!.abortTrace.metadata).toEqual({ abort_reason: 'operator stop' });
  });

  it('repeating the same completion is a safe retry; a different one is a CONFLICT', async () => {
    await start(env.a.write, { runId: 'complete-twice' });
    const first = await gql(env.app, COMPLETE, { input: { traceId: 'trace_complete-twice', status: 'FAILED' } }, env.a.write);
    const retry = await gql(env.app, COMPLETE, { input: { traceId: 'trace_complete-twice', status: 'FAILED' } }, env.a.write);
    expect(retry.data!.completeTrace).toEqual(first.data!.completeTrace);
    expect(codeOf(await gql(env.app, COMPLETE, { input: { traceId: 'trace_complete-twice', status: 'COMPLETED' } }, env.a.write))).toBe('CONFLICT');
  });

  it('a fault while completing leaves the trace aborted, never running', async () => {
    await start(env.a.write, { runId: 'boom' });
    // A real database fault, injected by the owner: the finalising UPDATE to completed fails.
    await sql(env.db, `CREATE FUNCTION test_fault() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.trace_id = 'trace_boom' AND NEW.status = 'completed' THEN RAISE EXCEPTION 'simulated storage fault'; END IF; RETURN NEW; END $$`);
    await sql(env.db, `CREATE TRIGGER test_fault BEFORE UPDATE ON aos_traces FOR EACH ROW EXECUTE FUNCTION test_fault()`);
    try {
      const res = await gql(env.app, COMPLETE, { input: { traceId: 'trace_boom', status: 'COMPLETED' } }, env.a.write);
      expect(codeOf(res)).toBe('INTERNAL_SERVER_ERROR');
      expect(res.errors![0]!.message).not.toMatch(/simulated/); // masked for the client
    } finally {
      await sql(env.db, 'DROP TRIGGER test_fault ON aos_traces');
    }
    const [row] = await sql<any>(env.db, `SELECT status::text, metadata, completed_at FROM aos_traces WHERE trace_id = 'trace_boom'`);
    expect(row.status).toBe('aborted');
    expect(row.metadata.abort_reason).toMatch(/^finalization_failed: .*simulated storage fault/);
    expect(row.completed_at).not.toBeNull();
  });

  it('steps can no longer be recorded into a final trace', async () => {
    const res = await steps(env.a.write, [{ traceId: 'trace_abort-first', stepIndex: 0, skillName: 's', status: 'SUCCESS' }]);
    expect(codeOf(res)).toBe('CONFLICT');
  });
});

describe('B16: redaction on every trace write path', () => {
  it('startTrace redacts plan and metadata; recordTraceSteps redacts params and outcome data; abort redacts its reason', async () => {
    await start(env.a.write, {
      runId: 'secrets',
      plan: [{ skill: 'email', to: 'alice@example.com' }],
      metadata: { openai_api_key: 'sk-proj-abcdefghijklmnopqrstuvwxyz', note: 'card 4111 1111 1111 1111' },
    });
    await steps(env.a.write, [{
      traceId: 'trace_secrets', stepIndex: 0, skillName: 'pay', status: 'SUCCESS',
      params: { 'x-api-key': 'abc', ssn: '078-05-1120', nested: { deep: 'Bearer abc.def.ghi', n: 4111111111111111 } },
      outcomeData: { text: 'call 078-05-1120', key: 'a'.repeat(40) },
    }]);
    await gql(env.app, ABORT, { input: { traceId: 'trace_secrets', reason: 'leaked token ghp_' + 'A'.repeat(36) } }, env.a.write);
    const [trace] = await sql<any>(env.db, `SELECT plan, metadata FROM aos_traces WHERE trace_id = 'trace_secrets'`);
    const [step] = await sql<any>(env.db, `SELECT params, outcome_data FROM aos_trace_steps WHERE trace_id = 'trace_secrets'`);
    const stored = JSON.stringify([trace, step]);
    for (const secret of ['alice@example.com', 'sk-proj-', '4111 1111', '078-05-1120', 'abc.def.ghi', '4111111111111111', 'a'.repeat(40), 'ghp_']) {
      expect(stored).not.toContain(secret);
    }
    expect(step.params['x-api-key']).toBe('<REDACTED>');
    expect(trace.metadata.openai_api_key).toBe('<REDACTED>');
  });

  it('content nested deeper than the JSON limit is refused, not stored unredacted', async () => {
    let deep: unknown = { password: 'hunter2' };
    for (let i = 0; i < 40; i++) deep = { d: deep };
    const res = await steps(env.a.write, [{ traceId: 'trace_owned', stepIndex: 9, skillName: 's', status: 'SUCCESS', params: deep }]);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(await stepRows('tenant-a', 'trace_owned')).toHaveLength(0);
  });
});

describe('B24: step indexes and synthetic flags', () => {
  it('storeTrace refuses a step without stepIndex and two steps with the same index', async () => {
    const missing = await gql(env.app, STORE, { input: { runId: 'b24a', steps: [{ skillName: 'x', status: 'SUCCESS' }] } }, env.a.write);
    expect(codeOf(missing)).toBe('BAD_USER_INPUT');
    const dup = await gql(env.app, STORE, { input: { runId: 'b24b', steps: [{ stepIndex: 0, skillName: 'x', status: 'SUCCESS' }, { stepIndex: 0, skillName: 'y', status: 'SUCCESS' }] } }, env.a.write);
    expect(codeOf(dup)).toBe('BAD_USER_INPUT');
    expect(await sql(env.db, `SELECT 1 FROM aos_traces WHERE run_id IN ('b24a', 'b24b')`)).toHaveLength(0);
  });

  it("steps inherit the trace's synthetic marking, on both write paths", async () => {
    await start(env.a.write, { runId: 'synthetic', isSynthetic: true, syntheticScenarioId: 'scn-1' });
    const rec = await steps(env.a.write, [{ traceId: 'trace_synthetic', stepIndex: 0, skillName: 's', status: 'SUCCESS' }]);
    expect(rec.data!.recordTraceSteps.results[0].step).toMatchObject({ isSynthetic: true, syntheticScenarioId: 'scn-1' });
    await gql(env.app, STORE, { input: { runId: 'synthetic-stored', isSynthetic: true, syntheticScenarioId: 'scn-2', steps: [{ stepIndex: 0, skillName: 'x', status: 'SUCCESS' }] } }, env.a.write);
    const rows = await sql<any>(env.db, `SELECT is_synthetic, synthetic_scenario_id FROM aos_trace_steps WHERE trace_id = 'trace_synthetic-stored'`);
    expect(rows).toEqual([{ is_synthetic: true, synthetic_scenario_id: 'scn-2' }]);
  });

  it('a synthetic trace without a scenario id is refused', async () => {
    expect(codeOf(await start(env.a.write, { runId: 'synthetic-bad', isSynthetic: true }))).toBe('BAD_USER_INPUT');
  });
});

describe('B20: one exact money unit', () => {
  it('step costs keep every micro-cent: 0.1 + 0.2 cents sum to exactly 0.3', async () => {
    await start(env.a.write, { runId: 'money' });
    await steps(env.a.write, [
      { traceId: 'trace_money', stepIndex: 0, skillName: 's', status: 'SUCCESS', costCents: 0.1 },
      { traceId: 'trace_money', stepIndex: 1, skillName: 's', status: 'SUCCESS', costCents: '0.2' },
      { traceId: 'trace_money', stepIndex: 2, skillName: 's', status: 'SUCCESS', costCents: '12345.678901' },
    ]);
    const [sum] = await sql<{ total: string }>(env.db, `SELECT sum(cost_microcents)::text AS total FROM aos_trace_steps WHERE trace_id = 'trace_money'`);
    expect(sum!.total).toBe('12345978901');
    const read = await gql(env.app, `query { trace(traceId: "trace_money") { steps { edges { node { costCents } } } } }`, {}, env.a.read);
    expect(read.data!.trace.steps.edges.map((e: any) => e.node.costCents)).toEqual(['0.1', '0.2', '12345.678901']);
  });

  it('more than 6 decimals or a negative cost is BAD_USER_INPUT', async () => {
    for (const costCents of ['0.0000001', '-1']) {
      const res = await steps(env.a.write, [{ traceId: 'trace_money', stepIndex: 9, skillName: 's', status: 'SUCCESS', costCents }]);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
    }
  });
});

describe('bad input classes', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['missing required field', { traceId: 'trace_owned', stepIndex: 0, status: 'SUCCESS' }],
    ['wrong enum value', { traceId: 'trace_owned', stepIndex: 0, skillName: 's', status: 'MAYBE' }],
    ['oversize string', { traceId: 'trace_owned', stepIndex: 0, skillName: 'x'.repeat(129), status: 'SUCCESS' }],
    ['negative step index', { traceId: 'trace_owned', stepIndex: -1, skillName: 's', status: 'SUCCESS' }],
    ['wrong type', { traceId: 'trace_owned', stepIndex: 'zero', skillName: 's', status: 'SUCCESS' }],
    ['bad trace id', { traceId: 'has spaces in it', stepIndex: 0, skillName: 's', status: 'SUCCESS' }],
    ['NUL in JSON', { traceId: 'trace_owned', stepIndex: 0, skillName: 's', status: 'SUCCESS', params: { a: 'x\u0000y' } }],
    ['bad timestamp', { traceId: 'trace_owned', stepIndex: 0, skillName: 's', status: 'SUCCESS', timestamp: 'yesterday' }],
  ];
  it.each(cases)('%s → BAD_USER_INPUT, nothing written', async (_name, step) => {
    const res = await steps(env.a.write, [step]);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(await stepRows('tenant-a', 'trace_owned')).toHaveLength(0);
  });

  it('names the failing field', async () => {
    const res = await steps(env.a.write, [{ traceId: 'trace_owned', stepIndex: 0, skillName: 'x'.repeat(200), status: 'SUCCESS' }]);
    expect(res.errors![0]!.message).toMatch(/skillName/);
  });

  it('an unknown trace is NOT_FOUND and a malformed node id is BAD_USER_INPUT', async () => {
    expect(codeOf(await steps(env.a.write, [{ traceId: 'nope', stepIndex: 0, skillName: 's', status: 'SUCCESS' }]))).toBe('NOT_FOUND');
    expect(codeOf(await gql(env.app, `query { node(id: "%%%not-base64%%%") { id } }`, {}, env.a.read))).toBe('BAD_USER_INPUT');
  });

  it('node() resolves own ids and answers null for another tenant', async () => {
    const id = Buffer.from('Trace:trace_owned').toString('base64');
    const own = await gql(env.app, `query($id: ID!) { node(id: $id) { id ... on Trace { traceId } } }`, { id }, env.a.read);
    expect(own.data!.node).toEqual({ id, traceId: 'trace_owned' });
    const malformedStep = Buffer.from('TraceStep:not-a-uuid').toString('base64');
    const none = await gql(env.app, `query($id: ID!) { node(id: $id) { id } }`, { id: malformedStep }, env.a.read);
    expect(none.errors).toBeUndefined();
    expect(none.data!.node).toBeNull();
    const other = await gql(env.app, `query($id: ID!) { node(id: $id) { id } }`, { id }, env.b.read);
    expect(other.errors).toBeUndefined();
    expect(other.data!.node).toBeNull();
  });
});
