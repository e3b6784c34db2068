// TraceSummary.totalTokens: the explorer's trace list shows tokens per trace; they add up the
// input and output tokens of the steps that report them (OpenTelemetry gen_ai.usage.*).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { gql, setup, type TestEnv } from '../helpers.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env?.close());

const usage = (input: number, output: number) => [
  { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
  { key: 'gen_ai.usage.input_tokens', value: { intValue: String(input) } },
  { key: 'gen_ai.usage.output_tokens', value: { intValue: String(output) } },
];

it('adds input and output tokens over a trace’s steps; steps without usage count nothing', async () => {
  const traceId = '5b8efff798038103d269b633813fc60c';
  const span = (spanId: string, attributes: unknown[]) => ({
    traceId, spanId, name: 'chat', kind: 3, startTimeUnixNano: '1795000000000000000', endTimeUnixNano: '1795000001000000000', attributes,
  });
  const res = await env.app.fetch('http://test/v1/traces', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${env.a.write}` },
    body: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span('1000000000000001', usage(1200, 85)), span('1000000000000002', usage(10, 5)), span('1000000000000003', [])] }] }] }),
  });
  expect(res.status).toBe(200);
  const read = await gql(env.app, `query($id: String!) { trace(traceId: $id) { summary { stepCount totalTokens } } }`, { id: traceId }, env.a.read);
  expect(read.data!.trace.summary).toEqual({ stepCount: 3, totalTokens: 1300 });
  // Another tenant's trace is not there to add up.
  const other = await gql(env.app, `query($id: String!) { trace(traceId: $id) { summary { totalTokens } } }`, { id: traceId }, env.b.read);
  expect(other.data!.trace).toBeNull();
});
