// Hostile input against every Query and Mutation field, generated from the schema with a seeded
// generator: each answer must be a typed client error or a success — never a 5xx, never
// INTERNAL_SERVER_ERROR, never an error in the server log — and a rejected request writes nothing.
import { Writable } from 'node:stream';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isAbstractType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLInputField,
} from 'graphql';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.ts';
import { createApp, type App } from '../../src/server.ts';
import { Rng } from '../../bench/lib/prng.ts';
import { gql, setup, sql, type TestEnv } from '../helpers.ts';

const ALLOWED = new Set([
  'BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN',
  'NOT_FOUND', 'CONFLICT', 'PAYLOAD_TOO_LARGE', 'RATE_LIMITED',
  // yoga's own answer to a body that is not a GraphQL request (400)
  'BAD_REQUEST',
]);
const REQUESTS_PER_FIELD = 5;

let env: TestEnv;
let app: App;
const logLines: { level: number; msg?: string; [k: string]: unknown }[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
let tables: string[] = [];
const otherTenantIds: string[] = [];
const otherTenantCursors: string[] = [];

const b64 = (s: string) => Buffer.from(s).toString('base64');
const deepJson = (depth: number): unknown => (depth === 0 ? 'leaf' : { n: deepJson(depth - 1) });

const HOSTILE = {
  string: [
    '', 'x'.repeat(10_000), "'; DROP TABLE aos_traces; --", "' OR '1'='1", '\u0000', 'a\u0000b', '\ud800', 'x\udfff',
    '\u202eevil\u202c', '👩‍👩‍👧‍👦🔥', 'e\u0301\u0301\u0301', 'NaN', 'Infinity', '-0', '%s%n', '../../etc/passwd', '$where', '{"$gt":""}',
  ],
  int: [2 ** 31, -(2 ** 31) - 1, 1e308, 'NaN', 'Infinity', 1.5, -1, '12', true, null],
  float: [1e308, -1e308, 'NaN', '-Infinity', 'Infinity', -0, 'abc', Number.MAX_SAFE_INTEGER * 4],
  boolean: ['true', 0, 1, 'yes', null],
  enum: ['unknown_value', 'success', '', 'NaN', 7],
  json: [deepJson(100), Array.from({ length: 20_000 }, (_, i) => i), JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}}}'), 'NaN', 1e308, null, '\ud800'],
  id: () => [b64('Trace:00000000-0000-0000-0000-000000000000'), b64('Nope:1'), '%%%not-base64%%%', b64('Trace:'), '', 'x'.repeat(5000), ...otherTenantIds],
  cursor: () => ['garbage', b64('{"v":"x","id":"y"}'), b64('[1,2,3]'), '\ud800', b64('x'.repeat(1000)), ...otherTenantCursors],
  dateTime: ['2026-13-45', 'now', 0, '2026-01-01', '0000-00-00T00:00:00Z', '+275760-09-13T00:00:00.001Z', '2026-01-01T00:00:00', 1e308],
  cents: ['-1', '1e308', 'NaN', '0.0000001', '99999999999999999999999999.99', 1.5e300, '1,00', ''],
  int64: ['9223372036854775808', '-9223372036854775809', '1.5', 'NaN', 1e308, ''],
};

function hostileFor(type: GraphQLInputType, argName: string): unknown[] {
  const named = getNamedType(type);
  if (/^(after|before|cursor)$/i.test(argName)) return HOSTILE.cursor();
  if (isEnumType(named)) return HOSTILE.enum;
  if (isInputObjectType(named)) return ['not an object', 42, [], { unknownField: 1 }];
  switch (named.name) {
    case 'String': return HOSTILE.string;
    case 'Int': return HOSTILE.int;
    case 'Float': return HOSTILE.float;
    case 'Boolean': return HOSTILE.boolean;
    case 'ID': return HOSTILE.id();
    case 'JSON': return HOSTILE.json;
    case 'DateTime': return HOSTILE.dateTime;
    case 'Cents': return HOSTILE.cents;
    case 'Int64': return HOSTILE.int64;
    default: return [...HOSTILE.string, ...HOSTILE.int];
  }
}

/** A plausible value, so that a request reaches the resolver with one hostile leaf in it. */
function baseline(type: GraphQLInputType, rng: Rng, depth = 0): unknown {
  if (isNonNullType(type)) return baseline(type.ofType, rng, depth);
  if (isListType(type)) return [baseline(type.ofType, rng, depth)];
  if (isEnumType(type)) return type.getValues()[0]!.value === undefined ? type.getValues()[0]!.name : type.getValues()[0]!.name;
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields())) {
      if (isNonNullType(f.type) || (depth < 2 && rng.chance(0.3))) out[f.name] = baseline(f.type, rng, depth + 1);
    }
    return out;
  }
  switch (type.name) {
    case 'String': return `fuzz-${rng.int(0, 9999)}`;
    case 'Int': return rng.int(0, 5);
    case 'Float': return 1.5;
    case 'Boolean': return true;
    case 'ID': return otherTenantIds[0] ?? b64('Trace:1');
    case 'JSON': return { a: 1 };
    case 'DateTime': return '2026-01-01T00:00:00Z';
    case 'Cents': return '1.00';
    case 'Int64': return '1';
    default: return 'x';
  }
}

type Leaf = { path: (string | number)[]; type: GraphQLInputType; name: string };

/** Every input position of a value built by `baseline`, plus the optional fields it left out. */
function leaves(type: GraphQLInputType, value: unknown, path: (string | number)[], name: string): Leaf[] {
  const inner = isNonNullType(type) ? type.ofType : type;
  const here: Leaf = { path, type, name };
  if (isListType(inner)) return [here, ...(Array.isArray(value) && value.length ? leaves(inner.ofType, value[0], [...path, 0], name) : [])];
  if (isInputObjectType(inner) && value && typeof value === 'object') {
    return [here, ...Object.values(inner.getFields()).flatMap((f: GraphQLInputField) => leaves(f.type, (value as Record<string, unknown>)[f.name], [...path, f.name], f.name))];
  }
  return [here];
}

function setAt(target: Record<string, unknown>, path: (string | number)[], v: unknown) {
  let cur: any = target;
  for (const p of path.slice(0, -1)) cur = cur[p];
  cur[path[path.length - 1]!] = v;
}

function mapStrings(type: GraphQLInputType, value: unknown, s: string): unknown {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return Array.isArray(value) ? value.map((v) => mapStrings(inner.ofType, v, s)) : value;
  if (isInputObjectType(inner) && value && typeof value === 'object') {
    return Object.fromEntries(Object.values(inner.getFields()).filter((f) => f.name in (value as object)).map((f) => [f.name, mapStrings(f.type, (value as any)[f.name], s)]));
  }
  return (inner as { name: string }).name === 'String' ? s : value;
}

function selection(field: GraphQLField<unknown, unknown>): string {
  const t = getNamedType(field.type);
  return isObjectType(t) || isAbstractType(t) ? ' { __typename }' : '';
}

function documentFor(op: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): string {
  const vars = field.args.map((a: GraphQLArgument) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  return `${op}${vars ? `(${vars})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection(field)} }`;
}

async function rowCounts(): Promise<Record<string, number>> {
  const [row] = await sql<Record<string, string>>(env.db, `SELECT ${tables.map((t) => `(SELECT count(*) FROM "${t}")::text AS "${t}"`).join(', ')}`);
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
}

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  env = await setup();
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  app = createApp({ db: env.db, stores: env.stores, logger: pino({ level: 'info' }, sink) });
  // rate_limit_buckets counts requests, rejected ones too (the limit is taken before the request
  // is read): it is the rate limit's own bookkeeping, not data a request wrote.
  tables = (await sql<{ name: string }>(env.db, `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_%' AND table_name <> 'rate_limit_buckets' ORDER BY 1`)).map((r) => r.name);

  // Tenant b's real ids and cursors: to tenant a they must behave exactly like unknown ones.
  const started = await gql(app, `mutation { startTrace(input: { runId: "b-run" }) { trace { id traceId } } }`, undefined, env.b.write);
  otherTenantIds.push(started.data!.startTrace.trace.id);
  await gql(app, `mutation { recordTraceSteps(input: { steps: [{ traceId: "trace_b-run", stepIndex: 0, skillName: "s", status: SUCCESS }, { traceId: "trace_b-run", stepIndex: 1, skillName: "s", status: SUCCESS }] }) { createdCount } }`, undefined, env.b.write);
  const steps = await gql(app, `query { trace(traceId: "trace_b-run") { steps(first: 1) { edges { cursor node { id } } } } }`, undefined, env.b.read);
  for (const e of steps.data?.trace?.steps.edges ?? []) {
    otherTenantIds.push(e.node.id);
    otherTenantCursors.push(e.cursor);
  }
  const traces = await gql(app, `query { traces(first: 1) { edges { cursor } } }`, undefined, env.b.read);
  otherTenantCursors.push(...(traces.data?.traces?.edges ?? []).map((e: { cursor: string }) => e.cursor));
  expect(otherTenantIds.length).toBeGreaterThanOrEqual(2);
  // Tenant a gets a running trace of its own, so step writes can get past "unknown trace".
  await gql(app, `mutation { startTrace(input: { runId: "a-run" }) { created } }`, undefined, env.a.write);
}, 60_000);

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await env?.close();
});

type Failure = { document: string; variables?: unknown; status: number; errors: unknown };

describe('hostile input', () => {
  it('answers every hostile request with a typed client error, writes nothing when rejecting, logs no error', async () => {
    const rng = new Rng(20261126);
    const byCode: Record<string, number> = {};
    const failures: Failure[] = [];
    const writtenByRejected: string[] = [];
    let requests = 0;
    let fiveHundreds = 0;
    let counts = await rowCounts();

    const check = async (document: string, body: BodyInit, contentType: string, variables?: unknown, key: string | null = env.a.write, mutation = false) => {
      requests += 1;
      const res = await app.fetch('http://test/graphql', { method: 'POST', headers: { 'content-type': contentType, ...(key ? { authorization: `Bearer ${key}` } : {}) }, body });
      const text = await res.text();
      if (res.status >= 500) fiveHundreds += 1;
      let parsed: { errors?: { extensions?: { code?: string } }[]; data?: unknown } | { errors?: unknown }[] = {};
      try {
        parsed = JSON.parse(text);
      } catch {
        // 415 (unsupported content type) comes with an empty body: a client error all the same.
        if (res.status >= 400 && res.status < 500) {
          byCode[`HTTP_${res.status}`] = (byCode[`HTTP_${res.status}`] ?? 0) + 1;
          return;
        }
        failures.push({ document, variables, status: res.status, errors: `non-JSON body: ${text.slice(0, 200)}` });
        return;
      }
      const results = Array.isArray(parsed) ? parsed : [parsed];
      let rejected = false;
      for (const r of results as { errors?: { extensions?: { code?: string } }[] }[]) {
        for (const e of r.errors ?? []) {
          rejected = true;
          const code = e.extensions?.code ?? 'NO_CODE';
          byCode[code] = (byCode[code] ?? 0) + 1;
          if (!ALLOWED.has(code)) failures.push({ document, variables, status: res.status, errors: r.errors });
        }
      }
      if (!rejected) byCode.none = (byCode.none ?? 0) + 1;
      if (res.status >= 500 && !failures.some((f) => f.document === document && f.variables === variables)) failures.push({ document, variables, status: res.status, errors: text.slice(0, 500) });
      if (!mutation) return;
      const after = await rowCounts();
      if (rejected) {
        const changed = tables.filter((t) => after[t] !== counts[t]);
        if (changed.length) writtenByRejected.push(`${changed.join(',')} ← ${document} ${JSON.stringify(variables).slice(0, 300)}`);
      }
      counts = after;
    };
    const send = (document: string, variables: Record<string, unknown>, mutation: boolean, key: string | null = env.a.write) =>
      check(document, JSON.stringify({ query: document, variables }), 'application/json', variables, key, mutation);

    for (const [op, type] of [['query', schema.getQueryType()!], ['mutation', schema.getMutationType()!]] as const) {
      for (const field of Object.values(type.getFields())) {
        const document = documentFor(op, field);
        const mutation = op === 'mutation';
        for (let i = 0; i < REQUESTS_PER_FIELD; i += 1) {
          const variables: Record<string, unknown> = {};
          for (const a of field.args) if (isNonNullType(a.type) || rng.chance(0.5)) variables[a.name] = baseline(a.type, rng);
          const positions = field.args.flatMap((a) => leaves(a.type, variables[a.name], [a.name], a.name));
          if (positions.length) {
            const target = rng.pick(positions);
            setAt(variables, target.path, rng.pick(hostileFor(target.type, target.name)));
          }
          await send(document, variables, mutation);
        }
        // Unicode in every string field at once: valid input, so any answer but a failure is fine.
        const unicode = Object.fromEntries(field.args.map((a) => [a.name, mapStrings(a.type, baseline(a.type, rng), rng.pick(['Ωmega—東京🚀', '\u202eRTL', 'e\u0301']))]));
        await send(document, unicode, mutation);
        // The same document without a key, and (for mutations) with a read-only key.
        await send(document, unicode, mutation, null);
        if (mutation) await send(document, unicode, mutation, env.a.read);
      }
    }

    // Raw bodies that never become an operation.
    const q = '{ __typename }';
    await check('invalid JSON', '{"query": "{ __typename }"', 'application/json');
    await check('invalid UTF-8', Buffer.concat([Buffer.from('{"query":"{ tr'), Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from('aces }"}')]), 'application/json');
    await check('invalid UTF-8 in variables', Buffer.concat([Buffer.from('{"query":"mutation($i: StartTraceInput!) { startTrace(input: $i) { created } }","variables":{"i":{"runId":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}}}')]), 'application/json', undefined, env.a.write, true);
    await check('wrong content type', JSON.stringify({ query: q }), 'text/plain');
    await check('xml content type', '<query/>', 'application/xml');
    await check('empty body', '', 'application/json');
    await check('batched array', JSON.stringify([{ query: q }, { query: q }]), 'application/json');
    await check('JSON null', 'null', 'application/json');
    await check('query not a string', JSON.stringify({ query: 42 }), 'application/json');
    await check('variables not an object', JSON.stringify({ query: q, variables: [1] }), 'application/json');
    await check('parse error', JSON.stringify({ query: 'query { ' }), 'application/json');
    await check('deep document', JSON.stringify({ query: `{ ${'node(id: "x") { ... on Trace { '.repeat(40)} }` }), 'application/json');
    await check('huge JSON nesting in body', `{"query":"{ __typename }","variables":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`, 'application/json');

    const errorLogs = logLines.filter((l) => l.level >= 50);
    console.log(`fuzz: ${requests} requests, errors by code ${JSON.stringify(byCode)}, 5xx: ${fiveHundreds}, rows written by rejected requests: ${writtenByRejected.length}`);
    for (const f of failures.slice(0, 20)) console.log('FAILURE', JSON.stringify(f).slice(0, 1500));
    for (const w of writtenByRejected.slice(0, 20)) console.log('WRITTEN BY REJECTED', w);
    for (const l of errorLogs.slice(0, 10)) console.log('ERROR LOG', JSON.stringify(l).slice(0, 1500));
    expect(failures).toEqual([]);
    expect(fiveHundreds).toBe(0);
    expect(writtenByRejected).toEqual([]);
    expect(errorLogs).toEqual([]);
    expect(unhandled).toEqual([]);
  }, 120_000);
});
