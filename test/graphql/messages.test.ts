// What a client is told when it gets something wrong: each message names the actual mistake
// (the missing scope, the missing "Bearer ", the content type, the page-size limit, the item).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, gql, setup, type TestEnv } from '../helpers.ts';

let env: TestEnv;
let writeOnly: string;
beforeAll(async () => {
  env = await setup();
  writeOnly = (await env.stores.tenants.createKey(env.a.tenantId, ['write'], 'write only')).key;
});
afterAll(() => env?.close());

const post = (headers: Record<string, string>, body = JSON.stringify({ query: '{ viewer { scopes } }' })) =>
  env.app.fetch('http://test/graphql', { method: 'POST', headers, body });

describe('messages', () => {
  it('a write-only key reading is told it lacks scope read', async () => {
    const res = await gql(env.app, '{ traces(first: 5) { edges { node { traceId } } } }', {}, writeOnly);
    expect(res.errors?.[0]).toMatchObject({ message: 'Query.traces needs a key with scope read', extensions: { code: 'FORBIDDEN' } });
    const mutation = await gql(env.app, 'mutation { startTrace(input: { runId: "m" }) { created } }', {}, env.a.read);
    expect(mutation.errors?.[0]?.message).toBe('Mutation.startTrace needs a key with scope write');
  });

  it('a key sent without "Bearer " is told the scheme is missing; another scheme is named', async () => {
    const bare = await post({ 'content-type': 'application/json', authorization: env.a.read });
    expect(bare.status).toBe(401);
    expect(await bare.json()).toMatchObject({ errors: [{ message: 'the Authorization header lacks the scheme: send "Authorization: Bearer <api key>"' }] });
    const basic = await post({ 'content-type': 'application/json', authorization: 'Basic dXNlcjpwYXNz' });
    expect((await basic.json()) as unknown).toMatchObject({ errors: [{ message: expect.stringMatching(/^unsupported Authorization scheme "Basic"/) }] });
  });

  it('a POST that is not JSON gets 415 saying which content type to send', async () => {
    // What `curl -d '{...}'` sends without -H 'Content-Type: application/json'.
    const form = await post({ 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${env.a.read}` });
    expect(form.status).toBe(415);
    const body = (await form.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('BAD_REQUEST');
    expect(body.errors[0]!.message).toMatch(/^POST \/graphql takes a JSON body: send Content-Type: application\/json \(got "application\/x-www-form-urlencoded"\)/);
    const none = await env.app.fetch('http://test/graphql', { method: 'POST', headers: { authorization: `Bearer ${env.a.read}` }, body: new Uint8Array([123, 125]) });
    expect(none.status).toBe(415);
    expect(((await none.json()) as typeof body).errors[0]!.message).toMatch(/\(got none\)/);
    // JSON with a charset is JSON.
    expect((await post({ 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${env.a.read}` })).status).toBe(200);
  });

  it('an oversized page is refused with the page-size rule and its limit, before the cost limit', async () => {
    const literal = await gql(env.app, '{ traces(first: 5000) { edges { node { traceId } } } }', {}, env.a.read);
    expect(literal.errors).toEqual([expect.objectContaining({ message: 'Query.traces: first must be between 0 and 1000', extensions: { code: 'BAD_USER_INPUT', field: 'first' } })]);
    // A size in a variable is checked where the page is read (the cost limit cannot see it either).
    await gql(env.app, 'mutation { startTrace(input: { runId: "pages" }) { created } }', {}, env.a.write);
    const doc = 'query Page($n: Int) { traces(first: 1) { edges { node { steps(first: $n) { edges { node { stepIndex } } } } } } }';
    expect((await gql(env.app, doc, { n: 10 }, env.a.read)).errors).toBeUndefined();
    const variable = await gql(env.app, doc, { n: 5000 }, env.a.read);
    expect(variable.errors?.map((e) => e.message)).toEqual(['first must be between 0 and 1000']);
    expect((await gql(env.app, doc, { n: 10 }, env.a.read)).errors).toBeUndefined();
    const list = await gql(env.app, '{ runs(last: 101) { edges { node { runId } } } }', {}, env.a.read);
    expect(list.errors?.map((e) => e.message)).toEqual(['Query.runs: last must be between 0 and 100']);
  });

  it('a bad cost says what is wrong once; inside a batch sent as variables it names the item', async () => {
    await gql(env.app, 'mutation { startTrace(input: { runId: "cents" }) { created } }', {}, env.a.write);
    const literal = await gql(env.app, 'mutation { recordTraceSteps(input: { steps: [{ traceId: "trace_cents", stepIndex: 0, skillName: "a", status: SUCCESS, costCents: "0.1234567" }] }) { createdCount } }', {}, env.a.write);
    expect(literal.errors?.[0]?.message).toBe('invalid cents amount "0.1234567": at most 6 decimal places');
    const steps = [
      { traceId: 'trace_cents', stepIndex: 0, skillName: 'a', status: 'SUCCESS', costCents: '1.5' },
      { traceId: 'trace_cents', stepIndex: 1, skillName: 'a', status: 'SUCCESS', costCents: '0.1234567' },
    ];
    const batch = await gql(env.app, 'mutation($steps: [TraceStepInput!]!) { recordTraceSteps(input: { steps: $steps }) { createdCount } }', { steps }, env.a.write);
    expect(codeOf(batch)).toBe('BAD_USER_INPUT');
    expect(batch.errors?.[0]?.message).toMatch(/at "steps\[1\]\.costCents"; invalid cents amount "0\.1234567": at most 6 decimal places$/);
    expect(batch.errors?.[0]?.message.match(/invalid cents amount/gi)).toHaveLength(1);
  });

  it('/metrics counts a missing variable under the code the client sees', async () => {
    const res = await gql(env.app, 'query Missing($id: String!) { trace(traceId: $id) { traceId } }', {}, env.a.read);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    const text = await (await env.app.fetch('http://test/metrics')).text();
    expect(text).not.toMatch(/aos_graphql_errors_total\{code="OTHER"\}/);
  });

  it('metrics values carry no float noise: rounded to the unit', async () => {
    await gql(env.app, 'mutation { startTrace(input: { runId: "noise", agentId: "noise-agent" }) { created } }', {}, env.a.write);
    const steps = [0.1, 0.2].map((durationMs, stepIndex) => ({ traceId: 'trace_noise', stepIndex, skillName: 'a', status: 'SUCCESS', durationMs }));
    expect((await gql(env.app, 'mutation($steps: [TraceStepInput!]!) { recordTraceSteps(input: { steps: $steps }) { createdCount } }', { steps }, env.a.write)).errors).toBeUndefined();
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const res = await gql(
      env.app,
      `query($from: DateTime!, $to: DateTime!) { metrics(input: { view: STEPS, from: $from, to: $to, filter: { agentId: "noise-agent" },
                 measures: [{ measure: DURATION, aggregation: SUM }] }) { rows { values } } }`,
      { from, to },
      env.a.read,
    );
    expect(res.errors).toBeUndefined();
    // float8: 0.1 + 0.2 = 0.30000000000000004
    expect(res.data!.metrics.rows).toEqual([{ values: [0.3] }]);
  });
});
