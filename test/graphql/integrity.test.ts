// verifyAuditLedger and verifyTrace: valid on untouched data, and each detects tampering done as
// the database owner with the protecting triggers switched off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, setup, sql, type TestEnv } from '../helpers.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
  for (let i = 0; i < 12; i++) {
    const res = await gql(env.app, `mutation($input: AppendAuditEntryInput!) { appendAuditEntry(input: $input) { created } }`, {
      input: { eventType: 'LIMIT_UPDATED', entityType: 'LIMIT', entityId: `limit-${i}`, actorType: 'SYSTEM', afterState: { max: i } },
    }, env.a.write);
    expect(res.errors).toBeUndefined();
  }
  await gql(env.app, `mutation($input: AppendAuditEntryInput!) { appendAuditEntry(input: $input) { created } }`, {
    input: { eventType: 'LIMIT_UPDATED', entityType: 'LIMIT', entityId: 'b-limit', actorType: 'SYSTEM' },
  }, env.b.write);
  await gql(env.app, `mutation { storeTrace(input: { runId: "verify-me", steps: [
    { stepIndex: 0, skillName: "a", status: SUCCESS, params: { q: 1 } }, { stepIndex: 1, skillName: "b", status: FAILURE } ] }) { created } }`, {}, env.a.write);
});
afterAll(() => env?.close());

const LEDGER = `query($from: DateTime, $to: DateTime) { verifyAuditLedger(from: $from, to: $to) { valid checkedCount firstSeq lastSeq headHash firstBreak { seq reason } } }`;
const TRACE = `query($traceId: String!) { verifyTrace(traceId: $traceId) { valid reason storedRootHash computedRootHash stepCount } }`;

/** Tampering as the owner: replica mode skips user triggers, which is exactly what an attacker with DB access could do. */
async function tamper(statement: string) {
  await env.db.withSession(async (s) => {
    await s.exec('SET session_replication_role = replica');
    try {
      await s.exec(statement);
    } finally {
      await s.exec('SET session_replication_role = DEFAULT');
    }
  });
}

describe('verifyAuditLedger', () => {
  it('accepts an untouched chain, per tenant', async () => {
    const res = await gql(env.app, LEDGER, {}, env.a.read);
    expect(res.data!.verifyAuditLedger).toMatchObject({ valid: true, checkedCount: 12, firstSeq: '1', lastSeq: '12', firstBreak: null });
    const b = await gql(env.app, LEDGER, {}, env.b.read);
    expect(b.data!.verifyAuditLedger).toMatchObject({ valid: true, checkedCount: 1 });
  });

  it('checks a time range anchored on the entry before it', async () => {
    const [{ created_at }] = await sql<any>(env.db, `SELECT created_at FROM audit_ledger WHERE tenant_id = 'tenant-a' AND seq = 5`);
    const res = await gql(env.app, LEDGER, { from: new Date(created_at).toISOString() }, env.a.read);
    expect(res.data!.verifyAuditLedger.valid).toBe(true);
    expect(Number(res.data!.verifyAuditLedger.firstSeq)).toBeLessThanOrEqual(5);
  });

  it('reports an edited entry as the first break, and a deleted one as a gap', async () => {
    await tamper(`UPDATE audit_ledger SET after_state = '{"max": 999}' WHERE tenant_id = 'tenant-a' AND seq = 7`);
    const edited = await gql(env.app, LEDGER, {}, env.a.read);
    expect(edited.data!.verifyAuditLedger).toMatchObject({ valid: false, firstBreak: { seq: '7', reason: 'HASH_MISMATCH' } });
    await tamper(`DELETE FROM audit_ledger WHERE tenant_id = 'tenant-a' AND seq = 3`);
    const gap = await gql(env.app, LEDGER, {}, env.a.read);
    expect(gap.data!.verifyAuditLedger).toMatchObject({ valid: false, firstBreak: { seq: '4', reason: 'SEQ_GAP' } });
    // Tenant b's chain is untouched.
    expect((await gql(env.app, LEDGER, {}, env.b.read)).data!.verifyAuditLedger.valid).toBe(true);
  });
});

describe('verifyTrace', () => {
  it('accepts a finished trace and detects a tampered step', async () => {
    const ok = await gql(env.app, TRACE, { traceId: 'trace_verify-me' }, env.a.read);
    expect(ok.data!.verifyTrace).toMatchObject({ valid: true, reason: 'OK', stepCount: 2 });
    expect(ok.data!.verifyTrace.computedRootHash).toBe(ok.data!.verifyTrace.storedRootHash);
    await tamper(`UPDATE aos_trace_steps SET status = 'success' WHERE tenant_id = 'tenant-a' AND trace_id = 'trace_verify-me' AND step_index = 1`);
    const bad = await gql(env.app, TRACE, { traceId: 'trace_verify-me' }, env.a.read);
    expect(bad.data!.verifyTrace).toMatchObject({ valid: false, reason: 'ROOT_HASH_MISMATCH' });
  });

  it('a running trace is not yet verifiable, and another tenant sees nothing', async () => {
    await gql(env.app, `mutation { startTrace(input: { runId: "still-running" }) { created } }`, {}, env.a.write);
    const running = await gql(env.app, TRACE, { traceId: 'trace_still-running' }, env.a.read);
    expect(running.data!.verifyTrace).toMatchObject({ valid: false, reason: 'NOT_FINAL', storedRootHash: null });
    const other = await gql(env.app, TRACE, { traceId: 'trace_verify-me' }, env.b.read);
    expect(other.data!.verifyTrace).toBeNull();
  });
});
