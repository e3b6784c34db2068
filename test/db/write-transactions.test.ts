// The write paths run as driver transactions (db.transaction): a statement that fails after
// others of the same transaction took effect must leave nothing behind, and the fail-closed
// abort of a failed completion must not overwrite a completion that got in meanwhile (the status
// guard trigger refuses any move out of a final state).
// Faults are real database errors, injected by the owner with a trigger.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setup, sql, usingPostgres, type TestEnv } from '../helpers.ts';
import { asTestStatement } from '../statements/log.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env?.close());

/** A BEFORE trigger on `table` that raises when `condition` (over NEW) holds; dropped after each test. */
const faults: { name: string; table: string }[] = [];
let faultCount = 0;
async function injectFault(table: string, operation: 'INSERT' | 'UPDATE', condition: string) {
  const name = `test_fault_${faultCount++}`;
  await sql(env.db, `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF ${condition} THEN RAISE EXCEPTION 'simulated storage fault'; END IF; RETURN NEW; END $$`);
  await sql(env.db, `CREATE TRIGGER ${name} BEFORE ${operation} ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`);
  faults.push({ name, table });
}
afterEach(async () => {
  for (const { name, table } of faults.splice(0)) {
    await sql(env.db, `DROP TRIGGER ${name} ON ${table}`);
    await sql(env.db, `DROP FUNCTION ${name}()`);
  }
});

const count = async (table: string, where: string, params: unknown[]) =>
  (await sql<{ n: number }>(env.db, `SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params))[0]!.n;

describe('a transaction that fails part-way leaves nothing', () => {
  it('storeTrace whose step insert fails stores neither the trace nor its new run', async () => {
    await injectFault('aos_trace_steps', 'INSERT', `NEW.trace_id = 'trace_doomed'`);
    const input = { runId: 'doomed', steps: [{ stepIndex: 0, skillName: 's', status: 'success' as const }] };
    await expect(env.stores.traces.store(env.a.tenantId, input, 'tester')).rejects.toThrow(/simulated storage fault/);
    expect(await count('aos_traces', `trace_id = 'trace_doomed'`, [])).toBe(0);
    expect(await count('runs', `run_id = 'doomed'`, [])).toBe(0);
  });

  it('an acknowledgement whose ledger entry fails leaves the incident ACTIVE and the ledger unchanged', async () => {
    const incident = await env.stores.incidents.open(env.a.tenantId, { title: 't', severity: 'high', causeType: 'SYSTEM', triggerType: 'manual' });
    const ledgerBefore = await count('audit_ledger', 'tenant_id = $1', [env.a.tenantId]);
    await injectFault('audit_ledger', 'INSERT', `NEW.entity_id = '${incident.id}'`);
    await expect(env.stores.incidents.acknowledge(env.a.tenantId, incident.id, 'alice')).rejects.toThrow(/simulated storage fault/);
    const [row] = await sql<{ lifecycle_state: string; acknowledged_by: string | null }>(
      env.db,
      'SELECT lifecycle_state::text, acknowledged_by FROM incidents WHERE id = $1',
      [incident.id],
    );
    expect(row).toEqual({ lifecycle_state: 'ACTIVE', acknowledged_by: null });
    expect(await count('audit_ledger', 'tenant_id = $1', [env.a.tenantId])).toBe(ledgerBefore);
  });
});

// Needs two sessions at once; PGlite has one, so the race cannot happen there.
describe.skipIf(!usingPostgres)('concurrent completion', () => {
  it("a failed completion's fail-closed abort does not overwrite a concurrent completion that got in meanwhile", async () => {
    const { tenantId } = env.a;
    await env.stores.traces.start(tenantId, { runId: 'race' });
    await injectFault('aos_traces', 'UPDATE', `NEW.trace_id = 'trace_race' AND NEW.status = 'completed'`);
    const waiting = async () =>
      (await sql<{ n: number }>(env.db, `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`))[0]!.n;
    const until = async (n: number) => {
      while ((await waiting()) < n) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    // Hold the trace's row lock, queue the failing completion first and the good one behind it, then let go:
    // the failing one runs first, and its fail-closed abort starts while the good one holds the lock.
    const [failing, good] = await env.db.withSession(async (holder) => {
      await holder.query('BEGIN');
      await asTestStatement(() => holder.query(`SELECT 1 FROM aos_traces WHERE trace_id = 'trace_race' FOR UPDATE`));
      const failing = env.stores.traces.complete(tenantId, 'trace_race', 'completed').then(
        () => 'completed',
        (error: Error) => error.message,
      );
      await until(1);
      const good = env.stores.traces.complete(tenantId, 'trace_race', 'failed');
      await until(2);
      await holder.query('COMMIT');
      return Promise.all([failing, good]);
    });
    expect(failing).toMatch(/simulated storage fault/);
    expect(good.status).toBe('failed');
    const [row] = await sql<{ status: string; abort_reason: string | null }>(
      env.db,
      `SELECT status::text, metadata->>'abort_reason' AS abort_reason FROM aos_traces WHERE trace_id = 'trace_race'`,
    );
    expect(row).toEqual({ status: 'failed', abort_reason: null });
  });
});
