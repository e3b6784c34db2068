import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, gql, setup, sql, type TestEnv } from '../helpers.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env?.close());

const FIELDS = `id policyId sourcePatternId sourceRecoveryId confidenceAtActivation confidenceVersion confidenceBand approvalPath loopTraceId idempotencyKey activatedAt`;
const RECORD = `mutation($input: RecordPolicyActivationInput!) { recordPolicyActivation(input: $input) { created policyActivation { ${FIELDS} } } }`;
const HISTORY = `query($policyId: String!) { policyActivationHistory(policyId: $policyId) { ${FIELDS} } }`;
const NODE = `query($id: ID!) { node(id: $id) { id ... on PolicyActivation { policyId confidenceBand } } }`;

const activation = (policyId: string, extra: Record<string, unknown> = {}) => ({
  policyId,
  sourcePatternId: 'pattern-timeouts',
  sourceRecoveryId: 'recovery-9',
  confidence: 0.9,
  approvalPath: 'auto',
  loopTraceId: 'loop-1',
  activatedAt: '2026-04-01T08:00:00.000Z',
  ...extra,
});

type Row = { tenant_id: string; confidence_at_activation: number; approval_path: string; activated_at: Date; confidence_version: string };
const rowsOf = (policyId: string, tenantId?: string) =>
  sql<Row>(
    env.db,
    `SELECT tenant_id, confidence_at_activation, approval_path, activated_at, confidence_version FROM policy_activation_audit
     WHERE policy_id = $1 AND ($2::text IS NULL OR tenant_id = $2) ORDER BY activated_at, id`,
    [policyId, tenantId ?? null],
  );

describe('recordPolicyActivation', () => {
  it('records an activation with the server-stamped confidence version and its band', async () => {
    const res = await gql(env.app, RECORD, { input: activation('pol-1') }, env.a.write);
    expect(res.errors).toBeUndefined();
    expect(res.data!.recordPolicyActivation).toMatchObject({
      created: true,
      policyActivation: { policyId: 'pol-1', confidenceAtActivation: 0.9, confidenceVersion: 'CONFIDENCE_V1', confidenceBand: 'STRONG_MATCH', approvalPath: 'auto' },
    });
    const node = await gql(env.app, NODE, { id: res.data!.recordPolicyActivation.policyActivation.id }, env.a.read);
    expect(node.data!.node).toMatchObject({ policyId: 'pol-1', confidenceBand: 'STRONG_MATCH' });
  });

  it('B6: activations in another tenant and later activations add history rows and leave earlier rows unchanged', async () => {
    const before = await rowsOf('pol-1', 'tenant-a');
    expect(before).toHaveLength(1);

    // The reference upserted on a global policy_id: tenant b would have overwritten tenant a's row.
    const b = await gql(env.app, RECORD, { input: activation('pol-1', { confidence: 0.5, approvalPath: 'human:bob' }) }, env.b.write);
    expect(b.errors).toBeUndefined();
    expect(await rowsOf('pol-1', 'tenant-a')).toEqual(before);
    expect(await rowsOf('pol-1', 'tenant-b')).toHaveLength(1);

    // ...and a second activation in tenant a would have replaced the first.
    const second = await gql(
      env.app,
      RECORD,
      { input: activation('pol-1', { confidence: 0.7, approvalPath: 'threshold', activatedAt: '2026-04-02T08:00:00.000Z' }) },
      env.a.write,
    );
    expect(second.data!.recordPolicyActivation.created).toBe(true);
    const after = await rowsOf('pol-1', 'tenant-a');
    expect(after).toHaveLength(2);
    expect(after[0]).toEqual(before[0]);
    expect(after[1]).toMatchObject({ confidence_at_activation: 0.7, approval_path: 'threshold' });

    const history = await gql(env.app, HISTORY, { policyId: 'pol-1' }, env.a.read);
    expect(history.data!.policyActivationHistory.map((h: any) => [h.approvalPath, h.confidenceBand])).toEqual([
      ['threshold', 'WEAK_MATCH'],
      ['auto', 'STRONG_MATCH'],
    ]);
    const historyB = await gql(env.app, HISTORY, { policyId: 'pol-1' }, env.b.read);
    expect(historyB.data!.policyActivationHistory.map((h: any) => [h.approvalPath, h.confidenceBand])).toEqual([['human:bob', 'NOVEL']]);
  });

  it('orders history newest first with ties broken by id, capped at 100', async () => {
    const same = '2026-05-01T00:00:00.000Z';
    for (let i = 0; i < 3; i++) await gql(env.app, RECORD, { input: activation('pol-tie', { activatedAt: same }) }, env.a.write);
    await gql(env.app, RECORD, { input: activation('pol-tie', { activatedAt: '2026-05-02T00:00:00.000Z' }) }, env.a.write);
    const ids = (await sql<{ id: string }>(env.db, `SELECT id FROM policy_activation_audit WHERE policy_id = 'pol-tie' AND activated_at = $1 ORDER BY id DESC`, [same])).map((r) => r.id);
    const history = (await gql(env.app, HISTORY, { policyId: 'pol-tie' }, env.a.read)).data!.policyActivationHistory;
    expect(history.map((h: any) => h.activatedAt)).toEqual(['2026-05-02T00:00:00.000Z', same, same, same]);
    expect(history.slice(1).map((h: any) => Buffer.from(h.id, 'base64').toString().split(':')[1])).toEqual(ids);

    const many = Array.from({ length: 101 }, (_, i) => ({ ...activation('pol-many'), activatedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) }));
    for (const input of many) await env.stores.policyActivations.record('tenant-a', input);
    const capped = (await gql(env.app, HISTORY, { policyId: 'pol-many' }, env.a.read)).data!.policyActivationHistory;
    expect(capped).toHaveLength(100);
    expect(capped[0].activatedAt).toBe('2026-01-01T00:01:40.000Z');
    expect(capped[99].activatedAt).toBe('2026-01-01T00:00:01.000Z');
  });

  it('returns the first row for a retry with the same idempotency key, even when activatedAt is left to the server', async () => {
    const input = activation('pol-idem', { idempotencyKey: 'act-1', activatedAt: undefined });
    const first = await gql(env.app, RECORD, { input }, env.a.write);
    const retry = await gql(env.app, RECORD, { input }, env.a.write);
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.recordPolicyActivation).toMatchObject({
      created: false,
      policyActivation: { id: first.data!.recordPolicyActivation.policyActivation.id, activatedAt: first.data!.recordPolicyActivation.policyActivation.activatedAt },
    });
    expect(await rowsOf('pol-idem')).toHaveLength(1);
  });

  it('answers CONFLICT for the same idempotency key with different content, and writes nothing', async () => {
    const res = await gql(env.app, RECORD, { input: activation('pol-idem', { idempotencyKey: 'act-1', confidence: 0.6 }) }, env.a.write);
    expect(codeOf(res)).toBe('CONFLICT');
    expect(res.errors![0]!.extensions!.fields).toEqual(expect.arrayContaining(['confidence', 'activatedAt']));
    expect(await rowsOf('pol-idem')).toHaveLength(1);
  });

  it('rejects a read-only key with FORBIDDEN', async () => {
    const res = await gql(env.app, RECORD, { input: activation('pol-ro') }, env.a.read);
    expect(codeOf(res)).toBe('FORBIDDEN');
    expect(await rowsOf('pol-ro')).toHaveLength(0);
  });
});

describe('recordPolicyActivation rejects bad input and writes nothing', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['confidence above 1', { confidence: 1.5 }, 'input.confidence'],
    ['negative confidence', { confidence: -0.01 }, 'input.confidence'],
    ['a malformed approval path', { approvalPath: 'human:' }, 'input.approvalPath'],
    ['an unknown approval path', { approvalPath: 'manual' }, 'input.approvalPath'],
    ['a missing sourcePatternId', { sourcePatternId: undefined }, 'Field "sourcePatternId" of required type'],
    ['a malformed activatedAt', { activatedAt: 'yesterday' }, 'input.activatedAt'],
  ];
  it.each(cases)('%s → BAD_USER_INPUT', async (name, patch, field) => {
    const policyId = `bad-${name.replaceAll(' ', '-')}`;
    const res = await gql(env.app, RECORD, { input: activation(policyId, patch) }, env.a.write);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors!.map((e) => `${e.message} ${JSON.stringify(e.extensions)}`).join('\n')).toContain(field);
    expect(await rowsOf(policyId)).toHaveLength(0);
  });

  it('keeps the same rules for callers of the store', async () => {
    await expect(env.stores.policyActivations.record('tenant-a', { ...activation('bad-store'), activatedAt: undefined, confidence: 1.5 })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(env.stores.policyActivations.record('tenant-a', { ...activation('bad-store'), activatedAt: undefined, approvalPath: 'human:a b' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await rowsOf('bad-store')).toHaveLength(0);
  });
});

describe('tenant isolation', () => {
  it("answers null and an empty history for another tenant's activations", async () => {
    const mine = await gql(env.app, RECORD, { input: activation('pol-only-a') }, env.a.write);
    const node = await gql(env.app, NODE, { id: mine.data!.recordPolicyActivation.policyActivation.id }, env.b.read);
    expect(node.errors).toBeUndefined();
    expect(node.data!.node).toBeNull();
    const history = await gql(env.app, HISTORY, { policyId: 'pol-only-a' }, env.b.read);
    expect(history.data!.policyActivationHistory).toEqual([]);
  });
});

describe('policy_activation_audit is append-only in the database', () => {
  it('rejects UPDATE and DELETE', async () => {
    const before = await rowsOf('pol-1', 'tenant-a');
    await expect(sql(env.db, `UPDATE policy_activation_audit SET confidence_at_activation = 0 WHERE policy_id = 'pol-1'`)).rejects.toThrow(/append-only/);
    await expect(sql(env.db, `DELETE FROM policy_activation_audit WHERE policy_id = 'pol-1'`)).rejects.toThrow(/append-only/);
    expect(await rowsOf('pol-1', 'tenant-a')).toEqual(before);
  });
});
