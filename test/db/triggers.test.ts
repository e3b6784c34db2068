// The database is the last wall (DESIGN D6, D7; reference §2.1, B10, B15): even the table owner,
// writing SQL by hand, cannot rewrite history. Every statement here bypasses the stores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, sql, type TestEnv } from '../helpers.ts';

let env: TestEnv;
let tenant: string;
beforeAll(async () => {
  env = await setup();
  tenant = env.a.tenantId;
});
afterAll(() => env?.close());

const run = (text: string, params: unknown[] = []) => sql(env.db, text, params);
const one = async <T,>(text: string, params: unknown[] = []) => (await sql<T>(env.db, text, params))[0]!;

/** A running trace with two steps, created the normal way. */
async function traceWithSteps(runId: string): Promise<string> {
  const { trace } = await env.stores.traces.start(tenant, { runId });
  await env.stores.traces.recordSteps(tenant, [
    { traceId: trace.traceId, stepIndex: 0, skillName: 'search', status: 'success' },
    { traceId: trace.traceId, stepIndex: 1, skillName: 'summarise', status: 'failure' },
  ]);
  return trace.traceId;
}

describe('append-only tables', () => {
  const inserts: Record<string, string> = {
    llm_run_records: `INSERT INTO llm_run_records (tenant_id, run_id, provider, model, execution_status, started_at, source)
                      VALUES ($1, 'llm-1', 'openai', 'gpt', 'SUCCEEDED', now(), 'SDK') RETURNING id`,
    system_records: `INSERT INTO system_records (tenant_id, component, event_type, severity, summary)
                     VALUES ($1, 'worker', 'STARTUP', 'INFO', 'worker up') RETURNING id`,
    // No tenant column: $1 only names the tenant in the summary.
    global_system_records: `INSERT INTO global_system_records (component, event_type, severity, summary)
                            VALUES ('api', 'DEPLOY', 'INFO', 'deployed, seen by ' || $1::text) RETURNING id`,
    audit_ledger: `INSERT INTO audit_ledger (tenant_id, seq, event_type, entity_type, entity_id, actor_type, prev_hash, entry_hash)
                   VALUES ($1, 1, 'LimitCreated', 'LIMIT', 'limit-1', 'HUMAN', repeat('0', 64), repeat('a', 64)) RETURNING id`,
    policy_activation_audit: `INSERT INTO policy_activation_audit (tenant_id, policy_id, source_pattern_id, confidence_at_activation, confidence_version, approval_path, activated_at)
                              VALUES ($1, 'policy-1', 'pattern-1', 0.9, 'v1', 'auto', now()) RETURNING id`,
  };

  for (const [table, insert] of Object.entries(inserts)) {
    it(`${table}: UPDATE, DELETE and TRUNCATE are rejected`, async () => {
      const { id } = await one<{ id: string }>(insert, [tenant]);
      await expect(run(`UPDATE ${table} SET created_at = now() - interval '1 day' WHERE id = $1`, [id])).rejects.toThrow(/append-only: UPDATE rejected/);
      await expect(run(`DELETE FROM ${table} WHERE id = $1`, [id])).rejects.toThrow(/append-only: DELETE rejected/);
      await expect(run(`TRUNCATE ${table}`)).rejects.toThrow(/append-only: TRUNCATE rejected/);
      expect(await run(`SELECT 1 FROM ${table} WHERE id = $1`, [id])).toHaveLength(1);
    });
  }
});

describe('trace steps', () => {
  it('allow only archived_at to be set, once, and are not deleted on their own', async () => {
    const traceId = await traceWithSteps('steps-guard');
    const where = `tenant_id = $1 AND trace_id = $2 AND step_index = 0`;
    for (const change of [`skill_name = 'other'`, `params = '{"x":1}'`, `status = 'failure'`, `recorded_at = now() - interval '1 hour'`]) {
      await expect(run(`UPDATE aos_trace_steps SET ${change} WHERE ${where}`, [tenant, traceId])).rejects.toThrow(/insert-only: only archived_at may be set, once/);
    }
    await expect(run(`UPDATE aos_trace_steps SET archived_at = now(), skill_name = 'other' WHERE ${where}`, [tenant, traceId])).rejects.toThrow(/only archived_at/);
    await run(`UPDATE aos_trace_steps SET archived_at = now() WHERE ${where}`, [tenant, traceId]);
    await expect(run(`UPDATE aos_trace_steps SET archived_at = now() + interval '1 day' WHERE ${where}`, [tenant, traceId])).rejects.toThrow(/only archived_at may be set, once/);
    await expect(run(`DELETE FROM aos_trace_steps WHERE ${where}`, [tenant, traceId])).rejects.toThrow(/insert-only: delete the archived trace instead/);
    await expect(run(`TRUNCATE aos_trace_steps CASCADE`)).rejects.toThrow(/TRUNCATE rejected/);
    expect(await run(`SELECT 1 FROM aos_trace_steps WHERE tenant_id = $1 AND trace_id = $2`, [tenant, traceId])).toHaveLength(2);
  });
});

describe('traces', () => {
  const where = `tenant_id = $1 AND trace_id = $2`;
  const finish = (status: string) => `UPDATE aos_traces SET status = '${status}', completed_at = now() WHERE tenant_id = $1 AND trace_id = $2`;
  const status = async (traceId: string) => (await one<{ status: string }>(`SELECT status::text AS status FROM aos_traces WHERE ${where}`, [tenant, traceId])).status;

  it('move only from running to a final state, and a final state is final (B15)', async () => {
    const completed = await traceWithSteps('status-completed');
    await run(finish('completed'), [tenant, completed]);
    expect(await status(completed)).toBe('completed');
    await expect(run(`UPDATE aos_traces SET status = 'running', completed_at = NULL WHERE ${where}`, [tenant, completed])).rejects.toThrow(
      /status may only move from running to completed, failed or aborted \(was completed, asked running\)/,
    );
    await expect(run(finish('aborted'), [tenant, completed])).rejects.toThrow(/status may only move.*was completed, asked aborted/);
    await expect(run(`UPDATE aos_traces SET metadata = '{"late":true}' WHERE ${where}`, [tenant, completed])).rejects.toThrow(/metadata is fixed once the trace is final/);

    // The reference let a completion overwrite an abort.
    const aborted = await traceWithSteps('status-aborted');
    await run(finish('aborted'), [tenant, aborted]);
    await expect(run(finish('completed'), [tenant, aborted])).rejects.toThrow(/status may only move.*was aborted, asked completed/);
    expect(await status(aborted)).toBe('aborted');
  });

  it('keep identity and plan fixed and accept the root hash once', async () => {
    const traceId = await traceWithSteps('identity');
    await expect(run(`UPDATE aos_traces SET tenant_id = $3 WHERE ${where}`, [tenant, traceId, env.b.tenantId])).rejects.toThrow(/tenant_id is immutable/);
    await expect(run(`UPDATE aos_traces SET trace_id = 'renamed' WHERE ${where}`, [tenant, traceId])).rejects.toThrow(/trace_id is immutable/);
    await expect(run(`UPDATE aos_traces SET plan = '[{"skill":"other"}]' WHERE ${where}`, [tenant, traceId])).rejects.toThrow(/plan is immutable/);
    await run(`UPDATE aos_traces SET root_hash = repeat('a', 64) WHERE ${where}`, [tenant, traceId]);
    await expect(run(`UPDATE aos_traces SET root_hash = repeat('b', 64) WHERE ${where}`, [tenant, traceId])).rejects.toThrow(/root_hash may be set once/);
    const row = await one<{ root_hash: string; tenant_id: string; trace_id: string }>(`SELECT root_hash, tenant_id, trace_id FROM aos_traces WHERE ${where}`, [tenant, traceId]);
    expect(row).toEqual({ root_hash: 'a'.repeat(64), tenant_id: tenant, trace_id: traceId });
  });

  it('are deleted only once archived, and then take their steps with them', async () => {
    const traceId = await traceWithSteps('delete');
    await expect(run(`DELETE FROM aos_traces WHERE ${where}`, [tenant, traceId])).rejects.toThrow(/only archived traces may be deleted/);
    await expect(run(`TRUNCATE aos_traces CASCADE`)).rejects.toThrow(/TRUNCATE rejected/);
    await run(`UPDATE aos_traces SET archived_at = now() WHERE ${where}`, [tenant, traceId]);
    await run(`DELETE FROM aos_traces WHERE ${where}`, [tenant, traceId]);
    expect(await run(`SELECT 1 FROM aos_traces WHERE ${where}`, [tenant, traceId])).toHaveLength(0);
    expect(await run(`SELECT 1 FROM aos_trace_steps WHERE ${where}`, [tenant, traceId])).toHaveLength(0);
  });
});

describe('incidents', () => {
  const insert = `INSERT INTO incidents (tenant_id, title, severity, cause_type, trigger_type) VALUES ($1, 'cost spike', 'high', 'LLM_RUN', 'budget') RETURNING id`;

  it('move ACTIVE → ACKED → RESOLVED, and a resolved incident is final', async () => {
    const { id } = await one<{ id: string }>(insert, [tenant]);
    await run(`UPDATE incidents SET lifecycle_state = 'ACKED', acknowledged_at = now(), acknowledged_by = 'ops' WHERE id = $1`, [id]);
    await expect(run(`UPDATE incidents SET title = 'renamed' WHERE id = $1`, [id])).rejects.toThrow(/title is immutable/);
    await expect(run(`UPDATE incidents SET lifecycle_state = 'ACTIVE' WHERE id = $1`, [id])).rejects.toThrow(/lifecycle may not move from ACKED to ACTIVE/);
    await run(`UPDATE incidents SET lifecycle_state = 'RESOLVED', resolved_at = now(), resolved_by = 'ops' WHERE id = $1`, [id]);
    await expect(run(`UPDATE incidents SET lifecycle_state = 'ACTIVE', resolved_at = NULL WHERE id = $1`, [id])).rejects.toThrow(/resolved incident is final/);
    expect(await one(`SELECT lifecycle_state::text AS state FROM incidents WHERE id = $1`, [id])).toEqual({ state: 'RESOLVED' });
  });

  it('are never deleted', async () => {
    const { id } = await one<{ id: string }>(insert, [tenant]);
    await expect(run(`DELETE FROM incidents WHERE id = $1`, [id])).rejects.toThrow(/never deleted/);
    expect(await run(`SELECT 1 FROM incidents WHERE id = $1`, [id])).toHaveLength(1);
  });
});

describe('log exports', () => {
  const insert = `INSERT INTO log_exports (tenant_id, scope, format, origin, requested_by) VALUES ($1, 'audit', 'json', 'HUMAN', 'auditor') RETURNING id`;

  it('make one transition pending → completed and are otherwise immutable (B10)', async () => {
    const { id } = await one<{ id: string }>(insert, [tenant]);
    await expect(run(`UPDATE log_exports SET scope = 'system' WHERE id = $1`, [id])).rejects.toThrow(/only one transition pending → completed\|failed/);
    await run(`UPDATE log_exports SET status = 'completed', checksum = repeat('c', 64), delivered_at = now() WHERE id = $1`, [id]);
    await expect(run(`UPDATE log_exports SET status = 'failed', failure_reason = 'late' WHERE id = $1`, [id])).rejects.toThrow(
      /only one transition pending → completed\|failed is allowed \(was completed, asked failed\)/,
    );
    await expect(run(`DELETE FROM log_exports WHERE id = $1`, [id])).rejects.toThrow(/append-only: DELETE rejected/);
    expect(await one(`SELECT status::text AS status, scope::text AS scope FROM log_exports WHERE id = $1`, [id])).toEqual({ status: 'completed', scope: 'audit' });
  });
});
