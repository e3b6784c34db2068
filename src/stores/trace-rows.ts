// Row → domain mapping for traces and steps, shared by the trace write store and the query store.
import type { Trace, TraceStep } from '../domain/trace.ts';
import { selectList } from './driver-sql.ts';

/** Trace columns under their domain names (the request digest stays out: it is a write-path detail). */
export const TRACE_COLUMN_ALIASES = [
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

export const STEP_COLUMN_ALIASES = [
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

/** The OpenTelemetry columns of a step (StepSpanColumns). */
export const STEP_SPAN_COLUMN_ALIASES = [
  ['span_id', 'spanId'],
  ['parent_span_id', 'parentSpanId'],
  ['span_kind', 'spanKind'],
  ['start_time_unix_nano', 'startTimeUnixNano'],
  ['end_time_unix_nano', 'endTimeUnixNano'],
  ['operation', 'operation'],
  ['provider', 'provider'],
  ['model', 'model'],
  ['input_tokens', 'inputTokens'],
  ['output_tokens', 'outputTokens'],
  ['cached_input_tokens', 'cachedInputTokens'],
  ['reasoning_tokens', 'reasoningTokens'],
  ['agent_name', 'agentName'],
  ['tool_name', 'toolName'],
  ['conversation_id', 'conversationId'],
  ['attributes', 'attributes'],
] as const;

/**
 * Which step columns a read includes, by domain name (sorted, so equal sets compare equal as
 * JSON). A read carries the columns its GraphQL selection needs and no more: a step row is
 * decoded column by column, and a dashboard shows a handful of the ~40.
 */
export type StepColumns = readonly string[];

/** Read whatever is selected: identity, grouping and order. */
const KEY_COLUMNS = ['id', 'traceId', 'stepIndex'];

/** GraphQL fields of TraceStep → the columns they resolve from, where these are not the field itself. */
const COLUMNS_OF_FIELD: Record<string, readonly string[]> = {
  costCents: ['costMicrocents'],
  startedAt: ['timestamp'],
  endedAt: ['timestamp', 'durationMs'],
};

// The driver returns int8 as text: the two span times are cast explicitly so the row mapper knows.
const DRIVER_COLUMNS = new Map<string, string>(
  [...STEP_COLUMN_ALIASES, ...STEP_SPAN_COLUMN_ALIASES].map(([column, alias]) => [
    alias,
    alias === 'startTimeUnixNano' || alias === 'endTimeUnixNano' ? `s.${column}::text AS "${alias}"` : `s.${column} AS "${alias}"`,
  ]),
);

/** Every step column: for reads whose caller does not say what it needs. */
export const ALL_STEP_COLUMNS: StepColumns = [...DRIVER_COLUMNS.keys()].sort();

/** The columns a selection of TraceStep fields needs (`fields`: the names selected below the steps). */
export function stepColumnsForFields(fields: ReadonlySet<string>): StepColumns {
  const columns = new Set(KEY_COLUMNS);
  for (const field of fields) {
    for (const column of COLUMNS_OF_FIELD[field] ?? [field]) if (DRIVER_COLUMNS.has(column)) columns.add(column);
  }
  return [...columns].sort();
}

/** The columns plus those given (a write path that needs its own, e.g. contentHash), sorted. */
export const withColumns = (columns: StepColumns, ...more: string[]): StepColumns => [...new Set([...columns, ...more])].sort();

const STEP_SELECTS = new Map<string, string>();

/** The select list as text for `db.query` (alias `s`); built once per column set. */
export function stepSelect(columns: StepColumns): string {
  const key = columns.join(',');
  let text = STEP_SELECTS.get(key);
  if (text === undefined) {
    const unknown = columns.find((alias) => !DRIVER_COLUMNS.has(alias));
    if (unknown !== undefined) throw new Error(`stepSelect: unknown step column ${unknown}`);
    text = columns.map((alias) => DRIVER_COLUMNS.get(alias)!).join(', ');
    STEP_SELECTS.set(key, text);
  }
  return text;
}

type DriverStepRow = Omit<TraceStep, 'costMicrocents' | 'startTimeUnixNano' | 'endTimeUnixNano'> & {
  costMicrocents?: string | bigint;
  startTimeUnixNano?: string | null;
  endTimeUnixNano?: string | null;
};

/**
 * A step row as the driver returns it (int8 as text) → TraceStep. Columns the read left out stay
 * undefined: only for selections that do not ask for them.
 */
export function stepFromDriverRow(row: DriverStepRow): TraceStep {
  const step = row as unknown as TraceStep;
  if (row.costMicrocents !== undefined) step.costMicrocents = BigInt(row.costMicrocents);
  // Steps that did not come from a span (most of them) have both times null: nothing to convert.
  if (row.startTimeUnixNano != null) step.startTimeUnixNano = BigInt(row.startTimeUnixNano);
  if (row.endTimeUnixNano != null) step.endTimeUnixNano = BigInt(row.endTimeUnixNano);
  return step;
}
