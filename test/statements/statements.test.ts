// The statement audit's two halves, each shown to work: the log receives what the stores send
// (and not what a test sends itself), and the check tells a tenant-routable statement from one
// that is not.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, sql, type TestEnv } from '../helpers.ts';
import { tenantFilterProblem } from './tenant-filter.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env?.close());

describe('the statement log', () => {
  it.runIf(process.env.AOS_STATEMENT_LOG_DIR)('holds the statements of the stores, not those a test sends itself', async () => {
    await env.stores.tenants.authenticate('aos_nosuchkey0_x');
    await sql(env.db, `SELECT 'test-own-statement-7f3a' AS probe`);
    const log = readFileSync(join(process.env.AOS_STATEMENT_LOG_DIR!, `${process.pid}.jsonl`), 'utf8');
    expect(log).toMatch(/api_keys/);
    expect(log).not.toMatch(/test-own-statement-7f3a/);
  });
});

describe('the tenant-filter check', () => {
  it.each([
    `SELECT * FROM aos_traces t WHERE t.tenant_id = $1 AND t.trace_id = $2`,
    `SELECT * FROM aos_trace_steps s WHERE s.tenant_id = ANY($1::text[])`,
    `UPDATE incidents i SET title = $1 WHERE i.tenant_id = $2 AND i.id = $3::uuid`,
    `INSERT INTO runs (tenant_id, run_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
    `SELECT * FROM api_keys WHERE key_id = $1`,
    `/* cross-tenant: the reaper's work list */ SELECT tenant_id, trace_id FROM aos_traces WHERE status = 'running'`,
    `BEGIN`,
    `SELECT "public"."aos_traces"."tenant_id" FROM "public"."aos_traces" WHERE "public"."aos_traces"."tenant_id" IN ($1,$2) OFFSET $3`,
  ])('accepts %s', (statement) => {
    expect(tenantFilterProblem(statement)).toBeNull();
  });

  it.each([
    [`SELECT * FROM aos_traces WHERE trace_id = $1`, /reads aos_traces without a tenant_id condition/],
    [`UPDATE log_exports e SET status = 'failed' WHERE e.id = $1::uuid`, /reads log_exports/],
    [`SELECT s.* FROM aos_traces t JOIN aos_trace_steps s ON s.tenant_id = t.tenant_id WHERE t.id = $1`, /reads aos_traces, aos_trace_steps/],
    [`INSERT INTO audit_ledger (id, seq) VALUES ($1, $2)`, /INSERT INTO audit_ledger without tenant_id/],
    [`DELETE FROM aos_trace_steps WHERE recorded_at < $1`, /reads aos_trace_steps/],
    [`SELECT "public"."aos_traces"."trace_id" FROM "public"."aos_traces" WHERE 1=1 OFFSET $1`, /reads aos_traces/],
  ])('refuses %s', (statement, problem) => {
    expect(tenantFilterProblem(statement)).toMatch(problem);
  });
});
