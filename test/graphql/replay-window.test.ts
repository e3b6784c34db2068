import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplayWindow } from '../../src/client/operations/forensics.ts';
import { codeOf, gql, setup, sql, type TestEnv } from '../helpers.ts';
import { ALL_SYSTEM_RECORDS } from '../system-records-sql.ts';

let env: TestEnv;

const T0 = new Date('2026-02-01T12:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const LOW_ID = '00000000-0000-4000-8000-000000000001';
const HIGH_ID = 'ffffffff-ffff-4fff-8fff-ffffffffffff';
/** Between LOW_ID and HIGH_ID, and below any random id: a global record tied with tenant records. */
const GLOBAL_TIE_ID = '00000000-0000-4000-8000-000000000002';

/** A tenant's system record, or a global one (tenant null: its own table). */
async function systemRecord(tenantId: string | null, createdAt: Date, eventType = 'DEPLOY', severity = 'INFO', id?: string) {
  const [row] = await sql<{ id: string }>(
    env.db,
    tenantId === null
      ? `INSERT INTO global_system_records (id, component, event_type, severity, summary, created_at)
         VALUES (COALESCE($1::uuid, gen_random_uuid()), 'api', $2, $3, 'event', $4) RETURNING id::text`
      : `INSERT INTO system_records (id, tenant_id, component, event_type, severity, summary, created_at)
         VALUES (COALESCE($1::uuid, gen_random_uuid()), $5, 'api', $2, $3, 'event', $4) RETURNING id::text`,
    [id ?? null, eventType, severity, createdAt.toISOString(), ...(tenantId === null ? [] : [tenantId])],
  );
  return row!.id;
}

/** Written by SQL to control created_at and seq; the replay window does not check the chain. */
async function auditEntry(tenantId: string, seq: number, createdAt: Date, entityType: string, eventType: string, id?: string) {
  const [row] = await sql<{ id: string }>(
    env.db,
    `INSERT INTO audit_ledger (id, tenant_id, seq, event_type, entity_type, entity_id, actor_type, prev_hash, entry_hash, created_at)
     VALUES (COALESCE($1::uuid, gen_random_uuid()), $2, $3, $4, $5, 'e-1', 'SYSTEM', $6, $6, $7) RETURNING id::text`,
    [id ?? null, tenantId, seq, eventType, entityType, '0'.repeat(64), createdAt.toISOString()],
  );
  return row!.id;
}

async function traceWithSteps(tenantId: string, runId: string, steps: [number, Date, string][]) {
  await env.stores.traces.start(tenantId, { runId });
  await env.stores.traces.recordSteps(
    tenantId,
    steps.map(([stepIndex, timestamp, skillName]) => ({ traceId: `trace_${runId}`, stepIndex, skillName, status: 'success' as const, timestamp })),
  );
}

async function llmRun(tenantId: string, runId: string, startedAt: Date, completedAt?: Date, traceId?: string) {
  await env.stores.llmRuns.record(tenantId, {
    runId, traceId, provider: 'stub', model: 'm', inputTokens: 1, outputTokens: 1, costMicrocents: 0n,
    executionStatus: 'SUCCEEDED', startedAt, completedAt, source: 'SDK',
  });
}

const ids: Record<string, string> = {};

beforeAll(async () => {
  env = await setup();
  const { a, b } = env;
  // Tenant a, run-r: inflection at T0 (completedAt), window [T0 − 30 s, T0 + 30 s].
  await llmRun(a.tenantId, 'run-r', at(-60_000), T0, 'trace_run-r');
  // Steps 3 and 2 share T0 with two system records and two policy entries: the ties under test.
  await traceWithSteps(a.tenantId, 'run-r', [
    [0, at(-30_001), 'before-window'],
    [1, at(-30_000), 'at-start'],
    [3, T0, 'tie-3'],
    [2, T0, 'tie-2'],
    [4, at(30_000), 'at-end'],
    [5, at(30_001), 'after-window'],
  ]);
  ids.sysEarly = await systemRecord(a.tenantId, at(-10_000), 'CONFIG_CHANGE', 'WARN');
  // Inserted high id first: the order must come from the id, not from insertion.
  ids.sysTieHigh = await systemRecord(a.tenantId, T0, 'ERROR', 'CRITICAL', HIGH_ID);
  ids.sysTieLow = await systemRecord(a.tenantId, T0, 'RESTART', 'INFO', LOW_ID);
  ids.sysGlobal = await systemRecord(null, at(5_000), 'DEPLOY', 'INFO');
  // Global rows live in a table of their own: a tie with the tenant's rows is still broken by id.
  ids.sysGlobalTie = await systemRecord(null, T0, 'HEALTH_CHECK', 'INFO', GLOBAL_TIE_ID);
  ids.sysLate = await systemRecord(a.tenantId, at(31_000));
  // Policy entries at T0: seq 100 has the larger id but comes first (ledger order).
  ids.polSeq200 = await auditEntry(a.tenantId, 200, T0, 'POLICY_RULE', 'PolicyRuleModified', '00000000-0000-4000-8000-0000000000aa');
  ids.polSeq100 = await auditEntry(a.tenantId, 100, T0, 'LIMIT', 'LimitBreached', 'ffffffff-ffff-4fff-8fff-0000000000aa');
  ids.limit = await auditEntry(a.tenantId, 300, at(1_000), 'LIMIT', 'LimitUpdated');
  ids.incidentEntry = await auditEntry(a.tenantId, 301, T0, 'INCIDENT', 'IncidentAcknowledged');

  // Tenant b: the same run id and trace id, with events inside a's window.
  await llmRun(b.tenantId, 'run-r', at(-60_000), T0, 'trace_run-r');
  await traceWithSteps(b.tenantId, 'run-r', [[7, T0, 'b-step']]);
  ids.bSys = await systemRecord(b.tenantId, T0, 'SHUTDOWN', 'WARN');
  ids.bPol = await auditEntry(b.tenantId, 1, T0, 'POLICY_RULE', 'PolicyRuleCreated');
});
afterAll(() => env?.close());

const replay = (runId: string, key: string, vars: { beforeSeconds?: number; afterSeconds?: number } = {}) =>
  gql(env.app, ReplayWindow, { runId, ...vars }, key);

const brief = (events: { source: string; stepIndex?: number | null; recordId: string }[]) =>
  events.map((e) => (e.source === 'LLM' ? `LLM#${e.stepIndex}` : `${e.source}:${e.recordId}`));

describe('replayWindow', () => {
  it('merges steps, system records and policy entries in time order inside the inclusive window', async () => {
    const res = await replay('run-r', env.a.read);
    expect(res.errors).toBeUndefined();
    const w = res.data!.replayWindow!;
    expect(w).toMatchObject({
      runId: 'run-r',
      traceId: 'trace_run-r',
      inflectionAt: T0.toISOString(),
      windowStart: at(-30_000).toISOString(),
      windowEnd: at(30_000).toISOString(),
      truncated: false,
    });
    expect(brief(w.events)).toEqual([
      'LLM#1', // exactly at the start: inclusive
      `SYSTEM:${ids.sysEarly}`,
      'LLM#2',
      'LLM#3',
      `SYSTEM:${ids.sysTieLow}`,
      `SYSTEM:${ids.sysGlobalTie}`,
      `SYSTEM:${ids.sysTieHigh}`,
      `POLICY:${ids.polSeq100}`,
      `POLICY:${ids.polSeq200}`,
      `POLICY:${ids.limit}`,
      `SYSTEM:${ids.sysGlobal}`,
      'LLM#4', // exactly at the end: inclusive
    ]);
    const step2 = w.events[2]!;
    expect(step2).toMatchObject({ source: 'LLM', timestamp: T0.toISOString(), stepIndex: 2, action: 'tie-2', outcome: 'SUCCESS' });
    const [stepRow] = await sql<{ id: string }>(env.db, `SELECT id::text FROM aos_trace_steps WHERE tenant_id = $1 AND trace_id = 'trace_run-r' AND step_index = 2`, [env.a.tenantId]);
    expect(step2.recordId).toBe(stepRow!.id);
    expect(w.events[1]).toMatchObject({ source: 'SYSTEM', stepIndex: null, action: 'CONFIG_CHANGE', outcome: 'WARN' });
    expect(w.events[7]).toMatchObject({ source: 'POLICY', stepIndex: null, action: 'LimitBreached', outcome: 'LIMIT' });
  });

  it('B26: events with equal timestamps come in one stable order (source, then step index or ledger seq, then id)', async () => {
    const first = await replay('run-r', env.a.read, { beforeSeconds: 0, afterSeconds: 0 });
    const second = await replay('run-r', env.a.read, { beforeSeconds: 0, afterSeconds: 0 });
    expect(first.errors).toBeUndefined();
    const order = brief(first.data!.replayWindow!.events);
    expect(order).toEqual([
      'LLM#2',
      'LLM#3',
      `SYSTEM:${ids.sysTieLow}`,
      `SYSTEM:${ids.sysGlobalTie}`,
      `SYSTEM:${ids.sysTieHigh}`,
      `POLICY:${ids.polSeq100}`,
      `POLICY:${ids.polSeq200}`,
    ]);
    expect(brief(second.data!.replayWindow!.events)).toEqual(order);
  });

  it("never shows another tenant's steps, system records or audit entries, even under the same trace id", async () => {
    const a = brief((await replay('run-r', env.a.read, { beforeSeconds: 3600, afterSeconds: 3600 })).data!.replayWindow!.events);
    for (const foreign of ['LLM#7', `SYSTEM:${ids.bSys}`, `POLICY:${ids.bPol}`]) expect(a).not.toContain(foreign);
    expect(a).not.toContain(`POLICY:${ids.incidentEntry}`); // INCIDENT entries are not policy events

    const b = (await replay('run-r', env.b.read)).data!.replayWindow!;
    expect(brief(b.events)).toEqual(['LLM#7', `SYSTEM:${ids.sysGlobalTie}`, `SYSTEM:${ids.bSys}`, `POLICY:${ids.bPol}`, `SYSTEM:${ids.sysGlobal}`]);
  });

  it('uses startedAt when the record has no completedAt, and trace_<runId> when it names no trace', async () => {
    const t1 = at(3_600_000);
    await llmRun(env.a.tenantId, 'run-s', t1);
    await traceWithSteps(env.a.tenantId, 'run-s', [[0, t1, 'only']]);
    const w = (await replay('run-s', env.a.read)).data!.replayWindow!;
    expect(w).toMatchObject({ traceId: 'trace_run-s', inflectionAt: t1.toISOString() });
    expect(brief(w.events)).toEqual(['LLM#0']);
  });

  it("answers null for an unknown run and for another tenant's run", async () => {
    await llmRun(env.b.tenantId, 'run-only-b', T0, T0);
    for (const runId of ['no-such-run', 'run-only-b']) {
      const res = await replay(runId, env.a.read);
      expect(res.errors).toBeUndefined();
      expect(res.data!.replayWindow).toBeNull();
    }
  });

  it('rejects a side longer than 3600 s, or negative, with BAD_USER_INPUT naming the argument', async () => {
    for (const [vars, field] of [
      [{ beforeSeconds: 4000 }, 'beforeSeconds'],
      [{ afterSeconds: 3601 }, 'afterSeconds'],
      [{ afterSeconds: -1 }, 'afterSeconds'],
    ] as const) {
      const res = await replay('run-r', env.a.read, vars);
      expect(codeOf(res), field).toBe('BAD_USER_INPUT');
      expect(res.errors![0]!.extensions!.fields).toContain(field);
    }
    expect((await replay('run-r', env.a.read, { beforeSeconds: 3600, afterSeconds: 3600 })).errors).toBeUndefined();
  });

  it('caps a window at 5000 events, the earliest ones in order, and says truncated', async () => {
    const t2 = at(86_400_000);
    await llmRun(env.a.tenantId, 'run-big', t2, t2);
    await sql(
      env.db,
      `INSERT INTO system_records (tenant_id, component, event_type, severity, summary, created_at)
       SELECT $1, 'worker', 'HEALTH_CHECK', 'INFO', 'tick', $2::timestamptz + (i % 2500) * interval '1 millisecond'
       FROM generate_series(1, 5001) AS i`,
      [env.a.tenantId, t2.toISOString()],
    );
    const w = (await replay('run-big', env.a.read)).data!.replayWindow!;
    expect(w.truncated).toBe(true);
    expect(w.events).toHaveLength(5000);
    const expected = await sql<{ id: string }>(
      env.db,
      `SELECT id::text FROM ${ALL_SYSTEM_RECORDS} WHERE (tenant_id = $1 OR tenant_id IS NULL)
         AND created_at BETWEEN $2::timestamptz - interval '30 seconds' AND $2::timestamptz + interval '30 seconds'
       ORDER BY created_at, id LIMIT 5000`,
      [env.a.tenantId, t2.toISOString()],
    );
    expect(w.events.map((e) => e.recordId)).toEqual(expected.map((r) => r.id));
  });
});
