// B15: in the reference a crashed worker left its traces `running` for ever. The reaper aborts
// running traces with no activity, through the store, so they get a root hash and a reason.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReaper } from '../../src/reaper.ts';
import type { Stores } from '../../src/stores/index.ts';
import { setup, sql, type TestEnv } from '../helpers.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env?.close());

const silent = pino({ level: 'silent' });
const twoHoursAgo = () => new Date(Date.now() - 2 * 3600_000);

type Row = { status: string; root_hash: string | null; reason: string | null; completed_at: Date | null };
const traceRow = async (tenantId: string, traceId: string) =>
  (await sql<Row>(env.db, `SELECT status::text AS status, root_hash, metadata->>'abort_reason' AS reason, completed_at
     FROM aos_traces WHERE tenant_id = $1 AND trace_id = $2`, [tenantId, traceId]))[0]!;

async function startOld(tenantId: string, runId: string) {
  return (await env.stores.traces.start(tenantId, { runId, startedAt: twoHoursAgo() })).trace.traceId;
}

describe('reaper', () => {
  it('aborts idle running traces in every tenant and leaves active and final ones alone', async () => {
    const idleA = await startOld(env.a.tenantId, 'idle-a');
    const idleB = await startOld(env.b.tenantId, 'idle-b');
    const active = await startOld(env.a.tenantId, 'active');
    await env.stores.traces.recordSteps(env.a.tenantId, [{ traceId: active, stepIndex: 0, skillName: 'search', status: 'success' }]);
    const done = await startOld(env.a.tenantId, 'done');
    await env.stores.traces.complete(env.a.tenantId, done, 'completed');
    const doneBefore = await traceRow(env.a.tenantId, done);

    const reaper = startReaper({ stores: env.stores, staleAfterSeconds: 3600, intervalSeconds: 0, logger: silent });
    expect(await reaper.runOnce()).toBe(2);

    for (const [tenantId, traceId] of [[env.a.tenantId, idleA], [env.b.tenantId, idleB]] as const) {
      const row = await traceRow(tenantId, traceId);
      expect(row.status).toBe('aborted');
      expect(row.reason).toMatch(/^reaped: no activity for 3600 s/);
      expect(row.root_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.completed_at).not.toBeNull();
    }
    expect((await traceRow(env.a.tenantId, active)).status).toBe('running');
    expect(await traceRow(env.a.tenantId, done)).toEqual(doneBefore);
    // Nothing left to do: a second pass aborts nothing.
    expect(await reaper.runOnce()).toBe(0);
    await reaper.stop();
  });

  it('keeps going when one trace cannot be aborted', async () => {
    const broken = await startOld(env.a.tenantId, 'broken');
    const fine = await startOld(env.b.tenantId, 'fine');
    // Fault injection around the real store: only the abort of `broken` fails.
    const stores: Stores = {
      ...env.stores,
      traces: {
        ...env.stores.traces,
        abort: (tenantId, traceId, reason) =>
          traceId === broken ? Promise.reject(new Error('database hiccup')) : env.stores.traces.abort(tenantId, traceId, reason),
      },
    };
    const reaper = startReaper({ stores, staleAfterSeconds: 3600, intervalSeconds: 0, logger: silent });
    expect(await reaper.runOnce()).toBe(1);
    expect((await traceRow(env.a.tenantId, broken)).status).toBe('running');
    expect((await traceRow(env.b.tenantId, fine)).status).toBe('aborted');
    // It stays in the work list: a later pass with a working store aborts it.
    const again = startReaper({ stores: env.stores, staleAfterSeconds: 3600, intervalSeconds: 0, logger: silent });
    expect(await again.runOnce()).toBe(1);
    expect((await traceRow(env.a.tenantId, broken)).status).toBe('aborted');
  });

  it('runs on its timer until stopped', async () => {
    const idle = await startOld(env.a.tenantId, 'timer');
    const reaper = startReaper({ stores: env.stores, staleAfterSeconds: 3600, intervalSeconds: 0.1, logger: silent });
    try {
      await expect.poll(async () => (await traceRow(env.a.tenantId, idle)).status, { timeout: 10_000, interval: 100 }).toBe('aborted');
    } finally {
      await reaper.stop();
    }
    const after = await startOld(env.b.tenantId, 'after-stop');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await traceRow(env.b.tenantId, after)).status).toBe('running');
    await env.stores.traces.abort(env.b.tenantId, after, 'test cleanup');
  });

  it('shares a pass in flight instead of starting a second one', async () => {
    await startOld(env.a.tenantId, 'overlap');
    const reaper = startReaper({ stores: env.stores, staleAfterSeconds: 3600, intervalSeconds: 0, logger: silent });
    const first = reaper.runOnce();
    expect(reaper.runOnce()).toBe(first);
    expect(await first).toBe(1);
  });
});
