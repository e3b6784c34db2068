// The demo seed: what a new user sees first must be real, consistent data written by the rules.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/demo/seed.ts';
import { traceRootHash } from '../src/domain/trace.ts';
import { codeOf, gql, setup, sql, type TestEnv } from './helpers.ts';

let env: TestEnv;
let key: string;
beforeAll(async () => {
  env = await setup();
  key = (await seedDemo(env.stores)).apiKey;
});
afterAll(() => env?.close());

describe('demo seed', () => {
  it('prints a key that works for reads and writes in the demo tenant', async () => {
    const res = await gql(env.app, `query { viewer { tenant { id } scopes } }`, {}, key);
    expect(res.data!.viewer.tenant).toEqual({ id: 'demo' });
    expect([...res.data!.viewer.scopes].sort()).toEqual(['ADMIN', 'READ', 'WRITE']);
    const write = await gql(env.app, `mutation { startTrace(input: { runId: "demo-check" }) { created } }`, {}, key);
    expect(write.data!.startTrace.created).toBe(true);
  });

  it('holds runs with traces of tens of steps, failures, an incident, ledger entries and a policy activation', async () => {
    const [counts] = await sql<any>(env.db, `SELECT
      (SELECT count(*)::int FROM aos_traces WHERE tenant_id = 'demo' AND run_id LIKE 'run-%') AS traces,
      (SELECT count(*)::int FROM aos_traces WHERE tenant_id = 'demo' AND status = 'failed') AS failed,
      (SELECT count(*)::int FROM aos_traces WHERE tenant_id = 'demo' AND run_id LIKE 'run-%' AND status = 'running') AS running,
      (SELECT min(c)::int FROM (SELECT count(*) c FROM aos_trace_steps WHERE tenant_id = 'demo' GROUP BY trace_id HAVING count(*) > 2) s) AS min_steps,
      (SELECT count(*)::int FROM aos_trace_steps WHERE tenant_id = 'demo' AND status = 'failure') AS failed_steps,
      (SELECT count(*)::int FROM incidents WHERE tenant_id = 'demo') AS incidents,
      (SELECT count(*)::int FROM audit_ledger WHERE tenant_id = 'demo') AS ledger,
      (SELECT count(*)::int FROM policy_activation_audit WHERE tenant_id = 'demo') AS activations,
      (SELECT count(*)::int FROM llm_run_records WHERE tenant_id = 'demo') AS llm_runs,
      (SELECT count(*)::int FROM log_exports WHERE tenant_id = 'demo' AND status = 'completed') AS exports`);
    expect(counts).toMatchObject({ traces: 7, failed: 1, running: 1, incidents: 1, activations: 1, llm_runs: 6, exports: 1 });
    expect(counts.min_steps).toBeGreaterThanOrEqual(10);
    expect(counts.failed_steps).toBeGreaterThanOrEqual(1);
    expect(counts.ledger).toBeGreaterThanOrEqual(3); // two appended + the incident acknowledgement
  });

  it('stored its sample secrets redacted and every finished trace verifies', async () => {
    const dump = JSON.stringify(await sql(env.db, `SELECT params FROM aos_trace_steps WHERE tenant_id = 'demo'`));
    expect(dump).not.toMatch(/jane\.doe@example\.com|sk-demo-|4111 1111/);
    const traces = await sql<any>(env.db, `SELECT trace_id, seed, frozen_timestamp, started_at, tenant_id, root_hash FROM aos_traces WHERE tenant_id = 'demo' AND status <> 'running'`);
    for (const t of traces) {
      const steps = await sql<any>(env.db, `SELECT step_index, skill_id, input_hash, output_hash, rng_state_before, status::text, idempotency_key, replay_behavior::text FROM aos_trace_steps WHERE tenant_id = 'demo' AND trace_id = $1`, [t.trace_id]);
      const recomputed = traceRootHash(
        { seed: t.seed === null ? null : BigInt(t.seed), frozenTimestamp: t.frozen_timestamp, startedAt: new Date(t.started_at), tenantId: t.tenant_id },
        steps.map((r) => ({ stepIndex: r.step_index, skillId: r.skill_id, inputHash: r.input_hash, outputHash: r.output_hash, rngStateBefore: r.rng_state_before, status: r.status, idempotencyKey: r.idempotency_key, replayBehavior: r.replay_behavior })),
      );
      expect(t.root_hash, t.trace_id).toBe(recomputed);
    }
  });

  it('a second start mints a new key, revokes the old one and adds no duplicate data', async () => {
    const second = await seedDemo(env.stores);
    expect(second.apiKey).not.toBe(key);
    expect(codeOf(await gql(env.app, `query { viewer { keyId } }`, {}, key))).toBe('UNAUTHENTICATED');
    const [{ n }] = await sql<any>(env.db, `SELECT count(*)::int AS n FROM aos_traces WHERE tenant_id = 'demo'`);
    expect(n).toBe(8); // 7 seeded + the one the first test started
    key = second.apiKey;
  });

  it('with a key file (the embedded demo) keeps printing the same key until it is revoked', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aos-demo-key-'));
    try {
      const keyFile = join(dir, 'demo-key');
      const first = await seedDemo(env.stores, { keyFile });
      expect(first.reused).toBe(false);
      // Only the owner may read the secret.
      expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
      expect((await readFile(keyFile, 'utf8')).trim()).toBe(first.apiKey);

      const restarted = await seedDemo(env.stores, { keyFile });
      expect(restarted).toEqual({ ...first, reused: true });
      expect(codeOf(await gql(env.app, `query { viewer { keyId } }`, {}, first.apiKey))).toBeUndefined();

      await env.stores.tenants.revokeKey(first.apiKey.split('_')[1]!);
      const afterRevoke = await seedDemo(env.stores, { keyFile });
      expect(afterRevoke.reused).toBe(false);
      expect(afterRevoke.apiKey).not.toBe(first.apiKey);
      expect((await readFile(keyFile, 'utf8')).trim()).toBe(afterRevoke.apiKey);
      key = afterRevoke.apiKey;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
