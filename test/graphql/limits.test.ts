// Request limits: each refusal is typed and happens before any store is touched.
import { request } from 'node:http';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server.ts';
import { codeOf, gql, setup, sql, type TestEnv } from '../helpers.ts';
import { listen } from '../otlp/listen.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env?.close());

const strict = (rateLimitPerMinute = 0) =>
  createApp({
    db: env.db,
    stores: env.stores,
    logger: pino({ level: 'silent' }),
    limits: { maxDepth: 4, maxAliases: 2, maxBodyBytes: 2048, introspection: false, fieldSuggestions: false, rateLimitPerMinute },
  });

/** A key of its own: the rate limit's buckets are shared by every app on the database. */
const freshKey = async (tenantId: string) => (await env.stores.tenants.createKey(tenantId, ['read'], 'rate limit test')).key;

describe('request limits', () => {
  it('refuses a query deeper than the limit', async () => {
    const res = await gql(strict(), `query { traces(first: 1) { edges { node { steps { edges { node { stepIndex } } } } } } }`, {}, env.a.read);
    expect(res.errors?.[0]?.message).toMatch(/depth/i);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
  });

  it('caps a body sent without Content-Length (chunked) as it is read: 413, nothing written; a small one passes', async () => {
    const server = await listen(strict());
    try {
      const post = (body: string) =>
        new Promise<{ status: number; body: any }>((resolve, reject) => {
          const req = request(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${env.a.write}` } }, (res) => {
            let text = '';
            res.on('data', (c) => (text += c));
            res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
          });
          req.on('error', reject);
          // Written in pieces without a length: Node sends it chunked.
          for (let i = 0; i < body.length; i += 1000) req.write(body.slice(i, i + 1000));
          req.end();
        });
      const mutation = `mutation($input: StartTraceInput!) { startTrace(input: $input) { created } }`;
      const big = await post(JSON.stringify({ query: mutation, variables: { input: { runId: 'chunked-big', metadata: { blob: 'x'.repeat(5000) } } } }));
      expect(big.status).toBe(413);
      expect(big.body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
      expect(await sql(env.db, `SELECT 1 FROM aos_traces WHERE run_id = 'chunked-big'`)).toHaveLength(0);
      const small = await post(JSON.stringify({ query: mutation, variables: { input: { runId: 'chunked-small' } } }));
      expect(small.body.errors).toBeUndefined();
      expect(small.body.data.startTrace.created).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('refuses a Content-Length that is not one non-negative integer with 400', async () => {
    const res = await strict().fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '10, 10', authorization: `Bearer ${env.a.read}` },
      body: JSON.stringify({ query: '{ viewer { keyId } }' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('refuses too many aliases', async () => {
    const res = await gql(strict(), `query { a: viewer { keyId } b: viewer { keyId } c: viewer { keyId } }`, {}, env.a.read);
    expect(res.errors?.[0]?.message).toMatch(/alias/i);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
  });

  it('refuses an oversized body with 413 PAYLOAD_TOO_LARGE and writes nothing', async () => {
    const res = await gql(strict(), `mutation($input: StartTraceInput!) { startTrace(input: $input) { created } }`, { input: { runId: 'too-big', metadata: { blob: 'x'.repeat(5000) } } }, env.a.write);
    expect(res.status).toBe(413);
    expect(codeOf(res)).toBe('PAYLOAD_TOO_LARGE');
    expect(await sql(env.db, `SELECT 1 FROM aos_traces WHERE run_id = 'too-big'`)).toHaveLength(0);
  });

  /** A body sent in chunks with no Content-Length (Transfer-Encoding: chunked on the wire). */
  const chunked = (text: string, chunk = 1000) => {
    const bytes = new TextEncoder().encode(text);
    return new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += chunk) controller.enqueue(bytes.slice(i, i + chunk));
        controller.close();
      },
    });
  };
  const postChunked = (path: string, text: string, type = 'application/json') =>
    strict().fetch(`http://test${path}`, {
      method: 'POST',
      headers: { 'content-type': type, authorization: `Bearer ${env.a.write}` },
      body: chunked(text),
      duplex: 'half',
    } as RequestInit);

  it('caps the bytes read of a chunked GraphQL body without Content-Length: 413 and nothing written', async () => {
    const query = `mutation($input: StartTraceInput!) { startTrace(input: $input) { created } }`;
    const big = JSON.stringify({ query, variables: { input: { runId: 'chunked-big', metadata: { blob: 'x'.repeat(5000) } } } });
    const res = await postChunked('/graphql', big);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await sql(env.db, `SELECT 1 FROM aos_traces WHERE run_id = 'chunked-big'`)).toHaveLength(0);
    const small = await postChunked('/graphql', JSON.stringify({ query, variables: { input: { runId: 'chunked-small' } } }));
    expect(small.status).toBe(200);
    expect(await sql(env.db, `SELECT 1 FROM aos_traces WHERE run_id = 'chunked-small'`)).toHaveLength(1);
  });

  it('caps the bytes read of a chunked OTLP body without Content-Length', async () => {
    const res = await postChunked('/v1/traces', JSON.stringify({ resourceSpans: [], pad: 'x'.repeat(5000) }));
    expect(res.status).toBe(413);
  });

  it('can turn off introspection and field suggestions', async () => {
    const intro = await gql(strict(), `query { __schema { types { name } } }`, {}, env.a.read);
    expect(intro.errors?.[0]?.message).toMatch(/introspection/i);
    const typo = await gql(strict(), `query { viewr { keyId } }`, {}, env.a.read);
    expect(typo.errors?.[0]?.message).not.toMatch(/did you mean/i);
    const open = await gql(env.app, `query { viewr { keyId } }`, {}, env.a.read);
    expect(open.errors?.[0]?.message).toMatch(/did you mean/i);
  });

  it('rate-limits per key with 429 RATE_LIMITED and Retry-After, other keys unaffected', async () => {
    const app = strict(3);
    const [limited, other] = [await freshKey(env.a.tenantId), await freshKey(env.b.tenantId)];
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await gql(app, `query { viewer { keyId } }`, {}, limited)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const res = await app.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${limited}` },
      body: JSON.stringify({ query: '{ viewer { keyId } }' }),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await res.json()) as any).errors[0].extensions.code).toBe('RATE_LIMITED');
    expect((await gql(app, `query { viewer { keyId } }`, {}, other)).status).toBe(200);
  });

  it.runIf(process.env.DATABASE_URL)('shares one limit between servers on the same PostgreSQL database', async () => {
    const [first, second] = [strict(4), strict(4)];
    const key = await freshKey(env.a.tenantId);
    const statuses: number[] = [];
    for (const app of [first, second, first, second, first, second]) statuses.push((await gql(app, `query { viewer { keyId } }`, {}, key)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it.runIf(process.env.DATABASE_URL)('keeps no bucket for a key id that does not exist', async () => {
    const app = strict(3);
    const made_up = 'aos_ZZZZZZZZZZZZ_' + 'x'.repeat(40);
    for (let i = 0; i < 5; i++) expect((await gql(app, `query { viewer { keyId } }`, {}, made_up)).status).not.toBe(429);
    expect(await sql(env.db, `SELECT key_id FROM rate_limit_buckets WHERE key_id = 'ZZZZZZZZZZZZ'`)).toEqual([]);
  });
});
