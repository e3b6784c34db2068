// Traces and their steps: every write path of the reference trace store, with its defects fixed.
// Tenant first on every method (D3); the (tenant_id, trace_id) foreign key makes a step under
// another tenant's trace impossible (B4, B17); steps are insert-only and idempotent (D6).
import type { Prisma } from '../generated/prisma/client.ts';
import { canonicalJson } from '../domain/canonical-json.ts';
import { sha256Hex, shortDigest } from '../domain/hashes.ts';
import { statusToLevel } from '../domain/levels.ts';
import { redactJson, redactText } from '../domain/redact.ts';
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
import type { Db } from '../db/client.ts';
import { STEP_COLUMNS, toTrace, toTraceStep } from './trace-rows.ts';

/** Largest batch `recordSteps` and `store` accept; documented in the README. */
export const MAX_STEPS_PER_BATCH = 1000;

type Tx = Prisma.TransactionClient;

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

/** A step ready to insert: redacted, defaulted, with the digest that tells retries from rewrites. */
type PreparedStep = Prisma.TraceStepCreateManyInput & { traceId: string; stepIndex: number; contentHash: string };

type LockedTrace = { trace_id: string; status: string; is_synthetic: boolean; synthetic_scenario_id: string | null };

const json = (value: unknown) => value as Prisma.InputJsonValue;

function prepareStep(tenantId: string, input: StepInput, trace: LockedTrace): PreparedStep {
  const params = redactJson(input.params ?? {});
  const outcomeData = input.outcomeData === undefined || input.outcomeData === null ? null : redactJson(input.outcomeData);
  // Steps inherit the synthetic marking of their trace unless they say otherwise (B24).
  const isSynthetic = input.isSynthetic ?? trace.is_synthetic;
  const syntheticScenarioId = input.syntheticScenarioId ?? (isSynthetic ? trace.synthetic_scenario_id : null) ?? null;
  const step = {
    traceId: input.traceId,
    stepIndex: input.stepIndex,
    skillId: input.skillId ?? input.skillName,
    skillName: input.skillName,
    params,
    status: input.status,
    outcomeCategory: input.outcomeCategory ?? DEFAULT_OUTCOME_CATEGORY[input.status],
    outcomeCode: input.outcomeCode ?? null,
    outcomeData,
    costMicrocents: (input.costMicrocents ?? 0n).toString(),
    durationMs: input.durationMs ?? 0,
    retryCount: input.retryCount ?? 0,
    // Hashes the SDK would have sent, computed from what we store, so the root hash can be rechecked later.
    inputHash: input.inputHash ?? shortDigest(params),
    outputHash: input.outputHash ?? (outcomeData === null ? null : shortDigest(outcomeData)),
    rngStateBefore: input.rngStateBefore ?? null,
    idempotencyKey: input.idempotencyKey ?? null,
    replayBehavior: input.replayBehavior ?? 'execute',
    source: input.source ?? 'engine',
    // A client-less timestamp is the server clock, which differs on a retry: keep it out of the digest.
    timestamp: input.timestamp?.toISOString() ?? null,
    isSynthetic,
    syntheticScenarioId,
  };
  return {
    ...step,
    tenantId,
    params: json(params),
    outcomeData: outcomeData === null ? undefined : json(outcomeData),
    costMicrocents: input.costMicrocents ?? 0n,
    level: statusToLevel(input.status),
    timestamp: input.timestamp ?? new Date(),
    contentHash: sha256Hex(canonicalJson(step)),
  };
}

function startDigest(input: StartTraceInput | StoreTraceInput): string {
  return sha256Hex(canonicalJson({ ...input, seed: input.seed?.toString() }));
}

export function createTraceStore(db: Db) {
  const prisma = db.prisma;

  async function lockTraces(tx: Tx, tenantId: string, traceIds: string[], mode: 'SHARE' | 'UPDATE'): Promise<Map<string, LockedTrace>> {
    // Ordered locking keeps two batches over the same traces from deadlocking.
    const rows =
      mode === 'SHARE'
        ? await tx.$queryRaw<LockedTrace[]>`SELECT trace_id, status::text AS status, is_synthetic, synthetic_scenario_id FROM aos_traces
            WHERE tenant_id = ${tenantId} AND trace_id = ANY(${traceIds}) ORDER BY trace_id FOR SHARE`
        : await tx.$queryRaw<LockedTrace[]>`SELECT trace_id, status::text AS status, is_synthetic, synthetic_scenario_id FROM aos_traces
            WHERE tenant_id = ${tenantId} AND trace_id = ANY(${traceIds}) ORDER BY trace_id FOR UPDATE`;
    return new Map(rows.map((r) => [r.trace_id, r]));
  }

  async function ensureRun(tx: Tx, tenantId: string, input: StartTraceInput) {
    await tx.run.createMany({
      data: [
        {
          tenantId,
          runId: input.runId,
          agentId: input.agentId ?? null,
          goal: input.goal === undefined ? null : redactText(input.goal),
          isSynthetic: input.isSynthetic ?? false,
          syntheticScenarioId: input.syntheticScenarioId ?? null,
          ...(input.startedAt ? { startedAt: input.startedAt } : {}),
        },
      ],
      skipDuplicates: true,
    });
  }

  async function checkIncident(tx: Tx, tenantId: string, incidentId: string | undefined) {
    if (incidentId === undefined) return;
    const found = await tx.incident.findFirst({ where: { tenantId, id: incidentId }, select: { id: true } });
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
      plan: json(redactJson(input.plan ?? [])),
      seed: input.seed ?? null,
      frozenTimestamp: input.frozenTimestamp ?? null,
      planHash: input.planHash ?? null,
      metadata: json(redactJson(input.metadata ?? {})),
      incidentId: input.incidentId ?? null,
      isSynthetic: input.isSynthetic ?? false,
      syntheticScenarioId: input.syntheticScenarioId ?? null,
      replayMode: input.replayMode ?? null,
      replayAttemptId: input.replayAttemptId ?? null,
      replayArtifactVersion: input.replayArtifactVersion ?? null,
      traceCompletenessStatus: input.traceCompletenessStatus ?? null,
      requestDigest: startDigest(input),
      ...(input.startedAt ? { startedAt: input.startedAt } : {}),
    };
  }

  /** Resolves a replay of a trace-creating request: the same request returns the trace, another is a CONFLICT. */
  async function existingTrace(tx: Tx, tenantId: string, traceId: string, digest: string): Promise<Trace | null> {
    const existing = await tx.trace.findUnique({ where: { tenantId_traceId: { tenantId, traceId } } });
    if (!existing) return null;
    if (existing.requestDigest !== digest) {
      throw conflict(`trace ${traceId} already exists with different content`, { traceId });
    }
    return toTrace(existing);
  }

  async function finalise(tx: Tx, tenantId: string, traceId: string, status: TraceOutcome, metadataPatch: Record<string, unknown>) {
    const trace = await tx.trace.findUniqueOrThrow({ where: { tenantId_traceId: { tenantId, traceId } } });
    const steps = await tx.traceStep.findMany({
      where: { tenantId, traceId },
      select: { stepIndex: true, skillId: true, inputHash: true, outputHash: true, rngStateBefore: true, status: true, idempotencyKey: true, replayBehavior: true },
    });
    const completedAt = new Date();
    const updated = await tx.trace.update({
      where: { tenantId_traceId: { tenantId, traceId } },
      data: {
        status,
        completedAt,
        rootHash: traceRootHash(toTrace(trace), steps),
        metadata: json({ ...(trace.metadata as Record<string, unknown>), ...(redactJson(metadataPatch) as Record<string, unknown>) }),
      },
    });
    await tx.run.updateMany({
      where: { tenantId, runId: trace.runId, status: 'running' },
      data: { status: status === 'completed' ? 'succeeded' : status, completedAt },
    });
    return toTrace(updated);
  }

  /**
   * Moves a running trace to a final state. Replaying the same final state returns the trace;
   * any other change of a final trace is a CONFLICT (B15: the reference let completion overwrite
   * an abort). Runs under a row lock, so no step can slip in after the root hash is computed.
   */
  async function transition(tenantId: string, traceId: string, status: TraceOutcome, metadataPatch: Record<string, unknown>) {
    return prisma.$transaction(async (tx) => {
      const locked = (await lockTraces(tx, tenantId, [traceId], 'UPDATE')).get(traceId);
      if (!locked) throw notFound(`trace ${traceId}`);
      if (locked.status !== 'running') {
        const current = toTrace(await tx.trace.findUniqueOrThrow({ where: { tenantId_traceId: { tenantId, traceId } } }));
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
      return prisma.$transaction(async (tx) => {
        const existing = await existingTrace(tx, tenantId, traceId, data.requestDigest);
        if (existing) return { trace: existing, created: false };
        await checkIncident(tx, tenantId, input.incidentId);
        await ensureRun(tx, tenantId, input);
        const row = await tx.trace.create({ data });
        return { trace: toTrace(row), created: true };
      });
    },

    /**
     * Records steps atomically: all are stored, or none and the error lists every failing item.
     * A step already stored with identical content is a DUPLICATE (safe retry); different content
     * under the same (trace, step index) is a CONFLICT, never a silent drop (D6).
     */
    async recordSteps(tenantId: string, inputs: StepInput[]): Promise<StepResult[]> {
      if (inputs.length === 0) return [];
      if (inputs.length > MAX_STEPS_PER_BATCH) throw badInput(`at most ${MAX_STEPS_PER_BATCH} steps per batch`, 'input.steps');
      return prisma.$transaction(async (tx) => {
        const traceIds = [...new Set(inputs.map((s) => s.traceId))];
        const traces = await lockTraces(tx, tenantId, traceIds, 'SHARE');
        const errors: ItemError[] = [];
        const prepared: (PreparedStep | null)[] = inputs.map((input, index) => {
          const trace = traces.get(input.traceId);
          if (!trace) return errors.push({ index, code: 'NOT_FOUND', message: `trace ${input.traceId} not found`, field: 'traceId' }), null;
          if (trace.status !== 'running') {
            return errors.push({ index, code: 'CONFLICT', message: `trace ${input.traceId} is ${trace.status}; no more steps can be recorded` }), null;
          }
          if (input.isSynthetic && !(input.syntheticScenarioId ?? trace.synthetic_scenario_id)) {
            return errors.push({ index, code: 'BAD_USER_INPUT', message: 'a synthetic step needs syntheticScenarioId', field: 'syntheticScenarioId' }), null;
          }
          return prepareStep(tenantId, input, trace);
        });
        if (errors.length) throw batchRejected(errors);
        return insertSteps(tx, tenantId, prepared as PreparedStep[]);
      });
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
      const pseudo: LockedTrace = { trace_id: traceId, status, is_synthetic: header.isSynthetic, synthetic_scenario_id: header.syntheticScenarioId };
      const steps = input.steps.map((s) => prepareStep(tenantId, { ...s, traceId }, pseudo));
      const startedAt = input.startedAt ?? new Date();
      const rootHash = traceRootHash(
        { tenantId, seed: header.seed, frozenTimestamp: header.frozenTimestamp, startedAt },
        steps.map((s) => ({ ...s, status: s.status as StepStatus, replayBehavior: s.replayBehavior as ReplayBehavior, inputHash: s.inputHash ?? null, outputHash: s.outputHash ?? null, rngStateBefore: s.rngStateBefore ?? null, idempotencyKey: s.idempotencyKey ?? null })),
      );
      if (input.rootHash !== undefined && input.rootHash !== rootHash) {
        throw new AppError('BAD_USER_INPUT', `rootHash does not match the steps: sent ${input.rootHash}, computed ${rootHash}`, {
          field: 'input.rootHash',
          computed: rootHash,
        });
      }
      return prisma.$transaction(async (tx) => {
        const existing = await existingTrace(tx, tenantId, traceId, header.requestDigest);
        if (existing) return { trace: existing, created: false };
        await checkIncident(tx, tenantId, input.incidentId);
        await ensureRun(tx, tenantId, { ...input, startedAt });
        const row = await tx.trace.create({
          data: { ...header, startedAt, status, completedAt: input.completedAt ?? new Date(), rootHash, storedBy },
        });
        if (steps.length) await insertStepRows(tx, steps);
        return { trace: toTrace(row), created: true };
      });
    },

    /** Running traces with no step recorded since `cutoff`, in every tenant (the reaper's work list). */
    async staleRunningForAnyTenant(cutoff: Date, limit = 500): Promise<{ tenantId: string; traceId: string }[]> {
      const rows = await db.admin.$queryRaw<{ tenant_id: string; trace_id: string }[]>`
        SELECT t.tenant_id, t.trace_id FROM aos_traces t
        WHERE t.status = 'running' AND t.started_at < ${cutoff}
          AND NOT EXISTS (SELECT 1 FROM aos_trace_steps s
                          WHERE s.tenant_id = t.tenant_id AND s.trace_id = t.trace_id AND s.recorded_at >= ${cutoff})
        ORDER BY t.started_at LIMIT ${limit}`;
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
      await prisma.$transaction((tx) => finalise(tx, tenantId, traceId, 'aborted', { abort_reason: redactText(reason) })).catch(() => {
        // The abort failed too (database gone?): the reaper will abort the trace later.
      });
      throw error;
    }
  }

  async function insertSteps(tx: Tx, tenantId: string, steps: PreparedStep[]): Promise<StepResult[]> {
    // Two items of one batch for the same (trace, index): identical → one row; different → CONFLICT.
    const firstByKey = new Map<string, number>();
    const errors: ItemError[] = [];
    steps.forEach((s, index) => {
      const key = `${s.traceId}\u0000${s.stepIndex}`;
      const first = firstByKey.get(key);
      if (first === undefined) firstByKey.set(key, index);
      else if (steps[first]!.contentHash !== s.contentHash) {
        errors.push({ index, code: 'CONFLICT', message: `step ${s.stepIndex} of trace ${s.traceId} appears twice in the batch with different content` });
      }
    });
    if (errors.length) throw batchRejected(errors);
    const unique = [...firstByKey.values()].map((i) => steps[i]!);
    const inserted = await insertStepRows(tx, unique);
    const insertedKeys = new Set(inserted.map((r) => `${r.traceId}\u0000${r.stepIndex}`));
    const missing = unique.filter((s) => !insertedKeys.has(`${s.traceId}\u0000${s.stepIndex}`));
    const existing = missing.length
      ? await tx.traceStep.findMany({ where: { tenantId, OR: missing.map((s) => ({ traceId: s.traceId, stepIndex: s.stepIndex })) } })
      : [];
    const stored = new Map([...inserted, ...existing.map(toTraceStep)].map((r) => [`${r.traceId}\u0000${r.stepIndex}`, r]));
    const results: StepResult[] = [];
    steps.forEach((s, index) => {
      const key = `${s.traceId}\u0000${s.stepIndex}`;
      const row = stored.get(key)!;
      if (row.contentHash !== s.contentHash) {
        errors.push({ index, code: 'CONFLICT', message: `step ${s.stepIndex} of trace ${s.traceId} is already stored with different content` });
      }
      const createdHere = insertedKeys.has(key) && firstByKey.get(key) === index;
      results.push({ index, outcome: createdHere ? 'CREATED' : 'DUPLICATE', step: row });
    });
    if (errors.length) throw batchRejected(errors);
    return results;
  }

  return store;
}

export type TraceStore = ReturnType<typeof createTraceStore>;

/**
 * Inserts steps in ONE statement and returns those stored now (a step already stored is skipped).
 * Prisma's createMany builds and binds every value separately and spent most of an ingest request
 * there (BENCHMARKS.md); jsonb_to_recordset takes the whole batch as one parameter.
 */
async function insertStepRows(tx: Tx, steps: PreparedStep[]): Promise<TraceStep[]> {
  const rows = steps.map((s) => ({
    tenant_id: s.tenantId,
    trace_id: s.traceId,
    step_index: s.stepIndex,
    skill_id: s.skillId,
    skill_name: s.skillName,
    params: s.params,
    status: s.status,
    level: s.level,
    outcome_category: s.outcomeCategory,
    outcome_code: s.outcomeCode ?? null,
    outcome_data: s.outcomeData ?? null,
    cost_microcents: String(s.costMicrocents ?? 0n),
    duration_ms: s.durationMs ?? 0,
    retry_count: s.retryCount ?? 0,
    input_hash: s.inputHash ?? null,
    output_hash: s.outputHash ?? null,
    rng_state_before: s.rngStateBefore ?? null,
    idempotency_key: s.idempotencyKey ?? null,
    replay_behavior: s.replayBehavior ?? 'execute',
    source: s.source ?? 'engine',
    timestamp: s.timestamp instanceof Date ? s.timestamp.toISOString() : s.timestamp,
    is_synthetic: s.isSynthetic ?? false,
    synthetic_scenario_id: s.syntheticScenarioId ?? null,
    content_hash: s.contentHash,
  }));
  return tx.$queryRaw<TraceStep[]>`
    INSERT INTO aos_trace_steps AS s (tenant_id, trace_id, step_index, skill_id, skill_name, params, status, level,
      outcome_category, outcome_code, outcome_data, cost_microcents, duration_ms, retry_count, input_hash, output_hash,
      rng_state_before, idempotency_key, replay_behavior, source, "timestamp", is_synthetic, synthetic_scenario_id, content_hash)
    SELECT r.tenant_id, r.trace_id, r.step_index, r.skill_id, r.skill_name, coalesce(r.params, '{}'::jsonb), r.status, r.level,
      r.outcome_category, r.outcome_code, r.outcome_data, r.cost_microcents, r.duration_ms, r.retry_count, r.input_hash, r.output_hash,
      r.rng_state_before, r.idempotency_key, r.replay_behavior, r.source, r."timestamp", r.is_synthetic, r.synthetic_scenario_id, r.content_hash
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(tenant_id text, trace_id text, step_index int, skill_id text,
      skill_name text, params jsonb, status "StepStatus", level "StepLevel", outcome_category text, outcome_code text,
      outcome_data jsonb, cost_microcents bigint, duration_ms float8, retry_count int, input_hash text, output_hash text,
      rng_state_before text, idempotency_key text, replay_behavior "ReplayBehavior", source "StepSource", "timestamp" timestamptz,
      is_synthetic boolean, synthetic_scenario_id text, content_hash text)
    ON CONFLICT (tenant_id, trace_id, step_index) DO NOTHING
    RETURNING ${STEP_COLUMNS}`;
}
