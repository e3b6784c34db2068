// The second tenancy wall: row-level security in Postgres. A store query that forgets its tenant
// filter, or raw SQL, still sees only the tenant in scope; outside any scope it sees nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, setup, sql, usingPostgres, type TestEnv } from '../helpers.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
  for (const [key, runId] of [[env.a.write, 'a-run'], [env.b.write, 'b-run']] as const) {
    await gql(env.app, `mutation($runId: String!) { startTrace(input: { runId: $runId }) { created } }`, { runId }, key);
    await gql(env.app, `mutation($t: String!) { recordTraceSteps(input: { steps: [{ traceId: $t, stepIndex: 0, skillName: "s", status: SUCCESS }] }) { createdCount } }`, { t: `trace_${runId}` }, key);
  }
});
afterAll(() => env?.close());

describe.runIf(usingPostgres)('row-level security (Postgres)', () => {
  it('a query with no tenant filter returns only the rows of the tenant in scope', async () => {
    const traces = await env.db.withTenant('tenant-a', () => env.db.prisma.trace.findMany({ select: { tenantId: true, traceId: true } }));
    expect(traces).toEqual([{ tenantId: 'tenant-a', traceId: 'trace_a-run' }]);
    const steps = await env.db.withTenant('tenant-b', () => env.db.prisma.$queryRaw<{ tenant_id: string }[]>`SELECT tenant_id FROM aos_trace_steps`);
    expect(steps).toEqual([{ tenant_id: 'tenant-b' }]);
  });

  it('outside a tenant scope nothing is visible, and the owner still sees everything', async () => {
    expect(await env.db.prisma.trace.count()).toBe(0);
    const [row] = await sql<{ n: number }>(env.db, 'SELECT count(*)::int AS n FROM aos_traces');
    expect(row!.n).toBe(2);
  });

  it("a write into another tenant's rows is refused by the policy", async () => {
    await expect(
      env.db.withTenant('tenant-a', () =>
        env.db.prisma.run.create({ data: { tenantId: 'tenant-b', runId: 'smuggled' } }),
      ),
    ).rejects.toThrow(/row-level security|policy/i);
    const updated = await env.db.withTenant('tenant-a', () =>
      env.db.prisma.run.updateMany({ where: { runId: 'b-run' }, data: { goal: 'hijacked' } }),
    );
    expect(updated.count).toBe(0);
    expect(await sql(env.db, `SELECT 1 FROM runs WHERE run_id = 'smuggled' OR goal = 'hijacked'`)).toHaveLength(0);
  });

  it('the tenant role cannot read API key hashes at all', async () => {
    await expect(env.db.withTenant('tenant-a', () => env.db.prisma.$queryRaw`SELECT secret_hash FROM api_keys`)).rejects.toThrow(/permission denied/i);
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
        env.db.transaction(async (tx) => (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM aos_traces'))[0]!.n, { admin }),
      );
    expect(await count(false)).toBe(1);
    expect(await count(true)).toBe(2);
  });
});

describe('the embedded database keeps working without the second wall', () => {
  it.runIf(!usingPostgres)('PGlite serves tenant-scoped queries as the single owner', async () => {
    const traces = await env.db.withTenant('tenant-a', () => env.db.prisma.trace.findMany({ where: { tenantId: 'tenant-a' }, select: { traceId: true } }));
    expect(traces).toEqual([{ traceId: 'trace_a-run' }]);
  });
});
