// Retention (issue 6, reference §2.6): soft archival of old final traces with their steps, then
// deletion of archived ones, per tenant, in batches that commit, recorded as a system record.
// Ages are measured from `asOf`, moved forward instead of back-dating the data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRetention } from '../../src/cli/retention.ts';
import { gql, setup, sql, type TestEnv } from '../helpers.ts';

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY);

let env: TestEnv;
let a: string;
let b: string;
type Snapshot = { trace_id: string; row: Record<string, unknown> };
let before: Snapshot[];

/** Every column but archived_at of every trace and step of a tenant, as JSON. */
const rowsOf = (tenant: string) =>
  sql<Snapshot>(env.db, `SELECT trace_id, to_jsonb(t) - 'archived_at' AS row FROM aos_traces t WHERE tenant_id = $1
                         UNION ALL SELECT trace_id, to_jsonb(s) - 'archived_at' FROM aos_trace_steps s WHERE tenant_id = $1 ORDER BY 1, 2`, [tenant]);

const evidence = async (tenant: string) =>
  (await sql<Record<string, number>>(env.db, `SELECT
    (SELECT count(*)::int FROM llm_run_records WHERE tenant_id = $1) AS llm,
    (SELECT count(*)::int FROM audit_ledger WHERE tenant_id = $1) AS ledger,
    (SELECT count(*)::int FROM policy_activation_audit WHERE tenant_id = $1) AS activations,
    (SELECT count(*)::int FROM system_records WHERE tenant_id = $1 AND NOT (details ? 'operation')) AS system,
    (SELECT count(*)::int FROM incidents WHERE tenant_id = $1) AS incidents`, [tenant]))[0]!;

const archived = (tenant: string) =>
  sql<{ traces: number; steps: number; live: number }>(env.db, `SELECT
    (SELECT count(*)::int FROM aos_traces WHERE tenant_id = $1 AND archived_at IS NOT NULL) AS traces,
    (SELECT count(*)::int FROM aos_trace_steps WHERE tenant_id = $1 AND archived_at IS NOT NULL) AS steps,
    (SELECT count(*)::int FROM aos_traces WHERE tenant_id = $1 AND archived_at IS NULL) AS live`, [tenant]).then((r) => r[0]!);

const retentionRecords = (tenant: string) =>
  sql<{ event_type: string; severity: string; component: string; summary: string; details: Record<string, unknown>; correlation_id: string }>(
    env.db,
    `SELECT event_type::text, severity::text, component::text, summary, details, correlation_id FROM system_records
     WHERE tenant_id = $1 AND details->>'operation' = 'retention' ORDER BY created_at, id`,
    [tenant],
  );

beforeAll(async () => {
  env = await setup();
  a = env.a.tenantId;
  b = env.b.tenantId;
  for (const tenant of [a, b]) {
    for (let i = 0; i < 5; i++) {
      await env.stores.traces.store(
        tenant,
        {
          runId: `run-${i}`, status: i === 4 ? 'failed' : 'completed', incidentId: undefined, isSynthetic: i === 3, syntheticScenarioId: i === 3 ? 'sdsr-1' : undefined,
          replayMode: 'FULL', traceCompletenessStatus: 'COMPLETE', metadata: { i },
          steps: [0, 1, 2].map((stepIndex) => ({ stepIndex, skillName: `skill-${stepIndex}`, status: 'success' as const, params: { stepIndex }, costMicrocents: 1_000_000n })),
        },
        'test',
      );
    }
    await env.stores.traces.start(tenant, { runId: 'still-running' });
  }
  await env.stores.llmRuns.record(a, { runId: 'run-0', provider: 'p', model: 'm', inputTokens: 10, outputTokens: 5, costMicrocents: 1n, executionStatus: 'SUCCEEDED', startedAt: new Date(), source: 'SDK' });
  await env.stores.auditLedger.append(a, { eventType: 'LimitCreated', entityType: 'LIMIT', entityId: 'l1', actorType: 'HUMAN' });
  await env.stores.systemRecords.record(a, { component: 'worker', eventType: 'HEALTH_CHECK', severity: 'INFO', summary: 'ok' });
  await env.stores.policyActivations.record(a, { policyId: 'p1', sourcePatternId: 's1', confidence: 0.9, approvalPath: 'auto', activatedAt: new Date() });
  before = await rowsOf(a);
}, 60_000);
afterAll(() => env?.close());

describe('retention', () => {
  it('validates its ages (whole days, delete at least archive) and its tenant, before touching anything', async () => {
    await expect(runRetention(env.stores, { tenantId: a, archiveAfterDays: 90, deleteAfterDays: 30 })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'deleteAfterDays' } });
    await expect(runRetention(env.stores, { tenantId: a, archiveAfterDays: 0 })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'archiveAfterDays' } });
    await expect(runRetention(env.stores, { tenantId: a, archiveAfterDays: 1.5 })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(runRetention(env.stores, { tenantId: 'nobody', archiveAfterDays: 90 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await archived(a)).toMatchObject({ traces: 0, steps: 0 });
  });

  it('leaves young traces alone', async () => {
    const report = await runRetention(env.stores, { tenantId: a, archiveAfterDays: 90, deleteAfterDays: 365 });
    expect(report.tenants).toEqual([expect.objectContaining({ tenantId: a, archivedTraces: 0, deletedTraces: 0 })]);
    expect(await archived(a)).toMatchObject({ traces: 0, steps: 0 });
  });

  it('dry run: reports what it would do and changes nothing, not even its record', async () => {
    const report = await runRetention(env.stores, { tenantId: a, archiveAfterDays: 90, deleteAfterDays: 365, asOf: inDays(400), dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(report.tenants).toEqual([{ tenantId: a, archivedTraces: 5, archivedSteps: 15, deletedTraces: 5, deletedSteps: 15, runningSkipped: 1, recordId: null }]);
    expect(await archived(a)).toMatchObject({ traces: 0, steps: 0, live: 6 });
    expect(await retentionRecords(a)).toHaveLength(1); // the no-op run above, none for the dry run
  });

  it('works in batches that each commit: a run stopped midway resumes where it stopped when run again', async () => {
    let batches = 0;
    const stopped = runRetention(env.stores, {
      tenantId: a, archiveAfterDays: 90, asOf: inDays(100), batchSize: 2,
      onProgress: () => {
        batches += 1;
        if (batches === 1) throw new Error('killed');
      },
    });
    await expect(stopped).rejects.toThrow('killed');
    expect(await archived(a)).toMatchObject({ traces: 2, steps: 6 });
    // The failed run is on record too, with how far it got (B2: the reference's log never was).
    expect((await retentionRecords(a)).at(-1)).toMatchObject({ event_type: 'ERROR', severity: 'WARN', details: expect.objectContaining({ archivedTraces: 2, error: 'killed' }) });

    const resumed = await runRetention(env.stores, { tenantId: a, archiveAfterDays: 90, asOf: inDays(100), batchSize: 2 });
    expect(resumed.tenants[0]).toMatchObject({ archivedTraces: 3, archivedSteps: 9, deletedTraces: 0, runningSkipped: 1 });
  });

  it('archives final traces and their steps in place, every other column unchanged, never a running trace (B1)', async () => {
    const stamps = await sql<{ trace_id: string; trace: Date; steps: Date[] }>(env.db,
      `SELECT t.trace_id, t.archived_at AS trace, array_agg(DISTINCT s.archived_at) AS steps FROM aos_traces t
       JOIN aos_trace_steps s ON s.tenant_id = t.tenant_id AND s.trace_id = t.trace_id WHERE t.tenant_id = $1 GROUP BY 1, 2`, [a]);
    expect(stamps).toHaveLength(5);
    // Steps are stamped in the trace's own transaction, with the trace's instant.
    for (const s of stamps) expect(s.steps.map((d) => new Date(d).getTime())).toEqual([new Date(s.trace).getTime()]);
    expect(await rowsOf(a)).toEqual(before);
    const [running] = await sql<{ archived_at: Date | null }>(env.db, `SELECT archived_at FROM aos_traces WHERE tenant_id = $1 AND run_id = 'still-running'`, [a]);
    expect(running!.archived_at).toBeNull();
    expect(await archived(b)).toMatchObject({ traces: 0, steps: 0 });
  });

  it('hides archived traces from the read API (B19) but keeps them verifiable', async () => {
    const res = await gql(env.app, `{ traces(first: 50) { edges { node { traceId } } } }`, {}, env.a.read);
    expect(res.data!.traces.edges.map((e: { node: { traceId: string } }) => e.node.traceId)).toEqual(['trace_still-running']);
    expect(await env.stores.integrity.verifyTrace(a, 'trace_run-0')).toMatchObject({ valid: true });
  });

  it('deletes archived traces past the delete age with their steps, and never an append-only record (B27)', async () => {
    const evidenceBefore = await evidence(a);
    const report = await runRetention(env.stores, { tenantId: a, archiveAfterDays: 90, deleteAfterDays: 365, asOf: inDays(400) });
    expect(report.tenants[0]).toMatchObject({ archivedTraces: 0, deletedTraces: 5, deletedSteps: 15 });
    const [left] = await sql<{ traces: number; steps: number }>(env.db,
      `SELECT (SELECT count(*)::int FROM aos_traces WHERE tenant_id = $1) AS traces, (SELECT count(*)::int FROM aos_trace_steps WHERE tenant_id = $1) AS steps`, [a]);
    expect(left).toEqual({ traces: 1, steps: 0 }); // the running one
    expect(await evidence(a)).toEqual(evidenceBefore);
    expect(await env.stores.integrity.verifyAuditLedger(a, {})).toMatchObject({ valid: true, checkedCount: 1 });
    expect(await archived(b)).toMatchObject({ traces: 0, live: 6 });
  });

  it('records every run as a system record of the tenant with its ages, cutoffs and counts (B2)', async () => {
    const records = await retentionRecords(a);
    const last = records.at(-1)!;
    expect(last).toMatchObject({ component: 'scheduler', event_type: 'MIGRATION', severity: 'INFO' });
    expect(last.summary).toMatch(/^Retention: archived 0 traces \(0 steps\) created before \d{4}-\d\d-\d\d; deleted 5 archived traces \(15 steps\) created before \d{4}-\d\d-\d\d$/);
    expect(last.details).toMatchObject({
      operation: 'retention', archiveAfterDays: 90, deleteAfterDays: 365, deletedTraces: 5, deletedSteps: 15, archivedTraces: 0, runningSkipped: 1,
      archiveBefore: expect.stringMatching(/Z$/), deleteBefore: expect.stringMatching(/Z$/),
    });
    expect(last.correlation_id).toMatch(/^retention-[0-9a-f-]{36}$/);
    // The tenant sees it through the API like any of its system records.
    const res = await gql(env.app, `{ systemRecords(first: 50, filter: { component: SCHEDULER }) { edges { node { eventType summary } } } }`, {}, env.a.read);
    expect(res.data!.systemRecords.edges).toHaveLength(records.length);
  });

  it('without --tenant: every tenant with something to do, archiving and deleting in one run', async () => {
    const report = await runRetention(env.stores, { archiveAfterDays: 90, deleteAfterDays: 365, asOf: inDays(400) });
    expect(report.tenants).toEqual([expect.objectContaining({ tenantId: b, archivedTraces: 5, archivedSteps: 15, deletedTraces: 5, deletedSteps: 15 })]);
    expect(await retentionRecords(b)).toHaveLength(1);
    const again = await runRetention(env.stores, { archiveAfterDays: 90, deleteAfterDays: 365, asOf: inDays(400) });
    expect(again.tenants).toEqual([]);
  });
});
