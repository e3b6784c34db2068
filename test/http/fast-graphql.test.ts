// The fast GraphQL path (src/http/fast-graphql.ts) answers exactly as yoga does: each request is
// sent twice over HTTP — the first time yoga answers (and the path learns), the second time the
// fast path may — and both answers must be identical, byte for byte, headers included.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/server.ts';
import { gql, setup, type TestEnv } from '../helpers.ts';

let env: TestEnv;
let app: App;
/** The app's log lines, as written. */
const lines: Record<string, unknown>[] = [];
let server: Server;
let origin: string;
beforeAll(async () => {
  env = await setup();
  // Its own app, with a small rate limit for the last test.
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  app = createApp({ db: env.db, stores: env.stores, logger, limits: { rateLimitPerMinute: 60 } });
  server = createServer(app.listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await gql(env.app, `mutation { startTrace(input: { runId: "fast-1" }) { created } }`, undefined, env.a.write);
  await gql(env.app, `mutation { recordTraceSteps(input: { steps: [{ traceId: "trace_fast-1", stepIndex: 0, skillName: "s", status: SUCCESS }] }) { createdCount } }`, undefined, env.a.write);
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await env?.close();
});

const LOOKUP = `query Lookup($traceId: String!) { trace(traceId: $traceId) { traceId status steps(first: 5) { edges { node { stepIndex skillName startedAt } } } } }`;

type Answer = { status: number; headers: Record<string, string>; body: string };

async function post(body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${env.a.read}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const all = Object.fromEntries(res.headers);
  // Per response by nature: the clock and the request id (checked separately).
  delete all.date;
  expect(all['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  delete all['x-request-id'];
  return { status: res.status, headers: all, body: await res.text() };
}

/** Sends the request twice; returns both answers and how many the fast path served meanwhile. */
async function twice(body: unknown, headers?: Record<string, string>) {
  const before = app.fastPathServed();
  const first = await post(body, headers);
  const second = await post(body, headers);
  return { first, second, fast: app.fastPathServed() - before };
}

describe('the fast GraphQL path', () => {
  it.each([
    ['no Accept', {}],
    ['Accept: application/json', { accept: 'application/json' }],
    ['Accept: application/graphql-response+json', { accept: 'application/graphql-response+json' }],
  ])('answers a known query exactly as yoga did (%s)', async (_name, headers) => {
    const { first, second, fast } = await twice({ query: LOOKUP, variables: { traceId: 'trace_fast-1' }, operationName: 'Lookup' }, headers);
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body).data.trace.steps.edges).toHaveLength(1);
    expect(second).toEqual(first);
    expect(fast).toBe(1);
  });

  it('writes the same access-log line and counts the request in /metrics, as yoga does', async () => {
    const query = `query CountMe { viewer { keyId } }`;
    const metric = async () => {
      const text = await (await fetch(`${origin}/metrics`)).text();
      return Number(/^aos_http_requests_total\{route="\/graphql",operation="other",status="200"\} (\d+)$/m.exec(text)?.[1] ?? 0);
    };
    const counted = await metric();
    lines.length = 0;
    const { fast } = await twice({ query });
    expect(fast).toBe(1);
    const access = lines.filter((l) => l.msg === 'request').map(({ time, ms, reqId, ...rest }) => ({ ...rest, ms: typeof ms, reqId: typeof reqId }));
    expect(access).toHaveLength(2);
    expect(access[1]).toEqual(access[0]);
    expect(access[0]).toMatchObject({ method: 'POST', route: '/graphql', operation: 'CountMe', status: 200, ms: 'number', reqId: 'string' });
    expect(await metric()).toBe(counted + 2);
  });

  it('serves other variables of a learned query, and keeps the client request id', async () => {
    await post({ query: LOOKUP, variables: { traceId: 'trace_fast-1' } });
    const before = app.fastPathServed();
    const res = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${env.a.read}`, 'x-request-id': 'client-42' },
      body: JSON.stringify({ query: LOOKUP, variables: { traceId: 'no-such-trace' } }),
    });
    expect(await res.json()).toEqual({ data: { trace: null } });
    expect(res.headers.get('x-request-id')).toBe('client-42');
    expect(app.fastPathServed() - before).toBe(1);
  });

  it('gives a request whose result has errors back to yoga, which answers it as before', async () => {
    const query = `query Steps($traceId: String!, $n: Int!) { trace(traceId: $traceId) { steps(first: $n) { edges { node { stepIndex } } } } }`;
    await post({ query, variables: { traceId: 'trace_fast-1', n: 1 } }); // learned
    const refused = await twice({ query, variables: { traceId: 'trace_fast-1', n: 100_000 } });
    expect(JSON.parse(refused.first.body).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(refused.second).toEqual(refused.first);
    expect(refused.fast).toBe(0);
  });

  it('never takes a bad key, an Origin, extensions or a malformed body', async () => {
    const cases: [unknown, Record<string, string>?][] = [
      [{ query: LOOKUP, variables: { traceId: 'trace_fast-1' } }, { authorization: 'Bearer aos_notakey000_nope' }],
      [{ query: LOOKUP, variables: { traceId: 'trace_fast-1' } }, { origin: 'http://elsewhere.example' }],
      [{ query: LOOKUP, variables: { traceId: 'trace_fast-1' }, extensions: { persistedQuery: { version: 1 } } }],
      ['{"query": "{ viewer { keyId } }"', {}],
      [{ query: LOOKUP, variables: ['trace_fast-1'] }],
    ];
    for (const [body, headers] of cases) {
      const { first, second, fast } = await twice(body, headers);
      expect(second).toEqual(first);
      expect(fast).toBe(0);
    }
  });

  it('runs a learned mutation once and answers as yoga does', async () => {
    const start = `mutation Start($runId: String!) { startTrace(input: { runId: $runId }) { created trace { traceId status } } }`;
    const write = { authorization: `Bearer ${env.a.write}` };
    const before = app.fastPathServed();
    const learnt = await post({ query: start, variables: { runId: 'm-1' } }, write);
    const fast = await post({ query: start, variables: { runId: 'm-2' } }, write);
    expect(app.fastPathServed() - before).toBe(1);
    expect(fast.headers).toEqual(learnt.headers);
    expect(fast.body).toBe(learnt.body.replace('trace_m-1', 'trace_m-2'));
    expect(JSON.parse(fast.body).data.startTrace).toEqual({ created: true, trace: { traceId: 'trace_m-2', status: 'RUNNING' } });
  });

  it('gives a mutation result with errors to yoga without running it again', async () => {
    // Root fields run in order: the first appends a ledger entry (every run appends one), the second is refused.
    const both = `mutation Both($entityId: String!, $missing: String!) {
      appendAuditEntry(input: { actorType: SYSTEM, entityType: INCIDENT, entityId: $entityId, eventType: INCIDENT_ACKNOWLEDGED }) { created }
      recordTraceSteps(input: { steps: [{ traceId: $missing, stepIndex: 0, skillName: "s", status: SUCCESS }] }) { createdCount }
    }`;
    const write = { authorization: `Bearer ${env.a.admin}` };
    await gql(env.app, `mutation { startTrace(input: { runId: "both" }) { created } }`, undefined, env.a.write);
    const learnt = await post({ query: both, variables: { entityId: 'e-0', missing: 'trace_both' } }, { authorization: `Bearer ${env.a.write}` });
    expect(JSON.parse(learnt.body).errors).toBeUndefined();
    const entries = async () => (await gql(env.app, `{ auditEntries(filter: { entityId: "e-1" }) { totalCount } }`, undefined, env.a.read)).data!.auditEntries.totalCount;
    const before = app.fastPathServed();
    const answer = await post({ query: both, variables: { entityId: 'e-1', missing: 'no-such-trace' } }, { authorization: `Bearer ${env.a.write}` });
    expect(app.fastPathServed() - before).toBe(0);
    expect(await entries()).toBe(1);
    const result = JSON.parse(answer.body);
    expect(result.errors[0].extensions.code).toBe('NOT_FOUND');
    // As yoga answers the same refusal on its own (the ledger entry's seq aside).
    const direct = await env.app.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${env.a.write}` },
      body: JSON.stringify({ query: both, variables: { entityId: 'e-2', missing: 'no-such-trace' } }),
    });
    expect(direct.status).toBe(answer.status);
    const yoga = (await direct.json()) as typeof result;
    expect({ ...yoga, data: null }).toEqual({ ...result, data: null });
  });

  it('refuses a key revoked after its queries were learned', async () => {
    const key = await env.stores.tenants.createKey('tenant-a', ['read'], 'fast path revocation');
    const body = JSON.stringify({ query: LOOKUP, variables: { traceId: 'trace_fast-1' } });
    const send = () => fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key.key}` }, body });
    expect((await send()).status).toBe(200);
    await env.stores.tenants.revokeKey(key.info.keyId);
    const res = await send();
    expect(res.status).toBe(401);
    expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('takes one allowance per request from the same rate limit as yoga', async () => {
    const key = await env.stores.tenants.createKey('tenant-a', ['read'], 'fast path rate limit');
    const send = (variables: Record<string, unknown>) =>
      fetch(`${origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key.key}` },
        body: JSON.stringify({ query: `query Steps($traceId: String!, $n: Int!) { trace(traceId: $traceId) { steps(first: $n) { edges { node { stepIndex } } } } }`, variables }),
      });
    // 60 a minute. Alternate good requests (fast path) with requests a resolver refuses (given back
    // to yoga): if either were charged twice, or not at all, the 429 would come early or never.
    const started = Date.now();
    let allowed = 0;
    for (let i = 0; i < 200; i++) {
      const status = (await send({ traceId: 'trace_fast-1', n: i % 2 ? 100_000 : 1 })).status;
      if (status === 429) break;
      expect(status).toBe(200);
      allowed++;
    }
    const refilled = Math.ceil((Date.now() - started) / 1000) + 1; // one token a second
    expect(allowed).toBeGreaterThanOrEqual(60);
    expect(allowed).toBeLessThanOrEqual(60 + refilled);
  });
});
