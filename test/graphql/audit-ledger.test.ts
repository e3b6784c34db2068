import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEDGER_GENESIS_HASH, ledgerEntryHash } from '../../src/domain/hashes.ts';
import { codeOf, gql, setup, sql, type TestEnv } from '../helpers.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env?.close());

const FIELDS = `id entryId seq eventType entityType entityId actorType actorId actionReason beforeState afterState correlationId idempotencyKey prevHash entryHash createdAt`;
const APPEND = `mutation($input: AppendAuditEntryInput!) { appendAuditEntry(input: $input) { created auditEntry { ${FIELDS} } } }`;
const READ = `query($entryId: String!) { auditEntry(entryId: $entryId) { ${FIELDS} } }`;
const NODE = `query($id: ID!) { node(id: $id) { ... on AuditEntry { entryId seq } } }`;

const entry = (over: Record<string, unknown> = {}) => ({
  eventType: 'POLICY_RULE_CREATED',
  entityType: 'POLICY_RULE',
  entityId: 'rule-1',
  actorType: 'HUMAN',
  actorId: 'alice',
  ...over,
});

type LedgerRow = {
  id: string;
  tenant_id: string;
  seq: string | bigint;
  event_type: string;
  entity_type: string;
  entity_id: string;
  actor_type: string;
  actor_id: string | null;
  action_reason: string | null;
  before_state: unknown;
  after_state: unknown;
  correlation_id: string | null;
  prev_hash: string;
  entry_hash: string;
  created_at: Date;
};

const ledgerRows = (tenantId: string) =>
  sql<LedgerRow>(env.db, `SELECT * FROM audit_ledger WHERE tenant_id = $1 ORDER BY seq`, [tenantId]);
const countRows = async (tenantId: string) =>
  Number((await sql<{ n: number }>(env.db, `SELECT count(*)::int AS n FROM audit_ledger WHERE tenant_id = $1`, [tenantId]))[0]!.n);

/** Recomputes the whole chain from what is stored, as an auditor would. */
function expectIntactChain(rows: LedgerRow[]) {
  expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
  let prev = LEDGER_GENESIS_HASH;
  for (const r of rows) {
    expect(r.prev_hash).toBe(prev);
    const recomputed = ledgerEntryHash(r.prev_hash, {
      tenantId: r.tenant_id,
      seq: BigInt(r.seq),
      eventType: r.event_type,
      entityType: r.entity_type,
      entityId: r.entity_id,
      actorType: r.actor_type,
      actorId: r.actor_id,
      actionReason: r.action_reason,
      beforeState: r.before_state,
      afterState: r.after_state,
      correlationId: r.correlation_id,
      createdAt: r.created_at,
    });
    expect(recomputed, `entry seq ${r.seq}`).toBe(r.entry_hash);
    prev = r.entry_hash;
  }
}

describe('appendAuditEntry', () => {
  it('appends the first entry of a tenant at seq 1, chained to the genesis hash, and reads it back', async () => {
    const res = await gql(env.app, APPEND, {
      input: entry({ beforeState: { enabled: false }, afterState: { enabled: true, threshold: 0.5 }, actionReason: 'tighten' }),
    }, env.a.write);
    expect(res.errors).toBeUndefined();
    const created = res.data!.appendAuditEntry;
    expect(created.created).toBe(true);
    expect(created.auditEntry).toMatchObject({
      seq: '1',
      eventType: 'POLICY_RULE_CREATED',
      entityType: 'POLICY_RULE',
      actorType: 'HUMAN',
      afterState: { enabled: true, threshold: 0.5 },
      prevHash: LEDGER_GENESIS_HASH,
    });
    expect(created.auditEntry.entryHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await sql(env.db, `SELECT event_type::text AS e FROM audit_ledger WHERE id = $1`, [created.auditEntry.entryId]))[0]).toEqual({
      e: 'PolicyRuleCreated',
    });

    const read = await gql(env.app, READ, { entryId: created.auditEntry.entryId }, env.a.read);
    expect(read.data!.auditEntry).toEqual(created.auditEntry);
    const node = await gql(env.app, NODE, { id: created.auditEntry.id }, env.a.read);
    expect(node.data!.node).toEqual({ entryId: created.auditEntry.entryId, seq: '1' });
  });

  it('stores and returns correlationId (B9: the reference never read or wrote it)', async () => {
    const res = await gql(env.app, APPEND, { input: entry({ eventType: 'LIMIT_BREACHED', entityType: 'LIMIT', correlationId: 'corr-42' }) }, env.a.write);
    expect(res.errors).toBeUndefined();
    const id = res.data!.appendAuditEntry.auditEntry.entryId;
    expect(res.data!.appendAuditEntry.auditEntry.correlationId).toBe('corr-42');
    expect((await sql(env.db, `SELECT correlation_id FROM audit_ledger WHERE id = $1`, [id]))[0]).toEqual({ correlation_id: 'corr-42' });
    expect((await gql(env.app, READ, { entryId: id }, env.a.read)).data!.auditEntry.correlationId).toBe('corr-42');
  });

  it('redacts the reason and both states before storing and hashing them (B16)', async () => {
    const res = await gql(env.app, APPEND, {
      input: entry({
        entityType: 'DECISION',
        actionReason: 'approved by bob@example.com',
        beforeState: { api_key: 'sk-abcdefghijklmnopqrstuvwxyz0123' },
        afterState: { nested: { note: 'card 4111 1111 1111 1111' } },
      }),
    }, env.a.write);
    expect(res.errors).toBeUndefined();
    const [row] = await sql<LedgerRow>(env.db, `SELECT * FROM audit_ledger WHERE id = $1`, [res.data!.appendAuditEntry.auditEntry.entryId]);
    const stored = JSON.stringify(row);
    expect(stored).not.toContain('bob@example.com');
    expect(stored).not.toContain('sk-abcdefghijklmnopqrstuvwxyz0123');
    expect(stored).not.toContain('4111 1111 1111 1111');
    expect(row!.action_reason).toContain('<REDACTED_EMAIL>');
  });
});

describe('the hash chain (D7)', () => {
  it('stays gapless and verifiable across sequential and concurrent appends', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await gql(env.app, APPEND, { input: entry({ entityId: `seq-${i}`, afterState: { i } }) }, env.a.write);
      expect(res.errors).toBeUndefined();
    }
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        gql(env.app, APPEND, { input: entry({ eventType: 'SIGNAL_ESCALATED', entityType: 'SIGNAL', entityId: `par-${i}`, afterState: { i } }) }, env.a.write),
      ),
    );
    for (const r of results) expect(r.errors).toBeUndefined();
    const seqs = results.map((r) => Number(r.data!.appendAuditEntry.auditEntry.seq)).sort((x, y) => x - y);
    expect(new Set(seqs).size).toBe(10);

    const rows = await ledgerRows(env.a.tenantId);
    expect(rows.length).toBeGreaterThanOrEqual(16);
    expectIntactChain(rows);
    expect((await env.stores.auditLedger.chain(env.a.tenantId)).map((e) => e.entryHash)).toEqual(rows.map((r) => r.entry_hash));
  });

  it('keeps a separate chain per tenant', async () => {
    const res = await gql(env.app, APPEND, { input: entry({ entityId: 'b-rule' }) }, env.b.write);
    expect(res.errors).toBeUndefined();
    expect(res.data!.appendAuditEntry.auditEntry).toMatchObject({ seq: '1', prevHash: LEDGER_GENESIS_HASH });
    expectIntactChain(await ledgerRows(env.b.tenantId));
    expectIntactChain(await ledgerRows(env.a.tenantId));
  });

  it('detects tampering: a changed stored field no longer matches its entry hash', async () => {
    const [first] = await ledgerRows(env.a.tenantId);
    const forged = { ...first!, entity_id: 'someone-else' };
    expect(() => expectIntactChain([forged])).toThrow();
  });
});

describe('idempotent appends', () => {
  it('returns the first entry for a retry with the same key and content, without a second row', async () => {
    const input = entry({ eventType: 'LIMIT_CREATED', entityType: 'LIMIT', entityId: 'lim-1', afterState: { max: 10 }, idempotencyKey: 'req-1' });
    const first = await gql(env.app, APPEND, { input }, env.a.write);
    const before = await countRows(env.a.tenantId);
    const again = await gql(env.app, APPEND, { input }, env.a.write);
    expect(again.errors).toBeUndefined();
    expect(again.data!.appendAuditEntry.created).toBe(false);
    expect(again.data!.appendAuditEntry.auditEntry).toEqual(first.data!.appendAuditEntry.auditEntry);
    expect(await countRows(env.a.tenantId)).toBe(before);
  });

  it('answers CONFLICT for the same key with different content, and writes nothing', async () => {
    const before = await countRows(env.a.tenantId);
    const res = await gql(env.app, APPEND, {
      input: entry({ eventType: 'LIMIT_CREATED', entityType: 'LIMIT', entityId: 'lim-1', afterState: { max: 11 }, idempotencyKey: 'req-1' }),
    }, env.a.write);
    expect(codeOf(res)).toBe('CONFLICT');
    expect(await countRows(env.a.tenantId)).toBe(before);
  });

  it('scopes keys to the tenant', async () => {
    const res = await gql(env.app, APPEND, {
      input: entry({ eventType: 'LIMIT_CREATED', entityType: 'LIMIT', entityId: 'other', idempotencyKey: 'req-1' }),
    }, env.b.write);
    expect(res.errors).toBeUndefined();
    expect(res.data!.appendAuditEntry.created).toBe(true);
  });
});

describe('immutability (reference §2.1)', () => {
  it('rejects UPDATE, DELETE and TRUNCATE of ledger rows in the database', async () => {
    const [first] = await ledgerRows(env.a.tenantId);
    await expect(sql(env.db, `UPDATE audit_ledger SET entity_id = 'x' WHERE id = $1`, [first!.id])).rejects.toThrow(/append-only/);
    await expect(sql(env.db, `DELETE FROM audit_ledger WHERE id = $1`, [first!.id])).rejects.toThrow(/append-only/);
    await expect(sql(env.db, `TRUNCATE audit_ledger`)).rejects.toThrow(/append-only/);
    expect((await ledgerRows(env.a.tenantId))[0]).toEqual(first);
  });

  it('does not cascade a tenant deletion into the ledger (B27): the tenant cannot be deleted while it has entries', async () => {
    await expect(sql(env.db, `DELETE FROM tenants WHERE id = $1`, [env.b.tenantId])).rejects.toThrow(/foreign key/);
    expect(await countRows(env.b.tenantId)).toBeGreaterThan(0);
  });
});

describe('errors and tenancy', () => {
  it('rejects bad input with BAD_USER_INPUT naming the field, and writes nothing', async () => {
    const before = await countRows(env.a.tenantId);
    const cases: [Record<string, unknown>, string][] = [
      [entry({ entityId: 'has space' }), 'input.entityId'],
      [entry({ entityId: 'x'.repeat(65) }), 'input.entityId'],
      [entry({ correlationId: '' }), 'input.correlationId'],
      [entry({ actionReason: 'nul \u0000 byte' }), 'input.actionReason'],
    ];
    for (const [input, field] of cases) {
      const res = await gql(env.app, APPEND, { input }, env.a.write);
      expect(codeOf(res), field).toBe('BAD_USER_INPUT');
      expect(res.errors![0]!.extensions!.fields).toContain(field);
    }
    for (const input of [entry({ eventType: 'PolicyRuleCreated' }), entry({ actorType: 'ROBOT' }), entry({ afterState: { s: 'a\u0000b' } })]) {
      expect(codeOf(await gql(env.app, APPEND, { input }, env.a.write))).toBe('BAD_USER_INPUT');
    }
    expect(await countRows(env.a.tenantId)).toBe(before);
  });

  it("answers null for an unknown or another tenant's entry, and BAD_USER_INPUT for a malformed id", async () => {
    const [bEntry] = await ledgerRows(env.b.tenantId);
    const other = await gql(env.app, READ, { entryId: bEntry!.id }, env.a.read);
    expect(other.errors).toBeUndefined();
    expect(other.data!.auditEntry).toBeNull();
    const unknown = await gql(env.app, READ, { entryId: '00000000-0000-4000-8000-000000000000' }, env.a.read);
    expect(unknown.data!.auditEntry).toBeNull();
    expect(codeOf(await gql(env.app, READ, { entryId: 'not-a-uuid' }, env.a.read))).toBe('BAD_USER_INPUT');
    const globalId = Buffer.from(`AuditEntry:${bEntry!.id}`).toString('base64');
    expect((await gql(env.app, NODE, { id: globalId }, env.a.read)).data!.node).toBeNull();
    const malformedNode = await gql(env.app, NODE, { id: Buffer.from('AuditEntry:nope').toString('base64') }, env.a.read);
    expect(malformedNode.errors).toBeUndefined();
    expect(malformedNode.data!.node).toBeNull();
  });

  it('rejects an append with a read-only key with FORBIDDEN, and writes nothing', async () => {
    const before = await countRows(env.a.tenantId);
    expect(codeOf(await gql(env.app, APPEND, { input: entry() }, env.a.read))).toBe('FORBIDDEN');
    expect(await countRows(env.a.tenantId)).toBe(before);
  });
});
