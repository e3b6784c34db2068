import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, gql, setup, sql, type TestEnv } from '../helpers.ts';
import { ALL_SYSTEM_RECORDS } from '../system-records-sql.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env?.close());

const RECORD = `mutation($input: RecordSystemEventInput!) { recordSystemEvent(input: $input) { created systemRecord { id isGlobal component eventType severity summary details causedBy correlationId idempotencyKey } } }`;
const NODE = `query($id: ID!) { node(id: $id) { id ... on SystemRecord { isGlobal summary component } } }`;

const event = (extra: Record<string, unknown> = {}) => ({
  component: 'WORKER',
  eventType: 'STARTUP',
  severity: 'INFO',
  summary: 'worker pool started',
  details: { workers: 4 },
  causedBy: 'SYSTEM',
  correlationId: 'run-7',
  ...extra,
});

const countRows = async (where: string, params: unknown[] = []) =>
  Number((await sql<{ n: number }>(env.db, `SELECT count(*)::int AS n FROM ${ALL_SYSTEM_RECORDS} WHERE ${where}`, params))[0]!.n);
const globalId = (typename: string, id: string) => Buffer.from(`${typename}:${id}`).toString('base64');

describe('recordSystemEvent', () => {
  it("appends an event of the caller's tenant and reads it back as a node", async () => {
    const res = await gql(env.app, RECORD, { input: event() }, env.a.write);
    expect(res.errors).toBeUndefined();
    const { created, systemRecord } = res.data!.recordSystemEvent;
    expect(created).toBe(true);
    expect(systemRecord).toMatchObject({ isGlobal: false, component: 'WORKER', eventType: 'STARTUP', severity: 'INFO', details: { workers: 4 }, causedBy: 'SYSTEM' });
    const [row] = await sql(env.db, `SELECT tenant_id, component::text FROM system_records WHERE correlation_id = 'run-7'`);
    // The GraphQL enum WORKER is the lower-case database value.
    expect(row).toEqual({ tenant_id: 'tenant-a', component: 'worker' });

    const node = await gql(env.app, NODE, { id: systemRecord.id }, env.a.read);
    expect(node.data!.node).toMatchObject({ isGlobal: false, summary: 'worker pool started', component: 'WORKER' });
  });

  it('appends a new row for each call without an idempotency key', async () => {
    const input = event({ correlationId: 'run-twice' });
    await gql(env.app, RECORD, { input }, env.a.write);
    const again = await gql(env.app, RECORD, { input }, env.a.write);
    expect(again.data!.recordSystemEvent.created).toBe(true);
    expect(await countRows(`correlation_id = 'run-twice'`)).toBe(2);
  });

  it('returns the first row for a retry with the same idempotency key and content', async () => {
    const input = event({ idempotencyKey: 'boot-1', summary: 'reach me at ops@example.com' });
    const first = await gql(env.app, RECORD, { input }, env.a.write);
    const retry = await gql(env.app, RECORD, { input }, env.a.write);
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.recordSystemEvent).toMatchObject({ created: false, systemRecord: { id: first.data!.recordSystemEvent.systemRecord.id } });
    expect(await countRows(`idempotency_key = 'boot-1'`)).toBe(1);
  });

  it('keeps one row when retries with one idempotency key race', async () => {
    const input = event({ idempotencyKey: 'race-1', correlationId: 'run-race' });
    const results = await Promise.all(Array.from({ length: 5 }, () => gql(env.app, RECORD, { input }, env.a.write)));
    expect(results.map((r) => r.errors)).toEqual(Array(5).fill(undefined));
    expect(results.filter((r) => r.data!.recordSystemEvent.created)).toHaveLength(1);
    expect(await countRows(`idempotency_key = 'race-1'`)).toBe(1);
  });

  it('answers CONFLICT for the same idempotency key with different content, and writes nothing', async () => {
    const res = await gql(env.app, RECORD, { input: event({ idempotencyKey: 'boot-1', summary: 'something else' }) }, env.a.write);
    expect(codeOf(res)).toBe('CONFLICT');
    expect(res.errors![0]!.extensions!.fields).toEqual(['summary']);
    expect(await countRows(`idempotency_key = 'boot-1'`)).toBe(1);
  });

  it('scopes idempotency keys per tenant', async () => {
    const res = await gql(env.app, RECORD, { input: event({ idempotencyKey: 'boot-1', summary: 'b boots' }) }, env.b.write);
    expect(res.data!.recordSystemEvent.created).toBe(true);
    expect(await countRows(`idempotency_key = 'boot-1'`)).toBe(2);
  });

  it('B16: stores summary and details redacted', async () => {
    const secret = 'sk-ant-' + 'a1B2c3D4e5F6g7H8i9J0k1L2';
    const res = await gql(
      env.app,
      RECORD,
      { input: event({ correlationId: 'run-redact', summary: `auth failed for Bearer ${secret}`, details: { password: 'hunter2', nested: { note: `key ${secret}`, mail: 'eve@example.com' } } }) },
      env.a.write,
    );
    expect(res.errors).toBeUndefined();
    const [row] = await sql<{ summary: string; details: unknown }>(env.db, `SELECT summary, details FROM system_records WHERE correlation_id = 'run-redact'`);
    const stored = JSON.stringify(row);
    for (const leaked of [secret, 'hunter2', 'eve@example.com']) expect(stored).not.toContain(leaked);
    expect(row!.summary).toBe('auth failed for Bearer <REDACTED>');
    expect(row!.details).toEqual({ password: '<REDACTED>', nested: { note: 'key <REDACTED_API_KEY>', mail: '<REDACTED_EMAIL>' } });
  });

  it('rejects a read-only key with FORBIDDEN', async () => {
    const res = await gql(env.app, RECORD, { input: event({ correlationId: 'run-ro' }) }, env.a.read);
    expect(codeOf(res)).toBe('FORBIDDEN');
    expect(await countRows(`correlation_id = 'run-ro'`)).toBe(0);
  });
});

describe('recordSystemEvent rejects bad input and writes nothing', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['an unknown component', { component: 'KERNEL' }, 'input.component'],
    ['a lower-case component', { component: 'worker' }, 'input.component'],
    ['an unknown severity', { severity: 'DEBUG' }, 'input.severity'],
    ['an oversize summary', { summary: 'x'.repeat(2001) }, 'input.summary'],
    ['an empty summary', { summary: '  ' }, 'input.summary'],
    ['details that are not an object', { details: [1, 2] }, 'input.details'],
    ['a missing summary', { summary: undefined }, 'Field "summary" of required type'],
  ];
  it.each(cases)('%s → BAD_USER_INPUT', async (_name, patch, field) => {
    const correlationId = `bad-${Object.keys(patch)[0]}`;
    const res = await gql(env.app, RECORD, { input: event({ ...patch, correlationId }) }, env.a.write);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors!.map((e) => `${e.message} ${JSON.stringify(e.extensions)}`).join('\n')).toContain(field);
    expect(await countRows(`correlation_id = $1`, [correlationId])).toBe(0);
  });
});

describe('global system records', () => {
  it('are written by operators through the store and readable by every tenant', async () => {
    const { systemRecord, created } = await env.stores.systemRecords.recordGlobal({
      component: 'migration',
      eventType: 'MIGRATION',
      severity: 'INFO',
      summary: 'schema migrated by admin@example.com',
      idempotencyKey: 'migrate-1',
    });
    expect(created).toBe(true);
    expect(systemRecord).toMatchObject({ tenantId: null, summary: 'schema migrated by <REDACTED_EMAIL>' });
    for (const key of [env.a.read, env.b.read]) {
      const node = await gql(env.app, NODE, { id: globalId('SystemRecord', systemRecord.id) }, key);
      expect(node.data!.node).toMatchObject({ isGlobal: true, component: 'MIGRATION' });
    }
  });

  it('replay by idempotency key like tenant rows: same content → the first row, other content → CONFLICT', async () => {
    const input = { component: 'migration', eventType: 'MIGRATION', severity: 'INFO', summary: 'schema migrated by admin@example.com', idempotencyKey: 'migrate-1' } as const;
    const again = await env.stores.systemRecords.recordGlobal(input);
    expect(again.created).toBe(false);
    await expect(env.stores.systemRecords.recordGlobal({ ...input, severity: 'WARN' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await countRows(`tenant_id IS NULL AND idempotency_key = 'migrate-1'`)).toBe(1);
  });

  it('cannot be written through GraphQL: a tenant key always writes its own tenant', async () => {
    const before = await countRows(`tenant_id IS NULL`);
    const res = await gql(env.app, RECORD, { input: event({ correlationId: 'admin-write' }) }, env.a.admin);
    expect(res.data!.recordSystemEvent.systemRecord.isGlobal).toBe(false);
    expect(await countRows(`tenant_id IS NULL`)).toBe(before);
  });
});

const LIST = `query($filter: SystemRecordFilter, $sort: SystemRecordSort, $first: Int, $after: String, $last: Int, $before: String) {
  systemRecords(filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { id isGlobal summary } }
  }
}`;
type ListPage = {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: { node: { id: string; isGlobal: boolean; summary: string } }[];
};
const keyOf = (nodeId: string) => Buffer.from(nodeId, 'base64').toString('utf8').replace(/^SystemRecord:/, '');

/** Every page of systemRecords, 2 at a time, forward or backward: the summaries in list order and each page's totalCount. */
async function walkList(key: string, variables: Record<string, unknown>, backward = false) {
  const nodes: ListPage['edges'][number]['node'][] = [];
  const totals = new Set<number>();
  let cursor: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const res = await gql(env.app, LIST, { ...variables, ...(backward ? { last: 2, before: cursor } : { first: 2, after: cursor }) }, key);
    expect(res.errors).toBeUndefined();
    const page = res.data!.systemRecords as ListPage;
    totals.add(page.totalCount);
    const got = page.edges.map((e) => e.node);
    if (backward) nodes.unshift(...got);
    else nodes.push(...got);
    if (!(backward ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage)) return { nodes, totals: [...totals] };
    cursor = backward ? page.pageInfo.startCursor : page.pageInfo.endCursor;
  }
  throw new Error('more than 50 pages');
}

describe('global records written through the store, listed with the tenant\'s own', () => {
  // Tenant a's records and global ones written alternately, each in its own instant, plus one of
  // tenant b's: a's list holds both kinds interleaved by time, as when they shared one table.
  const written: string[] = [];
  beforeAll(async () => {
    const input = (i: number) => ({ component: 'api', eventType: 'DEPLOY', severity: 'INFO', summary: `mix ${i}`, correlationId: 'mix' }) as const;
    for (let i = 0; i < 7; i++) {
      if (i % 2 === 1) {
        const { systemRecord } = await env.stores.systemRecords.recordGlobal({ ...input(i), summary: `mix ${i} global` });
        written.push(systemRecord.summary);
      } else {
        const res = await gql(env.app, RECORD, { input: { ...event({ correlationId: 'mix' }), summary: `mix ${i} a` } }, env.a.write);
        written.push(res.data!.recordSystemEvent.systemRecord.summary);
      }
      // Distinct created_at values (milliseconds), so the expected order is the order written.
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    await gql(env.app, RECORD, { input: { ...event({ correlationId: 'mix' }), summary: 'mix b' } }, env.b.write);
  });

  it('come in created order across pages, forward and backward, newest first by default and oldest first on request', async () => {
    const newest = [...written].reverse();
    for (const backward of [false, true]) {
      const desc = await walkList(env.a.read, { filter: { correlationId: 'mix' } }, backward);
      expect(desc.nodes.map((n) => n.summary)).toEqual(newest);
      expect(desc.nodes.map((n) => n.isGlobal)).toEqual(newest.map((s) => s.endsWith('global')));
      expect(desc.totals).toEqual([7]);
      const asc = await walkList(env.a.read, { filter: { correlationId: 'mix' }, sort: { field: 'CREATED_AT', direction: 'ASC' } }, backward);
      expect(asc.nodes.map((n) => n.summary)).toEqual(written);
    }
  });

  it('are the rows and order of the one-table query (tenant or global, created_at and id descending)', async () => {
    const want = await sql<{ id: string }>(
      env.db,
      `SELECT id::text AS id FROM ${ALL_SYSTEM_RECORDS} WHERE (tenant_id = $1 OR tenant_id IS NULL) ORDER BY created_at DESC, id DESC`,
      [env.a.tenantId],
    );
    const all = await walkList(env.a.read, {});
    expect(all.nodes.map((n) => keyOf(n.id))).toEqual(want.map((r) => r.id));
    expect(all.totals).toEqual([want.length]);
  });

  it('scope narrows to one side; tenant b sees the same global rows and its own, never a\'s', async () => {
    const only = async (key: string, scope: string) => (await walkList(key, { filter: { correlationId: 'mix', scope } })).nodes.map((n) => n.summary);
    expect(await only(env.a.read, 'GLOBAL_ONLY')).toEqual(written.filter((s) => s.endsWith('global')).reverse());
    expect(await only(env.a.read, 'TENANT_ONLY')).toEqual(written.filter((s) => s.endsWith(' a')).reverse());
    expect(await only(env.b.read, 'ALL')).toEqual(['mix b', ...written.filter((s) => s.endsWith('global')).reverse()]);
  });

  it('systemRecordByCorrelation and node() reach a global record as before', async () => {
    await env.stores.systemRecords.recordGlobal({ component: 'db', eventType: 'RESTART', severity: 'WARN', summary: 'only global', correlationId: 'mix-global' });
    for (const key of [env.a.read, env.b.read]) {
      const res = await gql(env.app, `{ systemRecordByCorrelation(correlationId: "mix-global") { id isGlobal summary } }`, {}, key);
      expect(res.data!.systemRecordByCorrelation).toMatchObject({ isGlobal: true, summary: 'only global' });
      const node = await gql(env.app, NODE, { id: res.data!.systemRecordByCorrelation.id }, key);
      expect(node.data!.node).toMatchObject({ isGlobal: true, summary: 'only global', component: 'DB' });
    }
    // The earliest of a tenant's and global records, whichever table it is in.
    const first = await gql(env.app, `{ systemRecordByCorrelation(correlationId: "mix") { summary } }`, {}, env.a.read);
    expect(first.data!.systemRecordByCorrelation).toEqual({ summary: written[0] });
  });

  it('are stored in global_system_records, none of them in system_records', async () => {
    const [row] = await sql<{ global: number; tenant: number }>(
      env.db,
      `SELECT (SELECT count(*)::int FROM global_system_records WHERE correlation_id = 'mix') AS global,
              (SELECT count(*)::int FROM system_records WHERE correlation_id = 'mix') AS tenant`,
    );
    expect(row).toEqual({ global: 3, tenant: 5 });
  });
});

describe('tenant isolation', () => {
  it("answers null for another tenant's record, an unknown id and a malformed id", async () => {
    const mine = await gql(env.app, RECORD, { input: event({ correlationId: 'only-a' }) }, env.a.write);
    const id = mine.data!.recordSystemEvent.systemRecord.id;
    for (const [nodeId, key] of [
      [id, env.b.read],
      [globalId('SystemRecord', '00000000-0000-4000-8000-000000000000'), env.a.read],
      [globalId('SystemRecord', 'not-a-uuid'), env.a.read],
    ] as const) {
      const res = await gql(env.app, NODE, { id: nodeId }, key);
      expect(res.errors).toBeUndefined();
      expect(res.data!.node).toBeNull();
    }
  });
});

describe('system_records is append-only in the database', () => {
  it('rejects UPDATE and DELETE', async () => {
    await expect(sql(env.db, `UPDATE system_records SET summary = 'rewritten' WHERE correlation_id = 'run-7'`)).rejects.toThrow(/append-only/);
    await expect(sql(env.db, `DELETE FROM system_records WHERE correlation_id = 'run-7'`)).rejects.toThrow(/append-only/);
    expect(await countRows(`correlation_id = 'run-7' AND summary = 'worker pool started'`)).toBe(1);
  });
});
