import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompleteTrace, RecordTraceSteps, StartTrace } from '../../src/client/operations/agent.ts';
import { TraceWithSteps } from '../../src/client/operations/dashboard.ts';
import { codeOf, gql, setup, sql, type TestEnv } from '../helpers.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env?.close());

const START = `mutation($input: StartTraceInput!) { startTrace(input: $input) { created trace { id traceId runId status rootHash seed isSynthetic } } }`;
const STEP = `mutation($input: TraceStepInput!) { recordTraceStep(input: $input) { index outcome step { stepIndex level status costCents params outcomeData contentHash isSynthetic syntheticScenarioId } } }`;
const READ = `query($traceId: String!) { trace(traceId: $traceId) { traceId status rootHash steps(first: 100) { edges { node { stepIndex skillName level } } } } }`;

describe('trace lifecycle', () => {
  it('starts, records steps, completes, and reads back in order (typed client documents)', async () => {
    const start = await gql(env.app, StartTrace, { input: { runId: 'run-1', agentId: 'agent-x', plan: [{ skill: 'a' }] } }, env.a.write);
    expect(start.errors).toBeUndefined();
    expect(start.data!.startTrace).toMatchObject({ created: true, trace: { traceId: 'trace_run-1', status: 'RUNNING' } });

    const step = await gql(env.app, STEP, { input: { traceId: 'trace_run-1', stepIndex: 1, skillName: 'b', status: 'FAILURE', costCents: '0.000001' } }, env.a.write);
    expect(step.errors).toBeUndefined();
    expect(step.data!.recordTraceStep).toMatchObject({ outcome: 'CREATED', step: { stepIndex: 1, level: 'ERROR', costCents: '0.000001' } });

    const batch = await gql(env.app, RecordTraceSteps, { input: { steps: [
      { traceId: 'trace_run-1', stepIndex: 0, skillName: 'a', status: 'SUCCESS' },
      { traceId: 'trace_run-1', stepIndex: 2, skillName: 'c', status: 'RETRY' },
    ] } }, env.a.write);
    expect(batch.errors).toBeUndefined();
    expect(batch.data!.recordTraceSteps).toMatchObject({ createdCount: 2, duplicateCount: 0 });

    const done = await gql(env.app, CompleteTrace, { input: { traceId: 'trace_run-1', status: 'COMPLETED', metadata: { duration_ms: 10 } } }, env.a.write);
    expect(done.errors).toBeUndefined();
    expect(done.data!.completeTrace.status).toBe('COMPLETED');
    expect(done.data!.completeTrace.rootHash).toMatch(/^[0-9a-f]{64}$/);

    const read = await gql(env.app, TraceWithSteps, { traceId: 'trace_run-1', first: 100 }, env.a.read);
    expect(read.data!.trace!.steps.edges.map((e) => [e.node.stepIndex, e.node.level])).toEqual([[0, 'INFO'], [1, 'ERROR'], [2, 'WARN']]);
  });

  it("answers null for another tenant's trace", async () => {
    const read = await gql(env.app, READ, { traceId: 'trace_run-1' }, env.b.read);
    expect(read.errors).toBeUndefined();
    expect(read.data!.trace).toBeNull();
  });

  it('rejects a mutation from a read-only key with FORBIDDEN', async () => {
    const res = await gql(env.app, START, { input: { runId: 'run-ro' } }, env.a.read);
    expect(codeOf(res)).toBe('FORBIDDEN');
    expect(await sql(env.db, `SELECT 1 FROM aos_traces WHERE run_id = 'run-ro'`)).toHaveLength(0);
  });

  it('rejects a missing or invalid key with UNAUTHENTICATED', async () => {
    expect(codeOf(await gql(env.app, READ, { traceId: 'x' }, null))).toBe('UNAUTHENTICATED');
    expect(codeOf(await gql(env.app, READ, { traceId: 'x' }, 'aos_AAAAAAAAAAAA_' + 'B'.repeat(40)))).toBe('UNAUTHENTICATED');
  });
});
