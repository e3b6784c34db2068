// Queries and mutations run compiled (graphql-jit). What must not change with that: the root
// fields of a mutation run one after the other, and variables that fail coercion are refused with
// graphql-js's messages (which name the input path) before anything is written.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { codeOf, gql, setup, sql, type TestEnv } from '../helpers.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env?.close());

it('runs the root fields of a mutation in order: each sees what the one before it wrote', async () => {
  const res = await gql(
    env.app,
    `mutation {
      start: startTrace(input: { runId: "serial" }) { created }
      step: recordTraceStep(input: { traceId: "trace_serial", stepIndex: 0, skillName: "s", status: SUCCESS }) { outcome }
      done: completeTrace(input: { traceId: "trace_serial", status: COMPLETED }) { status summary { stepCount } }
    }`,
    {},
    env.a.write,
  );
  expect(res.errors).toBeUndefined();
  expect(res.data).toEqual({ start: { created: true }, step: { outcome: 'CREATED' }, done: { status: 'COMPLETED', summary: { stepCount: 1 } } });
});

it('refuses a mutation variable that fails coercion with graphql-js wording and the input path, writing nothing', async () => {
  const res = await gql(
    env.app,
    `mutation ($steps: [TraceStepInput!]!) { recordTraceSteps(input: { steps: $steps }) { createdCount } }`,
    { steps: [{ traceId: 'trace_serial', stepIndex: 'one', skillName: 's', status: 'SUCCESS' }] },
    env.a.write,
  );
  expect(codeOf(res)).toBe('BAD_USER_INPUT');
  expect(res.errors![0]!.message).toMatch(/^Variable "\$steps" got invalid value "one" at "steps\[0\]\.stepIndex"; Int cannot represent non-integer value: "one"$/);
  expect(await sql(env.db, `SELECT 1 FROM aos_trace_steps WHERE trace_id = 'trace_serial' AND step_index > 0`)).toHaveLength(0);
});

it('refuses a query variable that fails coercion with graphql-js wording', async () => {
  const res = await gql(env.app, `query ($n: Int!) { traces(first: $n) { edges { node { traceId } } } }`, { n: 'ten' }, env.a.read);
  expect(codeOf(res)).toBe('BAD_USER_INPUT');
  expect(res.errors![0]!.message).toBe('Variable "$n" got invalid value "ten"; Int cannot represent non-integer value: "ten"');
});
