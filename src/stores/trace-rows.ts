// Row → domain mapping for traces and steps, shared by the trace write store and the query store.
import { Prisma } from '../generated/prisma/client.ts';
import type { Trace, TraceStep } from '../domain/trace.ts';

export type TraceRow = Prisma.TraceGetPayload<object>;
export type StepRow = Prisma.TraceStepGetPayload<object>;

export function toTrace(row: TraceRow): Trace {
  const { requestDigest: _digest, ...trace } = row;
  return trace;
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

const selectList = (columns: readonly (readonly [string, string])[]) => columns.map(([column, alias]) => `s.${column} AS "${alias}"`).join(', ');

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
