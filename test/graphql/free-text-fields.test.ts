// Fields that are not redacted accept only a documented character set, and refuse a value that
// redaction would change (issue 11): an AWS key, a token or an e-mail address written there was
// stored and answered unchanged before. The refusal names the field and writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, setup, sql, type TestEnv } from '../helpers.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
  await gql(env.app, `mutation { startTrace(input: { traceId: "t-free", runId: "r-free" }) { created } }`, {}, env.a.write);
});
afterAll(() => env?.close());

const AWS = 'AKIAIOSFODNN7EXAMPLE';
const EMAIL = 'jane.doe@example.com';
const NPM = 'npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';

let n = 0;
type Case = { field: string; path: string; table: string; key: 'write' | 'admin'; write: (value: string) => [string, Record<string, unknown>] };
const llmRun = (over: Record<string, unknown>) => ({
  runId: `run-${++n}`, provider: 'openai', model: 'gpt-4o', inputTokens: 1, outputTokens: 1, costCents: '0', executionStatus: 'SUCCEEDED',
  startedAt: '2026-01-01T00:00:00Z', source: 'API', ...over,
});
const CASES: Case[] = [
  ...['skillName', 'outcomeCode'].map((field): Case => ({
    field, path: `input.steps.0.${field}`, table: 'aos_trace_steps', key: 'write',
    write: (v) => [`mutation($input: RecordTraceStepsInput!) { recordTraceSteps(input: $input) { createdCount } }`,
      { input: { steps: [{ traceId: 't-free', stepIndex: ++n, skillName: 's', status: 'SUCCESS', [field]: v }] } }],
  })),
  ...['model', 'provider', 'syntheticScenarioId'].map((field): Case => ({
    field, path: `input.${field}`, table: 'llm_run_records', key: 'write',
    write: (v) => [`mutation($input: RecordLlmRunInput!) { recordLlmRun(input: $input) { created } }`,
      { input: llmRun({ [field]: v, ...(field === 'syntheticScenarioId' && { isSynthetic: true }) }) }],
  })),
  {
    field: 'actorId', path: 'input.actorId', table: 'audit_ledger', key: 'admin',
    write: (v) => [`mutation($input: AppendAuditEntryInput!) { appendAuditEntry(input: $input) { created } }`,
      { input: { eventType: 'LIMIT_UPDATED', entityType: 'LIMIT', entityId: `l-${++n}`, actorType: 'HUMAN', actorId: v } }],
  },
  {
    field: 'category', path: 'input.category', table: 'incidents', key: 'write',
    write: (v) => [`mutation($input: OpenIncidentInput!) { openIncident(input: $input) { incidentId } }`,
      { input: { title: 't', severity: 'LOW', causeType: 'SYSTEM', triggerType: 'manual', category: v } }],
  },
  {
    field: 'requestedBy', path: 'input.requestedBy', table: 'log_exports', key: 'admin',
    write: (v) => [`mutation($input: RequestLogExportInput!) { requestLogExport(input: $input) { exportId } }`,
      { input: { scope: 'AUDIT', format: 'JSON', origin: 'HUMAN', requestedBy: v } }],
  },
  {
    field: 'approvalPath', path: 'input.approvalPath', table: 'policy_activation_audit', key: 'admin',
    write: (v) => [`mutation($input: RecordPolicyActivationInput!) { recordPolicyActivation(input: $input) { created } }`,
      { input: { policyId: `p-${++n}`, sourcePatternId: 'sp-1', confidence: 0.9, approvalPath: `human:${v}` } }],
  },
];

const count = async (table: string) => Number((await sql<{ n: string }>(env.db, `SELECT count(*) AS n FROM ${table}`))[0]!.n);

describe.each(CASES)('$field', ({ path, table, key, write }) => {
  it.each([['an AWS key', AWS], ['an e-mail address', EMAIL], ['an npm token', NPM], ['a prose secret', 'pwd:hunter2x']])('refuses %s and writes nothing', async (_what, value) => {
    const before = await count(table);
    const [query, variables] = write(value);
    const res = await gql(env.app, query, variables, env.a[key]);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [path] });
    expect(res.errors?.[0]?.message).toContain(path);
    expect(await count(table)).toBe(before);
  });

  it('accepts an ordinary identifier', async () => {
    const [query, variables] = write('ops-team_1.eu:primary');
    const res = await gql(env.app, query, variables, env.a[key]);
    expect(res.errors).toBeUndefined();
  });
});

it('goal is free text and redacted', async () => {
  const res = await gql(env.app, `mutation($input: StartTraceInput!) { startTrace(input: $input) { trace { run { goal } } } }`,
    { input: { traceId: 't-goal', runId: 'r-goal', goal: `deploy with ${AWS} and mail ${EMAIL}` } }, env.a.write);
  expect(res.errors).toBeUndefined();
  const goal = (res.data as any).startTrace.trace.run.goal as string;
  expect(goal).not.toContain(AWS);
  expect(goal).not.toContain(EMAIL);
  const [row] = await sql<{ goal: string }>(env.db, `SELECT goal FROM runs WHERE run_id = 'r-goal'`);
  expect(row!.goal).toBe(goal);
});

describe('filters', () => {
  it('find stored values outside the write character set: a filter stores nothing, and older rows stay findable', async () => {
    // A row written before the restriction (or imported): an actor id with "@".
    await sql(
      env.db,
      `INSERT INTO audit_ledger (tenant_id, seq, event_type, entity_type, entity_id, actor_type, actor_id, prev_hash, entry_hash)
       VALUES ($1, 900001, 'PolicyRuleCreated', 'POLICY_RULE', 'legacy', 'HUMAN', 'ops@legacy-team', repeat('0', 64), repeat('1', 64))`,
      [env.a.tenantId],
    );
    const res = await gql(env.app, `{ auditEntries(filter: { actorId: "ops@legacy-team" }, first: 5) { edges { node { actorId entityId } } } }`, {}, env.a.read);
    expect(res.errors).toBeUndefined();
    expect(res.data!.auditEntries.edges.map((e: any) => e.node)).toEqual([{ actorId: 'ops@legacy-team', entityId: 'legacy' }]);
  });
});
