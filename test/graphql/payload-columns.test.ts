// Pages of steps and traces leave their JSON columns (params and outcome data; plan and metadata)
// in the database unless the selection asks for them (through a field, an inline fragment or a
// named fragment), and a request that asks both ways gets both right.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { gql, setup, type TestEnv } from '../helpers.ts';

let env: TestEnv;
const statements: string[] = [];

beforeAll(async () => {
  env = await setup({ onQuery: (sql) => void statements.push(sql) });
  const steps = Array.from({ length: 4 }, (_, n) => ({
    stepIndex: n,
    skillName: `skill-${n}`,
    status: 'SUCCESS',
    params: { n, text: 'x'.repeat(50) },
    outcomeData: { ok: n },
  }));
  const res = await gql(env.app, `mutation($input: StoreTraceInput!) { storeTrace(input: $input) { created } }`, { input: { runId: 'payload', metadata: { team: 'search' }, plan: [{ skill: 'a' }], steps } }, env.a.write);
  expect(res.errors).toBeUndefined();
});
afterAll(() => env?.close());

const stepQueries = () => statements.filter((s) => s.includes('CROSS JOIN LATERAL'));

async function read(query: string) {
  statements.length = 0;
  const res = await gql(env.app, query, {}, env.a.read);
  expect(res.errors).toBeUndefined();
  return res.data!;
}

it('reads steps without their payload columns when nothing below asks for them', async () => {
  const { trace } = await read(`{ trace(traceId: "trace_payload") { steps(first: 2) { edges { cursor node { stepIndex skillName } } } } }`);
  expect(trace.steps.edges.map((e: any) => e.node.skillName)).toEqual(['skill-0', 'skill-1']);
  expect(stepQueries()).toHaveLength(1);
  expect(stepQueries()[0]).not.toMatch(/"params"|"outcomeData"/);
});

it('reads them when a field, an inline fragment or a named fragment selects them, in one request with a light page', async () => {
  const { trace } = await read(`{
    trace(traceId: "trace_payload") {
      light: steps(first: 2) { edges { node { stepIndex } } }
      field: steps(first: 2) { edges { node { params } } }
      inline: steps(first: 2, after: null) { edges { node { ... on TraceStep { outcomeData } } } }
      named: steps(last: 1) { edges { node { ...Payload } } }
    }
  }
  fragment Payload on TraceStep { stepIndex outcomeData params }`);
  expect(trace.light.edges.map((e: any) => e.node)).toEqual([{ stepIndex: 0 }, { stepIndex: 1 }]);
  expect(trace.field.edges.map((e: any) => e.node.params)).toEqual([{ n: 0, text: 'x'.repeat(50) }, { n: 1, text: 'x'.repeat(50) }]);
  expect(trace.inline.edges.map((e: any) => e.node.outcomeData)).toEqual([{ ok: 0 }, { ok: 1 }]);
  expect(trace.named.edges.map((e: any) => e.node)).toEqual([{ stepIndex: 3, outcomeData: { ok: 3 }, params: { n: 3, text: 'x'.repeat(50) } }]);
  // The light page and the payload pages are separate statements (different columns).
  expect(stepQueries().filter((s) => s.includes('"params"'))).not.toHaveLength(0);
  expect(stepQueries().filter((s) => !s.includes('"params"') && !s.includes('"outcomeData"'))).toHaveLength(1);
});

const traceQueries = () => statements.filter((s) => s.includes('FROM aos_traces t'));

it('reads a page of traces without plan and metadata unless selected', async () => {
  const light = await read(`{ traces(first: 5) { edges { node { traceId status } } } }`);
  expect(light.traces.edges.map((e: any) => e.node)).toEqual([{ traceId: 'trace_payload', status: 'COMPLETED' }]);
  expect(traceQueries()).toHaveLength(1);
  expect(traceQueries()[0]).not.toMatch(/"plan"|"metadata"/);

  const full = await read(`{ traces(first: 5) { edges { node { traceId ... on Trace { metadata plan } } } } }`);
  expect(full.traces.edges.map((e: any) => e.node)).toEqual([{ traceId: 'trace_payload', metadata: { team: 'search' }, plan: [{ skill: 'a' }] }]);
  expect(traceQueries()[0]).toMatch(/"metadata"/);
});

const SPAN_FIELDS = `spanId parentSpanId spanKind startTimeUnixNano endTimeUnixNano operation provider model
  inputTokens outputTokens cachedInputTokens reasoningTokens agentName toolName conversationId attributes`;

it('reads the OpenTelemetry fields from the page row itself: no statement per step or per page for them', async () => {
  const light = await read(`{ trace(traceId: "trace_payload") { steps(first: 4) { edges { node { stepIndex } } } } }`);
  const lightStatements = statements.length;
  expect(stepQueries()[0]).not.toMatch(/"spanId"/);

  const { trace } = await read(`{ trace(traceId: "trace_payload") { steps(first: 4) { edges { node { stepIndex ${SPAN_FIELDS} } } } } }`);
  expect(trace.steps.edges).toHaveLength(light.trace.steps.edges.length);
  // Steps recorded through GraphQL carry no span: every OpenTelemetry field is null, read from the row.
  for (const { node } of trace.steps.edges) {
    const { stepIndex: _index, ...span } = node;
    expect(Object.values(span).every((v) => v === null)).toBe(true);
  }
  expect(statements.length).toBe(lightStatements);
  expect(stepQueries()).toHaveLength(1);
  expect(stepQueries()[0]).toMatch(/"spanId"/);
});

it('reads only the step columns the selection names (plus id, trace and index), and every selected field is right', async () => {
  const { trace } = await read(`{ trace(traceId: "trace_payload") { steps(first: 2) { edges { cursor node { id stepIndex costCents } } } } }`);
  const [statement] = stepQueries();
  expect(statement).toMatch(/"costMicrocents"/);
  expect(statement).not.toMatch(/"contentHash"|"skillId"|"timestamp"|"inputHash"/);
  expect(trace.steps.edges.map((e: any) => [e.node.stepIndex, e.node.costCents])).toEqual([[0, '0'], [1, '0']]);
  // The node id and cursor come from the key columns read with every page.
  const again = await read(`{ node(id: "${trace.steps.edges[1].node.id}") { ... on TraceStep { stepIndex skillName contentHash } } }`);
  expect(again.node).toMatchObject({ stepIndex: 1, skillName: 'skill-1' });
  expect(again.node.contentHash).toMatch(/^[0-9a-f]{64}$/);
});

it('reads the columns of fields computed from others: startedAt and endedAt from timestamp and duration', async () => {
  const { trace } = await read(`{ trace(traceId: "trace_payload") { steps(first: 1) { edges { node { startedAt endedAt } } } } }`);
  expect(stepQueries()[0]).toMatch(/"timestamp"/);
  expect(stepQueries()[0]).toMatch(/"durationMs"/);
  const [{ node }] = trace.steps.edges;
  expect(Date.parse(node.endedAt)).toBeGreaterThanOrEqual(Date.parse(node.startedAt));
});

it('answers every TraceStep field alone exactly as it does among all of them (no field misses a column it needs)', async () => {
  const { schema } = await import('../../src/graphql/schema.ts');
  const { GraphQLObjectType, getNamedType, isLeafType } = await import('graphql');
  const stepType = schema.getType('TraceStep') as InstanceType<typeof GraphQLObjectType>;
  const selection = (name: string) => (isLeafType(getNamedType(stepType.getFields()[name]!.type)) ? name : `${name} { __typename }`);
  const names = Object.keys(stepType.getFields());
  const all = await read(`{ trace(traceId: "trace_payload") { steps(first: 4) { edges { node { ${names.map(selection).join(' ')} } } } } }`);
  for (const name of names) {
    const alone = await read(`{ trace(traceId: "trace_payload") { steps(first: 4) { edges { node { ${selection(name)} } } } } }`);
    expect(alone.trace.steps.edges.map((e: any) => e.node[name]), name).toEqual(all.trace.steps.edges.map((e: any) => e.node[name]));
  }
});
