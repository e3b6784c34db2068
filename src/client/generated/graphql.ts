/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type AbortTraceInput = {
  /** Stored as metadata.abort_reason; redacted. */
  reason: string;
  /** Identifier: letters, digits and . _ : / + - (no spaces, no @); a value that looks like a secret is refused. */
  traceId: string;
};

export type ActorType =
  | 'AGENT'
  | 'HUMAN'
  | 'SYSTEM';

export type ApiScope =
  | 'ADMIN'
  | 'READ'
  | 'WRITE';

export type AuditEntityType =
  | 'DECISION'
  | 'INCIDENT'
  | 'LIMIT'
  | 'POLICY_PROPOSAL'
  | 'POLICY_RULE'
  | 'SIGNAL';

/** Every field given narrows the list; time bounds are inclusive. */
export type AuditEntryFilter = {
  /** Matched exactly against the stored value. */
  actorId?: string | null | undefined;
  actorType?: ActorType | null | undefined;
  /** Matched exactly against the stored value. */
  correlationId?: string | null | undefined;
  createdAfter?: string | null | undefined;
  createdBefore?: string | null | undefined;
  /** Matched exactly against the stored value. */
  entityId?: string | null | undefined;
  entityType?: AuditEntityType | null | undefined;
  eventType?: AuditEventType | null | undefined;
};

export type AuditEntrySort = {
  direction?: SortDirection;
  field?: AuditEntrySortField;
};

export type AuditEntrySortField =
  /** Entries with the same time are ordered by id. */
  | 'CREATED_AT'
  /** Position in the tenant's chain. */
  | 'SEQ';

export type AuditEventType =
  | 'EMERGENCY_OVERRIDE_ACTIVATED'
  | 'EMERGENCY_OVERRIDE_DEACTIVATED'
  | 'INCIDENT_ACKNOWLEDGED'
  | 'INCIDENT_MANUALLY_CLOSED'
  | 'INCIDENT_RESOLVED'
  | 'LIMIT_BREACHED'
  | 'LIMIT_CREATED'
  | 'LIMIT_OVERRIDE_GRANTED'
  | 'LIMIT_OVERRIDE_REVOKED'
  | 'LIMIT_UPDATED'
  | 'POLICY_PROPOSAL_APPROVED'
  | 'POLICY_PROPOSAL_REJECTED'
  | 'POLICY_RULE_CREATED'
  | 'POLICY_RULE_MODIFIED'
  | 'POLICY_RULE_RETIRED'
  | 'SIGNAL_ACKNOWLEDGED'
  | 'SIGNAL_ESCALATED'
  | 'SIGNAL_SUPPRESSED';

export type CausedBy =
  | 'AUTOMATION'
  | 'HUMAN'
  | 'SYSTEM';

export type CompleteTraceInput = {
  /** Merged into the trace metadata (keys given here win); redacted. */
  metadata?: unknown;
  status: TraceCompletion;
  /** Identifier: letters, digits and . _ : / + - (no spaces, no @); a value that looks like a secret is refused. */
  traceId: string;
};

/** CONFIDENCE_V1 bands: STRONG_MATCH from 0.85, WEAK_MATCH from 0.6, NOVEL below. Only STRONG_MATCH may be applied without human review. */
export type ConfidenceBand =
  | 'NOVEL'
  | 'STRONG_MATCH'
  | 'WEAK_MATCH';

export type ExportBundleInput = {
  /** Redacted before it enters the bundle. */
  exportReason?: string | null | undefined;
  incidentId: string;
  /** Evidence and SOC2: include every step of the trace (totals are always included). */
  includeRawSteps?: boolean | null | undefined;
  kind: ExportBundleKind;
  /** Redacted before it enters the bundle. */
  preparedFor?: string | null | undefined;
};

export type ExportBundleKind =
  /** Incident, run, trace summary and steps, totals, policy context and ledger entries. */
  | 'EVIDENCE'
  /** A short summary for management: risk level, detection delay, cost; no trace steps. */
  | 'EXECUTIVE_DEBRIEF'
  /** The evidence bundle with SOC2 CC7.2–CC7.4 control mappings and an attestation, review PENDING. */
  | 'SOC2';

export type ExportFormat =
  | 'CSV'
  | 'JSON'
  | 'PDF'
  | 'ZIP';

export type ExportScope =
  | 'AUDIT'
  | 'COMPLIANCE'
  | 'LLM_RUN'
  | 'SYSTEM';

/** PENDING moves once to COMPLETED or FAILED; nothing else about an export ever changes (enforced in the database). */
export type ExportStatus =
  | 'COMPLETED'
  | 'FAILED'
  | 'PENDING';

export type IncidentCauseType =
  | 'HUMAN'
  | 'LLM_RUN'
  | 'SYSTEM';

/** Every field given narrows the list; time bounds are inclusive. */
export type IncidentFilter = {
  /** Matched exactly against the stored value. */
  category?: string | null | undefined;
  causeType?: IncidentCauseType | null | undefined;
  createdAfter?: string | null | undefined;
  createdBefore?: string | null | undefined;
  lifecycleState?: IncidentLifecycle | null | undefined;
  severity?: IncidentSeverity | null | undefined;
  /** Matched exactly against the stored value. */
  sourceRunId?: string | null | undefined;
};

/** ACTIVE → ACKED → RESOLVED, or ACTIVE → RESOLVED directly; RESOLVED is final (enforced in the database). */
export type IncidentLifecycle =
  | 'ACKED'
  | 'ACTIVE'
  | 'RESOLVED';

/** Stored lower-case; the enum is the only way in, so one casing reaches the database (B22). */
export type IncidentSeverity =
  | 'CRITICAL'
  | 'HIGH'
  | 'LOW'
  | 'MEDIUM';

export type IncidentSort = {
  direction?: SortDirection;
  field?: IncidentSortField;
};

export type IncidentSortField =
  | 'CREATED_AT'
  | 'STARTED_AT';

export type LlmExecutionStatus =
  | 'ABORTED'
  | 'FAILED'
  | 'SUCCEEDED'
  | 'TIMEOUT';

export type LlmRecordSource =
  | 'API'
  | 'SDK'
  | 'SYNTHETIC'
  | 'SYSTEM'
  | 'WORKER';

/** Every field given narrows the list; time bounds are inclusive. */
export type LlmRunFilter = {
  createdAfter?: string | null | undefined;
  createdBefore?: string | null | undefined;
  executionStatus?: LlmExecutionStatus | null | undefined;
  /** true: synthetic only; false: real only; omitted: both. */
  isSynthetic?: boolean | null | undefined;
  /** Matched exactly against the stored value. */
  model?: string | null | undefined;
  /** Matched exactly against the stored value. */
  provider?: string | null | undefined;
  /** Matched exactly against the stored value. */
  runId?: string | null | undefined;
  /** Matched exactly against the stored value. */
  traceId?: string | null | undefined;
};

export type LlmRunSort = {
  direction?: SortDirection;
  field?: LlmRunSortField;
};

export type LlmRunSortField =
  | 'CREATED_AT'
  | 'STARTED_AT';

/** Every field given narrows the list; time bounds are inclusive. */
export type LogExportFilter = {
  createdAfter?: string | null | undefined;
  createdBefore?: string | null | undefined;
  incidentId?: string | null | undefined;
  /** Matched exactly against the stored value. */
  runId?: string | null | undefined;
  scope?: ExportScope | null | undefined;
  status?: ExportStatus | null | undefined;
};

export type LogExportSort = {
  direction?: SortDirection;
  field?: LogExportSortField;
};

export type LogExportSortField =
  | 'CREATED_AT';

/** COUNT counts rows that have the measure. SUM of no rows is 0; AVG, MIN, MAX and percentiles of no rows are null. Percentiles interpolate (percentile_cont). */
export type MetricAggregation =
  | 'AVG'
  | 'COUNT'
  | 'MAX'
  | 'MIN'
  | 'P50'
  | 'P90'
  | 'P95'
  | 'P99'
  | 'SUM';

export type MetricDimension =
  /** The trace's agent; for LLM runs, the agent of their run. */
  | 'AGENT'
  | 'MODEL'
  | 'PROVIDER'
  /** The step's skill name. */
  | 'SKILL'
  /** Spelled as the view's own status enum: TraceStatus, StepStatus or LlmExecutionStatus. */
  | 'STATUS';

export type MetricMeasure =
  /** Cents. A trace's cost is the exact sum of its steps' costs. */
  | 'COST'
  /** Rows of the view; takes only the COUNT aggregation. */
  | 'COUNT'
  /** Milliseconds. Traces and LLM runs still running have none and are left out. */
  | 'DURATION'
  /** Share (0..1) of failed rows: traces FAILED or ABORTED, steps FAILURE, LLM runs not SUCCEEDED. Takes only AVG. */
  | 'ERROR_RATE'
  /** LLM_RUNS only. */
  | 'INPUT_TOKENS'
  /** LLM_RUNS only. */
  | 'OUTPUT_TOKENS'
  /** Input plus output tokens; LLM_RUNS only. */
  | 'TOKENS';

export type MetricMeasureInput = {
  aggregation: MetricAggregation;
  measure: MetricMeasure;
};

/** UTC buckets. MINUTE needs a range of at most 7 days, HOUR at most 90. */
export type MetricTimeBucket =
  | 'DAY'
  | 'HOUR'
  | 'MINUTE';

export type MetricUnit =
  | 'CENTS'
  | 'COUNT'
  | 'MILLISECONDS'
  | 'RATIO'
  | 'TOKENS';

/** Every given field must match. A field the view does not have is refused. */
export type MetricsFilter = {
  /** Matched exactly against the stored value. */
  agentId?: string | null | undefined;
  /** LLM_RUNS only. Name: letters, digits, spaces and . _ : / + - (no @); a value that looks like a secret is refused. */
  model?: string | null | undefined;
  /** LLM_RUNS only. Name: letters, digits, spaces and . _ : / + - (no @); a value that looks like a secret is refused. */
  provider?: string | null | undefined;
  /** Matched exactly against the stored value. */
  runId?: string | null | undefined;
  /** STEPS only. Name: letters, digits, spaces and . _ : / + - (no @); a value that looks like a secret is refused. */
  skillName?: string | null | undefined;
  /** A value of the view's status enum, as the STATUS dimension returns it. Name: letters, digits, spaces and . _ : / + - (no @); a value that looks like a secret is refused. */
  status?: string | null | undefined;
};

export type MetricsInput = {
  /** Up to 3; each row's dimensionValues come in this order. Refused when they have more than 200 value combinations in the range, or when groups × buckets exceed 10000. */
  dimensions?: Array<MetricDimension> | null | undefined;
  filter?: MetricsFilter | null | undefined;
  /** Inclusive. */
  from: string;
  /** 1 to 10; each row's values come in this order. */
  measures: Array<MetricMeasureInput>;
  /** Omitted: one bucket for the whole range. */
  timeBucket?: MetricTimeBucket | null | undefined;
  /** Exclusive; after from, at most 400 days later. */
  to: string;
  view: MetricsView;
};

/** TRACES: one row per trace, at its start (dimensions AGENT, STATUS). STEPS: one row per step, at its timestamp (AGENT, SKILL, STATUS). LLM_RUNS: one row per LLM run record, at its start (AGENT, MODEL, PROVIDER, STATUS). */
export type MetricsView =
  | 'LLM_RUNS'
  | 'STEPS'
  | 'TRACES';

/** Every field given narrows the list; time bounds are inclusive. */
export type PolicyActivationFilter = {
  activatedAfter?: string | null | undefined;
  activatedBefore?: string | null | undefined;
  /** auto, threshold or human:<user id>. Name: letters, digits, spaces and . _ : / + - (no @); a value that looks like a secret is refused. */
  approvalPath?: string | null | undefined;
  /** Matched exactly against the stored value. */
  policyId?: string | null | undefined;
  /** Matched exactly against the stored value. */
  sourcePatternId?: string | null | undefined;
};

export type PolicyActivationSort = {
  direction?: SortDirection;
  field?: PolicyActivationSortField;
};

export type PolicyActivationSortField =
  | 'ACTIVATED_AT'
  | 'CREATED_AT';

export type RecordTraceStepsInput = {
  steps: Array<TraceStepInput>;
};

export type ReplayBehavior =
  | 'CHECK'
  | 'EXECUTE'
  | 'SKIP';

/** Where an event comes from; also the tie-break order of events with the same timestamp (LLM first). */
export type ReplayEventSource =
  /** A step of the run's trace. */
  | 'LLM'
  /** An audit ledger entry about a policy rule or a limit. */
  | 'POLICY'
  /** A system record of the caller's tenant, or a global one. */
  | 'SYSTEM';

export type ReplayMode =
  | 'FULL'
  | 'TRACE_ONLY';

export type RunStatus =
  | 'ABORTED'
  | 'FAILED'
  | 'RUNNING'
  | 'SUCCEEDED';

export type SortDirection =
  | 'ASC'
  | 'DESC';

export type StartTraceInput = {
  /** Identifier: letters, digits and . _ : / + - (no spaces, no @); a value that looks like a secret is refused. */
  agentId?: string | null | undefined;
  /** Defaults to runId. Identifier: letters, digits and . _ : / + - (no spaces, no @); a value that looks like a secret is refused. */
  correlationId?: string | null | undefined;
  /** Frozen "now" of a deterministic run, as the exact text the SDK hashes. Name: letters, digits, spaces and . _ : / + - (no @); a value that looks like a secret is refused. */
  frozenTimestamp?: string | null | undefined;
  /** The run's goal, stored on the run when the run is new. Free text; redacted before storage. */
  goal?: string | null | undefined;
  /** An incident of the same tenant this trace belongs to. */
  incidentId?: string | null | undefined;
  isSynthetic?: boolean | null | undefined;
  /** Free-form; redacted before storage. */
  metadata?: unknown;
  /** The plan (a list of step definitions); redacted before storage. */
  plan?: unknown;
  planHash?: string | null | undefined;
  /** Identifier: letters, digits and . _ : / + - (no spaces, no @); a value that looks like a secret is refused. */
  planId?: string | null | undefined;
  /** Identifier: letters, digits and . _ : / + - (no spaces, no @); a value that looks like a secret is refused. */
  replayArtifactVersion?: string | null | undefined;
  /** Identifier: letters, digits and . _ : / + - (no spaces, no @); a value that looks like a secret is refused. */
  replayAttemptId?: string | null | undefined;
  replayMode?: ReplayMode | null | undefined;
  /** Identifier: letters, digits and . _ : / + - (no spaces, no @); a value that looks like a secret is refused. */
  runId: string;
  /** Random seed for deterministic replay; the root hash uses 42 when absent. */
  seed?: string | null | undefined;
  /** Defaults to now. */
  startedAt?: string | null | undefined;
  /** Identifier: letters, digits and . _ : / + - (no spaces, no @); a value that looks like a secret is refused. */
  syntheticScenarioId?: string | null | undefined;
  /** Name: letters, digits, spaces and . _ : / + - (no @); a value that looks like a secret is refused. */
  traceCompletenessStatus?: string | null | undefined;
  /** Defaults to trace_<runId>. Unique per tenant. Identifier: letters, digits and . _ : / + - (no spaces, no @); a value that looks like a secret is refused. */
  traceId?: string | null | undefined;
};

/** Derived from the status: FAILURE → ERROR, RETRY → WARN, anything else → INFO. */
export type StepLevel =
  | 'ERROR'
  | 'INFO'
  | 'WARN';

export type StepSource =
  | 'ENGINE'
  | 'EXTERNAL'
  | 'REPLAY';

export type StepStatus =
  | 'FAILURE'
  | 'RETRY'
  | 'SKIPPED'
  | 'SUCCESS';

/** CREATED: stored now. DUPLICATE: the identical step was already stored (a safe retry); nothing changed. */
export type StepWriteOutcome =
  | 'CREATED'
  | 'DUPLICATE';

export type StoreTraceInput = {
  /** Identifier: letters, digits and . _ : / + - (no spaces, no @); a value that looks like a secret is refused. */
  agentId?: string | null | undefined;
  /** Defaults to now. */
  completedAt?: string | null | undefined;
  /** Defaults to runId. Identifier: letters, digits and . _ : / + - (no spaces, no @); a value that looks like a secret is refused. */
  correlationId?: string | null | undefined;
  /** Frozen "now" of a deterministic run, as the exact text the SDK hashes. Name: letters, digits, spaces and . _ : / + - (no @); a value that looks like a secret is refused. */
  frozenTimestamp?: string | null | undefined;
  /** The run's goal, stored on the run when the run is new. Free text; redacted before storage. */
  goal?: string | null | undefined;
  /** An incident of the same tenant this trace belongs to. */
  incidentId?: string | null | undefined;
  isSynthetic?: boolean | null | undefined;
  /** Free-form; redacted before storage. */
  metadata?: unknown;
  /** The plan (a list of step definitions); redacted before storage. */
  plan?: unknown;
  planHash?: string | null | undefined;
  /** Identifier: letters, digits and . _ : / + - (no spaces, no @); a value that looks like a secret is refused. */
  planId?: string | null | undefined;
  /** Identifier: letters, digits and . _ : / + - (no spaces, no @); a value that looks like a secret is refused. */
  replayArtifactVersion?: string | null | undefined;
  /** Identifier: letters, digits and . _ : / + - (no spaces, no @); a value that looks like a secret is refused. */
  replayAttemptId?: string | null | undefined;
  replayMode?: ReplayMode | null | undefined;
  /** Optional; when given it must equal the root hash the server computes. */
  rootHash?: string | null | undefined;
  /** Identifier: letters, digits and . _ : / + - (no spaces, no @); a value that looks like a secret is refused. */
  runId: string;
  /** Random seed for deterministic replay; the root hash uses 42 when absent. */
  seed?: string | null | undefined;
  /** Defaults to now. */
  startedAt?: string | null | undefined;
  /** Defaults to COMPLETED. */
  status?: StoredTraceStatus | null | undefined;
  steps: Array<StoredTraceStepInput>;
  /** Identifier: letters, digits and . _ : / + - (no spaces, no @); a value that looks like a secret is refused. */
  syntheticScenarioId?: string | null | undefined;
  /** Name: letters, digits, spaces and . _ : / + - (no @); a value that looks like a secret is refused. */
  traceCompletenessStatus?: string | null | undefined;
  /** Defaults to trace_<runId>. Unique per tenant. Identifier: letters, digits and . _ : / + - (no spaces, no @); a value that looks like a secret is refused. */
  traceId?: string | null | undefined;
};

export type StoredTraceStatus =
  | 'ABORTED'
  | 'COMPLETED'
  | 'FAILED';

export type StoredTraceStepInput = {
  costCents?: string | null | undefined;
  durationMs?: number | null | undefined;
  /** Key of a side effect this step performed. Name: letters, digits, spaces and . _ : / + - (no @); a value that looks like a secret is refused. */
  idempotencyKey?: string | null | undefined;
  /** Defaults to the first 16 hex of SHA-256 of the canonical params. */
  inputHash?: string | null | undefined;
  /** Defaults to the trace's marking. */
  isSynthetic?: boolean | null | undefined;
  /** Defaults by status: SUCCESS, FAILURE, TRANSIENT or SKIPPED. Name: letters, digits, spaces and . _ : / + - (no @); a value that looks like a secret is refused. */
  outcomeCategory?: string | null | undefined;
  /** Name: letters, digits, spaces and . _ : / + - (no @); a value that looks like a secret is refused. */
  outcomeCode?: string | null | undefined;
  /** Step result; redacted before storage. */
  outcomeData?: unknown;
  /** Defaults to the first 16 hex of SHA-256 of the canonical outcomeData. */
  outputHash?: string | null | undefined;
  /** Step input; redacted before storage. */
  params?: unknown;
  replayBehavior?: ReplayBehavior | null | undefined;
  retryCount?: number | null | undefined;
  /** Name: letters, digits, spaces and . _ : / + - (no @); a value that looks like a secret is refused. */
  rngStateBefore?: string | null | undefined;
  /** Defaults to skillName. Name: letters, digits, spaces and . _ : / + - (no @); a value that looks like a secret is refused. */
  skillId?: string | null | undefined;
  /** Name: letters, digits, spaces and . _ : / + - (no @); a value that looks like a secret is refused. */
  skillName: string;
  source?: StepSource | null | undefined;
  status: StepStatus;
  /** 0-based position in the trace; unique per trace. */
  stepIndex: number;
  /** Identifier: letters, digits and . _ : / + - (no spaces, no @); a value that looks like a secret is refused. */
  syntheticScenarioId?: string | null | undefined;
  /** When the step started; defaults to the time the server receives the step minus durationMs. */
  timestamp?: string | null | undefined;
};

export type SystemComponent =
  | 'API'
  | 'AUTH'
  | 'DB'
  | 'MIGRATION'
  | 'SCHEDULER'
  | 'WORKER';

export type SystemEventType =
  | 'AUTH_CHANGE'
  | 'CONFIG_CHANGE'
  | 'DEPLOY'
  | 'ERROR'
  | 'HEALTH_CHECK'
  | 'MIGRATION'
  | 'RESTART'
  | 'SHUTDOWN'
  | 'STARTUP';

/** Every field given narrows the list; time bounds are inclusive. */
export type SystemRecordFilter = {
  component?: SystemComponent | null | undefined;
  /** Matched exactly against the stored value. */
  correlationId?: string | null | undefined;
  createdAfter?: string | null | undefined;
  createdBefore?: string | null | undefined;
  eventType?: SystemEventType | null | undefined;
  /** Defaults to ALL. */
  scope?: SystemRecordScope | null | undefined;
  severity?: SystemSeverity | null | undefined;
};

export type SystemRecordScope =
  /** The caller's tenant's records and the global ones. */
  | 'ALL'
  /** Global (system-wide) records only. */
  | 'GLOBAL_ONLY'
  /** The caller's tenant's records only. */
  | 'TENANT_ONLY';

export type SystemRecordSort = {
  direction?: SortDirection;
  field?: SystemRecordSortField;
};

export type SystemRecordSortField =
  | 'CREATED_AT';

export type SystemSeverity =
  | 'CRITICAL'
  | 'INFO'
  | 'WARN';

export type TraceCompletion =
  | 'COMPLETED'
  | 'FAILED';

/** All given conditions must hold. Archived traces are left out unless includeArchived is true. */
export type TraceFilter = {
  /** Matched exactly against the stored value. */
  agentId?: string | null | undefined;
  incidentId?: string | null | undefined;
  /** Default false. */
  includeArchived?: boolean | null | undefined;
  isSynthetic?: boolean | null | undefined;
  planHash?: string | null | undefined;
  rootHash?: string | null | undefined;
  /** Matched exactly against the stored value. */
  runId?: string | null | undefined;
  seed?: string | null | undefined;
  /** Inclusive. */
  startedAfter?: string | null | undefined;
  /** Inclusive. */
  startedBefore?: string | null | undefined;
  status?: TraceStatus | null | undefined;
};

export type TraceSort = {
  direction?: SortDirection;
  field?: TraceSortField;
};

export type TraceSortField =
  | 'CREATED_AT'
  | 'STARTED_AT';

/** RUNNING moves once to COMPLETED, FAILED or ABORTED; final states never change (enforced in the database). */
export type TraceStatus =
  | 'ABORTED'
  | 'COMPLETED'
  | 'FAILED'
  | 'RUNNING';

export type TraceStepInput = {
  costCents?: string | null | undefined;
  durationMs?: number | null | undefined;
  /** Key of a side effect this step performed. Name: letters, digits, spaces and . _ : / + - (no @); a value that looks like a secret is refused. */
  idempotencyKey?: string | null | undefined;
  /** Defaults to the first 16 hex of SHA-256 of the canonical params. */
  inputHash?: string | null | undefined;
  /** Defaults to the trace's marking. */
  isSynthetic?: boolean | null | undefined;
  /** Defaults by status: SUCCESS, FAILURE, TRANSIENT or SKIPPED. Name: letters, digits, spaces and . _ : / + - (no @); a value that looks like a secret is refused. */
  outcomeCategory?: string | null | undefined;
  /** Name: letters, digits, spaces and . _ : / + - (no @); a value that looks like a secret is refused. */
  outcomeCode?: string | null | undefined;
  /** Step result; redacted before storage. */
  outcomeData?: unknown;
  /** Defaults to the first 16 hex of SHA-256 of the canonical outcomeData. */
  outputHash?: string | null | undefined;
  /** Step input; redacted before storage. */
  params?: unknown;
  replayBehavior?: ReplayBehavior | null | undefined;
  retryCount?: number | null | undefined;
  /** Name: letters, digits, spaces and . _ : / + - (no @); a value that looks like a secret is refused. */
  rngStateBefore?: string | null | undefined;
  /** Defaults to skillName. Name: letters, digits, spaces and . _ : / + - (no @); a value that looks like a secret is refused. */
  skillId?: string | null | undefined;
  /** Name: letters, digits, spaces and . _ : / + - (no @); a value that looks like a secret is refused. */
  skillName: string;
  source?: StepSource | null | undefined;
  status: StepStatus;
  /** 0-based position in the trace; unique per trace. */
  stepIndex: number;
  /** Identifier: letters, digits and . _ : / + - (no spaces, no @); a value that looks like a secret is refused. */
  syntheticScenarioId?: string | null | undefined;
  /** When the step started; defaults to the time the server receives the step minus durationMs. */
  timestamp?: string | null | undefined;
  traceId: string;
};

export type StartTraceMutationVariables = Exact<{
  input: StartTraceInput;
}>;


export type StartTraceMutation = { startTrace: { created: boolean, trace: { id: string, traceId: string, runId: string, status: TraceStatus, startedAt: string } } };

export type RecordTraceStepsMutationVariables = Exact<{
  input: RecordTraceStepsInput;
}>;


export type RecordTraceStepsMutation = { recordTraceSteps: { createdCount: number, duplicateCount: number, results: Array<{ index: number, outcome: StepWriteOutcome, step: { id: string, stepIndex: number, level: StepLevel, contentHash: string } }> } };

export type CompleteTraceMutationVariables = Exact<{
  input: CompleteTraceInput;
}>;


export type CompleteTraceMutation = { completeTrace: { traceId: string, status: TraceStatus, rootHash: string | null, completedAt: string | null } };

export type AbortTraceMutationVariables = Exact<{
  input: AbortTraceInput;
}>;


export type AbortTraceMutation = { abortTrace: { traceId: string, status: TraceStatus, completedAt: string | null, metadata: unknown } };

export type StoreTraceMutationVariables = Exact<{
  input: StoreTraceInput;
}>;


export type StoreTraceMutation = { storeTrace: { created: boolean, trace: { traceId: string, status: TraceStatus, rootHash: string | null } } };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { keyId: string, scopes: Array<ApiScope>, tenant: { id: string, name: string } } };

export type TraceWithStepsQueryVariables = Exact<{
  traceId: string;
  first?: number | null | undefined;
}>;


export type TraceWithStepsQuery = { trace: { id: string, traceId: string, runId: string, agentId: string | null, status: TraceStatus, rootHash: string | null, startedAt: string, completedAt: string | null, metadata: unknown, steps: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, stepIndex: number, skillName: string, status: StepStatus, level: StepLevel, costCents: string, durationMs: number, timestamp: string, params: unknown, outcomeData: unknown } }> } } | null };

export type TraceListQueryVariables = Exact<{
  filter?: TraceFilter | null | undefined;
  sort?: TraceSort | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type TraceListQuery = { traces: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, traceId: string, runId: string, agentId: string | null, status: TraceStatus, startedAt: string, completedAt: string | null, durationMs: number | null, rootHash: string | null, summary: { stepCount: number, successCount: number, failureCount: number, totalCostCents: string, totalDurationMs: number } } }> } };

export type DashboardTracePageQueryVariables = Exact<{
  filter?: TraceFilter | null | undefined;
  first: number;
  after?: string | null | undefined;
  steps: number;
}>;


export type DashboardTracePageQuery = { traces: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { traceId: string, runId: string, agentId: string | null, status: TraceStatus, startedAt: string, completedAt: string | null, durationMs: number | null, summary: { stepCount: number, successCount: number, failureCount: number, totalCostCents: string, totalDurationMs: number }, steps: { totalCount: number, edges: Array<{ node: { stepIndex: number, skillName: string, status: StepStatus, level: StepLevel, costCents: string, durationMs: number, timestamp: string } }> }, run: { runId: string, goal: string | null, status: RunStatus } | null, llmRun: { model: string, provider: string, inputTokens: number, outputTokens: number, costCents: string } | null, incident: { incidentId: string, title: string, severity: IncidentSeverity, lifecycleState: IncidentLifecycle } | null } }> } };

export type RunWithTracesQueryVariables = Exact<{
  runId: string;
}>;


export type RunWithTracesQuery = { run: { runId: string, agentId: string | null, goal: string | null, status: RunStatus, startedAt: string, completedAt: string | null, traces: Array<{ traceId: string, status: TraceStatus, rootHash: string | null, summary: { stepCount: number, failureCount: number, totalCostCents: string } }>, llmRun: { model: string, provider: string, inputTokens: number, outputTokens: number, costCents: string, executionStatus: LlmExecutionStatus } | null } | null };

export type TraceByRootHashQueryVariables = Exact<{
  rootHash: string;
}>;


export type TraceByRootHashQuery = { traceByRootHash: { traceId: string, runId: string, status: TraceStatus, startedAt: string } | null };

export type IdempotencyCheckQueryVariables = Exact<{
  key: string;
}>;


export type IdempotencyCheckQuery = { idempotencyCheck: { executed: boolean, traceId: string, stepIndex: number, status: StepStatus, outputHash: string | null, outcomeData: unknown } | null };

export type ReplayWindowQueryVariables = Exact<{
  runId: string;
  beforeSeconds?: number | null | undefined;
  afterSeconds?: number | null | undefined;
}>;


export type ReplayWindowQuery = { replayWindow: { runId: string, traceId: string, inflectionAt: string, windowStart: string, windowEnd: string, truncated: boolean, events: Array<{ source: ReplayEventSource, timestamp: string, stepIndex: number | null, action: string, outcome: string, recordId: string }> } | null };

export type ExportBundleMutationVariables = Exact<{
  input: ExportBundleInput;
}>;


export type ExportBundleMutation = { exportBundle: { bundleId: string, kind: ExportBundleKind, contentHash: string, bundle: unknown, logExport: { exportId: string, scope: ExportScope, format: ExportFormat, origin: ActorType, status: ExportStatus, checksum: string | null, requestedBy: string, runId: string | null, incidentId: string | null, correlationId: string | null, deliveredAt: string | null } } };

export type VerifyExportBundleQueryVariables = Exact<{
  bundle: unknown;
}>;


export type VerifyExportBundleQuery = { verifyExportBundle: { valid: boolean, expectedHash: string | null, computedHash: string, logExportFound: boolean } };

export type MetricsQueryVariables = Exact<{
  input: MetricsInput;
}>;


export type MetricsQuery = { metrics: { view: MetricsView, timeBucket: MetricTimeBucket | null, from: string, to: string, dimensions: Array<MetricDimension>, groupCount: number, measures: Array<{ measure: MetricMeasure, aggregation: MetricAggregation, unit: MetricUnit }>, rows: Array<{ bucket: string | null, dimensionValues: Array<string | null>, values: Array<number | null> }> } };

export type StepLatencyByAgentHourlyQueryVariables = Exact<{
  from: string;
  to: string;
}>;


export type StepLatencyByAgentHourlyQuery = { metrics: { groupCount: number, rows: Array<{ bucket: string | null, dimensionValues: Array<string | null>, values: Array<number | null> }> } };

export type LlmCostByModelDailyQueryVariables = Exact<{
  from: string;
  to: string;
  provider?: string | null | undefined;
}>;


export type LlmCostByModelDailyQuery = { metrics: { measures: Array<{ measure: MetricMeasure, aggregation: MetricAggregation, unit: MetricUnit }>, rows: Array<{ bucket: string | null, dimensionValues: Array<string | null>, values: Array<number | null> }> } };

export type LlmRunsQueryVariables = Exact<{
  filter?: LlmRunFilter | null | undefined;
  sort?: LlmRunSort | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type LlmRunsQuery = { llmRuns: { totalCount: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, runId: string, traceId: string | null, provider: string, model: string, executionStatus: LlmExecutionStatus, inputTokens: number, outputTokens: number, costCents: string, startedAt: string, completedAt: string | null, source: LlmRecordSource, isSynthetic: boolean, createdAt: string } }> } };

export type SystemRecordsQueryVariables = Exact<{
  filter?: SystemRecordFilter | null | undefined;
  sort?: SystemRecordSort | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type SystemRecordsQuery = { systemRecords: { totalCount: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, isGlobal: boolean, component: SystemComponent, eventType: SystemEventType, severity: SystemSeverity, summary: string, details: unknown, causedBy: CausedBy | null, correlationId: string | null, createdAt: string } }> } };

export type SystemRecordByCorrelationQueryVariables = Exact<{
  correlationId: string;
}>;


export type SystemRecordByCorrelationQuery = { systemRecordByCorrelation: { id: string, isGlobal: boolean, component: SystemComponent, eventType: SystemEventType, severity: SystemSeverity, summary: string, details: unknown, causedBy: CausedBy | null, correlationId: string | null, createdAt: string } | null };

export type AuditEntriesQueryVariables = Exact<{
  filter?: AuditEntryFilter | null | undefined;
  sort?: AuditEntrySort | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type AuditEntriesQuery = { auditEntries: { totalCount: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, entryId: string, seq: string, eventType: AuditEventType, entityType: AuditEntityType, entityId: string, actorType: ActorType, actorId: string | null, actionReason: string | null, beforeState: unknown, afterState: unknown, correlationId: string | null, createdAt: string } }> } };

export type GovernanceEventsQueryVariables = Exact<{
  runId?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type GovernanceEventsQuery = { governanceEvents: { totalCount: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, entryId: string, seq: string, eventType: AuditEventType, entityType: AuditEntityType, entityId: string, actorType: ActorType, actorId: string | null, beforeState: unknown, afterState: unknown, correlationId: string | null, createdAt: string } }> } };

export type LogExportsQueryVariables = Exact<{
  filter?: LogExportFilter | null | undefined;
  sort?: LogExportSort | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type LogExportsQuery = { logExports: { totalCount: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, exportId: string, scope: ExportScope, format: ExportFormat, origin: ActorType, runId: string | null, incidentId: string | null, requestedBy: string, status: ExportStatus, checksum: string | null, failureReason: string | null, deliveredAt: string | null, createdAt: string } }> } };

export type IncidentsQueryVariables = Exact<{
  filter?: IncidentFilter | null | undefined;
  sort?: IncidentSort | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type IncidentsQuery = { incidents: { totalCount: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, incidentId: string, title: string, severity: IncidentSeverity, lifecycleState: IncidentLifecycle, causeType: IncidentCauseType, category: string | null, sourceRunId: string | null, costImpactCents: string | null, startedAt: string, acknowledgedAt: string | null, resolvedAt: string | null, createdAt: string } }> } };

export type PolicyActivationsQueryVariables = Exact<{
  filter?: PolicyActivationFilter | null | undefined;
  sort?: PolicyActivationSort | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type PolicyActivationsQuery = { policyActivations: { totalCount: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, policyId: string, sourcePatternId: string, sourceRecoveryId: string | null, confidenceAtActivation: number, confidenceBand: ConfidenceBand, approvalPath: string, loopTraceId: string | null, activatedAt: string, createdAt: string } }> } };


export const StartTraceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StartTrace"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"StartTraceInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startTrace"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"created"}},{"kind":"Field","name":{"kind":"Name","value":"trace"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"traceId"}},{"kind":"Field","name":{"kind":"Name","value":"runId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}}]}}]}}]}}]} as unknown as DocumentNode<StartTraceMutation, StartTraceMutationVariables>;
export const RecordTraceStepsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RecordTraceSteps"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RecordTraceStepsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recordTraceSteps"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createdCount"}},{"kind":"Field","name":{"kind":"Name","value":"duplicateCount"}},{"kind":"Field","name":{"kind":"Name","value":"results"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"step"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"stepIndex"}},{"kind":"Field","name":{"kind":"Name","value":"level"}},{"kind":"Field","name":{"kind":"Name","value":"contentHash"}}]}}]}}]}}]}}]} as unknown as DocumentNode<RecordTraceStepsMutation, RecordTraceStepsMutationVariables>;
export const CompleteTraceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CompleteTrace"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CompleteTraceInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"completeTrace"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"traceId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"rootHash"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}}]}}]}}]} as unknown as DocumentNode<CompleteTraceMutation, CompleteTraceMutationVariables>;
export const AbortTraceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AbortTrace"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AbortTraceInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"abortTrace"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"traceId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}}]}}]}}]} as unknown as DocumentNode<AbortTraceMutation, AbortTraceMutationVariables>;
export const StoreTraceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StoreTrace"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"StoreTraceInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"storeTrace"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"created"}},{"kind":"Field","name":{"kind":"Name","value":"trace"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"traceId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"rootHash"}}]}}]}}]}}]} as unknown as DocumentNode<StoreTraceMutation, StoreTraceMutationVariables>;
export const ViewerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"keyId"}},{"kind":"Field","name":{"kind":"Name","value":"scopes"}},{"kind":"Field","name":{"kind":"Name","value":"tenant"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<ViewerQuery, ViewerQueryVariables>;
export const TraceWithStepsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TraceWithSteps"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"traceId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"trace"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"traceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"traceId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"traceId"}},{"kind":"Field","name":{"kind":"Name","value":"runId"}},{"kind":"Field","name":{"kind":"Name","value":"agentId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"rootHash"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"steps"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"stepIndex"}},{"kind":"Field","name":{"kind":"Name","value":"skillName"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"level"}},{"kind":"Field","name":{"kind":"Name","value":"costCents"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"timestamp"}},{"kind":"Field","name":{"kind":"Name","value":"params"}},{"kind":"Field","name":{"kind":"Name","value":"outcomeData"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<TraceWithStepsQuery, TraceWithStepsQueryVariables>;
export const TraceListDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TraceList"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"TraceFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sort"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"TraceSort"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"traces"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"sort"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sort"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"traceId"}},{"kind":"Field","name":{"kind":"Name","value":"runId"}},{"kind":"Field","name":{"kind":"Name","value":"agentId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"rootHash"}},{"kind":"Field","name":{"kind":"Name","value":"summary"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stepCount"}},{"kind":"Field","name":{"kind":"Name","value":"successCount"}},{"kind":"Field","name":{"kind":"Name","value":"failureCount"}},{"kind":"Field","name":{"kind":"Name","value":"totalCostCents"}},{"kind":"Field","name":{"kind":"Name","value":"totalDurationMs"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<TraceListQuery, TraceListQueryVariables>;
export const DashboardTracePageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DashboardTracePage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"TraceFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"steps"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"traces"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"traceId"}},{"kind":"Field","name":{"kind":"Name","value":"runId"}},{"kind":"Field","name":{"kind":"Name","value":"agentId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"summary"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stepCount"}},{"kind":"Field","name":{"kind":"Name","value":"successCount"}},{"kind":"Field","name":{"kind":"Name","value":"failureCount"}},{"kind":"Field","name":{"kind":"Name","value":"totalCostCents"}},{"kind":"Field","name":{"kind":"Name","value":"totalDurationMs"}}]}},{"kind":"Field","name":{"kind":"Name","value":"steps"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"steps"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stepIndex"}},{"kind":"Field","name":{"kind":"Name","value":"skillName"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"level"}},{"kind":"Field","name":{"kind":"Name","value":"costCents"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"timestamp"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"run"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"runId"}},{"kind":"Field","name":{"kind":"Name","value":"goal"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"llmRun"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"costCents"}}]}},{"kind":"Field","name":{"kind":"Name","value":"incident"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"incidentId"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"severity"}},{"kind":"Field","name":{"kind":"Name","value":"lifecycleState"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<DashboardTracePageQuery, DashboardTracePageQueryVariables>;
export const RunWithTracesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RunWithTraces"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"runId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"run"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"runId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"runId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"runId"}},{"kind":"Field","name":{"kind":"Name","value":"agentId"}},{"kind":"Field","name":{"kind":"Name","value":"goal"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"traces"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"traceId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"rootHash"}},{"kind":"Field","name":{"kind":"Name","value":"summary"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stepCount"}},{"kind":"Field","name":{"kind":"Name","value":"failureCount"}},{"kind":"Field","name":{"kind":"Name","value":"totalCostCents"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"llmRun"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"costCents"}},{"kind":"Field","name":{"kind":"Name","value":"executionStatus"}}]}}]}}]}}]} as unknown as DocumentNode<RunWithTracesQuery, RunWithTracesQueryVariables>;
export const TraceByRootHashDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TraceByRootHash"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"rootHash"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"traceByRootHash"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"rootHash"},"value":{"kind":"Variable","name":{"kind":"Name","value":"rootHash"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"traceId"}},{"kind":"Field","name":{"kind":"Name","value":"runId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}}]}}]}}]} as unknown as DocumentNode<TraceByRootHashQuery, TraceByRootHashQueryVariables>;
export const IdempotencyCheckDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"IdempotencyCheck"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"key"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"idempotencyCheck"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"key"},"value":{"kind":"Variable","name":{"kind":"Name","value":"key"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"executed"}},{"kind":"Field","name":{"kind":"Name","value":"traceId"}},{"kind":"Field","name":{"kind":"Name","value":"stepIndex"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"outputHash"}},{"kind":"Field","name":{"kind":"Name","value":"outcomeData"}}]}}]}}]} as unknown as DocumentNode<IdempotencyCheckQuery, IdempotencyCheckQueryVariables>;
export const ReplayWindowDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ReplayWindow"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"runId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"beforeSeconds"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"afterSeconds"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"replayWindow"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"runId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"runId"}}},{"kind":"Argument","name":{"kind":"Name","value":"beforeSeconds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"beforeSeconds"}}},{"kind":"Argument","name":{"kind":"Name","value":"afterSeconds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"afterSeconds"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"runId"}},{"kind":"Field","name":{"kind":"Name","value":"traceId"}},{"kind":"Field","name":{"kind":"Name","value":"inflectionAt"}},{"kind":"Field","name":{"kind":"Name","value":"windowStart"}},{"kind":"Field","name":{"kind":"Name","value":"windowEnd"}},{"kind":"Field","name":{"kind":"Name","value":"truncated"}},{"kind":"Field","name":{"kind":"Name","value":"events"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"timestamp"}},{"kind":"Field","name":{"kind":"Name","value":"stepIndex"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"recordId"}}]}}]}}]}}]} as unknown as DocumentNode<ReplayWindowQuery, ReplayWindowQueryVariables>;
export const ExportBundleDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ExportBundle"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ExportBundleInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"exportBundle"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bundleId"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"contentHash"}},{"kind":"Field","name":{"kind":"Name","value":"bundle"}},{"kind":"Field","name":{"kind":"Name","value":"logExport"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"exportId"}},{"kind":"Field","name":{"kind":"Name","value":"scope"}},{"kind":"Field","name":{"kind":"Name","value":"format"}},{"kind":"Field","name":{"kind":"Name","value":"origin"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"checksum"}},{"kind":"Field","name":{"kind":"Name","value":"requestedBy"}},{"kind":"Field","name":{"kind":"Name","value":"runId"}},{"kind":"Field","name":{"kind":"Name","value":"incidentId"}},{"kind":"Field","name":{"kind":"Name","value":"correlationId"}},{"kind":"Field","name":{"kind":"Name","value":"deliveredAt"}}]}}]}}]}}]} as unknown as DocumentNode<ExportBundleMutation, ExportBundleMutationVariables>;
export const VerifyExportBundleDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"VerifyExportBundle"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"bundle"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"verifyExportBundle"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"bundle"},"value":{"kind":"Variable","name":{"kind":"Name","value":"bundle"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"valid"}},{"kind":"Field","name":{"kind":"Name","value":"expectedHash"}},{"kind":"Field","name":{"kind":"Name","value":"computedHash"}},{"kind":"Field","name":{"kind":"Name","value":"logExportFound"}}]}}]}}]} as unknown as DocumentNode<VerifyExportBundleQuery, VerifyExportBundleQueryVariables>;
export const MetricsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Metrics"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MetricsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"metrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"view"}},{"kind":"Field","name":{"kind":"Name","value":"timeBucket"}},{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"dimensions"}},{"kind":"Field","name":{"kind":"Name","value":"groupCount"}},{"kind":"Field","name":{"kind":"Name","value":"measures"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"measure"}},{"kind":"Field","name":{"kind":"Name","value":"aggregation"}},{"kind":"Field","name":{"kind":"Name","value":"unit"}}]}},{"kind":"Field","name":{"kind":"Name","value":"rows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bucket"}},{"kind":"Field","name":{"kind":"Name","value":"dimensionValues"}},{"kind":"Field","name":{"kind":"Name","value":"values"}}]}}]}}]}}]} as unknown as DocumentNode<MetricsQuery, MetricsQueryVariables>;
export const StepLatencyByAgentHourlyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"StepLatencyByAgentHourly"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"metrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"view"},"value":{"kind":"EnumValue","value":"STEPS"}},{"kind":"ObjectField","name":{"kind":"Name","value":"measures"},"value":{"kind":"ListValue","values":[{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"measure"},"value":{"kind":"EnumValue","value":"DURATION"}},{"kind":"ObjectField","name":{"kind":"Name","value":"aggregation"},"value":{"kind":"EnumValue","value":"P95"}}]},{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"measure"},"value":{"kind":"EnumValue","value":"DURATION"}},{"kind":"ObjectField","name":{"kind":"Name","value":"aggregation"},"value":{"kind":"EnumValue","value":"P50"}}]},{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"measure"},"value":{"kind":"EnumValue","value":"COUNT"}},{"kind":"ObjectField","name":{"kind":"Name","value":"aggregation"},"value":{"kind":"EnumValue","value":"COUNT"}}]}]}},{"kind":"ObjectField","name":{"kind":"Name","value":"dimensions"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"AGENT"}]}},{"kind":"ObjectField","name":{"kind":"Name","value":"timeBucket"},"value":{"kind":"EnumValue","value":"HOUR"}},{"kind":"ObjectField","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"groupCount"}},{"kind":"Field","name":{"kind":"Name","value":"rows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bucket"}},{"kind":"Field","name":{"kind":"Name","value":"dimensionValues"}},{"kind":"Field","name":{"kind":"Name","value":"values"}}]}}]}}]}}]} as unknown as DocumentNode<StepLatencyByAgentHourlyQuery, StepLatencyByAgentHourlyQueryVariables>;
export const LlmCostByModelDailyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"LlmCostByModelDaily"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"provider"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"metrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"view"},"value":{"kind":"EnumValue","value":"LLM_RUNS"}},{"kind":"ObjectField","name":{"kind":"Name","value":"measures"},"value":{"kind":"ListValue","values":[{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"measure"},"value":{"kind":"EnumValue","value":"COST"}},{"kind":"ObjectField","name":{"kind":"Name","value":"aggregation"},"value":{"kind":"EnumValue","value":"SUM"}}]},{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"measure"},"value":{"kind":"EnumValue","value":"TOKENS"}},{"kind":"ObjectField","name":{"kind":"Name","value":"aggregation"},"value":{"kind":"EnumValue","value":"SUM"}}]},{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"measure"},"value":{"kind":"EnumValue","value":"ERROR_RATE"}},{"kind":"ObjectField","name":{"kind":"Name","value":"aggregation"},"value":{"kind":"EnumValue","value":"AVG"}}]}]}},{"kind":"ObjectField","name":{"kind":"Name","value":"dimensions"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"MODEL"}]}},{"kind":"ObjectField","name":{"kind":"Name","value":"timeBucket"},"value":{"kind":"EnumValue","value":"DAY"}},{"kind":"ObjectField","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"provider"},"value":{"kind":"Variable","name":{"kind":"Name","value":"provider"}}}]}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"measures"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"measure"}},{"kind":"Field","name":{"kind":"Name","value":"aggregation"}},{"kind":"Field","name":{"kind":"Name","value":"unit"}}]}},{"kind":"Field","name":{"kind":"Name","value":"rows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bucket"}},{"kind":"Field","name":{"kind":"Name","value":"dimensionValues"}},{"kind":"Field","name":{"kind":"Name","value":"values"}}]}}]}}]}}]} as unknown as DocumentNode<LlmCostByModelDailyQuery, LlmCostByModelDailyQueryVariables>;
export const LlmRunsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"LlmRuns"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"LlmRunFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sort"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"LlmRunSort"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"llmRuns"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"sort"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sort"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"runId"}},{"kind":"Field","name":{"kind":"Name","value":"traceId"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"executionStatus"}},{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"costCents"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"isSynthetic"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]}}]}}]} as unknown as DocumentNode<LlmRunsQuery, LlmRunsQueryVariables>;
export const SystemRecordsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SystemRecords"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"SystemRecordFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sort"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"SystemRecordSort"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"systemRecords"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"sort"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sort"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"isGlobal"}},{"kind":"Field","name":{"kind":"Name","value":"component"}},{"kind":"Field","name":{"kind":"Name","value":"eventType"}},{"kind":"Field","name":{"kind":"Name","value":"severity"}},{"kind":"Field","name":{"kind":"Name","value":"summary"}},{"kind":"Field","name":{"kind":"Name","value":"details"}},{"kind":"Field","name":{"kind":"Name","value":"causedBy"}},{"kind":"Field","name":{"kind":"Name","value":"correlationId"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]}}]}}]} as unknown as DocumentNode<SystemRecordsQuery, SystemRecordsQueryVariables>;
export const SystemRecordByCorrelationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SystemRecordByCorrelation"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"correlationId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"systemRecordByCorrelation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"correlationId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"correlationId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"isGlobal"}},{"kind":"Field","name":{"kind":"Name","value":"component"}},{"kind":"Field","name":{"kind":"Name","value":"eventType"}},{"kind":"Field","name":{"kind":"Name","value":"severity"}},{"kind":"Field","name":{"kind":"Name","value":"summary"}},{"kind":"Field","name":{"kind":"Name","value":"details"}},{"kind":"Field","name":{"kind":"Name","value":"causedBy"}},{"kind":"Field","name":{"kind":"Name","value":"correlationId"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]} as unknown as DocumentNode<SystemRecordByCorrelationQuery, SystemRecordByCorrelationQueryVariables>;
export const AuditEntriesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AuditEntries"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"AuditEntryFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sort"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"AuditEntrySort"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"auditEntries"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"sort"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sort"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"entryId"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"eventType"}},{"kind":"Field","name":{"kind":"Name","value":"entityType"}},{"kind":"Field","name":{"kind":"Name","value":"entityId"}},{"kind":"Field","name":{"kind":"Name","value":"actorType"}},{"kind":"Field","name":{"kind":"Name","value":"actorId"}},{"kind":"Field","name":{"kind":"Name","value":"actionReason"}},{"kind":"Field","name":{"kind":"Name","value":"beforeState"}},{"kind":"Field","name":{"kind":"Name","value":"afterState"}},{"kind":"Field","name":{"kind":"Name","value":"correlationId"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]}}]}}]} as unknown as DocumentNode<AuditEntriesQuery, AuditEntriesQueryVariables>;
export const GovernanceEventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"GovernanceEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"runId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"governanceEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"runId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"runId"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"entryId"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"eventType"}},{"kind":"Field","name":{"kind":"Name","value":"entityType"}},{"kind":"Field","name":{"kind":"Name","value":"entityId"}},{"kind":"Field","name":{"kind":"Name","value":"actorType"}},{"kind":"Field","name":{"kind":"Name","value":"actorId"}},{"kind":"Field","name":{"kind":"Name","value":"beforeState"}},{"kind":"Field","name":{"kind":"Name","value":"afterState"}},{"kind":"Field","name":{"kind":"Name","value":"correlationId"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]}}]}}]} as unknown as DocumentNode<GovernanceEventsQuery, GovernanceEventsQueryVariables>;
export const LogExportsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"LogExports"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"LogExportFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sort"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"LogExportSort"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"logExports"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"sort"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sort"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"exportId"}},{"kind":"Field","name":{"kind":"Name","value":"scope"}},{"kind":"Field","name":{"kind":"Name","value":"format"}},{"kind":"Field","name":{"kind":"Name","value":"origin"}},{"kind":"Field","name":{"kind":"Name","value":"runId"}},{"kind":"Field","name":{"kind":"Name","value":"incidentId"}},{"kind":"Field","name":{"kind":"Name","value":"requestedBy"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"checksum"}},{"kind":"Field","name":{"kind":"Name","value":"failureReason"}},{"kind":"Field","name":{"kind":"Name","value":"deliveredAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]}}]}}]} as unknown as DocumentNode<LogExportsQuery, LogExportsQueryVariables>;
export const IncidentsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Incidents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"IncidentFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sort"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"IncidentSort"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"incidents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"sort"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sort"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"incidentId"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"severity"}},{"kind":"Field","name":{"kind":"Name","value":"lifecycleState"}},{"kind":"Field","name":{"kind":"Name","value":"causeType"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"sourceRunId"}},{"kind":"Field","name":{"kind":"Name","value":"costImpactCents"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgedAt"}},{"kind":"Field","name":{"kind":"Name","value":"resolvedAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]}}]}}]} as unknown as DocumentNode<IncidentsQuery, IncidentsQueryVariables>;
export const PolicyActivationsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PolicyActivations"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"PolicyActivationFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sort"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"PolicyActivationSort"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"policyActivations"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"sort"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sort"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"policyId"}},{"kind":"Field","name":{"kind":"Name","value":"sourcePatternId"}},{"kind":"Field","name":{"kind":"Name","value":"sourceRecoveryId"}},{"kind":"Field","name":{"kind":"Name","value":"confidenceAtActivation"}},{"kind":"Field","name":{"kind":"Name","value":"confidenceBand"}},{"kind":"Field","name":{"kind":"Name","value":"approvalPath"}},{"kind":"Field","name":{"kind":"Name","value":"loopTraceId"}},{"kind":"Field","name":{"kind":"Name","value":"activatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]}}]}}]} as unknown as DocumentNode<PolicyActivationsQuery, PolicyActivationsQueryVariables>;