/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
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

export type ExportBundleKind =
  /** Incident, run, trace summary and steps, totals, policy context and ledger entries. */
  | 'EVIDENCE'
  /** A short summary for management: risk level, detection delay, cost; no trace steps. */
  | 'EXECUTIVE_DEBRIEF'
  /** The evidence bundle with SOC2 CC7.2–CC7.4 control mappings and an attestation, review PENDING. */
  | 'SOC2';

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

export type LedgerBreakReason =
  | 'CHAIN_BROKEN'
  | 'HASH_MISMATCH'
  | 'SEQ_GAP';

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

export type ResolutionMethod =
  | 'AUTO'
  | 'MANUAL'
  | 'ROLLBACK';

/** OpenTelemetry span kind; null on the step when the span did not say (UNSPECIFIED). */
export type SpanKind =
  | 'CLIENT'
  | 'CONSUMER'
  | 'INTERNAL'
  | 'PRODUCER'
  | 'SERVER';

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

/** RUNNING moves once to COMPLETED, FAILED or ABORTED; final states never change (enforced in the database). */
export type TraceStatus =
  | 'ABORTED'
  | 'COMPLETED'
  | 'FAILED'
  | 'RUNNING';

export type TraceUpdatedFilter = {
  /** Matched exactly against the stored value. */
  agentId?: string | null | undefined;
  /** Only traces in this status after the change (COMPLETED: traces as they complete). */
  status?: TraceStatus | null | undefined;
};

export type TraceVerificationReason =
  | 'NOT_FINAL'
  | 'OK'
  | 'ROOT_HASH_MISMATCH';

export type ExplorerViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ExplorerViewerQuery = { viewer: { keyId: string, scopes: Array<ApiScope>, tenant: { id: string, name: string } } };

export type TraceRowFragment = { traceId: string, runId: string, agentId: string | null, status: TraceStatus, startedAt: string, completedAt: string | null, durationMs: number | null, isSynthetic: boolean, incidentId: string | null, summary: { stepCount: number, failureCount: number, totalCostCents: string, totalTokens: number } };

export type ExplorerTracesQueryVariables = Exact<{
  filter?: TraceFilter | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type ExplorerTracesQuery = { traces: { edges: Array<{ node: { traceId: string, runId: string, agentId: string | null, status: TraceStatus, startedAt: string, completedAt: string | null, durationMs: number | null, isSynthetic: boolean, incidentId: string | null, summary: { stepCount: number, failureCount: number, totalCostCents: string, totalTokens: number } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ExplorerTraceUpdatedSubscriptionVariables = Exact<{
  filter?: TraceUpdatedFilter | null | undefined;
}>;


export type ExplorerTraceUpdatedSubscription = { traceUpdated: { cursor: string, trace: { traceId: string, runId: string, agentId: string | null, status: TraceStatus, startedAt: string, completedAt: string | null, durationMs: number | null, isSynthetic: boolean, incidentId: string | null, summary: { stepCount: number, failureCount: number, totalCostCents: string, totalTokens: number } } } };

export type StepFieldsFragment = { id: string, stepIndex: number, skillName: string, toolName: string | null, operation: string | null, status: StepStatus, level: StepLevel, source: StepSource, startedAt: string, endedAt: string, durationMs: number, spanId: string | null, parentSpanId: string | null, spanKind: SpanKind | null, model: string | null, provider: string | null, inputTokens: number | null, outputTokens: number | null, costCents: string, retryCount: number, outcomeCode: string | null, outcomeCategory: string };

export type ExplorerStepPayloadQueryVariables = Exact<{
  id: string | number;
}>;


export type ExplorerStepPayloadQuery = { node:
    | { params: unknown, outcomeData: unknown }
    | Record<PropertyKey, never>
   | null };

export type ExplorerTraceQueryVariables = Exact<{
  traceId: string;
}>;


export type ExplorerTraceQuery = { trace: { correlationId: string, rootHash: string | null, planHash: string | null, metadata: unknown, traceId: string, runId: string, agentId: string | null, status: TraceStatus, startedAt: string, completedAt: string | null, durationMs: number | null, isSynthetic: boolean, incidentId: string | null, summary: { stepCount: number, failureCount: number, totalCostCents: string, totalTokens: number } } | null };

export type ExplorerTraceStepsQueryVariables = Exact<{
  traceId: string;
  first: number;
  after?: string | null | undefined;
}>;


export type ExplorerTraceStepsQuery = { trace: { steps: { edges: Array<{ node: { id: string, stepIndex: number, skillName: string, toolName: string | null, operation: string | null, status: StepStatus, level: StepLevel, source: StepSource, startedAt: string, endedAt: string, durationMs: number, spanId: string | null, parentSpanId: string | null, spanKind: SpanKind | null, model: string | null, provider: string | null, inputTokens: number | null, outputTokens: number | null, costCents: string, retryCount: number, outcomeCode: string | null, outcomeCategory: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null };

export type ExplorerTraceStepRecordedSubscriptionVariables = Exact<{
  traceId: string;
  after?: string | null | undefined;
}>;


export type ExplorerTraceStepRecordedSubscription = { traceStepRecorded: { cursor: string, step: { id: string, stepIndex: number, skillName: string, toolName: string | null, operation: string | null, status: StepStatus, level: StepLevel, source: StepSource, startedAt: string, endedAt: string, durationMs: number, spanId: string | null, parentSpanId: string | null, spanKind: SpanKind | null, model: string | null, provider: string | null, inputTokens: number | null, outputTokens: number | null, costCents: string, retryCount: number, outcomeCode: string | null, outcomeCategory: string } } };

export type ExplorerVerifyTraceQueryVariables = Exact<{
  traceId: string;
}>;


export type ExplorerVerifyTraceQuery = { verifyTrace: { valid: boolean, reason: TraceVerificationReason, storedRootHash: string | null, computedRootHash: string, stepCount: number } | null };

export type ExplorerIncidentsQueryVariables = Exact<{
  filter?: IncidentFilter | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type ExplorerIncidentsQuery = { incidents: { edges: Array<{ node: { incidentId: string, title: string, severity: IncidentSeverity, lifecycleState: IncidentLifecycle, category: string | null, sourceRunId: string | null, createdAt: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ExplorerIncidentQueryVariables = Exact<{
  incidentId: string;
}>;


export type ExplorerIncidentQuery = { incident: { incidentId: string, title: string, description: string | null, severity: IncidentSeverity, lifecycleState: IncidentLifecycle, causeType: IncidentCauseType, category: string | null, triggerType: string, triggerValue: string | null, errorCode: string | null, errorMessage: string | null, sourceRunId: string | null, createdAt: string, acknowledgedAt: string | null, acknowledgedBy: string | null, resolvedAt: string | null, resolvedBy: string | null, resolutionMethod: ResolutionMethod | null, resolutionNotes: string | null, traces: Array<{ traceId: string, runId: string, agentId: string | null, status: TraceStatus, startedAt: string, completedAt: string | null, durationMs: number | null, isSynthetic: boolean, incidentId: string | null, summary: { stepCount: number, failureCount: number, totalCostCents: string, totalTokens: number } }> } | null };

export type ExplorerAcknowledgeIncidentMutationVariables = Exact<{
  incidentId: string;
}>;


export type ExplorerAcknowledgeIncidentMutation = { acknowledgeIncident: { incidentId: string, lifecycleState: IncidentLifecycle, acknowledgedAt: string | null } };

export type ExplorerResolveIncidentMutationVariables = Exact<{
  incidentId: string;
  notes?: string | null | undefined;
}>;


export type ExplorerResolveIncidentMutation = { resolveIncident: { incidentId: string, lifecycleState: IncidentLifecycle, resolvedAt: string | null } };

export type ExplorerExportBundleMutationVariables = Exact<{
  incidentId: string;
  kind: ExportBundleKind;
}>;


export type ExplorerExportBundleMutation = { exportBundle: { bundleId: string, kind: ExportBundleKind, contentHash: string, bundle: unknown } };

export type ExplorerVerifyBundleQueryVariables = Exact<{
  bundle: unknown;
}>;


export type ExplorerVerifyBundleQuery = { verifyExportBundle: { valid: boolean, computedHash: string, expectedHash: string | null, logExportFound: boolean } };

export type ExplorerAuditEntriesQueryVariables = Exact<{
  filter?: AuditEntryFilter | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type ExplorerAuditEntriesQuery = { auditEntries: { edges: Array<{ node: { entryId: string, seq: string, createdAt: string, eventType: AuditEventType, entityType: AuditEntityType, entityId: string, actorType: ActorType, actorId: string | null, actionReason: string | null, entryHash: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ExplorerVerifyLedgerQueryVariables = Exact<{ [key: string]: never; }>;


export type ExplorerVerifyLedgerQuery = { verifyAuditLedger: { valid: boolean, checkedCount: number, firstSeq: string | null, lastSeq: string | null, headHash: string | null, firstBreak: { seq: string, reason: LedgerBreakReason } | null } };

export type ExplorerMetricsQueryVariables = Exact<{
  input: MetricsInput;
}>;


export type ExplorerMetricsQuery = { metrics: { dimensions: Array<MetricDimension>, measures: Array<{ measure: MetricMeasure, aggregation: MetricAggregation, unit: MetricUnit }>, rows: Array<{ bucket: string | null, dimensionValues: Array<string | null>, values: Array<number | null> }> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const TraceRowFragmentDoc = new TypedDocumentString(`
    fragment TraceRow on Trace {
  traceId
  runId
  agentId
  status
  startedAt
  completedAt
  durationMs
  isSynthetic
  incidentId
  summary {
    stepCount
    failureCount
    totalCostCents
    totalTokens
  }
}
    `, {"fragmentName":"TraceRow"}) as unknown as TypedDocumentString<TraceRowFragment, unknown>;
export const StepFieldsFragmentDoc = new TypedDocumentString(`
    fragment StepFields on TraceStep {
  id
  stepIndex
  skillName
  toolName
  operation
  status
  level
  source
  startedAt
  endedAt
  durationMs
  spanId
  parentSpanId
  spanKind
  model
  provider
  inputTokens
  outputTokens
  costCents
  retryCount
  outcomeCode
  outcomeCategory
}
    `, {"fragmentName":"StepFields"}) as unknown as TypedDocumentString<StepFieldsFragment, unknown>;
export const ExplorerViewerDocument = new TypedDocumentString(`
    query ExplorerViewer {
  viewer {
    keyId
    scopes
    tenant {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<ExplorerViewerQuery, ExplorerViewerQueryVariables>;
export const ExplorerTracesDocument = new TypedDocumentString(`
    query ExplorerTraces($filter: TraceFilter, $first: Int!, $after: String) {
  traces(filter: $filter, first: $first, after: $after) {
    edges {
      node {
        ...TraceRow
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment TraceRow on Trace {
  traceId
  runId
  agentId
  status
  startedAt
  completedAt
  durationMs
  isSynthetic
  incidentId
  summary {
    stepCount
    failureCount
    totalCostCents
    totalTokens
  }
}`) as unknown as TypedDocumentString<ExplorerTracesQuery, ExplorerTracesQueryVariables>;
export const ExplorerTraceUpdatedDocument = new TypedDocumentString(`
    subscription ExplorerTraceUpdated($filter: TraceUpdatedFilter) {
  traceUpdated(filter: $filter) {
    cursor
    trace {
      ...TraceRow
    }
  }
}
    fragment TraceRow on Trace {
  traceId
  runId
  agentId
  status
  startedAt
  completedAt
  durationMs
  isSynthetic
  incidentId
  summary {
    stepCount
    failureCount
    totalCostCents
    totalTokens
  }
}`) as unknown as TypedDocumentString<ExplorerTraceUpdatedSubscription, ExplorerTraceUpdatedSubscriptionVariables>;
export const ExplorerStepPayloadDocument = new TypedDocumentString(`
    query ExplorerStepPayload($id: ID!) {
  node(id: $id) {
    ... on TraceStep {
      params
      outcomeData
    }
  }
}
    `) as unknown as TypedDocumentString<ExplorerStepPayloadQuery, ExplorerStepPayloadQueryVariables>;
export const ExplorerTraceDocument = new TypedDocumentString(`
    query ExplorerTrace($traceId: String!) {
  trace(traceId: $traceId) {
    ...TraceRow
    correlationId
    rootHash
    planHash
    metadata
  }
}
    fragment TraceRow on Trace {
  traceId
  runId
  agentId
  status
  startedAt
  completedAt
  durationMs
  isSynthetic
  incidentId
  summary {
    stepCount
    failureCount
    totalCostCents
    totalTokens
  }
}`) as unknown as TypedDocumentString<ExplorerTraceQuery, ExplorerTraceQueryVariables>;
export const ExplorerTraceStepsDocument = new TypedDocumentString(`
    query ExplorerTraceSteps($traceId: String!, $first: Int!, $after: String) {
  trace(traceId: $traceId) {
    steps(first: $first, after: $after) {
      edges {
        node {
          ...StepFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    fragment StepFields on TraceStep {
  id
  stepIndex
  skillName
  toolName
  operation
  status
  level
  source
  startedAt
  endedAt
  durationMs
  spanId
  parentSpanId
  spanKind
  model
  provider
  inputTokens
  outputTokens
  costCents
  retryCount
  outcomeCode
  outcomeCategory
}`) as unknown as TypedDocumentString<ExplorerTraceStepsQuery, ExplorerTraceStepsQueryVariables>;
export const ExplorerTraceStepRecordedDocument = new TypedDocumentString(`
    subscription ExplorerTraceStepRecorded($traceId: String!, $after: String) {
  traceStepRecorded(traceId: $traceId, after: $after) {
    cursor
    step {
      ...StepFields
    }
  }
}
    fragment StepFields on TraceStep {
  id
  stepIndex
  skillName
  toolName
  operation
  status
  level
  source
  startedAt
  endedAt
  durationMs
  spanId
  parentSpanId
  spanKind
  model
  provider
  inputTokens
  outputTokens
  costCents
  retryCount
  outcomeCode
  outcomeCategory
}`) as unknown as TypedDocumentString<ExplorerTraceStepRecordedSubscription, ExplorerTraceStepRecordedSubscriptionVariables>;
export const ExplorerVerifyTraceDocument = new TypedDocumentString(`
    query ExplorerVerifyTrace($traceId: String!) {
  verifyTrace(traceId: $traceId) {
    valid
    reason
    storedRootHash
    computedRootHash
    stepCount
  }
}
    `) as unknown as TypedDocumentString<ExplorerVerifyTraceQuery, ExplorerVerifyTraceQueryVariables>;
export const ExplorerIncidentsDocument = new TypedDocumentString(`
    query ExplorerIncidents($filter: IncidentFilter, $first: Int!, $after: String) {
  incidents(filter: $filter, first: $first, after: $after) {
    edges {
      node {
        incidentId
        title
        severity
        lifecycleState
        category
        sourceRunId
        createdAt
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<ExplorerIncidentsQuery, ExplorerIncidentsQueryVariables>;
export const ExplorerIncidentDocument = new TypedDocumentString(`
    query ExplorerIncident($incidentId: String!) {
  incident(incidentId: $incidentId) {
    incidentId
    title
    description
    severity
    lifecycleState
    causeType
    category
    triggerType
    triggerValue
    errorCode
    errorMessage
    sourceRunId
    createdAt
    acknowledgedAt
    acknowledgedBy
    resolvedAt
    resolvedBy
    resolutionMethod
    resolutionNotes
    traces {
      ...TraceRow
    }
  }
}
    fragment TraceRow on Trace {
  traceId
  runId
  agentId
  status
  startedAt
  completedAt
  durationMs
  isSynthetic
  incidentId
  summary {
    stepCount
    failureCount
    totalCostCents
    totalTokens
  }
}`) as unknown as TypedDocumentString<ExplorerIncidentQuery, ExplorerIncidentQueryVariables>;
export const ExplorerAcknowledgeIncidentDocument = new TypedDocumentString(`
    mutation ExplorerAcknowledgeIncident($incidentId: String!) {
  acknowledgeIncident(input: {incidentId: $incidentId}) {
    incidentId
    lifecycleState
    acknowledgedAt
  }
}
    `) as unknown as TypedDocumentString<ExplorerAcknowledgeIncidentMutation, ExplorerAcknowledgeIncidentMutationVariables>;
export const ExplorerResolveIncidentDocument = new TypedDocumentString(`
    mutation ExplorerResolveIncident($incidentId: String!, $notes: String) {
  resolveIncident(input: {incidentId: $incidentId, method: MANUAL, notes: $notes}) {
    incidentId
    lifecycleState
    resolvedAt
  }
}
    `) as unknown as TypedDocumentString<ExplorerResolveIncidentMutation, ExplorerResolveIncidentMutationVariables>;
export const ExplorerExportBundleDocument = new TypedDocumentString(`
    mutation ExplorerExportBundle($incidentId: String!, $kind: ExportBundleKind!) {
  exportBundle(input: {incidentId: $incidentId, kind: $kind}) {
    bundleId
    kind
    contentHash
    bundle
  }
}
    `) as unknown as TypedDocumentString<ExplorerExportBundleMutation, ExplorerExportBundleMutationVariables>;
export const ExplorerVerifyBundleDocument = new TypedDocumentString(`
    query ExplorerVerifyBundle($bundle: JSON!) {
  verifyExportBundle(bundle: $bundle) {
    valid
    computedHash
    expectedHash
    logExportFound
  }
}
    `) as unknown as TypedDocumentString<ExplorerVerifyBundleQuery, ExplorerVerifyBundleQueryVariables>;
export const ExplorerAuditEntriesDocument = new TypedDocumentString(`
    query ExplorerAuditEntries($filter: AuditEntryFilter, $first: Int!, $after: String) {
  auditEntries(filter: $filter, first: $first, after: $after) {
    edges {
      node {
        entryId
        seq
        createdAt
        eventType
        entityType
        entityId
        actorType
        actorId
        actionReason
        entryHash
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<ExplorerAuditEntriesQuery, ExplorerAuditEntriesQueryVariables>;
export const ExplorerVerifyLedgerDocument = new TypedDocumentString(`
    query ExplorerVerifyLedger {
  verifyAuditLedger {
    valid
    checkedCount
    firstSeq
    lastSeq
    headHash
    firstBreak {
      seq
      reason
    }
  }
}
    `) as unknown as TypedDocumentString<ExplorerVerifyLedgerQuery, ExplorerVerifyLedgerQueryVariables>;
export const ExplorerMetricsDocument = new TypedDocumentString(`
    query ExplorerMetrics($input: MetricsInput!) {
  metrics(input: $input) {
    measures {
      measure
      aggregation
      unit
    }
    dimensions
    rows {
      bucket
      dimensionValues
      values
    }
  }
}
    `) as unknown as TypedDocumentString<ExplorerMetricsQuery, ExplorerMetricsQueryVariables>;