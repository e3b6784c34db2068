// Every operation the explorer sends, typed by codegen (codegen.ts → ui/src/generated/).
import { graphql } from './generated/gql.ts';

export const ViewerQuery = graphql(`
  query ExplorerViewer {
    viewer { keyId scopes tenant { id name } }
  }
`);

export const TraceRowFields = graphql(`
  fragment TraceRow on Trace {
    traceId runId agentId status startedAt completedAt durationMs isSynthetic incidentId
    summary { stepCount failureCount totalCostCents totalTokens }
  }
`);

export const TracesQuery = graphql(`
  query ExplorerTraces($filter: TraceFilter, $first: Int!, $after: String) {
    traces(filter: $filter, first: $first, after: $after) {
      edges { node { ...TraceRow } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const TraceUpdatedSubscription = graphql(`
  subscription ExplorerTraceUpdated($filter: TraceUpdatedFilter) {
    traceUpdated(filter: $filter) { cursor trace { ...TraceRow } }
  }
`);

export const StepFields = graphql(`
  fragment StepFields on TraceStep {
    id stepIndex skillName toolName operation status level source startedAt endedAt durationMs
    spanId parentSpanId spanKind model provider inputTokens outputTokens costCents retryCount
    outcomeCode outcomeCategory
  }
`);

/** Params and outcome are most of a step's bytes: fetched for the step the user opens, not for all. */
export const StepPayloadQuery = graphql(`
  query ExplorerStepPayload($id: ID!) {
    node(id: $id) { ... on TraceStep { params outcomeData } }
  }
`);

export const TraceQuery = graphql(`
  query ExplorerTrace($traceId: String!) {
    trace(traceId: $traceId) {
      ...TraceRow
      correlationId rootHash planHash metadata
    }
  }
`);

export const TraceStepsQuery = graphql(`
  query ExplorerTraceSteps($traceId: String!, $first: Int!, $after: String) {
    trace(traceId: $traceId) {
      steps(first: $first, after: $after) {
        edges { node { ...StepFields } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

export const TraceStepRecordedSubscription = graphql(`
  subscription ExplorerTraceStepRecorded($traceId: String!, $after: String) {
    traceStepRecorded(traceId: $traceId, after: $after) { cursor step { ...StepFields } }
  }
`);

export const VerifyTraceQuery = graphql(`
  query ExplorerVerifyTrace($traceId: String!) {
    verifyTrace(traceId: $traceId) { valid reason storedRootHash computedRootHash stepCount }
  }
`);

export const IncidentsQuery = graphql(`
  query ExplorerIncidents($filter: IncidentFilter, $first: Int!, $after: String) {
    incidents(filter: $filter, first: $first, after: $after) {
      edges { node { incidentId title severity lifecycleState category sourceRunId createdAt } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const IncidentQuery = graphql(`
  query ExplorerIncident($incidentId: String!) {
    incident(incidentId: $incidentId) {
      incidentId title description severity lifecycleState causeType category triggerType triggerValue
      errorCode errorMessage sourceRunId createdAt acknowledgedAt acknowledgedBy resolvedAt resolvedBy
      resolutionMethod resolutionNotes
      traces { ...TraceRow }
    }
  }
`);

export const AcknowledgeIncidentMutation = graphql(`
  mutation ExplorerAcknowledgeIncident($incidentId: String!) {
    acknowledgeIncident(input: { incidentId: $incidentId }) { incidentId lifecycleState acknowledgedAt }
  }
`);

export const ResolveIncidentMutation = graphql(`
  mutation ExplorerResolveIncident($incidentId: String!, $notes: String) {
    resolveIncident(input: { incidentId: $incidentId, method: MANUAL, notes: $notes }) { incidentId lifecycleState resolvedAt }
  }
`);

export const ExportBundleMutation = graphql(`
  mutation ExplorerExportBundle($incidentId: String!, $kind: ExportBundleKind!) {
    exportBundle(input: { incidentId: $incidentId, kind: $kind }) { bundleId kind contentHash bundle }
  }
`);

export const VerifyBundleQuery = graphql(`
  query ExplorerVerifyBundle($bundle: JSON!) {
    verifyExportBundle(bundle: $bundle) { valid computedHash expectedHash logExportFound }
  }
`);

export const AuditEntriesQuery = graphql(`
  query ExplorerAuditEntries($filter: AuditEntryFilter, $first: Int!, $after: String) {
    auditEntries(filter: $filter, first: $first, after: $after) {
      edges { node { entryId seq createdAt eventType entityType entityId actorType actorId actionReason entryHash } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const VerifyLedgerQuery = graphql(`
  query ExplorerVerifyLedger {
    verifyAuditLedger { valid checkedCount firstSeq lastSeq headHash firstBreak { seq reason } }
  }
`);

export const MetricsQuery = graphql(`
  query ExplorerMetrics($input: MetricsInput!) {
    metrics(input: $input) { measures { measure aggregation unit } dimensions rows { bucket dimensionValues values } }
  }
`);
