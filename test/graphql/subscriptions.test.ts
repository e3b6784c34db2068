// Live tail over server-sent events, as a client sees it: the subscription is opened through the
// real HTTP path (app.fetch, Accept: text/event-stream), writes go through GraphQL mutations — on
// Postgres also through a second app on its own database handle, standing in for another server
// process, so only the database's announcements can carry them across.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createDb, type Db } from '../../src/db/client.ts';
import { createApp, type App } from '../../src/server.ts';
import { createStores } from '../../src/stores/index.ts';
import { codeOf, gql, setup, sql, usingPostgres, type TestEnv } from '../helpers.ts';

let env: TestEnv;
/** Another "process": its own database handle (own pools) and app, same database. */
let other: { db: Db; app: App } | null = null;

beforeAll(async () => {
  env = await setup();
  if (usingPostgres) {
    const db = await createDb({ databaseUrl: env.url!, poolSize: 3 });
    other = { db, app: createApp({ db, stores: createStores(db), logger: pino({ level: 'silent' }) }) };
  }
});
afterAll(async () => {
  await other?.db.close();
  await env?.close();
});

type Event = { event: string; data: any };

/** An SSE subscription read event by event; `next()` fails after `ms` without one. */
async function subscribe(app: App, query: string, variables: Record<string, unknown>, key: string | null) {
  const abort = new AbortController();
  const res = await app.fetch('http://test/graphql', {
    method: 'POST',
    signal: abort.signal,
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const queue: Event[] = [];
  const waiting: ((e: Event) => void)[] = [];
  let ended = false;
  const push = (e: Event) => (waiting.length ? waiting.shift()!(e) : queue.push(e));
  const reader = res.body?.getReader();
  void (async () => {
    if (!reader) return push({ event: 'end', data: null });
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event) push({ event, data: data ? JSON.parse(data) : null });
        }
      }
    } catch {
      // aborted by close()
    }
    ended = true;
    push({ event: 'end', data: null });
  })();
  return {
    status: res.status,
    headers: res.headers,
    /** The next event: { event: 'next', data: { data, errors } }, 'complete' or 'end'. */
    next(ms = 8_000): Promise<Event> {
      if (queue.length) return Promise.resolve(queue.shift()!);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no event within ${ms} ms`)), ms);
        waiting.push((e) => (clearTimeout(timer), resolve(e)));
      });
    },
    /** Nothing arrives within `ms` (a short wait: announcements take milliseconds). */
    async quiet(ms = 400): Promise<Event[]> {
      await new Promise((r) => setTimeout(r, ms));
      return queue.splice(0).filter((e) => e.event !== 'end' || !ended);
    },
    /** As a client that goes away: the stream is cancelled and the request aborted. */
    close: () => {
      void reader?.cancel().catch(() => {});
      abort.abort();
    },
  };
}

const STEPS = `subscription($traceId: String!, $after: String) {
  traceStepRecorded(traceId: $traceId, after: $after) { cursor step { traceId stepIndex skillName } } }`;
const TRACES = `subscription($filter: TraceUpdatedFilter, $after: String) {
  traceUpdated(filter: $filter, after: $after) { cursor trace { traceId agentId status } } }`;
const INCIDENTS = `subscription($after: String) { incidentOpened(after: $after) { cursor incident { incidentId title lifecycleState } } }`;

const START = `mutation($input: StartTraceInput!) { startTrace(input: $input) { trace { traceId } } }`;
const RECORD = `mutation($input: RecordTraceStepsInput!) { recordTraceSteps(input: $input) { results { outcome } } }`;
const COMPLETE = `mutation($input: CompleteTraceInput!) { completeTrace(input: $input) { status } }`;
const OPEN = `mutation($input: OpenIncidentInput!) { openIncident(input: $input) { incidentId } }`;
const ACK = `mutation($input: AcknowledgeIncidentInput!) { acknowledgeIncident(input: $input) { lifecycleState } }`;

let runs = 0;
async function startTrace(key = env.a.write, over: Record<string, unknown> = {}, app = env.app): Promise<string> {
  const res = await gql(app, START, { input: { runId: `live-${++runs}`, ...over } }, key);
  expect(res.errors).toBeUndefined();
  return res.data!.startTrace.trace.traceId;
}
async function record(traceId: string, indexes: number[], app = env.app, key = env.a.write) {
  const steps = indexes.map((i) => ({ traceId, stepIndex: i, skillName: `skill-${i}`, status: 'SUCCESS' }));
  const res = await gql(app, RECORD, { input: { steps } }, key);
  expect(res.errors).toBeUndefined();
}
async function complete(traceId: string, app = env.app) {
  expect((await gql(app, COMPLETE, { input: { traceId, status: 'COMPLETED' } }, env.a.write)).errors).toBeUndefined();
}
async function openIncident(title: string, key = env.a.write, app = env.app): Promise<string> {
  const res = await gql(app, OPEN, { input: { title, severity: 'HIGH', causeType: 'SYSTEM', triggerType: 'test' } }, key);
  expect(res.errors).toBeUndefined();
  return res.data!.openIncident.incidentId;
}

/** The payloads of the next `n` events, failing on anything but data. */
async function take(sub: Awaited<ReturnType<typeof subscribe>>, n: number, field: string): Promise<any[]> {
  const out = [];
  for (let i = 0; i < n; i++) {
    const e = await sub.next();
    expect(e.event, JSON.stringify(e.data)).toBe('next');
    expect(e.data.errors).toBeUndefined();
    out.push(e.data.data[field]);
  }
  return out;
}

describe('traceStepRecorded', () => {
  it('sends the steps recorded so far, then each new one, and ends when the trace is final', async () => {
    const traceId = await startTrace();
    await record(traceId, [0, 1]);
    const sub = await subscribe(env.app, STEPS, { traceId }, env.a.read);
    expect(sub.status).toBe(200);
    expect(sub.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect((await take(sub, 2, 'traceStepRecorded')).map((e) => e.step.stepIndex)).toEqual([0, 1]);
    await record(traceId, [2]);
    const [third] = await take(sub, 1, 'traceStepRecorded');
    expect(third.step).toEqual({ traceId, stepIndex: 2, skillName: 'skill-2' });
    await complete(traceId);
    expect((await sub.next()).event).toBe('complete');
  });

  it.skipIf(!usingPostgres)('receives steps written by another server process (Postgres LISTEN/NOTIFY)', async () => {
    const traceId = await startTrace(env.a.write, {}, other!.app);
    const sub = await subscribe(env.app, STEPS, { traceId }, env.a.read);
    await record(traceId, [0, 1, 2], other!.app);
    expect((await take(sub, 3, 'traceStepRecorded')).map((e) => e.step.stepIndex)).toEqual([0, 1, 2]);
    await complete(traceId, other!.app);
    expect((await sub.next()).event).toBe('complete');
  });

  it('resumes from the last cursor received: what was missed, once, nothing twice', async () => {
    const traceId = await startTrace();
    await record(traceId, [0, 1, 5]);
    const first = await subscribe(env.app, STEPS, { traceId }, env.a.read);
    const seen = await take(first, 3, 'traceStepRecorded');
    first.close();
    // While away: steps both before and after the ones already seen, in one batch and another.
    await record(traceId, [2, 3]);
    await record(traceId, [6]);
    const again = await subscribe(env.app, STEPS, { traceId, after: seen[2].cursor }, env.a.read);
    const missed = await take(again, 3, 'traceStepRecorded');
    expect(missed.map((e) => e.step.stepIndex)).toEqual([2, 3, 6]);
    await record(traceId, [4]);
    expect((await take(again, 1, 'traceStepRecorded'))[0].step.stepIndex).toBe(4);
    expect(await again.quiet()).toEqual([]);
    again.close();
  });

  it("treats another tenant's trace as unknown, and refuses a cursor of another trace", async () => {
    const traceId = await startTrace();
    const foreign = await subscribe(env.app, STEPS, { traceId }, env.b.read);
    const event = await foreign.next();
    expect(event.data.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const other = await startTrace();
    await record(other, [0]);
    const sub = await subscribe(env.app, STEPS, { traceId: other }, env.a.read);
    const [step] = await take(sub, 1, 'traceStepRecorded');
    sub.close();
    const wrong = await subscribe(env.app, STEPS, { traceId, after: step.cursor }, env.a.read);
    expect((await wrong.next()).data.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const forged = await subscribe(env.app, STEPS, { traceId, after: 'eyJ2IjoxfQ' }, env.a.read);
    expect((await forged.next()).data.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('needs an API key with read scope', async () => {
    const traceId = await startTrace();
    const anonymous = await subscribe(env.app, STEPS, { traceId }, null);
    expect(anonymous.status).toBe(401);
  });
});

describe('traceUpdated', () => {
  it("sends traces as they start and as they change, matching the filter, of the caller's tenant only", async () => {
    const sub = await subscribe(env.app, TRACES, { filter: { agentId: 'agent-live' } }, env.a.read);
    await startTrace(env.b.write, { agentId: 'agent-live' }); // another tenant
    await startTrace(env.a.write, { agentId: 'agent-other' }); // another agent
    const traceId = await startTrace(env.a.write, { agentId: 'agent-live' });
    const [started] = await take(sub, 1, 'traceUpdated');
    expect(started.trace).toEqual({ traceId, agentId: 'agent-live', status: 'RUNNING' });
    await complete(traceId);
    const [completed] = await take(sub, 1, 'traceUpdated');
    expect(completed.trace).toEqual({ traceId, agentId: 'agent-live', status: 'COMPLETED' });
    expect(await sub.quiet()).toEqual([]);
    sub.close();
  });

  it('resumes from a cursor: every trace changed meanwhile, as it is now, once', async () => {
    const sub = await subscribe(env.app, TRACES, { filter: { agentId: 'agent-resume' } }, env.a.read);
    const kept = await startTrace(env.a.write, { agentId: 'agent-resume' });
    const [seen] = await take(sub, 1, 'traceUpdated');
    expect(seen.trace.traceId).toBe(kept);
    sub.close();
    const fresh = await startTrace(env.a.write, { agentId: 'agent-resume' });
    await complete(kept);
    const again = await subscribe(env.app, TRACES, { filter: { agentId: 'agent-resume' }, after: seen.cursor }, env.a.read);
    const missed = await take(again, 2, 'traceUpdated');
    expect(missed.map((e) => e.trace).sort((x, y) => x.traceId.localeCompare(y.traceId))).toEqual(
      [
        { traceId: kept, agentId: 'agent-resume', status: 'COMPLETED' },
        { traceId: fresh, agentId: 'agent-resume', status: 'RUNNING' },
      ].sort((x, y) => x.traceId.localeCompare(y.traceId)),
    );
    expect(await again.quiet()).toEqual([]);
    // The last cursor again: nothing to repeat.
    again.close();
    const third = await subscribe(env.app, TRACES, { filter: { agentId: 'agent-resume' }, after: missed[1].cursor }, env.a.read);
    expect(await third.quiet()).toEqual([]);
    third.close();
  });

  it.skipIf(!usingPostgres)('misses no write that committed after a later one (a time cursor would)', async () => {
    // A transaction that starts first but commits last has the older timestamp. Hold one open
    // (as the owner, outside the app) while another trace is started and delivered.
    const filter = { agentId: 'agent-order' };
    const sub = await subscribe(env.app, TRACES, { filter }, env.a.read);
    const slow = new pg.Client({ connectionString: env.url! });
    await slow.connect();
    let cursor: string;
    try {
      await slow.query('BEGIN');
      await slow.query(
        `INSERT INTO aos_traces (tenant_id, trace_id, run_id, correlation_id, agent_id, request_digest)
         VALUES ($1, 'trace-slow', 'run-slow', 'run-slow', 'agent-order', repeat('0', 64))`,
        [env.a.tenantId],
      );
      const quick = await startTrace(env.a.write, filter);
      const [delivered] = await take(sub, 1, 'traceUpdated');
      expect(delivered.trace.traceId).toBe(quick);
      cursor = delivered.cursor;
      const times = await sql<{ trace_id: string; created_at: Date }>(env.db, `SELECT trace_id, created_at FROM aos_traces WHERE agent_id = 'agent-order'`);
      expect(times).toHaveLength(1); // the slow one is not committed yet
      await slow.query('COMMIT');
      // Live: it arrives once it commits…
      expect((await take(sub, 1, 'traceUpdated'))[0].trace.traceId).toBe('trace-slow');
      sub.close();
      const [slowRow, quickRow] = await sql<{ created_at: Date }>(
        env.db,
        `SELECT created_at FROM aos_traces WHERE agent_id = 'agent-order' ORDER BY trace_id = 'trace-slow' DESC`,
      );
      expect(slowRow!.created_at.getTime()).toBeLessThan(quickRow!.created_at.getTime());
    } finally {
      await slow.end();
    }
    // …and resuming from the cursor of the quick one, though its timestamp is later, still brings it.
    const again = await subscribe(env.app, TRACES, { filter, after: cursor }, env.a.read);
    expect((await take(again, 1, 'traceUpdated'))[0].trace.traceId).toBe('trace-slow');
    expect(await again.quiet()).toEqual([]);
    again.close();
  });
});

describe('incidentOpened', () => {
  it('sends each incident opened in the tenant once; resuming skips those already sent, even if changed since', async () => {
    const sub = await subscribe(env.app, INCIDENTS, {}, env.a.read);
    await openIncident('other tenant', env.b.write);
    const first = await openIncident('first');
    const [opened] = await take(sub, 1, 'incidentOpened');
    expect(opened.incident).toEqual({ incidentId: first, title: 'first', lifecycleState: 'ACTIVE' });
    sub.close();
    expect((await gql(env.app, ACK, { input: { incidentId: first } }, env.a.write)).errors).toBeUndefined();
    const second = await openIncident('second');
    const again = await subscribe(env.app, INCIDENTS, { after: opened.cursor }, env.a.read);
    const [missed] = await take(again, 1, 'incidentOpened');
    expect(missed.incident.incidentId).toBe(second);
    expect(await again.quiet()).toEqual([]);
    again.close();
  });

  it.skipIf(!usingPostgres)('receives incidents opened by another server process', async () => {
    const sub = await subscribe(env.app, INCIDENTS, {}, env.a.read);
    const id = await openIncident('from elsewhere', env.a.write, other!.app);
    expect((await take(sub, 1, 'incidentOpened'))[0].incident.incidentId).toBe(id);
    sub.close();
  });
});

describe('what a subscription delivers', () => {
  // Live reads have their own statements and row mappers: a column they decode differently from the
  // query path (an int8 left as text, an enum, a JSON payload) would show here.
  const TRACE_FIELDS = `traceId runId agentId seed plan metadata status startedAt completedAt createdAt frozenTimestamp planHash rootHash
    schemaVersion isSynthetic replayMode incidentId archivedAt`;
  const STEP_FIELDS = `traceId stepIndex skillId skillName params status level outcomeCategory outcomeCode outcomeData costCents durationMs
    retryCount inputHash outputHash idempotencyKey replayBehavior source timestamp recordedAt contentHash spanId startTimeUnixNano attributes`;
  const INCIDENT_FIELDS = `incidentId title severity lifecycleState causeType triggerType triggerValue costImpactCents inflectionStepIndex
    inflectionTimestamp isSynthetic startedAt createdAt updatedAt resolutionMethod`;

  it('every field of a trace, its steps and an incident as a query reads them', async () => {
    const traceSub = await subscribe(env.app, `subscription { traceUpdated(filter: { agentId: "agent-parity" }) { trace { ${TRACE_FIELDS} } } }`, {}, env.a.read);
    const traceId = await startTrace(env.a.write, {
      agentId: 'agent-parity',
      seed: '9007199254740993',
      plan: [{ skill: 'search' }],
      metadata: { team: 'live' },
      planHash: 'ab12cd34',
    });
    const [{ trace: live }] = await take(traceSub, 1, 'traceUpdated');
    traceSub.close();
    const queried = await gql(env.app, `query($traceId: String!) { trace(traceId: $traceId) { ${TRACE_FIELDS} } }`, { traceId }, env.a.read);
    expect(live).toEqual(queried.data!.trace);
    expect(live.seed).toBe('9007199254740993');

    const steps = [{ traceId, stepIndex: 0, skillName: 'search', status: 'FAILURE', costCents: '12.345678', durationMs: 2.5, params: { q: 'x' }, outcomeData: { n: 1 } }];
    expect((await gql(env.app, RECORD, { input: { steps } }, env.a.write)).errors).toBeUndefined();
    const stepSub = await subscribe(env.app, `subscription($traceId: String!) { traceStepRecorded(traceId: $traceId) { step { ${STEP_FIELDS} } } }`, { traceId }, env.a.read);
    const [{ step: liveStep }] = await take(stepSub, 1, 'traceStepRecorded');
    stepSub.close();
    const queriedSteps = await gql(env.app, `query($traceId: String!) { trace(traceId: $traceId) { steps { edges { node { ${STEP_FIELDS} } } } } }`, { traceId }, env.a.read);
    expect(liveStep).toEqual(queriedSteps.data!.trace.steps.edges[0].node);
    expect(liveStep.costCents).toBe('12.345678');

    const incidentSub = await subscribe(env.app, `subscription { incidentOpened { incident { ${INCIDENT_FIELDS} } } }`, {}, env.a.read);
    const input = { title: 'parity', severity: 'LOW', causeType: 'HUMAN', triggerType: 'test', costImpactCents: '9007199254.740993', inflectionStepIndex: 3 };
    const opened = await gql(env.app, OPEN, { input }, env.a.write);
    expect(opened.errors).toBeUndefined();
    const [{ incident }] = await take(incidentSub, 1, 'incidentOpened');
    const read = await gql(env.app, `query($id: String!) { incident(incidentId: $id) { ${INCIDENT_FIELDS} } }`, { id: opened.data!.openIncident.incidentId }, env.a.read);
    expect(incident).toEqual(read.data!.incident);
    expect(incident.costImpactCents).toBe('9007199254.740993');
    incidentSub.close();
  });
});

describe('the listening connection', () => {
  it.skipIf(!usingPostgres)('is reopened when it breaks, and what was announced meanwhile still arrives', async () => {
    const traceId = await startTrace();
    const sub = await subscribe(env.app, STEPS, { traceId }, env.a.read);
    await record(traceId, [0]);
    await take(sub, 1, 'traceStepRecorded');
    const killed = await sql<{ n: number }>(
      env.db,
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = 'aos-logs live tail' AND datname = current_database()`,
    );
    expect(killed[0]!.n).toBeGreaterThanOrEqual(1);
    // Written while no one listens: the reconnection's resync finds it.
    await record(traceId, [1]);
    await record(traceId, [2]);
    expect((await take(sub, 2, 'traceStepRecorded')).map((e) => e.step.stepIndex)).toEqual([1, 2]);
    sub.close();
  });
});

describe('closing', () => {
  it('a client that leaves frees its subscription', async () => {
    const metric = async () => Number(/^aos_live_subscriptions (\d+)/m.exec(await (await env.app.fetch('http://test/metrics')).text())?.[1]);
    const sub = await subscribe(env.app, INCIDENTS, {}, env.a.read);
    expect(await metric()).toBeGreaterThanOrEqual(1);
    sub.close();
    await expect.poll(metric, { timeout: 3_000 }).toBe(0);
  });

  it('an invalid cursor is refused before anything is sent', async () => {
    const sub = await subscribe(env.app, INCIDENTS, { after: 'not-a-cursor' }, env.a.read);
    expect(codeOf((await sub.next()).data)).toBe('BAD_USER_INPUT');
  });
});
