// Traces and their steps: every write path of the reference trace store, with its defects fixed.
// Tenant first on every method (D3); the (tenant_id, trace_id) foreign key makes a step under
// another tenant's trace impossible (B4, B17); steps are insert-only and idempotent (D6).
import { sql, raw, empty, type Sql } from '../db/sql.ts';
import { Canonical, canonicalJson, canonicalRecord } from '../domain/canonical-json.ts';
import { sha256Hex, shortDigest } from '../domain/hashes.ts';
import { statusToLevel } from '../domain/levels.ts';
import { redactJson, redactText, redactToCanonicalJson } from '../domain/redact.ts';
import {
  traceRootHash,
  type ReplayBehavior,
  type ReplayMode,
  type StepSource,
  type StepStatus,
  type Trace,
  type TraceOutcome,
  type TraceStep,
} from '../domain/trace.ts';
import { AppError, badInput, batchRejected, conflict, dbErrorMessage, notFound, type ItemError } from '../errors.ts';
import type { Db, SqlSession } from '../db/client.ts';
import { isUuid } from './ids.ts';
import { ALL_STEP_COLUMNS, stepFromDriverRow, stepSelect, TRACE_SELECT, traceFromDriverRow, withColumns, type StepColumns } from './trace-rows.ts';

/** Largest batch `recordSteps` and `store` accept; documented in the README. */
export const MAX_STEPS_PER_BATCH = 1000;

type Tx = SqlSession;
/** Where a read runs: `db` on its own, or a transaction. */
type Queryable = Pick<SqlSession, 'query'>;

export interface StartTraceInput {
  runId: string;
  traceId?: string | undefined;
  correlationId?: string | undefined;
  agentId?: string | undefined;
  goal?: string | undefined;
  planId?: string | undefined;
  plan?: unknown;
  seed?: bigint | undefined;
  frozenTimestamp?: string | undefined;
  planHash?: string | undefined;
  metadata?: unknown;
  incidentId?: string | undefined;
  isSynthetic?: boolean | undefined;
  syntheticScenarioId?: string | undefined;
  replayMode?: ReplayMode | undefined;
  replayAttemptId?: string | undefined;
  replayArtifactVersion?: string | undefined;
  traceCompletenessStatus?: string | undefined;
  startedAt?: Date | undefined;
}

export interface StepInput {
  traceId: string;
  stepIndex: number;
  skillName: string;
  skillId?: string | undefined;
  params?: unknown;
  status: StepStatus;
  outcomeCategory?: string | undefined;
  outcomeCode?: string | undefined;
  outcomeData?: unknown;
  costMicrocents?: bigint | undefined;
  durationMs?: number | undefined;
  retryCount?: number | undefined;
  inputHash?: string | undefined;
  outputHash?: string | undefined;
  rngStateBefore?: string | undefined;
  idempotencyKey?: string | undefined;
  replayBehavior?: ReplayBehavior | undefined;
  source?: StepSource | undefined;
  timestamp?: Date | undefined;
  isSynthetic?: boolean | undefined;
  syntheticScenarioId?: string | undefined;
}

export interface StoreTraceInput extends StartTraceInput {
  status?: TraceOutcome | undefined;
  completedAt?: Date | undefined;
  rootHash?: string | undefined;
  steps: Omit<StepInput, 'traceId'>[];
}

export type StepOutcomeKind = 'CREATED' | 'DUPLICATE';
export type StepResult = { index: number; outcome: StepOutcomeKind; step: TraceStep };
export type TraceWriteResult = { trace: Trace; created: boolean };

const DEFAULT_OUTCOME_CATEGORY: Record<StepStatus, string> = {
  success: 'SUCCESS',
  failure: 'FAILURE',
  retry: 'TRANSIENT',
  skipped: 'SKIPPED',
};

/**
 * A step ready to insert: redacted, defaulted, with the digest that tells retries from rewrites;
 * the columns the database fills (id, tenant, recorded and archived times) are not here yet.
 */
type PreparedStep = Omit<TraceStep, 'id' | 'tenantId' | 'recordedAt' | 'archivedAt' | 'inputHash' | 'params' | 'outcomeData'> & {
  inputHash: string;
  /** The redacted params and outcome data as the JSON text to store (see storedJson). */
  paramsJson: string;
  outcomeDataJson: string | null;
};

/** What a step takes from its trace: the status it must have, and the synthetic marking it inherits. */
type TraceState = { status: string; isSynthetic: boolean; syntheticScenarioId: string | null };

/** What a step's content hash covers: every field a client sends, as stored. */
const DIGEST_KEYS = [
  'traceId', 'stepIndex', 'skillId', 'skillName', 'params', 'status', 'outcomeCategory', 'outcomeCode', 'outcomeData', 'costMicrocents',
  'durationMs', 'retryCount', 'inputHash', 'outputHash', 'rngStateBefore', 'idempotencyKey', 'replayBehavior', 'source', 'timestamp',
  'isSynthetic', 'syntheticScenarioId',
] as const;
/** canonicalJson of a step digest, its keys sorted once. */
const digestJson = canonicalRecord(DIGEST_KEYS);

function prepareStep(input: StepInput, trace: TraceState): PreparedStep {
  const params = input.params ?? {};
  const outcomeData = input.outcomeData === undefined || input.outcomeData === null ? null : input.outcomeData;
  // Each JSON value is redacted and canonicalised in one walk, once: its own digest, the
  // whole-step digest and the stored value all use the text (no redacted copy is built).
  const canonicalParams = new Canonical(redactToCanonicalJson(params));
  const canonicalOutcome = outcomeData === null ? null : new Canonical(redactToCanonicalJson(outcomeData));
  // Steps inherit the synthetic marking of their trace unless they say otherwise (B24).
  const isSynthetic = input.isSynthetic ?? trace.isSynthetic;
  const syntheticScenarioId = input.syntheticScenarioId ?? (isSynthetic ? trace.syntheticScenarioId : null) ?? null;
  const costMicrocents = input.costMicrocents ?? 0n;
  const digested = {
    traceId: input.traceId,
    stepIndex: input.stepIndex,
    skillId: input.skillId ?? input.skillName,
    skillName: input.skillName,
    params: canonicalParams,
    status: input.status,
    outcomeCategory: input.outcomeCategory ?? DEFAULT_OUTCOME_CATEGORY[input.status],
    outcomeCode: input.outcomeCode ?? null,
    outcomeData: canonicalOutcome,
    costMicrocents: costMicrocents.toString(),
    durationMs: input.durationMs ?? 0,
    retryCount: input.retryCount ?? 0,
    // Hashes the SDK would have sent, computed from what we store, so the root hash can be rechecked later.
    inputHash: input.inputHash ?? shortDigest(canonicalParams),
    outputHash: input.outputHash ?? (canonicalOutcome === null ? null : shortDigest(canonicalOutcome)),
    rngStateBefore: input.rngStateBefore ?? null,
    idempotencyKey: input.idempotencyKey ?? null,
    replayBehavior: input.replayBehavior ?? 'execute',
    source: input.source ?? 'engine',
    // A client-less timestamp is the server clock, which differs on a retry: keep it out of the digest.
    timestamp: input.timestamp?.toISOString() ?? null,
    isSynthetic,
    syntheticScenarioId,
  } satisfies Record<(typeof DIGEST_KEYS)[number], unknown>;
  // Written out rather than spread from `digested`: the spread with two keys overridden made an
  // object of ~4 KB a step (a dictionary-mode copy) where this one has fixed fields.
  return {
    traceId: digested.traceId,
    stepIndex: digested.stepIndex,
    skillId: digested.skillId,
    skillName: digested.skillName,
    status: digested.status,
    outcomeCategory: digested.outcomeCategory,
    outcomeCode: digested.outcomeCode,
    durationMs: digested.durationMs,
    retryCount: digested.retryCount,
    inputHash: digested.inputHash,
    outputHash: digested.outputHash,
    rngStateBefore: digested.rngStateBefore,
    idempotencyKey: digested.idempotencyKey,
    replayBehavior: digested.replayBehavior,
    source: digested.source,
    isSynthetic,
    syntheticScenarioId,
    paramsJson: storedJson(canonicalParams.text, params),
    outcomeDataJson: canonicalOutcome === null ? null : storedJson(canonicalOutcome.text, outcomeData),
    costMicrocents,
    level: statusToLevel(input.status),
    // A step's timestamp is its start (schema: TraceStep.startedAt). An agent records a step once
    // it has run, so without one the start is the time of receipt minus the step's duration.
    timestamp: input.timestamp ?? new Date(Date.now() - (input.durationMs ?? 0)),
    contentHash: sha256Hex(digestJson(digested)),
  };
}

/**
 * The JSON text stored for a redacted payload: its canonical text, which jsonb reads as the same
 * value JSON.stringify of the redacted value would give (key order and escapes differ, jsonb
 * keeps neither) — except integers of 22 digits or more, which canonical JSON writes digit for
 * digit (1.2345e+25 as 12344999999999999916113920) and jsonb's numeric would keep so. Those
 * rare texts (a long digit run in a string also counts) are stored as before, from the redacted copy.
 */
function storedJson(canonical: string, value: unknown): string {
  return LONG_DIGIT_RUN.test(canonical) ? JSON.stringify(redactJson(value)) : canonical;
}
const LONG_DIGIT_RUN = /\d{22}/;

/** A time to insert, or the column's default (now) when none is given. */
const orDefault = (value: Date | undefined): Sql => (value === undefined ? raw('DEFAULT') : sql`${value}::timestamptz`);

function startDigest(input: StartTraceInput | StoreTraceInput): string {
  return sha256Hex(canonicalJson({ ...input, seed: input.seed?.toString() }));
}

type TraceDriverRow = Parameters<typeof traceFromDriverRow>[0];

/** A trace of the tenant, or null. */
export async function traceById(q: Queryable, tenantId: string, traceId: string): Promise<Trace | null> {
  const [row] = await q.query<TraceDriverRow>(`SELECT ${TRACE_SELECT.full} FROM aos_traces t WHERE t.tenant_id = $1 AND t.trace_id = $2`, [tenantId, traceId]);
  return row ? traceFromDriverRow(row) : null;
}

/** The step fields the root hash covers, of every stored step of a trace (archived ones too). */
export function rootHashSteps(q: Queryable, tenantId: string, traceId: string) {
  return q.query<Parameters<typeof traceRootHash>[1][number]>(
    `SELECT step_index AS "stepIndex", skill_id AS "skillId", input_hash AS "inputHash", output_hash AS "outputHash",
            rng_state_before AS "rngStateBefore", status::text AS status, idempotency_key AS "idempotencyKey",
            replay_behavior::text AS "replayBehavior"
     FROM aos_trace_steps WHERE tenant_id = $1 AND trace_id = $2`,
    [tenantId, traceId],
  );
}

export function createTraceStore(db: Db) {
  const runningTraces = new RunningTraces(10_000);

  /** The trace row, locked against concurrent step inserts until the transaction ends. */
  async function lockTrace(tx: Tx, tenantId: string, traceId: string): Promise<{ status: string } | undefined> {
    const [row] = await tx.query<{ status: string }>(
      `SELECT status::text AS status FROM aos_traces WHERE tenant_id = $1 AND trace_id = $2 FOR UPDATE`,
      [tenantId, traceId],
    );
    return row;
  }

  async function readTraces(tenantId: string, traceIds: string[]): Promise<Map<string, TraceState>> {
    const rows = await db.query<{ trace_id: string; status: string; is_synthetic: boolean; synthetic_scenario_id: string | null }>(
      `SELECT trace_id, status::text AS status, is_synthetic, synthetic_scenario_id FROM aos_traces WHERE tenant_id = $1 AND trace_id = ANY($2::text[])`,
      [tenantId, traceIds],
    );
    const states = new Map<string, TraceState>();
    for (const r of rows) states.set(r.trace_id, { status: r.status, isSynthetic: r.is_synthetic, syntheticScenarioId: r.synthetic_scenario_id });
    for (const id of traceIds) {
      const state = states.get(id);
      if (state?.status === 'running') runningTraces.set(tenantId, id, state);
      else runningTraces.delete(tenantId, id);
    }
    return states;
  }

  /**
   * The traces of a batch as last seen running (remembered), else as read now. A remembered state
   * may be stale (closed since, or marked differently): the insert re-checks it under its lock.
   */
  async function traceStates(tenantId: string, traceIds: string[]): Promise<Map<string, TraceState>> {
    const states = new Map<string, TraceState>();
    const unknown: string[] = [];
    for (const id of traceIds) {
      const state = runningTraces.get(tenantId, id);
      if (state) states.set(id, state);
      else unknown.push(id);
    }
    if (unknown.length) for (const [id, state] of await readTraces(tenantId, unknown)) states.set(id, state);
    return states;
  }

  /** The run of a new trace, unless the tenant has it already (the first trace of a run creates it). */
  async function ensureRun(tx: Tx, tenantId: string, input: StartTraceInput) {
    const insert = sql`
      INSERT INTO runs (tenant_id, run_id, agent_id, goal, is_synthetic, synthetic_scenario_id, started_at)
      VALUES (${tenantId}, ${input.runId}, ${input.agentId ?? null}, ${input.goal === undefined ? null : redactText(input.goal)},
        ${input.isSynthetic ?? false}, ${input.syntheticScenarioId ?? null}, ${orDefault(input.startedAt)})
      ON CONFLICT DO NOTHING`;
    await tx.query(insert.text, insert.values);
  }

  async function checkIncident(tx: Tx, tenantId: string, incidentId: string | undefined) {
    if (incidentId === undefined) return;
    // A malformed id names no incident (and would fail the uuid cast).
    const found = isUuid(incidentId) && (await tx.query(`SELECT 1 FROM incidents WHERE tenant_id = $1 AND id = $2::uuid`, [tenantId, incidentId])).length > 0;
    if (!found) throw notFound(`incident ${incidentId}`);
  }

  function headerData(tenantId: string, traceId: string, input: StartTraceInput) {
    if (input.isSynthetic && !input.syntheticScenarioId) throw badInput('a synthetic trace needs syntheticScenarioId', 'input.syntheticScenarioId');
    return {
      tenantId,
      traceId,
      runId: input.runId,
      correlationId: input.correlationId ?? input.runId,
      agentId: input.agentId ?? null,
      planId: input.planId ?? null,
      plan: redactJson(input.plan ?? []),
      seed: input.seed ?? null,
      frozenTimestamp: input.frozenTimestamp ?? null,
      planHash: input.planHash ?? null,
      metadata: redactJson(input.metadata ?? {}),
      incidentId: input.incidentId ?? null,
      isSynthetic: input.isSynthetic ?? false,
      syntheticScenarioId: input.syntheticScenarioId ?? null,
      replayMode: input.replayMode ?? null,
      replayAttemptId: input.replayAttemptId ?? null,
      replayArtifactVersion: input.replayArtifactVersion ?? null,
      traceCompletenessStatus: input.traceCompletenessStatus ?? null,
      requestDigest: startDigest(input),
      startedAt: input.startedAt,
    };
  }

  type Header = ReturnType<typeof headerData>;
  type Final = { status: TraceOutcome; completedAt: Date; rootHash: string; storedBy: string };

  /** Inserts the trace row: running, or (`final`) already finished by `store`. */
  async function insertTrace(tx: Tx, h: Header, final?: Final): Promise<Trace> {
    const insert = sql`
      INSERT INTO aos_traces AS t (tenant_id, trace_id, run_id, correlation_id, agent_id, plan_id, plan, seed, frozen_timestamp,
        plan_hash, metadata, incident_id, is_synthetic, synthetic_scenario_id, replay_mode, replay_attempt_id,
        replay_artifact_version, trace_completeness_status, request_digest, started_at, status, completed_at, root_hash, stored_by)
      VALUES (${h.tenantId}, ${h.traceId}, ${h.runId}, ${h.correlationId}, ${h.agentId}, ${h.planId}, ${JSON.stringify(h.plan)}::jsonb,
        ${h.seed?.toString() ?? null}::bigint, ${h.frozenTimestamp}, ${h.planHash}, ${JSON.stringify(h.metadata)}::jsonb,
        ${h.incidentId}::uuid, ${h.isSynthetic}, ${h.syntheticScenarioId}, ${h.replayMode}::"ReplayMode", ${h.replayAttemptId},
        ${h.replayArtifactVersion}, ${h.traceCompletenessStatus}, ${h.requestDigest}, ${orDefault(h.startedAt)},
        ${final?.status ?? 'running'}::"TraceStatus", ${final?.completedAt ?? null}::timestamptz, ${final?.rootHash ?? null},
        ${final?.storedBy ?? null})
      RETURNING ${raw(TRACE_SELECT.full)}`;
    const [row] = await tx.query<TraceDriverRow>(insert.text, insert.values);
    return traceFromDriverRow(row!);
  }

  /** Resolves a replay of a trace-creating request: the same request returns the trace, another is a CONFLICT. */
  async function existingTrace(tx: Tx, tenantId: string, traceId: string, digest: string): Promise<Trace | null> {
    const [existing] = await tx.query<TraceDriverRow & { requestDigest: string }>(
      `SELECT ${TRACE_SELECT.full}, t.request_digest AS "requestDigest" FROM aos_traces t WHERE t.tenant_id = $1 AND t.trace_id = $2`,
      [tenantId, traceId],
    );
    if (!existing) return null;
    const { requestDigest, ...trace } = existing;
    if (requestDigest !== digest) {
      throw conflict(`trace ${traceId} already exists with different content`, { traceId });
    }
    return traceFromDriverRow(trace);
  }

  async function finalise(tx: Tx, tenantId: string, traceId: string, status: TraceOutcome, metadataPatch: Record<string, unknown>) {
    const trace = await traceById(tx, tenantId, traceId);
    if (!trace) throw notFound(`trace ${traceId}`);
    const steps = await rootHashSteps(tx, tenantId, traceId);
    const completedAt = new Date();
    const metadata = { ...(trace.metadata as Record<string, unknown>), ...(redactJson(metadataPatch) as Record<string, unknown>) };
    const update = sql`
      UPDATE aos_traces t SET status = ${status}::"TraceStatus", completed_at = ${completedAt}::timestamptz,
        root_hash = ${traceRootHash(trace, steps)}, metadata = ${JSON.stringify(metadata)}::jsonb
      WHERE t.tenant_id = ${tenantId} AND t.trace_id = ${traceId}
      RETURNING ${raw(TRACE_SELECT.full)}`;
    const [updated] = await tx.query<TraceDriverRow>(update.text, update.values);
    await tx.query(`UPDATE runs SET status = $1::"RunStatus", completed_at = $2 WHERE tenant_id = $3 AND run_id = $4 AND status = 'running'`, [
      status === 'completed' ? 'succeeded' : status,
      completedAt,
      tenantId,
      trace.runId,
    ]);
    return traceFromDriverRow(updated!);
  }

  /**
   * Moves a running trace to a final state. Replaying the same final state returns the trace;
   * any other change of a final trace is a CONFLICT (B15: the reference let completion overwrite
   * an abort). Runs under a row lock, so no step can slip in after the root hash is computed.
   */
  async function transition(tenantId: string, traceId: string, status: TraceOutcome, metadataPatch: Record<string, unknown>) {
    return db.transaction(async (tx) => {
      const locked = await lockTrace(tx, tenantId, traceId);
      if (!locked) throw notFound(`trace ${traceId}`);
      if (locked.status !== 'running') {
        const current = (await traceById(tx, tenantId, traceId))!;
        if (locked.status === status) return current;
        throw conflict(`trace ${traceId} is already ${locked.status}`, { traceId, status: locked.status });
      }
      return finalise(tx, tenantId, traceId, status, metadataPatch);
    });
  }

  const store = {
    /** Creates a running trace (and its run, if new). Trace id defaults to `trace_<runId>`. */
    async start(tenantId: string, input: StartTraceInput): Promise<TraceWriteResult> {
      const traceId = input.traceId ?? `trace_${input.runId}`;
      const data = headerData(tenantId, traceId, input);
      return db.transaction(async (tx) => {
        const existing = await existingTrace(tx, tenantId, traceId, data.requestDigest);
        if (existing) return { trace: existing, created: false };
        await checkIncident(tx, tenantId, input.incidentId);
        await ensureRun(tx, tenantId, input);
        return { trace: await insertTrace(tx, data), created: true };
      });
    },

    /**
     * Records steps atomically: all are stored, or none and the error lists every failing item.
     * A step already stored with identical content is a DUPLICATE (safe retry); different content
     * under the same (trace, step index) is a CONFLICT, never a silent drop (D6). `columns` says
     * which columns the returned steps carry (for callers that show fewer).
     */
    async recordSteps(tenantId: string, inputs: StepInput[], { columns = ALL_STEP_COLUMNS }: { columns?: StepColumns } = {}): Promise<StepResult[]> {
      if (inputs.length === 0) return [];
      if (inputs.length > MAX_STEPS_PER_BATCH) throw badInput(`at most ${MAX_STEPS_PER_BATCH} steps per batch`, 'input.steps');
      const traceIds = [...new Set(inputs.map((s) => s.traceId))];
      let states = await traceStates(tenantId, traceIds);
      // A refused insert is retried only when the refusal came from a stale remembered state.
      for (let attempt = 1; ; attempt++) {
        const errors = itemErrors(inputs, states);
        if (errors.length) throw batchRejected(errors);
        const steps = inputs.map((input) => prepareStep(input, states.get(input.traceId)!));
        // The content hash tells a retry from a conflicting rewrite, whatever the caller selected.
        const outcome = await insertSteps(tenantId, states, steps, stepSelect(withColumns(columns, 'contentHash')));
        if ('results' in outcome) return outcome.results;
        const now = await readTraces(tenantId, traceIds);
        if (attempt >= 3 || sameStates(states, now)) {
          // Unchanged states and still nothing stored: something else is wrong, so say what we see.
          const refused = itemErrors(inputs, now);
          throw refused.length ? batchRejected(refused) : new Error('recordSteps: the insert was refused for traces that are running');
        }
        states = now;
      }
    },

    complete: (tenantId: string, traceId: string, status: 'completed' | 'failed', metadata?: Record<string, unknown>) =>
      failClosed(tenantId, traceId, () => transition(tenantId, traceId, status, metadata ?? {})),

    /** Aborts a running trace; aborting an aborted trace again returns it unchanged. */
    abort: (tenantId: string, traceId: string, reason: string) =>
      transition(tenantId, traceId, 'aborted', { abort_reason: redactText(reason) }),

    /**
     * Stores a finished trace with all its steps in one transaction (the reference did header and
     * steps in separate statements and attached steps to another tenant's trace on an id clash, B4).
     * The root hash is computed here; a client-sent one must match it (B14).
     */
    async store(tenantId: string, input: StoreTraceInput, storedBy: string): Promise<TraceWriteResult> {
      const traceId = input.traceId ?? `trace_${input.runId}`;
      if (input.steps.length > MAX_STEPS_PER_BATCH) throw badInput(`at most ${MAX_STEPS_PER_BATCH} steps per trace`, 'input.steps');
      const seen = new Map<number, number>();
      input.steps.forEach((s, i) => {
        const earlier = seen.get(s.stepIndex);
        if (earlier !== undefined) throw badInput(`steps ${earlier} and ${i} share stepIndex ${s.stepIndex}; step indexes must be unique (B24)`, `input.steps.${i}.stepIndex`);
        seen.set(s.stepIndex, i);
      });
      const header = headerData(tenantId, traceId, input);
      const status = input.status ?? 'completed';
      const pseudo: TraceState = { status, isSynthetic: header.isSynthetic, syntheticScenarioId: header.syntheticScenarioId };
      const steps = input.steps.map((s) => prepareStep({ ...s, traceId }, pseudo));
      const startedAt = input.startedAt ?? new Date();
      const rootHash = traceRootHash({ tenantId, seed: header.seed, frozenTimestamp: header.frozenTimestamp, startedAt }, steps);
      if (input.rootHash !== undefined && input.rootHash !== rootHash) {
        throw new AppError('BAD_USER_INPUT', `rootHash does not match the steps: sent ${input.rootHash}, computed ${rootHash}`, {
          field: 'input.rootHash',
          computed: rootHash,
        });
      }
      return db.transaction(async (tx) => {
        const existing = await existingTrace(tx, tenantId, traceId, header.requestDigest);
        if (existing) return { trace: existing, created: false };
        await checkIncident(tx, tenantId, input.incidentId);
        await ensureRun(tx, tenantId, { ...input, startedAt });
        const trace = await insertTrace(tx, { ...header, startedAt }, { status, completedAt: input.completedAt ?? new Date(), rootHash, storedBy });
        if (steps.length) {
          const insert = insertStepsSql(tenantId, steps);
          await tx.query(insert.text, insert.values);
        }
        return { trace, created: true };
      });
    },

    /** Running traces with no step recorded since `cutoff`, in every tenant (the reaper's work list). */
    async staleRunningForAnyTenant(cutoff: Date, limit = 500): Promise<{ tenantId: string; traceId: string }[]> {
      // Through the driver: this runs every few seconds in every server, and an idle server
      // should not hold Prisma's query compiler (~90 MB resident) for it.
      const query = sql`
        /* cross-tenant: the reaper's work list spans every tenant (one process per deployment runs it) */
        SELECT t.tenant_id, t.trace_id FROM aos_traces t
        WHERE t.status = 'running' AND t.started_at < ${cutoff}
          AND NOT EXISTS (SELECT 1 FROM aos_trace_steps s
                          WHERE s.tenant_id = t.tenant_id AND s.trace_id = t.trace_id AND s.recorded_at >= ${cutoff})
        ORDER BY t.started_at LIMIT ${limit}`;
      const rows = await db.withSession((session) => session.query<{ tenant_id: string; trace_id: string }>(query.text, query.values));
      return rows.map((r) => ({ tenantId: r.tenant_id, traceId: r.trace_id }));
    },
  };

  /**
   * Fail-closed finalisation (B15): when completing throws for any reason other than the caller's
   * own mistake, the trace is aborted rather than left running for ever.
   */
  async function failClosed(tenantId: string, traceId: string, work: () => Promise<Trace>): Promise<Trace> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof AppError) throw error;
      const reason = `finalization_failed: ${dbErrorMessage(error).slice(0, 200)}`;
      await db.transaction((tx) => finalise(tx, tenantId, traceId, 'aborted', { abort_reason: redactText(reason) })).catch(() => {
        // The abort failed too (database gone?): the reaper will abort the trace later.
      });
      throw error;
    }
  }

  /**
   * Inserts the steps in ONE statement that first locks their traces FOR SHARE and checks that
   * each is still running with the state the steps were prepared for; otherwise it stores nothing
   * and the batch is `refused`. No interactive transaction: the statement is its own. A step
   * already stored with the same content is a DUPLICATE; with other content, the batch is refused.
   */
  async function insertSteps(
    tenantId: string,
    states: Map<string, TraceState>,
    steps: PreparedStep[],
    columns: string,
  ): Promise<{ refused: true } | { results: StepResult[] }> {
    // Two items of one batch for the same (trace, index): identical → one row; different → CONFLICT.
    const firstByKey = new Map<string, number>();
    const errors: ItemError[] = [];
    steps.forEach((s, index) => {
      const key = stepKey(s);
      const first = firstByKey.get(key);
      if (first === undefined) firstByKey.set(key, index);
      else if (steps[first]!.contentHash !== s.contentHash) {
        errors.push({ index, code: 'CONFLICT', message: `step ${s.stepIndex} of trace ${s.traceId} appears twice in the batch with different content` });
      }
    });
    if (errors.length) throw batchRejected(errors);
    // Rows in key order: two batches over the same steps then wait on each other instead of deadlocking.
    const unique = [...firstByKey.values()].map((i) => steps[i]!).sort(compareSteps);
    const ids = [...states.keys()];
    // A row per inserted step; a refusal is one row of nulls, and "all stored already" no row at all.
    // Through the driver: Prisma's per-value decoding of the returned rows cost more than the insert.
    const statement = sql`
      WITH locked AS MATERIALIZED (
        SELECT trace_id, status, is_synthetic, synthetic_scenario_id FROM aos_traces
        WHERE tenant_id = ${tenantId} AND trace_id = ANY(${ids}::text[]) ORDER BY trace_id FOR SHARE),
      expected AS (
        SELECT * FROM unnest(${ids}::text[], ${ids.map((id) => states.get(id)!.isSynthetic)}::boolean[],
          ${ids.map((id) => states.get(id)!.syntheticScenarioId)}::text[]) AS e(trace_id, is_synthetic, synthetic_scenario_id)),
      guard AS MATERIALIZED (
        SELECT count(*) = ${ids.length}::int AS ok FROM locked l JOIN expected e USING (trace_id)
        WHERE l.status = 'running' AND l.is_synthetic = e.is_synthetic AND l.synthetic_scenario_id IS NOT DISTINCT FROM e.synthetic_scenario_id),
      inserted AS (
        ${insertStepsSql(tenantId, unique, sql`WHERE (SELECT ok FROM guard)`)}
        RETURNING ${raw(columns)})
      SELECT i.* FROM guard g LEFT JOIN inserted i ON true WHERE NOT g.ok OR i.id IS NOT NULL`;
    // Prepared: its text is the same for every batch with the same returned columns, and planning
    // it cost as much as running it for one step.
    const rows = await db.query<DriverStepRow>(statement.text, statement.values, { prepared: true });
    if (rows.length === 1 && rows[0]!.id === null) return { refused: true };
    const inserted = rows.map(stepFromDriverRow);
    const insertedKeys = new Set(inserted.map(stepKey));
    const missing = unique.filter((s) => !insertedKeys.has(stepKey(s)));
    const existing = missing.length
      ? (
          await db.query<DriverStepRow>(
            `SELECT ${columns} FROM unnest($2::text[], $3::int[]) AS k(trace_id, step_index)
             JOIN aos_trace_steps s ON s.tenant_id = $1 AND s.trace_id = k.trace_id AND s.step_index = k.step_index`,
            [tenantId, missing.map((s) => s.traceId), missing.map((s) => s.stepIndex)],
          )
        ).map(stepFromDriverRow)
      : [];
    const stored = new Map([...inserted, ...existing].map((r) => [stepKey(r), r]));
    const results: StepResult[] = [];
    steps.forEach((s, index) => {
      const key = stepKey(s);
      const row = stored.get(key);
      if (!row) throw new Error(`recordSteps: step ${s.stepIndex} of trace ${s.traceId} was neither inserted nor found`);
      if (row.contentHash !== s.contentHash) {
        errors.push({ index, code: 'CONFLICT', message: `step ${s.stepIndex} of trace ${s.traceId} is already stored with different content` });
      }
      const createdHere = insertedKeys.has(key) && firstByKey.get(key) === index;
      results.push({ index, outcome: createdHere ? 'CREATED' : 'DUPLICATE', step: row });
    });
    if (errors.length) throw batchRejected(errors);
    return { results };
  }

  return store;
}

export type TraceStore = ReturnType<typeof createTraceStore>;

/** A remembered state per (tenant, trace) of traces last seen running, bounded like a cache. */
class RunningTraces {
  private readonly states = new Map<string, TraceState>();
  constructor(private readonly max: number) {}
  get(tenantId: string, traceId: string) {
    return this.states.get(`${tenantId}\u0000${traceId}`);
  }
  set(tenantId: string, traceId: string, state: TraceState) {
    if (this.states.size >= this.max) this.states.clear();
    this.states.set(`${tenantId}\u0000${traceId}`, state);
  }
  delete(tenantId: string, traceId: string) {
    this.states.delete(`${tenantId}\u0000${traceId}`);
  }
}

/** Per-item refusals known before writing, in the order the first implementation checked them. */
function itemErrors(inputs: StepInput[], states: Map<string, TraceState>): ItemError[] {
  const errors: ItemError[] = [];
  inputs.forEach((input, index) => {
    const trace = states.get(input.traceId);
    if (!trace) errors.push({ index, code: 'NOT_FOUND', message: `trace ${input.traceId} not found`, field: 'traceId' });
    else if (trace.status !== 'running') {
      errors.push({ index, code: 'CONFLICT', message: `trace ${input.traceId} is ${trace.status}; no more steps can be recorded` });
    } else if (input.isSynthetic && !(input.syntheticScenarioId ?? trace.syntheticScenarioId)) {
      errors.push({ index, code: 'BAD_USER_INPUT', message: 'a synthetic step needs syntheticScenarioId', field: 'syntheticScenarioId' });
    }
  });
  return errors;
}

function sameStates(a: Map<string, TraceState>, b: Map<string, TraceState>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, x] of a) {
    const y = b.get(id);
    if (!y || x.status !== y.status || x.isSynthetic !== y.isSynthetic || x.syntheticScenarioId !== y.syntheticScenarioId) return false;
  }
  return true;
}

type DriverStepRow = Parameters<typeof stepFromDriverRow>[0];

const stepKey = (s: { traceId: string; stepIndex: number }) => `${s.traceId}\u0000${s.stepIndex}`;

const compareSteps = (a: PreparedStep, b: PreparedStep) =>
  a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : a.stepIndex - b.stepIndex;

/**
 * INSERT … SELECT of the steps from ONE parameter (`filter` may add a WHERE to the SELECT),
 * skipping steps already stored; the caller adds RETURNING. Prisma's createMany built and bound
 * every value separately and spent most of an ingest request there (BENCHMARKS.md);
 * jsonb_to_recordset takes the whole batch as one parameter. The parameter's text is written
 * here field by field, the payloads spliced in as the canonical text already made for the
 * hashes, instead of a row object per step serialised again by JSON.stringify.
 */
function insertStepsSql(tenantId: string, steps: PreparedStep[], filter: Sql = empty): Sql {
  return sql`
    INSERT INTO aos_trace_steps AS s (tenant_id, trace_id, step_index, skill_id, skill_name, params, status, level,
      outcome_category, outcome_code, outcome_data, cost_microcents, duration_ms, retry_count, input_hash, output_hash,
      rng_state_before, idempotency_key, replay_behavior, source, "timestamp", is_synthetic, synthetic_scenario_id, content_hash,
      trace_started_at)
    SELECT ${tenantId}::text, r.trace_id, r.step_index, r.skill_id, r.skill_name, coalesce(r.params, '{}'::jsonb), r.status, r.level,
      r.outcome_category, r.outcome_code, r.outcome_data, r.cost_microcents, r.duration_ms, r.retry_count, r.input_hash, r.output_hash,
      r.rng_state_before, r.idempotency_key, r.replay_behavior, r.source, r."timestamp", r.is_synthetic, r.synthetic_scenario_id, r.content_hash,
      tr.started_at
    FROM jsonb_to_recordset(${stepRowsJson(steps)}::jsonb) AS r(trace_id text, step_index int, skill_id text,
      skill_name text, params jsonb, status "StepStatus", level "StepLevel", outcome_category text, outcome_code text,
      outcome_data jsonb, cost_microcents bigint, duration_ms float8, retry_count int, input_hash text, output_hash text,
      rng_state_before text, idempotency_key text, replay_behavior "ReplayBehavior", source "StepSource", "timestamp" timestamptz,
      is_synthetic boolean, synthetic_scenario_id text, content_hash text)
    -- The partition key (docs/partitions.md): the trace's started_at, which the foreign key checks.
    JOIN aos_traces tr ON tr.tenant_id = ${tenantId} AND tr.trace_id = r.trace_id
    ${filter}
    -- Unique per partition, and as strict as (tenant_id, trace_id, step_index): see migration 20261203140000.
    ON CONFLICT (tenant_id, trace_id, step_index, trace_started_at) DO NOTHING`;
}

/**
 * The steps as one JSON array of rows for jsonb_to_recordset (strings through JSON.stringify).
 * Parts joined once into one flat string: `+=` made a rope of ~50 pieces a step that the driver
 * then flattened again to measure and write it.
 */
function stepRowsJson(steps: PreparedStep[]): string {
  const q = JSON.stringify;
  const parts: string[] = ['['];
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    parts.push(
      i ? ',{"trace_id":' : '{"trace_id":', q(s.traceId), ',"step_index":', q(s.stepIndex), ',"skill_id":', q(s.skillId), ',"skill_name":', q(s.skillName),
      ',"params":', s.paramsJson, ',"status":', q(s.status), ',"level":', q(s.level), ',"outcome_category":', q(s.outcomeCategory),
      ',"outcome_code":', q(s.outcomeCode), ',"outcome_data":', s.outcomeDataJson ?? 'null', ',"cost_microcents":"', String(s.costMicrocents),
      '","duration_ms":', q(s.durationMs), ',"retry_count":', q(s.retryCount), ',"input_hash":', q(s.inputHash), ',"output_hash":', q(s.outputHash),
      ',"rng_state_before":', q(s.rngStateBefore), ',"idempotency_key":', q(s.idempotencyKey), ',"replay_behavior":', q(s.replayBehavior),
      ',"source":', q(s.source), ',"timestamp":"', s.timestamp.toISOString(), '","is_synthetic":', s.isSynthetic ? 'true' : 'false',
      ',"synthetic_scenario_id":', q(s.syntheticScenarioId), ',"content_hash":"', s.contentHash, '"}',
    );
  }
  parts.push(']');
  return parts.join('');
}
