// The second tenancy wall: row-level security in Postgres. A store query that forgets its tenant
// filter, or raw SQL, still sees only the tenant in scope; outside any scope it sees nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, setup, sql, usingPostgres, type TestEnv } from '../helpers.ts';
import { asTestStatement } from '../statements/log.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
  for (const [key, runId] of [[env.a.write, 'a-run'], [env.b.write, 'b-run']] as const) {
    await gql(env.app, `mutation($runId: String!) { startTrace(input: { runId: $runId }) { created } }`, { runId }, key);
    await gql(env.app, `mutation($t: String!) { recordTraceSteps(input: { steps: [{ traceId: $t, stepIndex: 0, skillName: "s", status: SUCCESS }] }) { createdCount } }`, { t: `trace_${runId}` }, key);
  }
});
afterAll(() => env?.close());

/**
 * SQL as the tenant in scope, through the tenant pools every store uses. Deliberately unfiltered,
 * so it is the test's own statement, not one for the statement audit.
 */
const asTenant = <T,>(tenantId: string | null, text: string, values: unknown[] = []) =>
  asTestStatement(() => (tenantId === null ? env.db.query<T>(text, values) : env.db.withTenant(tenantId, () => env.db.query<T>(text, values))));

describe.runIf(usingPostgres)('row-level security (Postgres)', () => {
  it('a query with no tenant filter returns only the rows of the tenant in scope', async () => {
    expect(await asTenant('tenant-a', 'SELECT tenant_id, trace_id FROM aos_traces')).toEqual([{ tenant_id: 'tenant-a', trace_id: 'trace_a-run' }]);
    expect(await asTenant('tenant-b', 'SELECT tenant_id FROM aos_trace_steps')).toEqual([{ tenant_id: 'tenant-b' }]);
  });

  it('outside a tenant scope nothing is visible, and the owner still sees everything', async () => {
    expect(await asTenant(null, 'SELECT count(*)::int AS n FROM aos_traces')).toEqual([{ n: 0 }]);
    const [row] = await sql<{ n: number }>(env.db, 'SELECT count(*)::int AS n FROM aos_traces');
    expect(row!.n).toBe(2);
  });

  it("a write into another tenant's rows is refused by the policy", async () => {
    await expect(asTenant('tenant-a', `INSERT INTO runs (tenant_id, run_id) VALUES ('tenant-b', 'smuggled')`)).rejects.toThrow(/row-level security|policy/i);
    await asTenant('tenant-a', `UPDATE runs SET goal = 'hijacked' WHERE run_id = 'b-run'`);
    expect(await sql(env.db, `SELECT 1 FROM runs WHERE run_id = 'smuggled' OR goal = 'hijacked'`)).toHaveLength(0);
  });

  it('global system records: every tenant, and a session with none, reads them all; no tenant writes one', async () => {
    await env.stores.systemRecords.recordGlobal({ component: 'api', eventType: 'DEPLOY', severity: 'INFO', summary: 'rls global' });
    const [{ n: all } = { n: -1 }] = await sql<{ n: number }>(env.db, 'SELECT count(*)::int AS n FROM global_system_records');
    expect(all).toBeGreaterThan(0);
    for (const tenant of ['tenant-a', 'tenant-b', null]) {
      expect(await asTenant(tenant, 'SELECT count(*)::int AS n FROM global_system_records')).toEqual([{ n: all }]);
    }
    await expect(asTenant('tenant-a', `INSERT INTO global_system_records (component, event_type, severity, summary) VALUES ('api', 'DEPLOY', 'INFO', 'forged')`)).rejects.toThrow(
      /permission denied/i,
    );
    await expect(asTenant('tenant-a', `INSERT INTO system_records (tenant_id, component, event_type, severity, summary) VALUES (NULL, 'api', 'DEPLOY', 'INFO', 'forged')`)).rejects.toThrow(
      /null value|row-level security|policy/i,
    );
    await expect(asTenant('tenant-a', `DELETE FROM global_system_records`)).rejects.toThrow(/permission denied/i);
    expect(await sql(env.db, `SELECT 1 FROM global_system_records WHERE summary = 'forged'`)).toHaveLength(0);
  });

  it('the tenant role cannot read API key hashes at all', async () => {
    await expect(asTenant('tenant-a', 'SELECT secret_hash FROM api_keys')).rejects.toThrow(/permission denied/i);
  });

  it("Prisma's client (the operator's bulk transfer) is scoped the same way", async () => {
    const traces = await asTestStatement(() => env.db.withTenant('tenant-a', () => env.db.prisma.trace.findMany({ where: { tenantId: { in: ['tenant-a', 'tenant-b'] } }, select: { tenantId: true } })));
    expect(traces).toEqual([{ tenantId: 'tenant-a' }]);
  });
});

describe('driver transactions (db.transaction)', () => {
  it('commits when the work resolves and rolls back everything when it throws', async () => {
    await env.db.withTenant('tenant-a', () =>
      env.db.transaction(async (tx) => {
        await tx.query(`INSERT INTO runs (tenant_id, run_id) VALUES ('tenant-a', 'tx-kept')`);
      }),
    );
    await expect(
      env.db.withTenant('tenant-a', () =>
        env.db.transaction(async (tx) => {
          await tx.query(`INSERT INTO runs (tenant_id, run_id) VALUES ('tenant-a', 'tx-dropped')`);
          throw new Error('changed my mind');
        }),
      ),
    ).rejects.toThrow('changed my mind');
    const rows = await sql<{ run_id: string }>(env.db, `SELECT run_id FROM runs WHERE run_id LIKE 'tx-%' ORDER BY run_id`);
    expect(rows.map((r) => r.run_id)).toEqual(['tx-kept']);
  });

  it('runs at the isolation level asked for', async () => {
    const [row] = await env.db.transaction((tx) => tx.query<{ level: string }>(`SELECT current_setting('transaction_isolation') AS level`), {
      isolation: 'repeatable read',
    });
    expect(row!.level).toBe('repeatable read');
  });

  it.runIf(usingPostgres)('is tenant-scoped by default and sees every tenant only as admin', async () => {
    const count = (admin: boolean) =>
      env.db.withTenant('tenant-b', () =>
        asTestStatement(() => env.db.transaction(async (tx) => (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM aos_traces'))[0]!.n, { admin })),
      );
    expect(await count(false)).toBe(1);
    expect(await count(true)).toBe(2);
  });
});

describe('the embedded database keeps working without the second wall', () => {
  it.runIf(!usingPostgres)('PGlite serves tenant-scoped queries as the single owner', async () => {
    expect(await env.db.withTenant('tenant-a', () => env.db.query(`SELECT trace_id FROM aos_traces WHERE tenant_id = 'tenant-a'`))).toEqual([{ trace_id: 'trace_a-run' }]);
  });
});
