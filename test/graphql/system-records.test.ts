import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, gql, setup, sql, type TestEnv } from '../helpers.ts';

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
  Number((await sql<{ n: number }>(env.db, `SELECT count(*)::int AS n FROM system_records WHERE ${where}`, params))[0]!.n);
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
