// A step's time has one meaning for every source (issue 13): `timestamp` = `startedAt` is when the
// step started, `endedAt` = startedAt + durationMs. Agents' steps, storeTrace and OTLP spans agree,
// and the migration moves old server-stamped steps (which held their end) to their start.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS_DIR } from '../../src/db/migrate.ts';
import { createApp } from '../../src/server.ts';
import { createStores } from '../../src/stores/index.ts';
import { createTestDb, gql, setup, sql, tenantWithKeys, type TestEnv } from '../helpers.ts';

const STEP_TIMES = `query($traceId: String!) { trace(traceId: $traceId) { steps(first: 10) { edges { node { stepIndex timestamp startedAt endedAt durationMs } } } } }`;
const RECORD = `mutation($input: RecordTraceStepsInput!) { recordTraceSteps(input: $input) { createdCount } }`;

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env?.close());

async function times(traceId: string) {
  const res = await gql(env.app, STEP_TIMES, { traceId }, env.a.read);
  expect(res.errors).toBeUndefined();
  return res.data!.trace.steps.edges.map((e: any) => e.node);
}

describe('step time', () => {
  it('an agent step without a timestamp started its duration before the server received it', async () => {
    await gql(env.app, `mutation { startTrace(input: { runId: "time-agent" }) { created } }`, {}, env.a.write);
    const before = Date.now();
    const res = await gql(env.app, RECORD, { input: { steps: [{ traceId: 'trace_time-agent', stepIndex: 0, skillName: 'search', status: 'SUCCESS', durationMs: 60_000 }] } }, env.a.write);
    const after = Date.now();
    expect(res.errors).toBeUndefined();
    const [step] = await times('trace_time-agent');
    expect(step.timestamp).toBe(step.startedAt);
    expect(Date.parse(step.endedAt) - Date.parse(step.startedAt)).toBe(60_000);
    // It ended when it was received: an hour-long waterfall bar no longer starts at its end.
    expect(Date.parse(step.endedAt)).toBeGreaterThanOrEqual(before - 5);
    expect(Date.parse(step.endedAt)).toBeLessThanOrEqual(after + 5);
  });

  it('a timestamp an agent or storeTrace sends is the start', async () => {
    await gql(env.app, `mutation { startTrace(input: { runId: "time-given" }) { created } }`, {}, env.a.write);
    const at = '2026-11-30T10:00:00.000Z';
    await gql(env.app, RECORD, { input: { steps: [{ traceId: 'trace_time-given', stepIndex: 0, skillName: 'plan', status: 'SUCCESS', durationMs: 1500, timestamp: at }] } }, env.a.write);
    const [step] = await times('trace_time-given');
    expect(step).toMatchObject({ startedAt: at, endedAt: '2026-11-30T10:00:01.500Z' });
  });

  it('an OpenTelemetry span starts at its start time and ends at its end time', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const res = await env.app.fetch('http://test/v1/traces', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${env.a.write}` },
      body: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId, spanId: 'b7ad6b7169203331', name: 'chat', kind: 3, startTimeUnixNano: '1795000000250000000', endTimeUnixNano: '1795000002000000000' }] }] }] }),
    });
    expect(res.status).toBe(200);
    const [step] = await times(traceId);
    expect(step).toMatchObject({ startedAt: new Date(1795000000250).toISOString(), endedAt: new Date(1795000002000).toISOString(), durationMs: 1750 });
  });
});

describe('migration 20261203110000_step_time_is_start', () => {
  it('moves steps stamped by the server at receipt back by their duration, and leaves the rest', async () => {
    const test = await createTestDb();
    const dir = await mkdtemp(join(tmpdir(), 'aos-migrations-'));
    try {
      await cp(MIGRATIONS_DIR, dir, { recursive: true });
      await rm(join(dir, '20261203110000_step_time_is_start'), { recursive: true });
      await migrate(test.db, dir);
      const stores = createStores(test.db);
      const app = createApp({ db: test.db, stores, logger: pino({ level: 'silent' }) });
      const keys = await tenantWithKeys(stores, 'tenant-m');
      await gql(app, `mutation { startTrace(input: { runId: "legacy" }) { created } }`, {}, keys.write);
      // What the old default wrote: the time of receipt (the step's end) as its timestamp.
      const now = new Date().toISOString();
      const old = '2026-11-01T08:00:00.000Z';
      const res = await gql(app, RECORD, { input: { steps: [
        { traceId: 'trace_legacy', stepIndex: 0, skillName: 'search', status: 'SUCCESS', durationMs: 2500, timestamp: now },
        { traceId: 'trace_legacy', stepIndex: 1, skillName: 'plan', status: 'SUCCESS', durationMs: 700, timestamp: old },
      ] } }, keys.write);
      expect(res.errors).toBeUndefined();

      expect(await migrate(test.db)).toEqual(['20261203110000_step_time_is_start']);
      const rows = await sql<{ step_index: number; timestamp: Date }>(test.db, `SELECT step_index, "timestamp" FROM aos_trace_steps WHERE trace_id = 'trace_legacy' ORDER BY step_index`);
      expect(rows.map((r) => r.timestamp.toISOString())).toEqual([new Date(Date.parse(now) - 2500).toISOString(), old]);
      // The insert-only guard is back on.
      await expect(sql(test.db, `UPDATE aos_trace_steps SET duration_ms = 1 WHERE trace_id = 'trace_legacy'`)).rejects.toThrow(/insert-only/);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await test.drop();
    }
  });
});
