// Row → domain mapping for traces and steps, shared by the trace write store and the query store.
import { Prisma } from '../generated/prisma/client.ts';
import type { Trace, TraceStep } from '../domain/trace.ts';

/** `<table>.<column> AS "<alias>"`, …: raw SQL returning rows under their domain names. */
const selectList = (columns: readonly (readonly [string, string])[], table = 's') =>
  columns.map(([column, alias]) => `${table}.${column} AS "${alias}"`).join(', ');

export type TraceRow = Prisma.TraceGetPayload<object>;
export type StepRow = Prisma.TraceStepGetPayload<object>;

export function toTrace(row: TraceRow): Trace {
  const { requestDigest: _digest, ...trace } = row;
  return trace;
}

/** Trace columns under their domain names (the request digest stays out: it is a write-path detail). */
const TRACE_COLUMN_ALIASES = [
  ['id', 'id'],
  ['tenant_id', 'tenantId'],
  ['trace_id', 'traceId'],
  ['run_id', 'runId'],
  ['correlation_id', 'correlationId'],
  ['agent_id', 'agentId'],
  ['plan_id', 'planId'],
  ['seed::text', 'seed'],
  ['frozen_timestamp', 'frozenTimestamp'],
  ['root_hash', 'rootHash'],
  ['plan_hash', 'planHash'],
  ['schema_version', 'schemaVersion'],
  ['plan', 'plan'],
  ['metadata', 'metadata'],
  ['status::text', 'status'],
  ['started_at', 'startedAt'],
  ['completed_at', 'completedAt'],
  ['created_at', 'createdAt'],
  ['stored_by', 'storedBy'],
  ['incident_id::text', 'incidentId'],
  ['is_synthetic', 'isSynthetic'],
  ['synthetic_scenario_id', 'syntheticScenarioId'],
  ['archived_at', 'archivedAt'],
  ['violation_step_index', 'violationStepIndex'],
  ['violation_timestamp', 'violationTimestamp'],
  ['violation_policy_id', 'violationPolicyId'],
  ['violation_reason', 'violationReason'],
  ['replay_mode::text', 'replayMode'],
  ['replay_attempt_id', 'replayAttemptId'],
  ['replay_artifact_version', 'replayArtifactVersion'],
  ['trace_completeness_status', 'traceCompletenessStatus'],
] as const;

/** The JSON columns of a trace, left out of a page when nobody selects them. */
export const TRACE_PAYLOAD_FIELDS: ReadonlySet<string> = new Set(['plan', 'metadata']);

/** Trace columns as text for `db.query` (alias `t`), with or without the payload columns. */
export const TRACE_SELECT = {
  full: selectList(TRACE_COLUMN_ALIASES, 't'),
  withoutPayload: selectList(TRACE_COLUMN_ALIASES.filter(([, alias]) => !TRACE_PAYLOAD_FIELDS.has(alias)), 't'),
};

/**
 * A trace row as the driver returns it (seed as text) → Trace. Without the payload columns, plan
 * and metadata are undefined: only for selections that do not ask for them.
 */
export function traceFromDriverRow(row: Omit<Trace, 'seed'> & { seed: string | null }): Trace {
  return Object.assign(row, { seed: row.seed === null ? null : BigInt(row.seed) });
}

export function toTraceStep(row: StepRow): TraceStep {
  return row;
}

const STEP_COLUMN_ALIASES = [
  ['id', 'id'],
  ['tenant_id', 'tenantId'],
  ['trace_id', 'traceId'],
  ['step_index', 'stepIndex'],
  ['skill_id', 'skillId'],
  ['skill_name', 'skillName'],
  ['params', 'params'],
  ['status::text', 'status'],
  ['level::text', 'level'],
  ['outcome_category', 'outcomeCategory'],
  ['outcome_code', 'outcomeCode'],
  ['outcome_data', 'outcomeData'],
  ['cost_microcents', 'costMicrocents'],
  ['duration_ms', 'durationMs'],
  ['retry_count', 'retryCount'],
  ['input_hash', 'inputHash'],
  ['output_hash', 'outputHash'],
  ['rng_state_before', 'rngStateBefore'],
  ['idempotency_key', 'idempotencyKey'],
  ['replay_behavior::text', 'replayBehavior'],
  ['source::text', 'source'],
  ['timestamp', 'timestamp'],
  ['is_synthetic', 'isSynthetic'],
  ['synthetic_scenario_id', 'syntheticScenarioId'],
  ['content_hash', 'contentHash'],
  ['recorded_at', 'recordedAt'],
  ['archived_at', 'archivedAt'],
] as const;

/** The JSON columns of a step: most of its bytes, and worth leaving out when nobody selects them. */
export const STEP_PAYLOAD_FIELDS: ReadonlySet<string> = new Set(['params', 'outcomeData']);

/**
 * Every step column under its domain name, for raw SQL that must return TraceStep rows directly
 * (per-trace pages need LATERAL joins, which Prisma's query builder cannot express).
 */
export const STEP_COLUMNS = Prisma.raw(selectList(STEP_COLUMN_ALIASES));

/** The same list as text for `db.query`, with or without the payload columns. */
export const STEP_SELECT = {
  full: selectList(STEP_COLUMN_ALIASES),
  withoutPayload: selectList(STEP_COLUMN_ALIASES.filter(([, alias]) => !STEP_PAYLOAD_FIELDS.has(alias))),
};

/**
 * A step row as the driver returns it (int8 as text) → TraceStep. Without the payload columns,
 * params and outcomeData are undefined: only for selections that do not ask for them.
 */
export function stepFromDriverRow(row: Omit<TraceStep, 'costMicrocents'> & { costMicrocents: string | bigint }): TraceStep {
  return Object.assign(row, { costMicrocents: BigInt(row.costMicrocents) });
}
