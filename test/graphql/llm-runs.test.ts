import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, gql, setup, sql, type TestEnv } from '../helpers.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env?.close());

const RECORD = `mutation($input: RecordLlmRunInput!) { recordLlmRun(input: $input) { created llmRun { id runId traceId provider model inputTokens outputTokens costCents executionStatus startedAt completedAt source isSynthetic syntheticScenarioId } } }`;
const READ = `query($runId: String!) { llmRun(runId: $runId) { runId model costCents executionStatus } }`;
const NODE = `query($id: ID!) { node(id: $id) { id ... on LlmRun { runId } } }`;

const run = (runId: string, extra: Record<string, unknown> = {}) => ({
  runId,
  traceId: `trace_${runId}`,
  provider: 'anthropic',
  model: 'claude-sonnet-4',
  inputTokens: 1200,
  outputTokens: 340,
  costCents: '1.234567',
  executionStatus: 'SUCCEEDED',
  startedAt: '2026-03-01T10:00:00.000Z',
  completedAt: '2026-03-01T10:00:04.500Z',
  source: 'SDK',
  ...extra,
});

const rowsFor = (runId: string) => sql(env.db, `SELECT * FROM llm_run_records WHERE run_id = $1`, [runId]);

describe('recordLlmRun', () => {
  it('records a run and reads it back with exact cost', async () => {
    const res = await gql(env.app, RECORD, { input: run('llm-1') }, env.a.write);
    expect(res.errors).toBeUndefined();
    expect(res.data!.recordLlmRun).toMatchObject({
      created: true,
      llmRun: { runId: 'llm-1', costCents: '1.234567', executionStatus: 'SUCCEEDED', source: 'SDK', isSynthetic: false, completedAt: '2026-03-01T10:00:04.500Z' },
    });
    const [row] = await rowsFor('llm-1');
    expect(row).toMatchObject({ tenant_id: 'tenant-a', input_tokens: 1200, output_tokens: 340 });
    // B20: one exact unit, micro-cents, no float on the way.
    expect(String(row!.cost_microcents)).toBe('1234567');

    const read = await gql(env.app, READ, { runId: 'llm-1' }, env.a.read);
    expect(read.data!.llmRun).toEqual({ runId: 'llm-1', model: 'claude-sonnet-4', costCents: '1.234567', executionStatus: 'SUCCEEDED' });
    const node = await gql(env.app, NODE, { id: res.data!.recordLlmRun.llmRun.id }, env.a.read);
    expect(node.data!.node).toMatchObject({ runId: 'llm-1' });
  });

  it('returns the stored record for an identical retry, without a second row', async () => {
    const res = await gql(env.app, RECORD, { input: run('llm-1') }, env.a.write);
    expect(res.errors).toBeUndefined();
    expect(res.data!.recordLlmRun).toMatchObject({ created: false, llmRun: { runId: 'llm-1', costCents: '1.234567' } });
    expect(await rowsFor('llm-1')).toHaveLength(1);
  });

  it('keeps one row when identical records race', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => gql(env.app, RECORD, { input: run('llm-race') }, env.a.write)));
    expect(results.map((r) => r.errors)).toEqual(Array(5).fill(undefined));
    expect(results.filter((r) => r.data!.recordLlmRun.created)).toHaveLength(1);
    expect(await rowsFor('llm-race')).toHaveLength(1);
  });

  it('B8: a different record for the same run is a CONFLICT, not a second row, and the lookup stays deterministic', async () => {
    const res = await gql(env.app, RECORD, { input: run('llm-1', { outputTokens: 999, costCents: '2' }) }, env.a.write);
    expect(codeOf(res)).toBe('CONFLICT');
    expect(res.errors![0]!.extensions!.fields).toEqual(['outputTokens', 'costCents']);
    expect(await rowsFor('llm-1')).toHaveLength(1);
    for (let i = 0; i < 3; i++) {
      const read = await gql(env.app, READ, { runId: 'llm-1' }, env.a.read);
      expect(read.errors).toBeUndefined();
      expect(read.data!.llmRun).toMatchObject({ costCents: '1.234567' });
    }
  });

  it('keeps runs of two tenants apart: the same runId in tenant b is its own record', async () => {
    const res = await gql(env.app, RECORD, { input: run('llm-1', { model: 'gpt-4o' }) }, env.b.write);
    expect(res.errors).toBeUndefined();
    expect(res.data!.recordLlmRun.created).toBe(true);
    expect((await gql(env.app, READ, { runId: 'llm-1' }, env.a.read)).data!.llmRun.model).toBe('claude-sonnet-4');
    expect((await gql(env.app, READ, { runId: 'llm-1' }, env.b.read)).data!.llmRun.model).toBe('gpt-4o');
  });

  it("answers null for an unknown run and for another tenant's run, by runId and by node id", async () => {
    const mine = await gql(env.app, RECORD, { input: run('llm-only-a') }, env.a.write);
    expect((await gql(env.app, READ, { runId: 'llm-only-a' }, env.b.read)).data!.llmRun).toBeNull();
    expect((await gql(env.app, READ, { runId: 'no-such-run' }, env.a.read)).data!.llmRun).toBeNull();
    const node = await gql(env.app, NODE, { id: mine.data!.recordLlmRun.llmRun.id }, env.b.read);
    expect(node.errors).toBeUndefined();
    expect(node.data!.node).toBeNull();
  });

  it('records a synthetic run with its scenario', async () => {
    const res = await gql(env.app, RECORD, { input: run('llm-syn', { isSynthetic: true, syntheticScenarioId: 'sc-1', source: 'SYNTHETIC' }) }, env.a.write);
    expect(res.errors).toBeUndefined();
    expect(res.data!.recordLlmRun.llmRun).toMatchObject({ isSynthetic: true, syntheticScenarioId: 'sc-1' });
  });
});

describe('recordLlmRun rejects bad input and writes nothing', () => {
  // Values graphql-js coerces (enums, Int, Cents, required fields) fail before any resolver runs
  // and name the field in the message; values our validators check name it in extensions.
  const cases: [string, Record<string, unknown>, string][] = [
    ['an unknown execution status', { executionStatus: 'DONE' }, 'input.executionStatus'],
    ['negative input tokens', { inputTokens: -1 }, 'input.inputTokens'],
    ['fractional output tokens', { outputTokens: 1.5 }, 'outputTokens'],
    ['a negative cost', { costCents: '-0.5' }, 'input.costCents'],
    ['completedAt before startedAt', { completedAt: '2026-03-01T09:59:59.999Z' }, 'input.completedAt'],
    ['a synthetic run without scenario', { isSynthetic: true }, 'input.syntheticScenarioId'],
    ['a missing model', { model: undefined }, 'Field "model" of required type'],
  ];
  it.each(cases)('%s → BAD_USER_INPUT', async (_name, patch, field) => {
    const runId = `bad-${Object.keys(patch)[0]}`;
    const res = await gql(env.app, RECORD, { input: run(runId, patch) }, env.a.write);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors!.map((e) => `${e.message} ${JSON.stringify(e.extensions)}`).join('\n')).toContain(field);
    expect(await rowsFor(runId)).toHaveLength(0);
  });

  it('an unknown enum written into the document fails validation as GRAPHQL_VALIDATION_FAILED', async () => {
    const res = await gql(
      env.app,
      `mutation { recordLlmRun(input: { runId: "bad-literal", provider: "p", model: "m", inputTokens: 0, outputTokens: 0, costCents: "0",
         executionStatus: DONE, startedAt: "2026-03-01T10:00:00Z", source: SDK }) { created } }`,
      {},
      env.a.write,
    );
    expect(codeOf(res)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(await rowsFor('bad-literal')).toHaveLength(0);
  });

  it('rejects a read-only key with FORBIDDEN', async () => {
    const res = await gql(env.app, RECORD, { input: run('llm-ro') }, env.a.read);
    expect(codeOf(res)).toBe('FORBIDDEN');
    expect(await rowsFor('llm-ro')).toHaveLength(0);
  });
});

describe('llm_run_records is append-only in the database', () => {
  it('rejects UPDATE and DELETE', async () => {
    await expect(sql(env.db, `UPDATE llm_run_records SET cost_microcents = 0 WHERE run_id = 'llm-1'`)).rejects.toThrow(/append-only/);
    await expect(sql(env.db, `DELETE FROM llm_run_records WHERE run_id = 'llm-1'`)).rejects.toThrow(/append-only/);
    expect(await rowsFor('llm-1')).toHaveLength(2);
  });
});
