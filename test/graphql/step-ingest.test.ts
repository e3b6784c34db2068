// The step write path as a whole: stored hashes and JSON pinned to the values the first
// implementation produced (a faster path must not change them), the single-statement guard on
// closed traces, and concurrent batches into one trace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactJson } from '../../src/domain/redact.ts';
import { codeOf, gql, setup, sql, type TestEnv } from '../helpers.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env?.close());

const START = `mutation($input: StartTraceInput!) { startTrace(input: $input) { created } }`;
const STEPS = `mutation($input: RecordTraceStepsInput!) { recordTraceSteps(input: $input) { createdCount duplicateCount results { index outcome step { stepIndex params outcomeData contentHash inputHash outputHash isSynthetic syntheticScenarioId } } } }`;
const STEP = `mutation($input: TraceStepInput!) { recordTraceStep(input: $input) { index outcome step { stepIndex contentHash } } }`;
const COMPLETE = `mutation($input: CompleteTraceInput!) { completeTrace(input: $input) { status rootHash } }`;

const start = (input: Record<string, unknown>) => gql(env.app, START, { input }, env.a.write);
const steps = (list: Record<string, unknown>[], key = env.a.write) => gql(env.app, STEPS, { input: { steps: list } }, key);
const stored = (traceId: string) =>
  sql<{ step_index: number; params: string; outcome_data: string | null; content_hash: string; input_hash: string; output_hash: string | null }>(
    env.db,
    `SELECT step_index, params::text, outcome_data::text, content_hash, input_hash, output_hash FROM aos_trace_steps
     WHERE tenant_id = 'tenant-a' AND trace_id = $1 ORDER BY step_index`,
    [traceId],
  );

// Payloads that exercise every branch of canonical JSON and redaction.
const GOLDEN_STEPS = [
  {
    stepIndex: 0, skillName: 'search', status: 'SUCCESS', timestamp: '2026-01-01T00:00:00Z',
    params: { z: 1, a: [true, null, 'é', '😀'], '\ue000': 'x', nested: { b: 1e-7, a: 1e21, c: 0.1, d: -0 }, q: 'x/y"\\\n\u007f' },
    outcomeData: { hits: [1, 2.5, 3], note: 'ok' },
  },
  {
    stepIndex: 1, skillName: 'pay', skillId: 'pay-v2', status: 'FAILURE', timestamp: '2026-01-01T00:00:01.5Z',
    params: { password: 'hunter2', to: 'alice@example.com', card: 4111111111111111, text: 'card 4111 1111 1111 1111, ssn 078-05-1120' },
    outcomeCode: 'E42', costCents: '1.5', durationMs: 12.25, retryCount: 2, rngStateBefore: 'rng-1', idempotencyKey: 'pay-1',
    replayBehavior: 'CHECK', source: 'EXTERNAL',
  },
  { stepIndex: 2, skillName: 'noop', status: 'SKIPPED', timestamp: '2026-01-01T00:00:02Z', inputHash: 'abcdef0123456789', outputHash: '0123' },
];

// Produced by the implementation before the single-statement rewrite (commit f2ce7ab).
const GOLDEN = [
  { content: "24166e621e75e9ff223bb8a2fe301c5b85c48d26fce3c22665b799ac8dbf9805", input: "66ae3047230017b3", output: "1e5c029d23eba347", params: "{\"a\": [true, null, \"\u00e9\", \"\ud83d\ude00\"], \"q\": \"x/y\\\"\\\\\\n\u007f\", \"z\": 1, \"\ue000\": \"x\", \"nested\": {\"a\": 1000000000000000000000, \"b\": 0.0000001, \"c\": 0.1, \"d\": 0}}", outcome: "{\"hits\": [1, 2.5, 3], \"note\": \"ok\"}" },
  { content: "5a71992e6b0cb5b5ae49ccb949d53d2471f3cd420ede33ed41e916e16cf9c398", input: "571d18093e4e5eef", output: null, params: "{\"to\": \"<REDACTED_EMAIL>\", \"card\": \"<REDACTED_CARD>\", \"text\": \"card <REDACTED_CARD>, ssn <REDACTED_SSN>\", \"password\": \"<REDACTED>\"}", outcome: null },
  { content: "9a4bac3d04834b4569dcfd17533a04b6429ea1ce7a0bcbf400835b09e1b1abb1", input: "abcdef0123456789", output: "0123", params: "{}", outcome: null },
];
// The mutation's answer, key order included (JSON comes back as Postgres stores it).
const GOLDEN_ANSWER =
  "[{\"stepIndex\":0,\"params\":{\"a\":[true,null,\"\u00e9\",\"\ud83d\ude00\"],\"q\":\"x/y\\\"\\\\\\n\u007f\",\"z\":1,\"\ue000\":\"x\",\"nested\":{\"a\":1e+21,\"b\":1e-7,\"c\":0.1,\"d\":0}},\"outcomeData\":{\"hits\":[1,2.5,3],\"note\":\"ok\"},\"contentHash\":\"24166e621e75e9ff223bb8a2fe301c5b85c48d26fce3c22665b799ac8dbf9805\",\"inputHash\":\"66ae3047230017b3\",\"outputHash\":\"1e5c029d23eba347\",\"isSynthetic\":false,\"syntheticScenarioId\":null},{\"stepIndex\":1,\"params\":{\"to\":\"<REDACTED_EMAIL>\",\"card\":\"<REDACTED_CARD>\",\"text\":\"card <REDACTED_CARD>, ssn <REDACTED_SSN>\",\"password\":\"<REDACTED>\"},\"outcomeData\":null,\"contentHash\":\"5a71992e6b0cb5b5ae49ccb949d53d2471f3cd420ede33ed41e916e16cf9c398\",\"inputHash\":\"571d18093e4e5eef\",\"outputHash\":null,\"isSynthetic\":false,\"syntheticScenarioId\":null},{\"stepIndex\":2,\"params\":{},\"outcomeData\":null,\"contentHash\":\"9a4bac3d04834b4569dcfd17533a04b6429ea1ce7a0bcbf400835b09e1b1abb1\",\"inputHash\":\"abcdef0123456789\",\"outputHash\":\"0123\",\"isSynthetic\":false,\"syntheticScenarioId\":null}]";

describe('stored step content does not depend on the implementation', () => {
  it('hashes and stored JSON equal the pinned values', async () => {
    await start({ runId: 'golden', seed: '7', frozenTimestamp: 'T0' });
    const res = await steps(GOLDEN_STEPS.map((s) => ({ traceId: 'trace_golden', ...s })));
    expect(res.errors).toBeUndefined();
    const rows = await stored('trace_golden');
    expect(rows.map((r) => ({ content: r.content_hash, input: r.input_hash, output: r.output_hash, params: r.params, outcome: r.outcome_data }))).toEqual(GOLDEN);
    expect(JSON.stringify(res.data!.recordTraceSteps.results.map((r: any) => r.step))).toBe(GOLDEN_ANSWER);
  });
});

describe('the single-statement insert re-checks the trace under its lock', () => {
  it('a trace completed after its first steps refuses later ones with CONFLICT and stores nothing', async () => {
    await start({ runId: 'closing' });
    expect((await steps([{ traceId: 'trace_closing', stepIndex: 0, skillName: 's', status: 'SUCCESS' }])).errors).toBeUndefined();
    expect((await gql(env.app, COMPLETE, { input: { traceId: 'trace_closing', status: 'COMPLETED' } }, env.a.write)).errors).toBeUndefined();
    const late = await steps([{ traceId: 'trace_closing', stepIndex: 1, skillName: 's', status: 'SUCCESS' }]);
    expect(codeOf(late)).toBe('CONFLICT');
    expect(late.errors![0]!.extensions!.items).toEqual([
      { index: 0, code: 'CONFLICT', message: 'trace trace_closing is completed; no more steps can be recorded' },
    ]);
    // A retry of a step stored before completion is refused the same way, as it always was.
    const retried = await steps([{ traceId: 'trace_closing', stepIndex: 0, skillName: 's', status: 'SUCCESS' }]);
    expect(codeOf(retried)).toBe('CONFLICT');
    expect((await stored('trace_closing')).map((r) => r.step_index)).toEqual([0]);
  });

  it('a single step into a trace closed by another writer is refused too', async () => {
    await start({ runId: 'closing-2' });
    const one = (stepIndex: number) => gql(env.app, STEP, { input: { traceId: 'trace_closing-2', stepIndex, skillName: 's', status: 'SUCCESS' } }, env.a.write);
    expect((await one(0)).data!.recordTraceStep.outcome).toBe('CREATED');
    await sql(env.db, `UPDATE aos_traces SET status = 'aborted', completed_at = now() WHERE tenant_id = 'tenant-a' AND trace_id = 'trace_closing-2'`);
    expect(codeOf(await one(1))).toBe('CONFLICT');
    expect((await stored('trace_closing-2')).map((r) => r.step_index)).toEqual([0]);
  });

  it('a trace deleted and started again under its id with another synthetic marking gives its steps the new marking', async () => {
    await start({ runId: 'remarked' });
    await steps([{ traceId: 'trace_remarked', stepIndex: 0, skillName: 's', status: 'SUCCESS' }]);
    // Markings are immutable, but an archived trace may be deleted and its id used again.
    await sql(env.db, `UPDATE aos_traces SET archived_at = now() WHERE tenant_id = 'tenant-a' AND trace_id = 'trace_remarked'`);
    await sql(env.db, `DELETE FROM aos_traces WHERE tenant_id = 'tenant-a' AND trace_id = 'trace_remarked'`);
    expect((await start({ runId: 'remarked-2', traceId: 'trace_remarked', isSynthetic: true, syntheticScenarioId: 'scn-late' })).errors).toBeUndefined();
    const res = await steps([{ traceId: 'trace_remarked', stepIndex: 1, skillName: 's', status: 'SUCCESS' }]);
    expect(res.errors).toBeUndefined();
    expect(res.data!.recordTraceSteps.results[0].step).toMatchObject({ isSynthetic: true, syntheticScenarioId: 'scn-late' });
  });

  it('an unknown trace next to a running one is NOT_FOUND for its items only, and nothing is stored', async () => {
    await start({ runId: 'mixed' });
    const res = await steps([
      { traceId: 'trace_mixed', stepIndex: 0, skillName: 's', status: 'SUCCESS' },
      { traceId: 'trace_nowhere', stepIndex: 0, skillName: 's', status: 'SUCCESS' },
    ]);
    expect(codeOf(res)).toBe('NOT_FOUND');
    expect(res.errors![0]!.extensions!.items).toEqual([expect.objectContaining({ index: 1, code: 'NOT_FOUND', field: 'traceId' })]);
    expect(await stored('trace_mixed')).toHaveLength(0);
  });
});

describe('concurrent batches on one trace', () => {
  it('overlapping batches store every step once; each step is CREATED by exactly one of them', async () => {
    await start({ runId: 'parallel' });
    const batch = (from: number) =>
      Array.from({ length: 20 }, (_, k) => ({ traceId: 'trace_parallel', stepIndex: from + k, skillName: 's', status: 'SUCCESS', params: { i: from + k } }));
    // Four batches over steps 0-49, overlapping pairwise, two of them in reverse order.
    const sent = [batch(0), batch(10).reverse(), batch(20), batch(30).reverse()];
    const answers = await Promise.all(sent.map((b) => steps(b)));
    for (const a of answers) expect(a.errors).toBeUndefined();
    const created = answers.flatMap((a, n) => a.data!.recordTraceSteps.results.filter((r: any) => r.outcome === 'CREATED').map((r: any) => sent[n]![r.index]!.stepIndex));
    expect(created.sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect((await stored('trace_parallel')).map((r) => r.step_index)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('a completion racing with batches: every step stored is one a batch reported, and the root hash covers exactly them', async () => {
    await start({ runId: 'race', seed: '3', frozenTimestamp: 'T0' });
    await steps([{ traceId: 'trace_race', stepIndex: 0, skillName: 's', status: 'SUCCESS' }]);
    const batch = (n: number) => steps(Array.from({ length: 10 }, (_, k) => ({ traceId: 'trace_race', stepIndex: 1 + n * 10 + k, skillName: 's', status: 'SUCCESS' })));
    const [b1, b2, done, b3, b4] = await Promise.all([
      batch(0), batch(1), gql(env.app, COMPLETE, { input: { traceId: 'trace_race', status: 'COMPLETED' } }, env.a.write), batch(2), batch(3),
    ]);
    expect(done.errors).toBeUndefined();
    const accepted = [b1, b2, b3, b4].filter((b) => !b.errors).flatMap((b) => b.data!.recordTraceSteps.results.map((r: any) => r.step.stepIndex));
    for (const b of [b1, b2, b3, b4]) if (b.errors) expect(codeOf(b)).toBe('CONFLICT');
    const rows = await stored('trace_race');
    expect(rows.map((r) => r.step_index)).toEqual([0, ...accepted].sort((x, y) => x - y));
    const again = await gql(env.app, `query { trace(traceId: "trace_race") { rootHash } }`, {}, env.a.read);
    const [trace] = await sql<any>(env.db, `SELECT seed, frozen_timestamp, started_at, tenant_id FROM aos_traces WHERE trace_id = 'trace_race'`);
    const all = await sql<any>(env.db, `SELECT step_index, skill_id, input_hash, output_hash, rng_state_before, status::text, idempotency_key, replay_behavior::text FROM aos_trace_steps WHERE trace_id = 'trace_race'`);
    const { traceRootHash } = await import('../../src/domain/trace.ts');
    const recomputed = traceRootHash(
      { seed: BigInt(trace.seed), frozenTimestamp: trace.frozen_timestamp, startedAt: new Date(trace.started_at), tenantId: trace.tenant_id },
      all.map((r) => ({ stepIndex: r.step_index, skillId: r.skill_id, inputHash: r.input_hash, outputHash: r.output_hash, rngStateBefore: r.rng_state_before, status: r.status, idempotencyKey: r.idempotency_key, replayBehavior: r.replay_behavior })),
    );
    expect(again.data!.trace.rootHash).toBe(recomputed);
  });
});

describe('the answer reads back only what it selects', () => {
  it('without params or outcomeData in the selection, the insert returns neither; with them, both', async () => {
    const statements: string[] = [];
    const own = await setup({ onQuery: (text) => statements.push(text) });
    try {
      await gql(own.app, START, { input: { runId: 'lean' } }, own.a.write);
      const step = (stepIndex: number) => ({ traceId: 'trace_lean', stepIndex, skillName: 's', status: 'SUCCESS', params: { q: stepIndex }, outcomeData: { r: 1 } });
      const inserts = () => statements.filter((t) => t.includes('INSERT INTO aos_trace_steps'));
      const lean = await gql(own.app, `mutation($input: RecordTraceStepsInput!) { recordTraceSteps(input: $input) { createdCount results { outcome step { stepIndex contentHash } } } }`,
        { input: { steps: [step(0)] } }, own.a.write);
      expect(lean.data!.recordTraceSteps).toMatchObject({ createdCount: 1, results: [{ outcome: 'CREATED', step: { stepIndex: 0 } }] });
      expect(inserts().at(-1)).not.toMatch(/"params"|"outcomeData"/);
      const withPayload = `mutation($input: TraceStepInput!) { recordTraceStep(input: $input) { outcome step { params outcomeData } } }`;
      const full = await gql(own.app, withPayload, { input: step(1) }, own.a.write);
      expect(full.data!.recordTraceStep).toEqual({ outcome: 'CREATED', step: { params: { q: 1 }, outcomeData: { r: 1 } } });
      expect(inserts().at(-1)).toMatch(/"params"/);
      expect(inserts().at(-1)).toMatch(/"outcomeData"/);
      const again = await gql(own.app, withPayload, { input: step(0) }, own.a.write);
      expect(again.data!.recordTraceStep).toEqual({ outcome: 'DUPLICATE', step: { params: { q: 0 }, outcomeData: { r: 1 } } });
    } finally {
      await own.close();
    }
  });
});

describe('JSON input', () => {
  it('a "__proto__" key in step params is stored as data, redacted like any other key', async () => {
    await start({ runId: 'proto' });
    const params = JSON.parse('{"__proto__":{"password":"x","n":1},"a":2}');
    const res = await steps([{ traceId: 'trace_proto', stepIndex: 0, skillName: 's', status: 'SUCCESS', params }]);
    expect(res.errors).toBeUndefined();
    const [row] = await stored('trace_proto');
    expect(JSON.parse(row!.params)).toEqual(JSON.parse('{"__proto__":{"password":"<REDACTED>","n":1},"a":2}'));
  });
});

describe('stored payloads', () => {
  // The insert splices in the canonical text made for the hashes; before, it stored
  // JSON.stringify of the redacted value. jsonb must read both as the same value.
  const PAYLOADS: Record<string, unknown>[] = [
    { z: 1, a: [true, null, 'é', '😀', '\ue000'], q: 'x/y"\\\n\u007f\u0001', nested: { b: 1e-7, c: 0.00001, d: -0, e: 123.456 } },
    { big: 1e21, bigger: 1.2345e25, negative: -9.87e30, safe: 9007199254740991 },
    { digits: '1234567890123456789012345', mail: 'alice@example.com', password: 'hunter2', key: 'ab'.repeat(20) },
    { deep: { a: { b: { c: [[[{ d: 'token=abc123secret' }]]] } } } },
  ];

  it('are the jsonb of JSON.stringify(redacted value), as before, params and outcomeData alike', async () => {
    await start({ runId: 'payloads' });
    const res = await steps(PAYLOADS.map((p, i) => ({ traceId: 'trace_payloads', stepIndex: i, skillName: 's', status: 'SUCCESS', params: p, outcomeData: { result: p } })));
    expect(res.errors).toBeUndefined();
    const rows = await stored('trace_payloads');
    expect(rows).toHaveLength(PAYLOADS.length);
    for (const [i, p] of PAYLOADS.entries()) {
      const [before] = await sql<{ params: string; outcome: string }>(env.db, `SELECT $1::jsonb::text AS params, $2::jsonb::text AS outcome`, [
        JSON.stringify(redactJson(p)),
        JSON.stringify(redactJson({ result: p })),
      ]);
      expect({ params: rows[i]!.params, outcome: rows[i]!.outcome_data }).toEqual(before);
    }
  });
});

describe('step input rules, checked once per batch', () => {
  const ok = (stepIndex: number) => ({ traceId: 'trace_rules', stepIndex, skillName: 's', status: 'SUCCESS' });
  const errorOf = (res: any) => ({ code: codeOf(res), message: res.errors?.[0]?.message, fields: res.errors?.[0]?.extensions?.fields });

  it('names the first failing field of every item, with the same messages as before', async () => {
    const res = await steps([
      { ...ok(0), skillName: '' },
      ok(1),
      { ...ok(2), traceId: 'a b', stepIndex: -1, durationMs: -1 },
      { ...ok(3), outcomeCode: 'c'.repeat(65), inputHash: 'ABC' },
      { ...ok(4), durationMs: -1, rngStateBefore: 'x\u0000y' },
      { ...ok(5), rngStateBefore: 'x\u0000y' },
    ]);
    expect(errorOf(res)).toEqual({
      code: 'BAD_USER_INPUT',
      message:
        'input.steps.0.skillName: must not be empty; input.steps.2.traceId: only letters, digits and . _ : / + -; ' +
        'input.steps.3.outcomeCode: at most 64 characters; input.steps.4.durationMs: Too small: expected number to be >=0; ' +
        'input.steps.5.rngStateBefore: only letters, digits, spaces and . _ : / + -',
      fields: ['input.steps.0.skillName', 'input.steps.2.traceId', 'input.steps.3.outcomeCode', 'input.steps.4.durationMs', 'input.steps.5.rngStateBefore'],
    });
  });

  it('checks the size of the list only when every item passes', async () => {
    expect(errorOf(await steps([]))).toEqual({ code: 'BAD_USER_INPUT', message: 'input.steps: at least one step', fields: ['input.steps'] });
    const many = Array.from({ length: 1001 }, (_, i) => ok(i));
    expect(errorOf(await steps(many))).toEqual({ code: 'BAD_USER_INPUT', message: 'input.steps: at most 1000 steps', fields: ['input.steps'] });
    many[5] = { ...ok(5), skillName: 'x'.repeat(129) };
    expect(errorOf(await steps(many))).toEqual({ code: 'BAD_USER_INPUT', message: 'input.steps.5.skillName: at most 128 characters', fields: ['input.steps.5.skillName'] });
  });

  it('input is checked before the key, as it always was: an invalid step from a read-only key is BAD_USER_INPUT', async () => {
    expect(codeOf(await steps([{ ...ok(0), skillName: '' }], env.a.read))).toBe('BAD_USER_INPUT');
    expect(codeOf(await steps([ok(0)], env.a.read))).toBe('FORBIDDEN');
  });

  it('recordTraceStep names the field under input, with every rule it broke', async () => {
    const res = await gql(env.app, STEP, { input: { ...ok(0), syntheticScenarioId: '', idempotencyKey: 'k\u0001' } }, env.a.write);
    expect(errorOf(res)).toEqual({ code: 'BAD_USER_INPUT', message: 'input.idempotencyKey: only letters, digits, spaces and . _ : / + -', fields: ['input.idempotencyKey'] });
    const both = await gql(env.app, STEP, { input: { ...ok(0), syntheticScenarioId: '' } }, env.a.write);
    expect(errorOf(both)).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'input.syntheticScenarioId: must not be empty',
      fields: ['input.syntheticScenarioId'],
    });
  });
});
