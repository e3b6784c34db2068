// Answers Postgres writes (src/graphql/text-answers): every supported shape must read exactly as
// graphql-jit's answer (same values, same key order), and everything else must be left to it.
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledFor } from '../../src/graphql/compiled-execution.ts';
import { textAnswerPlan } from '../../src/graphql/text-answers/index.ts';
import { createLoaders } from '../../src/graphql/loaders.ts';
import { encodeCursor } from '../../src/graphql/pagination.ts';
import { schema } from '../../src/graphql/schema.ts';
import type { Sql } from '../../src/db/sql.ts';
import { codeOf, gql, setup, sql, type TestEnv } from '../helpers.ts';

let env: TestEnv;
const T0 = Date.parse('2026-11-01T00:00:00Z');

beforeAll(async () => {
  env = await setup();
  for (let i = 0; i < 12; i++) {
    const steps = Array.from({ length: 2 + (i % 5) }, (_, n) => ({
      stepIndex: n,
      skillName: `skill ${n % 3}`,
      status: n === 3 ? 'FAILURE' : n === 2 ? 'RETRY' : 'SUCCESS',
      costCents: n % 2 ? `${n}.000125` : `${n * 10}`,
      durationMs: n * 10.75,
      timestamp: new Date(T0 + i * 60_000 + n * 1_001).toISOString(),
      // Text beyond ASCII (two- to four-byte UTF-8) and escapes: answers are written as bytes.
      params: { n, text: 'quote " backslash \\ newline \n bell \u0007 é 日本 😀' },
      outcomeCode: n === 3 ? 'E_TIMEOUT' : undefined,
    }));
    const res = await gql(env.app, `mutation($input: StoreTraceInput!) { storeTrace(input: $input) { created } }`, {
      input: {
        runId: `run-${i}`,
        agentId: i % 2 ? 'alpha' : 'beta',
        status: i % 3 ? 'COMPLETED' : 'FAILED',
        startedAt: new Date(T0 + Math.floor(i / 2) * 60_000).toISOString(), // pairs tie on startedAt
        completedAt: new Date(T0 + Math.floor(i / 2) * 60_000 + 1234).toISOString(),
        seed: String(i * 1_000_000_007),
        metadata: { i },
        steps,
      },
    }, env.a.write);
    expect(res.errors).toBeUndefined();
  }
  // Traces in earlier months: their steps live in other partitions (docs/partitions.md).
  for (const [runId, startedAt] of [['run-oct', '2026-10-31T23:59:59.999Z'], ['run-aug', '2026-08-15T12:00:00Z']]) {
    const steps = [0, 1, 2].map((n) => ({ stepIndex: n, skillName: 'old', status: 'SUCCESS', timestamp: startedAt }));
    expect((await gql(env.app, `mutation($input: StoreTraceInput!) { storeTrace(input: $input) { created } }`, { input: { runId, startedAt, steps } }, env.a.write)).errors).toBeUndefined();
  }
  // A running trace (durationMs null), and an archived trace and step.
  expect((await gql(env.app, `mutation { startTrace(input: { runId: "live", startedAt: "2026-11-02T00:00:00Z" }) { created } }`, undefined, env.a.write)).errors).toBeUndefined();
  await sql(env.db, `UPDATE aos_traces SET archived_at = now() WHERE tenant_id = 'tenant-a' AND trace_id = 'trace_run-0'`);
  await sql(env.db, `UPDATE aos_trace_steps SET archived_at = now() WHERE tenant_id = 'tenant-a' AND trace_id = 'trace_run-4' AND step_index = 1`);
  await gql(env.app, `mutation { storeTrace(input: { runId: "other", steps: [] }) { created } }`, undefined, env.b.write);
  for (let i = 0; i < 7; i++) {
    const res = await gql(env.app, `mutation($input: RecordLlmRunInput!) { recordLlmRun(input: $input) { created } }`, {
      input: {
        runId: `llm-${i}`, traceId: i % 2 ? `trace_run-${i}` : undefined, provider: 'anthropic', model: i % 3 ? 'model a' : 'model b',
        inputTokens: 100 * i, outputTokens: 7 * i, costCents: `${i}.5`, executionStatus: i === 3 ? 'FAILED' : 'SUCCEEDED',
        startedAt: new Date(T0 + (i % 3) * 1000).toISOString(), completedAt: i === 5 ? undefined : new Date(T0 + 5000).toISOString(), source: 'SDK',
      },
    }, env.a.write);
    expect(res.errors).toBeUndefined();
  }
  for (let i = 0; i < 9; i++) {
    const res = await gql(env.app, `mutation($input: AppendAuditEntryInput!) { appendAuditEntry(input: $input) { created } }`, {
      input: {
        eventType: i % 3 ? (i % 2 ? 'LIMIT_UPDATED' : 'LIMIT_CREATED') : 'INCIDENT_ACKNOWLEDGED', entityType: i % 3 ? 'LIMIT' : 'INCIDENT', entityId: `entity-${i}`, actorType: 'HUMAN',
        actorId: i % 2 ? 'ops-1' : undefined, actionReason: i === 4 ? 'quote " and \\ backslash' : undefined,
        beforeState: i % 3 ? { max: i, nested: { list: [1, 2.5, null] } } : undefined, afterState: { max: i + 1 }, correlationId: `run-${i % 4}`,
      },
    }, env.a.write);
    expect(res.errors).toBeUndefined();
  }
  // System records: the tenant's own and global ones (another table).
  for (let i = 0; i < 8; i++) {
    const input = {
      component: i % 2 ? 'WORKER' : 'API', eventType: i % 3 ? 'ERROR' : 'RESTART', severity: i % 4 ? 'WARN' : 'CRITICAL',
      summary: `event ${i}: quote " and \\ backslash, tab \t, ünï — 日本 😀`, details: i % 2 ? { i, nested: [1, 2.5, null] } : undefined,
      causedBy: i % 3 ? 'AUTOMATION' : undefined, correlationId: `run-${i % 3}`, idempotencyKey: i === 5 ? 'sys-5' : undefined,
    };
    const res = await gql(env.app, `mutation($input: RecordSystemEventInput!) { recordSystemEvent(input: $input) { created } }`, { input }, env.a.write);
    expect(res.errors).toBeUndefined();
  }
  for (let i = 0; i < 3; i++) {
    await env.stores.systemRecords.recordGlobal({ component: 'db', eventType: 'HEALTH_CHECK', severity: 'INFO', summary: `health ${i}`, correlationId: i ? undefined : 'run-1' });
  }
}, 120_000);
afterAll(() => env?.close());

const query = (tenantId: string) => (statement: Sql) => env.db.withTenant(tenantId, () => env.db.query<Record<string, string | null>>(statement.text, statement.values));

/** graphql-jit's answer and the one written from the rows' text, for the read key of tenant a. */
async function bothWays(document: string, variables: Record<string, unknown> = {}, tenant = env.a) {
  const doc = parse(document);
  const principal = (await env.stores.tenants.authenticate(tenant.read))!;
  const context = { principal, tenantId: principal.tenantId, stores: env.stores, loaders: createLoaders(env.stores, principal.tenantId) };
  const jit = await compiledFor(schema, doc, undefined)!.query(undefined, context, variables);
  const data = await textAnswerPlan(schema, doc, undefined)?.answer(principal.tenantId, principal.scopes, variables, query(principal.tenantId));
  return { jit, postgres: data == null ? null : JSON.parse(data.toString('utf8')).data };
}

/** Same values in the same key order, and an answer worth comparing. */
async function expectSame(document: string, variables: Record<string, unknown> = {}) {
  const { jit, postgres } = await bothWays(document, variables);
  expect(jit.errors).toBeUndefined();
  expect(postgres).not.toBeNull();
  expect(JSON.stringify(postgres)).toBe(JSON.stringify(jit.data));
  return postgres;
}

const STEP_FIELDS = `id traceId stepIndex skillId skillName status level outcomeCategory outcomeCode costCents durationMs retryCount
  inputHash outputHash rngStateBefore idempotencyKey replayBehavior source timestamp startedAt endedAt recordedAt isSynthetic
  syntheticScenarioId contentHash archivedAt spanId parentSpanId spanKind startTimeUnixNano endTimeUnixNano operation provider
  model inputTokens outputTokens cachedInputTokens reasoningTokens agentName toolName conversationId __typename params outcomeData attributes`;

const TRACE_FIELDS = `id traceId runId correlationId agentId planId seed frozenTimestamp rootHash planHash schemaVersion plan metadata
  status startedAt completedAt createdAt storedBy incidentId isSynthetic syntheticScenarioId archivedAt violationStepIndex
  violationTimestamp violationPolicyId violationReason replayMode replayAttemptId replayArtifactVersion traceCompletenessStatus durationMs`;

const PAGE = `query Page($filter: TraceFilter, $sort: TraceSort, $first: Int, $after: String, $last: Int, $before: String, $steps: Int) {
  __typename
  list: traces(filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before) {
    __typename
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { ...Head summary { stepCount successCount failureCount totalCostCents totalDurationMs totalTokens }
      steps(first: $steps) { pageInfo { hasNextPage endCursor } edges { cursor node { stepIndex status costCents durationMs timestamp endedAt } } } } }
  }
}
fragment Head on Trace { traceId runId agentId status startedAt completedAt durationMs seed metadata }`;

describe('answers Postgres writes read as graphql-jit answers', () => {
  it('a dashboard page, then the next pages by cursor, forwards and backwards', async () => {
    const first = await expectSame(PAGE, { first: 5, steps: 3 });
    expect(first.list.edges).toHaveLength(5);
    const after = first.list.pageInfo.endCursor;
    const second = await expectSame(PAGE, { first: 5, after, steps: 2 });
    await expectSame(PAGE, { last: 3, before: second.list.pageInfo.startCursor, steps: 2 });
    const all = await expectSame(PAGE, { last: 50, steps: 3 });
    // Pages that span months read each trace's steps from its own partition.
    const old = all.list.edges.filter((e: { node: { traceId: string } }) => ['trace_run-oct', 'trace_run-aug'].includes(e.node.traceId));
    expect(old.map((e: { node: { steps: { edges: unknown[] } } }) => e.node.steps.edges.length)).toEqual([3, 3]);
    await expectSame(PAGE, { sort: { field: 'CREATED_AT', direction: 'ASC' }, first: 4, steps: 5 });
  });

  it('filters, archived traces, an empty page', async () => {
    await expectSame(PAGE, { filter: { agentId: 'alpha', status: 'COMPLETED' }, first: 20, steps: 10 });
    await expectSame(PAGE, { filter: { includeArchived: true, startedAfter: '2026-11-01T00:01:00Z' }, first: 20 });
    const empty = await expectSame(PAGE, { filter: { agentId: 'nobody' }, first: 5 });
    expect(empty.list.edges).toEqual([]);
  });

  it('one trace with every field of it and of its steps', async () => {
    const query = `query($id: String!) { trace(traceId: $id) { ${TRACE_FIELDS} steps(first: 1000) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ${STEP_FIELDS} } } } } }`;
    for (const id of ['trace_run-4', 'trace_run-3', 'trace_live', 'trace_run-0', 'nowhere']) await expectSame(query, { id });
  });

  it('step pages: filters, after, before, last', async () => {
    const query = `query($after: String, $before: String, $first: Int, $last: Int, $filter: TraceStepFilter) {
      trace(traceId: "trace_run-9") { steps(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { stepIndex skillName level } } } } }`;
    const page = await expectSame(query, { first: 2 });
    await expectSame(query, { first: 2, after: page.trace.steps.pageInfo.endCursor });
    await expectSame(query, { last: 2, before: page.trace.steps.pageInfo.endCursor });
    await expectSame(query, { last: 3 });
    await expectSame(query, { first: 0 });
    await expectSame(query, { first: 10, filter: { status: 'FAILURE' } });
    await expectSame(query, { first: 10, filter: { level: 'WARN', skillName: 'skill 2' } });
  });

  it('audit entries: pages by cursor on either sort, filters', async () => {
    const query = `query($filter: AuditEntryFilter, $sort: AuditEntrySort, $first: Int, $after: String, $last: Int, $before: String) {
      auditEntries(filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before) {
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { id entryId seq eventType entityType entityId actorType actorId actionReason beforeState afterState
          correlationId idempotencyKey prevHash entryHash createdAt __typename } } } }`;
    const first = await expectSame(query, { first: 4 });
    expect(first.auditEntries.edges).toHaveLength(4);
    await expectSame(query, { first: 4, after: first.auditEntries.pageInfo.endCursor });
    const bySeq = await expectSame(query, { first: 3, sort: { field: 'SEQ', direction: 'ASC' } });
    await expectSame(query, { first: 3, sort: { field: 'SEQ', direction: 'ASC' }, after: bySeq.auditEntries.pageInfo.endCursor });
    await expectSame(query, { last: 2, sort: { field: 'SEQ', direction: 'ASC' }, before: bySeq.auditEntries.pageInfo.endCursor });
    await expectSame(query, { filter: { actorId: 'ops-1', entityType: 'LIMIT' } });
    await expectSame(query, { filter: { correlationId: 'run-1', createdAfter: '2020-01-01T00:00:00Z' }, first: 100 });
  });

  it('LLM runs: pages by cursor on either sort, filters', async () => {
    const query = `query($filter: LlmRunFilter, $sort: LlmRunSort, $first: Int, $after: String, $last: Int, $before: String) {
      llmRuns(filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before) {
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { id runId traceId provider model promptHash responseHash inputTokens outputTokens costCents executionStatus
          startedAt completedAt source isSynthetic syntheticScenarioId createdAt } } } }`;
    const first = await expectSame(query, { first: 3 });
    expect(first.llmRuns.edges).toHaveLength(3);
    await expectSame(query, { first: 3, after: first.llmRuns.pageInfo.endCursor });
    const byStart = await expectSame(query, { first: 2, sort: { field: 'STARTED_AT', direction: 'ASC' } });
    await expectSame(query, { last: 5, sort: { field: 'STARTED_AT', direction: 'ASC' }, before: byStart.llmRuns.pageInfo.endCursor });
    await expectSame(query, { filter: { model: 'model a', executionStatus: 'SUCCEEDED' } });
  });

  it('nested fields in any number and mix: two step pages under aliases, a summary alone, a page of pageInfo only', async () => {
    const query = `query($first: Int, $last: Int, $filter: TraceFilter) { traces(first: $first, last: $last, filter: $filter) {
      edges { node { __typename traceId
        head: steps(first: 2) { edges { cursor node { __typename id stepIndex } } }
        total: summary { __typename stepCount totalTokens }
        tail: steps(last: 1, filter: { status: SUCCESS }) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }
        bare: steps(first: 1) { __typename }
      } }
      pageInfo { hasNextPage hasPreviousPage } } }`;
    await expectSame(query, { first: 6 });
    await expectSame(query, { last: 4, filter: { includeArchived: true } });
    await expectSame(`{ traces(first: 3) { edges { node { summary { failureCount totalCostCents } } } } }`);
    await expectSame(`{ traces(last: 2) { edges { node { steps(first: 3) { edges { node { skillName } } } } } } }`);
  });

  it('one trace with its summary and steps; a trace without steps sums to zeros', async () => {
    const query = `query($id: String!) { trace(traceId: $id) { traceId summary { stepCount successCount failureCount totalCostCents totalDurationMs totalTokens }
      steps(first: 3) { edges { node { stepIndex } } } early: steps(last: 2, before: "${encodeCursor('stepIndex', 3, '00000000-0000-0000-0000-000000000000')}") { edges { cursor } } } }`;
    for (const id of ['trace_run-4', 'trace_live', 'trace_run-aug', 'nowhere']) await expectSame(query, { id });
  });

  it('a page and its nested fields in one statement; one trace and its nested fields in two', async () => {
    const principal = (await env.stores.tenants.authenticate(env.a.read))!;
    const count = async (document: string, variables: Record<string, unknown>) => {
      let statements = 0;
      const counted = (statement: Sql) => ((statements += 1), query(principal.tenantId)(statement));
      expect(await textAnswerPlan(schema, parse(document), undefined)!.answer(principal.tenantId, principal.scopes, variables, counted)).not.toBeNull();
      return statements;
    };
    expect(await count(PAGE, { first: 5, steps: 3 })).toBe(1);
    expect(await count(`{ trace(traceId: "trace_run-4") { summary { stepCount } steps(first: 2) { edges { node { stepIndex } } } } }`, {})).toBe(2);
    expect(await count(`{ trace(traceId: "trace_run-4") { traceId } }`, {})).toBe(1);
  });

  it('trace statements go prepared (a generic plan over the partitions), list statements planned for their values', async () => {
    const principal = (await env.stores.tenants.authenticate(env.a.read))!;
    const asked = async (document: string) => {
      const prepared: boolean[] = [];
      const recorded = (statement: Sql, options?: { prepared?: boolean }) => (prepared.push(options?.prepared ?? false), query(principal.tenantId)(statement));
      expect(await textAnswerPlan(schema, parse(document), undefined)!.answer(principal.tenantId, principal.scopes, {}, recorded)).not.toBeNull();
      return prepared;
    };
    expect(await asked(`{ traces(first: 3) { edges { node { traceId steps(first: 2) { edges { node { stepIndex } } } } } } }`)).toEqual([true]);
    expect(await asked(`{ trace(traceId: "trace_run-4") { summary { stepCount } } }`)).toEqual([true, true]);
    for (const list of ['llmRuns(filter: { model: "model a" })', 'auditEntries', 'systemRecords']) {
      expect(await asked(`{ ${list} { edges { node { id } } } }`)).toEqual([false]);
    }
  });

  it('system records: the tenant\'s and the global ones, pages by cursor both ways, filters, scopes', async () => {
    const query = `query($filter: SystemRecordFilter, $sort: SystemRecordSort, $first: Int, $after: String, $last: Int, $before: String) {
      systemRecords(filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before) {
        __typename pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { id isGlobal component eventType severity summary details causedBy correlationId idempotencyKey createdAt __typename } } } }`;
    const all = await expectSame(query, { first: 100 });
    expect(all.systemRecords.edges.filter((e: { node: { isGlobal: boolean } }) => e.node.isGlobal)).toHaveLength(3);
    const first = await expectSame(query, { first: 4 });
    const next = await expectSame(query, { first: 4, after: first.systemRecords.pageInfo.endCursor });
    await expectSame(query, { last: 3, before: next.systemRecords.pageInfo.endCursor });
    const oldest = await expectSame(query, { first: 3, sort: { field: 'CREATED_AT', direction: 'ASC' } });
    await expectSame(query, { first: 3, sort: { field: 'CREATED_AT', direction: 'ASC' }, after: oldest.systemRecords.pageInfo.endCursor });
    await expectSame(query, { last: 2, sort: { field: 'CREATED_AT', direction: 'ASC' }, before: oldest.systemRecords.pageInfo.endCursor });
    await expectSame(query, { filter: { correlationId: 'run-1' } });
    await expectSame(query, { filter: { scope: 'TENANT_ONLY', severity: 'WARN', component: 'WORKER' } });
    await expectSame(query, { filter: { scope: 'GLOBAL_ONLY' }, first: 2 });
    await expectSame(query, { filter: { eventType: 'ERROR', createdAfter: '2026-11-01T00:00:00Z', createdBefore: '2030-01-01T00:00:00Z' } });
    await expectSame(query, { first: 0 });
  });

  it("another tenant's trace is null, as graphql-jit says", async () => {
    const { jit, postgres } = await bothWays(`{ trace(traceId: "trace_other") { traceId } }`);
    expect(postgres).toEqual({ trace: null });
    expect(jit.data).toEqual({ trace: null });
  });
});

describe('what is left to graphql-jit', () => {
  const unsupported = [
    ['a count', `{ traces(first: 2) { totalCount } }`],
    ['nodes under two aliases of edges', `{ traces(first: 2) { a: edges { node { traceId } } b: edges { node { runId } } } }`],
    ['a directive', `query($x: Boolean!) { trace(traceId: "t") @include(if: $x) { traceId } }`],
    ['another root field', `{ runs(first: 1) { edges { node { runId } } } }`],
    ['a field without a rendering', `{ trace(traceId: "t") { spans(first: 1) { edges { node { spanId } } } } }`],
    ['a mutation', `mutation { abortTrace(input: { traceId: "t", reason: "r" }) { traceId } }`],
  ] as const;
  for (const [what, document] of unsupported) {
    it(what, async () => {
      const data = await textAnswerPlan(schema, parse(document), undefined)?.answer('tenant-a', ['read'], { x: true }, query('tenant-a'));
      expect(data ?? null).toBeNull();
    });
  }

  it('requests whose arguments fail a check, with the errors they always had, over HTTP', async () => {
    const query = `query($first: Int, $after: String, $id: String!) { traces(first: $first, after: $after) { edges { node { traceId } } } trace(traceId: $id) { traceId } }`;
    const ok = { first: 2, id: 'trace_run-1' };
    for (let i = 0; i < 2; i++) expect((await gql(env.app, query, ok, env.a.read)).errors).toBeUndefined(); // learned, then served
    const served = env.app.fastPathServed();
    for (const [variables, code] of [
      [{ ...ok, first: 5000 }, 'BAD_USER_INPUT'],
      [{ ...ok, after: 'not-a-cursor' }, 'BAD_USER_INPUT'],
      [{ ...ok, id: 'bad id with spaces' }, 'BAD_USER_INPUT'],
    ] as const) {
      const res = await gql(env.app, query, variables, env.a.read);
      expect(codeOf(res)).toBe(code);
    }
    expect(env.app.fastPathServed()).toBe(served); // each went to yoga, which refused it
    const again = await gql(env.app, query, ok, env.a.read);
    expect(again.data!.trace).toEqual({ traceId: 'trace_run-1' });
    expect(env.app.fastPathServed()).toBe(served + 1);
  });

  it('a key without the read scope is refused as before', async () => {
    const writeOnly = (await env.stores.tenants.createKey('tenant-a', ['write'], 'write only')).key;
    const document = `{ trace(traceId: "trace_run-1") { traceId } }`;
    for (let i = 0; i < 2; i++) expect(codeOf(await gql(env.app, document, undefined, writeOnly))).toBe('FORBIDDEN');
    expect(await textAnswerPlan(schema, parse(document), undefined)!.answer('tenant-a', ['write'], {}, query('tenant-a'))).toBeNull();
  });
});
