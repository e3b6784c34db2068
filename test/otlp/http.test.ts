// POST /v1/traces as the OTLP/HTTP spec describes it: idempotent retries, partialSuccess with HTTP
// 200 for rejected spans, 400 bad data, 401/403, 405, 413 (also after decompression), 415, 429 and
// 503 with Retry-After, late spans of a settled trace rejected rather than dropped.
import { gzipSync } from 'node:zlib';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { createYoga } from 'graphql-yoga';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client.ts';
import { contextFactory } from '../../src/graphql/context.ts';
import { schema } from '../../src/graphql/schema.ts';
import { otlpPlugin } from '../../src/otlp/plugin.ts';
import { startOtlpSettler } from '../../src/otlp/settler.ts';
import { createApp, type App } from '../../src/server.ts';
import { createStores } from '../../src/stores/index.ts';
import { gql, setup, sql, type TestEnv } from '../helpers.ts';

let env: TestEnv;
const logger = pino({ level: 'silent' });

beforeAll(async () => {
  env = await setup();
});
afterAll(async () => {
  await env?.close();
});

const T0 = 1_795_000_000_000_000_000n;
let counter = 0;
/** A fresh random-looking id of `bytes` bytes, as lowercase hex. */
const hexId = (bytes: number) => (++counter).toString(16).padStart(4, '0').repeat(bytes).slice(0, bytes * 2).replace(/^0/, 'a');

type JsonSpan = Record<string, unknown>;
const span = (traceId: string, extra: JsonSpan = {}): JsonSpan => ({
  traceId,
  spanId: hexId(8),
  name: 'chat',
  kind: 3,
  startTimeUnixNano: String(T0),
  endTimeUnixNano: String(T0 + 5_000_000n),
  attributes: [{ key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } }],
  ...extra,
});
const exportOf = (...spans: JsonSpan[]) => ({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 'test' }, spans }] }] });

async function post(body: unknown, { key = env.a.write, app = env.app, type = 'application/json', encoding }: { key?: string | null; app?: App; type?: string; encoding?: string } = {}) {
  const payload = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
  return app.fetch('http://test/v1/traces', {
    method: 'POST',
    headers: { 'content-type': type, ...(key && { authorization: `Bearer ${key}` }), ...(encoding && { 'content-encoding': encoding }) },
    body: payload as BodyInit,
  });
}

const stepCount = async (traceId: string, tenantId = env.a.tenantId) =>
  Number((await sql<{ n: string }>(env.db, `SELECT count(*) AS n FROM aos_trace_steps WHERE tenant_id = $1 AND trace_id = $2`, [tenantId, traceId]))[0]!.n);
const traceCount = async () => Number((await sql<{ n: string }>(env.db, `SELECT count(*) AS n FROM aos_traces`))[0]!.n);

describe('retries and partial success', () => {
  it('a retried export stores nothing new and answers full success again', async () => {
    const traceId = hexId(16);
    const body = exportOf(span(traceId), span(traceId, { parentSpanId: hexId(8) }));
    for (let attempt = 0; attempt < 3; attempt++) {
      const res = await post(body);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({});
    }
    const rows = await sql<{ step_index: number }>(env.db, `SELECT step_index FROM aos_trace_steps WHERE tenant_id = $1 AND trace_id = $2 ORDER BY 1`, [env.a.tenantId, traceId]);
    expect(rows.map((r) => r.step_index)).toEqual([0, 1]);
  });

  it('concurrent exports of one new trace, retries among them, get one row per span and distinct step indexes', async () => {
    const traceId = hexId(16);
    const bodies = Array.from({ length: 8 }, () => exportOf(span(traceId), span(traceId)));
    const responses = await Promise.all([...bodies, ...bodies.slice(0, 4)].map((b) => post(b)));
    expect(responses.map((r) => r.status)).toEqual(Array(12).fill(200));
    const rows = await sql<{ step_index: number }>(env.db, `SELECT step_index FROM aos_trace_steps WHERE tenant_id = $1 AND trace_id = $2 ORDER BY 1`, [env.a.tenantId, traceId]);
    expect(rows.map((r) => r.step_index)).toEqual([...Array(16).keys()]);
    expect(await sql(env.db, `SELECT count(*)::int AS n FROM aos_traces WHERE trace_id = $1`, [traceId])).toEqual([{ n: 1 }]);
  });

  it('rejects a span whose id comes back with other content, keeping the first', async () => {
    const traceId = hexId(16);
    const first = span(traceId);
    await post(exportOf(first));
    const res = await post(exportOf({ ...first, name: 'rewritten' }));
    expect(res.status).toBe(200);
    const { partialSuccess } = (await res.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    expect(partialSuccess.rejectedSpans).toBe('1');
    expect(partialSuccess.errorMessage).toContain('different content');
    expect(await sql(env.db, `SELECT skill_id FROM aos_trace_steps WHERE tenant_id = $1 AND trace_id = $2`, [env.a.tenantId, traceId])).toEqual([{ skill_id: 'chat' }]);
  });

  it('answers 200 with partialSuccess for spans with bad ids and stores the good ones', async () => {
    const traceId = hexId(16);
    const res = await post(exportOf(span(traceId), span(traceId, { spanId: 'not-hex' }), span(traceId), span('0'.repeat(32))));
    expect(res.status).toBe(200);
    const { partialSuccess } = (await res.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    expect(partialSuccess.rejectedSpans).toBe('2');
    expect(partialSuccess.errorMessage).toMatch(/spans\[1\]: spanId must be 16 hex digits/);
    expect(partialSuccess.errorMessage).toMatch(/spans\[3\]: traceId must be 32 hex digits/);
    expect(await stepCount(traceId)).toBe(2);
  });

  it('reads the OTLP/JSON rules: upper-case hex ids, int64 as numbers, integer enums, unknown fields ignored', async () => {
    const traceId = hexId(16);
    const spanId = hexId(8);
    const body = {
      futureField: { anything: true },
      resourceSpans: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'billing' } }], unknown: 1 },
        scopeSpans: [{ scope: { name: 's', somethingNew: [] }, spans: [{
          ...span(traceId.toUpperCase(), { spanId: spanId.toUpperCase() }),
          startTimeUnixNano: 1_795_000_000_000_000_000,
          endTimeUnixNano: 1_795_000_000_500_000_000,
          kind: 2,
          status: { code: 2, message: 'bad' },
          newSpanField: 'ignored',
          attributes: [
            { key: 'gen_ai.usage.input_tokens', value: { intValue: 12 } },
            { key: 'gen_ai.usage.output_tokens', value: { intValue: '3' } },
            { key: 'ratio', value: { doubleValue: 'NaN' } },
            { key: 'list', value: { arrayValue: { values: [{ boolValue: true }, { kvlistValue: { values: [{ key: 'k', value: { stringValue: 'v' } }] } }] } } },
            { key: 'blob', value: { bytesValue: 'AAEC' } },
            { key: 'empty', value: {} },
          ],
        }] }],
      }],
    };
    expect((await post(body)).status).toBe(200);
    const [row] = await sql<Record<string, unknown>>(
      env.db,
      `SELECT span_id, span_kind, status::text, input_tokens, output_tokens, duration_ms, attributes FROM aos_trace_steps WHERE tenant_id = $1 AND trace_id = $2`,
      [env.a.tenantId, traceId],
    );
    expect(row).toMatchObject({ span_id: spanId, span_kind: 'SERVER', status: 'failure', input_tokens: 12, output_tokens: 3, duration_ms: 500 });
    expect((row!.attributes as { span: unknown }).span).toEqual({
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 3,
      ratio: 'NaN',
      list: [true, { k: 'v' }],
      blob: 'AAEC',
      empty: null,
    });
    const trace = await gql(env.app, `query ($t: String!) { trace(traceId: $t) { agentId } }`, { t: traceId }, env.a.read);
    expect(trace.data!.trace).toEqual({ agentId: 'billing' });
  });

  it('stores text Postgres cannot hold (NUL, lone surrogates) with U+FFFD instead of failing', async () => {
    const traceId = hexId(16);
    const res = await post(`{"resourceSpans":[{"scopeSpans":[{"spans":[${JSON.stringify(span(traceId, { name: 'a\\u0000b' })).replace('"a\\\\u0000b"', '"a\\u0000b\\ud800"')}]}]}]}`);
    expect(res.status).toBe(200);
    expect(await sql(env.db, `SELECT skill_id FROM aos_trace_steps WHERE tenant_id = $1 AND trace_id = $2`, [env.a.tenantId, traceId])).toEqual([{ skill_id: 'a\uFFFDb\uFFFD' }]);
  });
});

describe('refusals', () => {
  it('400 for bodies that are not an ExportTraceServiceRequest, with nothing stored', async () => {
    const before = await traceCount();
    for (const [body, type] of [
      ['{"resourceSpans": [', 'application/json'],
      ['{"resourceSpans": {"not": "a list"}}', 'application/json'],
      ['[1, 2]', 'application/json'],
      [JSON.stringify(exportOf(span(hexId(16), { attributes: 'nope' }))), 'application/json'],
      [new Uint8Array([0x0a, 0xff, 0x01]), 'application/x-protobuf'],
    ] as const) {
      const res = await post(body, { type });
      expect(res.status, String(body)).toBe(400);
    }
    const json = await post('nope');
    expect(await json.json()).toMatchObject({ code: 3, message: expect.stringContaining('OTLP/JSON') });
    expect(await traceCount()).toBe(before);
  });

  it('401 without a valid key, 403 with a read-only key', async () => {
    const before = await traceCount();
    const body = exportOf(span(hexId(16)));
    expect((await post(body, { key: null })).status).toBe(401);
    expect((await post(body, { key: 'aos_AAAAAAAAAAAA_0000000000000000000000000000000000000000' })).status).toBe(401);
    const forbidden = await post(body, { key: env.a.read });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ code: 7 });
    expect(await traceCount()).toBe(before);
  });

  it('405 for other methods, 415 for other content types and encodings', async () => {
    expect((await env.app.fetch('http://test/v1/traces', { method: 'GET' })).status).toBe(405);
    expect((await post('x', { type: 'text/plain' })).status).toBe(415);
    expect((await post(exportOf(), { encoding: 'br' })).status).toBe(415);
  });

  it('413 past the body limit, before and after decompression, and for a body without a length', async () => {
    const small = createApp({ db: env.db, stores: env.stores, logger, limits: { maxBodyBytes: 4096 } });
    const traceId = hexId(16);
    const big = exportOf(span(traceId, { name: 'x'.repeat(5000) }));
    expect((await post(big, { app: small })).status).toBe(413);
    const bomb = gzipSync(JSON.stringify(big));
    expect(bomb.byteLength).toBeLessThan(4096);
    expect((await post(bomb, { app: small, encoding: 'gzip' })).status).toBe(413);
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode(' '.repeat(1000)));
        controller.close();
      },
    });
    const chunked = await small.fetch('http://test/v1/traces', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${env.a.write}` },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(await stepCount(traceId)).toBe(0);
    // A gzip body within the limit is read.
    expect((await post(gzipSync(JSON.stringify(exportOf(span(traceId)))), { app: small, encoding: 'gzip' })).status).toBe(200);
    expect(await stepCount(traceId)).toBe(1);
  });

  it('429 with Retry-After from the rate limiter', async () => {
    const limited = createApp({ db: env.db, stores: env.stores, logger, limits: { rateLimitPerMinute: 1 } });
    expect((await post(exportOf(span(hexId(16))), { app: limited })).status).toBe(200);
    const res = await post(exportOf(span(hexId(16))), { app: limited });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('503 with Retry-After when the database is unreachable, in the request format', async () => {
    const dead = await createDb({ databaseUrl: 'postgresql://postgres@127.0.0.1:1/none' });
    try {
      const app = createApp({ db: dead, stores: createStores(dead), logger });
      const json = await post(exportOf(span(hexId(16))), { app });
      expect(json.status).toBe(503);
      expect(json.headers.get('retry-after')).toBe('5');
      expect(await json.json()).toMatchObject({ code: 14 });
      const proto = await post(new Uint8Array(), { app, type: 'application/x-protobuf' });
      expect(proto.status).toBe(503);
      expect(proto.headers.get('content-type')).toBe('application/x-protobuf');
    } finally {
      await dead.close();
    }
  });

  it('503 with Retry-After when too many exports are in flight; nothing is lost on retry', async () => {
    const app = createYoga({ schema, context: contextFactory(env.stores), plugins: [otlpPlugin({ stores: env.stores, logger, maxBodyBytes: 1 << 20, maxInFlight: 1 })] });
    const traceId = hexId(16);
    const bodies = Array.from({ length: 6 }, () => exportOf(span(traceId)));
    const first = await Promise.all(bodies.map((b) => post(b, { app: app as unknown as App })));
    const statuses = first.map((r) => r.status);
    expect(statuses).toContain(200);
    expect(statuses).toContain(503);
    expect(first.find((r) => r.status === 503)!.headers.get('retry-after')).toBe('5');
    // The client retries what was refused: every span ends up stored once.
    for (const [i, res] of first.entries()) if (res.status === 503) expect((await post(bodies[i], { app: app as unknown as App })).status).toBe(200);
    expect(await stepCount(traceId)).toBe(6);
  });
});

describe('protobuf responses', () => {
  it('answers a protobuf export with a protobuf ExportTraceServiceResponse', async () => {
    const res = await post(new Uint8Array(), { type: 'application/x-protobuf' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    expect(ProtobufTraceSerializer.deserializeResponse(new Uint8Array(await res.arrayBuffer()))).toEqual({});
  });
});

describe('reading spans back', () => {
  it('pages Trace.spans in start-time order, forward and backward, and refuses a forged cursor', async () => {
    const traceId = hexId(16);
    const at = (ms: bigint) => ({ startTimeUnixNano: String(T0 + ms * 1_000_000n), endTimeUnixNano: String(T0 + ms * 1_000_000n) });
    const [late, early, middle] = [span(traceId, at(30n)), span(traceId, at(10n)), span(traceId, at(20n))];
    // Three exports, latest start first: step indexes follow arrival, spans follow start time.
    for (const s of [late, early, middle]) await post(exportOf(s));
    const page = async (args: string) => {
      const res = await gql(env.app, `query ($t: String!) { trace(traceId: $t) { spans(${args}) { totalCount edges { cursor node { spanId stepIndex } } pageInfo { hasNextPage hasPreviousPage } } } }`, { t: traceId }, env.a.read);
      return res;
    };
    const first = (await page('first: 2')).data!.trace.spans;
    expect(first.totalCount).toBe(3);
    expect(first.edges.map((e: { node: { spanId: string; stepIndex: number } }) => [e.node.spanId, e.node.stepIndex])).toEqual([[early.spanId, 1], [middle.spanId, 2]]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = (await page(`first: 2, after: "${first.edges[1].cursor}"`)).data!.trace.spans;
    expect(rest.edges.map((e: { node: { spanId: string } }) => e.node.spanId)).toEqual([late.spanId]);
    expect(rest.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true });
    const last = (await page('last: 1')).data!.trace.spans;
    expect(last.edges.map((e: { node: { spanId: string } }) => e.node.spanId)).toEqual([late.spanId]);
    const forged = await page(`after: "${Buffer.from(JSON.stringify({ s: 'spanStart', v: 'x', id: '1' })).toString('base64url')}"`);
    expect(forged.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('gives steps recorded through GraphQL null span fields', async () => {
    const started = await gql(env.app, `mutation { startTrace(input: { runId: "run-plain-otlp" }) { trace { traceId } } }`, {}, env.a.write);
    expect(started.errors).toBeUndefined();
    const traceId = started.data!.startTrace.trace.traceId as string;
    const recorded = await gql(
      env.app,
      `mutation ($t: String!) { recordTraceStep(input: { traceId: $t, stepIndex: 0, skillName: "plan", status: SUCCESS }) { step { spanId model attributes inputTokens } } }`,
      { t: traceId },
      env.a.write,
    );
    expect(recorded.errors).toBeUndefined();
    expect(recorded.data!.recordTraceStep.step).toEqual({ spanId: null, model: null, attributes: null, inputTokens: null });
  });
});

describe('settling', () => {
  const settler = (seconds: number) => startOtlpSettler({ stores: env.stores, settleAfterSeconds: seconds, intervalSeconds: 0, logger });

  it('leaves a trace running while spans may still come, then completes it; later spans are rejected', async () => {
    const traceId = hexId(16);
    // Only a child whose parent (in another service) was never sent: the trace still settles.
    await post(exportOf(span(traceId, { parentSpanId: hexId(8) })));
    expect(await settler(3600).runOnce()).toBe(0);
    expect(await settler(0).runOnce()).toBeGreaterThanOrEqual(1);
    const read = await gql(env.app, `query ($t: String!) { trace(traceId: $t) { status rootHash } verifyTrace(traceId: $t) { valid } }`, { t: traceId }, env.a.read);
    expect(read.data).toMatchObject({ trace: { status: 'COMPLETED', rootHash: expect.stringMatching(/^[0-9a-f]{64}$/) }, verifyTrace: { valid: true } });

    const late = await post(exportOf(span(traceId)));
    expect(late.status).toBe(200);
    const { partialSuccess } = (await late.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    expect(partialSuccess).toEqual({ rejectedSpans: '1', errorMessage: expect.stringContaining('already completed') });
    expect(await stepCount(traceId)).toBe(1);
  });
});
