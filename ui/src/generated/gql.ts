/* eslint-disable */
import * as types from './graphql.ts';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query ExplorerViewer {\n    viewer { keyId scopes tenant { id name } }\n  }\n": typeof types.ExplorerViewerDocument,
    "\n  fragment TraceRow on Trace {\n    traceId runId agentId status startedAt completedAt durationMs isSynthetic incidentId\n    summary { stepCount failureCount totalCostCents totalTokens }\n  }\n": typeof types.TraceRowFragmentDoc,
    "\n  query ExplorerTraces($filter: TraceFilter, $first: Int!, $after: String) {\n    traces(filter: $filter, first: $first, after: $after) {\n      edges { node { ...TraceRow } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.ExplorerTracesDocument,
    "\n  subscription ExplorerTraceUpdated($filter: TraceUpdatedFilter) {\n    traceUpdated(filter: $filter) { cursor trace { ...TraceRow } }\n  }\n": typeof types.ExplorerTraceUpdatedDocument,
    "\n  fragment StepFields on TraceStep {\n    id stepIndex skillName toolName operation status level source startedAt endedAt durationMs\n    spanId parentSpanId spanKind model provider inputTokens outputTokens costCents retryCount\n    outcomeCode outcomeCategory\n  }\n": typeof types.StepFieldsFragmentDoc,
    "\n  query ExplorerStepPayload($id: ID!) {\n    node(id: $id) { ... on TraceStep { params outcomeData } }\n  }\n": typeof types.ExplorerStepPayloadDocument,
    "\n  query ExplorerTrace($traceId: String!) {\n    trace(traceId: $traceId) {\n      ...TraceRow\n      correlationId rootHash planHash metadata\n    }\n  }\n": typeof types.ExplorerTraceDocument,
    "\n  query ExplorerTraceSteps($traceId: String!, $first: Int!, $after: String) {\n    trace(traceId: $traceId) {\n      steps(first: $first, after: $after) {\n        edges { node { ...StepFields } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": typeof types.ExplorerTraceStepsDocument,
    "\n  subscription ExplorerTraceStepRecorded($traceId: String!, $after: String) {\n    traceStepRecorded(traceId: $traceId, after: $after) { cursor step { ...StepFields } }\n  }\n": typeof types.ExplorerTraceStepRecordedDocument,
    "\n  query ExplorerVerifyTrace($traceId: String!) {\n    verifyTrace(traceId: $traceId) { valid reason storedRootHash computedRootHash stepCount }\n  }\n": typeof types.ExplorerVerifyTraceDocument,
    "\n  query ExplorerIncidents($filter: IncidentFilter, $first: Int!, $after: String) {\n    incidents(filter: $filter, first: $first, after: $after) {\n      edges { node { incidentId title severity lifecycleState category sourceRunId createdAt } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.ExplorerIncidentsDocument,
    "\n  query ExplorerIncident($incidentId: String!) {\n    incident(incidentId: $incidentId) {\n      incidentId title description severity lifecycleState causeType category triggerType triggerValue\n      errorCode errorMessage sourceRunId createdAt acknowledgedAt acknowledgedBy resolvedAt resolvedBy\n      resolutionMethod resolutionNotes\n      traces { ...TraceRow }\n    }\n  }\n": typeof types.ExplorerIncidentDocument,
    "\n  mutation ExplorerAcknowledgeIncident($incidentId: String!) {\n    acknowledgeIncident(input: { incidentId: $incidentId }) { incidentId lifecycleState acknowledgedAt }\n  }\n": typeof types.ExplorerAcknowledgeIncidentDocument,
    "\n  mutation ExplorerResolveIncident($incidentId: String!, $notes: String) {\n    resolveIncident(input: { incidentId: $incidentId, method: MANUAL, notes: $notes }) { incidentId lifecycleState resolvedAt }\n  }\n": typeof types.ExplorerResolveIncidentDocument,
    "\n  mutation ExplorerExportBundle($incidentId: String!, $kind: ExportBundleKind!) {\n    exportBundle(input: { incidentId: $incidentId, kind: $kind }) { bundleId kind contentHash bundle }\n  }\n": typeof types.ExplorerExportBundleDocument,
    "\n  query ExplorerVerifyBundle($bundle: JSON!) {\n    verifyExportBundle(bundle: $bundle) { valid computedHash expectedHash logExportFound }\n  }\n": typeof types.ExplorerVerifyBundleDocument,
    "\n  query ExplorerAuditEntries($filter: AuditEntryFilter, $first: Int!, $after: String) {\n    auditEntries(filter: $filter, first: $first, after: $after) {\n      edges { node { entryId seq createdAt eventType entityType entityId actorType actorId actionReason entryHash } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.ExplorerAuditEntriesDocument,
    "\n  query ExplorerVerifyLedger {\n    verifyAuditLedger { valid checkedCount firstSeq lastSeq headHash firstBreak { seq reason } }\n  }\n": typeof types.ExplorerVerifyLedgerDocument,
    "\n  query ExplorerMetrics($input: MetricsInput!) {\n    metrics(input: $input) { measures { measure aggregation unit } dimensions rows { bucket dimensionValues values } }\n  }\n": typeof types.ExplorerMetricsDocument,
};
const documents: Documents = {
    "\n  query ExplorerViewer {\n    viewer { keyId scopes tenant { id name } }\n  }\n": types.ExplorerViewerDocument,
    "\n  fragment TraceRow on Trace {\n    traceId runId agentId status startedAt completedAt durationMs isSynthetic incidentId\n    summary { stepCount failureCount totalCostCents totalTokens }\n  }\n": types.TraceRowFragmentDoc,
    "\n  query ExplorerTraces($filter: TraceFilter, $first: Int!, $after: String) {\n    traces(filter: $filter, first: $first, after: $after) {\n      edges { node { ...TraceRow } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.ExplorerTracesDocument,
    "\n  subscription ExplorerTraceUpdated($filter: TraceUpdatedFilter) {\n    traceUpdated(filter: $filter) { cursor trace { ...TraceRow } }\n  }\n": types.ExplorerTraceUpdatedDocument,
    "\n  fragment StepFields on TraceStep {\n    id stepIndex skillName toolName operation status level source startedAt endedAt durationMs\n    spanId parentSpanId spanKind model provider inputTokens outputTokens costCents retryCount\n    outcomeCode outcomeCategory\n  }\n": types.StepFieldsFragmentDoc,
    "\n  query ExplorerStepPayload($id: ID!) {\n    node(id: $id) { ... on TraceStep { params outcomeData } }\n  }\n": types.ExplorerStepPayloadDocument,
    "\n  query ExplorerTrace($traceId: String!) {\n    trace(traceId: $traceId) {\n      ...TraceRow\n      correlationId rootHash planHash metadata\n    }\n  }\n": types.ExplorerTraceDocument,
    "\n  query ExplorerTraceSteps($traceId: String!, $first: Int!, $after: String) {\n    trace(traceId: $traceId) {\n      steps(first: $first, after: $after) {\n        edges { node { ...StepFields } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": types.ExplorerTraceStepsDocument,
    "\n  subscription ExplorerTraceStepRecorded($traceId: String!, $after: String) {\n    traceStepRecorded(traceId: $traceId, after: $after) { cursor step { ...StepFields } }\n  }\n": types.ExplorerTraceStepRecordedDocument,
    "\n  query ExplorerVerifyTrace($traceId: String!) {\n    verifyTrace(traceId: $traceId) { valid reason storedRootHash computedRootHash stepCount }\n  }\n": types.ExplorerVerifyTraceDocument,
    "\n  query ExplorerIncidents($filter: IncidentFilter, $first: Int!, $after: String) {\n    incidents(filter: $filter, first: $first, after: $after) {\n      edges { node { incidentId title severity lifecycleState category sourceRunId createdAt } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.ExplorerIncidentsDocument,
    "\n  query ExplorerIncident($incidentId: String!) {\n    incident(incidentId: $incidentId) {\n      incidentId title description severity lifecycleState causeType category triggerType triggerValue\n      errorCode errorMessage sourceRunId createdAt acknowledgedAt acknowledgedBy resolvedAt resolvedBy\n      resolutionMethod resolutionNotes\n      traces { ...TraceRow }\n    }\n  }\n": types.ExplorerIncidentDocument,
    "\n  mutation ExplorerAcknowledgeIncident($incidentId: String!) {\n    acknowledgeIncident(input: { incidentId: $incidentId }) { incidentId lifecycleState acknowledgedAt }\n  }\n": types.ExplorerAcknowledgeIncidentDocument,
    "\n  mutation ExplorerResolveIncident($incidentId: String!, $notes: String) {\n    resolveIncident(input: { incidentId: $incidentId, method: MANUAL, notes: $notes }) { incidentId lifecycleState resolvedAt }\n  }\n": types.ExplorerResolveIncidentDocument,
    "\n  mutation ExplorerExportBundle($incidentId: String!, $kind: ExportBundleKind!) {\n    exportBundle(input: { incidentId: $incidentId, kind: $kind }) { bundleId kind contentHash bundle }\n  }\n": types.ExplorerExportBundleDocument,
    "\n  query ExplorerVerifyBundle($bundle: JSON!) {\n    verifyExportBundle(bundle: $bundle) { valid computedHash expectedHash logExportFound }\n  }\n": types.ExplorerVerifyBundleDocument,
    "\n  query ExplorerAuditEntries($filter: AuditEntryFilter, $first: Int!, $after: String) {\n    auditEntries(filter: $filter, first: $first, after: $after) {\n      edges { node { entryId seq createdAt eventType entityType entityId actorType actorId actionReason entryHash } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.ExplorerAuditEntriesDocument,
    "\n  query ExplorerVerifyLedger {\n    verifyAuditLedger { valid checkedCount firstSeq lastSeq headHash firstBreak { seq reason } }\n  }\n": types.ExplorerVerifyLedgerDocument,
    "\n  query ExplorerMetrics($input: MetricsInput!) {\n    metrics(input: $input) { measures { measure aggregation unit } dimensions rows { bucket dimensionValues values } }\n  }\n": types.ExplorerMetricsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerViewer {\n    viewer { keyId scopes tenant { id name } }\n  }\n"): typeof import('./graphql.ts').ExplorerViewerDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TraceRow on Trace {\n    traceId runId agentId status startedAt completedAt durationMs isSynthetic incidentId\n    summary { stepCount failureCount totalCostCents totalTokens }\n  }\n"): typeof import('./graphql.ts').TraceRowFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerTraces($filter: TraceFilter, $first: Int!, $after: String) {\n    traces(filter: $filter, first: $first, after: $after) {\n      edges { node { ...TraceRow } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): typeof import('./graphql.ts').ExplorerTracesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ExplorerTraceUpdated($filter: TraceUpdatedFilter) {\n    traceUpdated(filter: $filter) { cursor trace { ...TraceRow } }\n  }\n"): typeof import('./graphql.ts').ExplorerTraceUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment StepFields on TraceStep {\n    id stepIndex skillName toolName operation status level source startedAt endedAt durationMs\n    spanId parentSpanId spanKind model provider inputTokens outputTokens costCents retryCount\n    outcomeCode outcomeCategory\n  }\n"): typeof import('./graphql.ts').StepFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerStepPayload($id: ID!) {\n    node(id: $id) { ... on TraceStep { params outcomeData } }\n  }\n"): typeof import('./graphql.ts').ExplorerStepPayloadDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerTrace($traceId: String!) {\n    trace(traceId: $traceId) {\n      ...TraceRow\n      correlationId rootHash planHash metadata\n    }\n  }\n"): typeof import('./graphql.ts').ExplorerTraceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerTraceSteps($traceId: String!, $first: Int!, $after: String) {\n    trace(traceId: $traceId) {\n      steps(first: $first, after: $after) {\n        edges { node { ...StepFields } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"): typeof import('./graphql.ts').ExplorerTraceStepsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ExplorerTraceStepRecorded($traceId: String!, $after: String) {\n    traceStepRecorded(traceId: $traceId, after: $after) { cursor step { ...StepFields } }\n  }\n"): typeof import('./graphql.ts').ExplorerTraceStepRecordedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerVerifyTrace($traceId: String!) {\n    verifyTrace(traceId: $traceId) { valid reason storedRootHash computedRootHash stepCount }\n  }\n"): typeof import('./graphql.ts').ExplorerVerifyTraceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerIncidents($filter: IncidentFilter, $first: Int!, $after: String) {\n    incidents(filter: $filter, first: $first, after: $after) {\n      edges { node { incidentId title severity lifecycleState category sourceRunId createdAt } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): typeof import('./graphql.ts').ExplorerIncidentsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerIncident($incidentId: String!) {\n    incident(incidentId: $incidentId) {\n      incidentId title description severity lifecycleState causeType category triggerType triggerValue\n      errorCode errorMessage sourceRunId createdAt acknowledgedAt acknowledgedBy resolvedAt resolvedBy\n      resolutionMethod resolutionNotes\n      traces { ...TraceRow }\n    }\n  }\n"): typeof import('./graphql.ts').ExplorerIncidentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExplorerAcknowledgeIncident($incidentId: String!) {\n    acknowledgeIncident(input: { incidentId: $incidentId }) { incidentId lifecycleState acknowledgedAt }\n  }\n"): typeof import('./graphql.ts').ExplorerAcknowledgeIncidentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExplorerResolveIncident($incidentId: String!, $notes: String) {\n    resolveIncident(input: { incidentId: $incidentId, method: MANUAL, notes: $notes }) { incidentId lifecycleState resolvedAt }\n  }\n"): typeof import('./graphql.ts').ExplorerResolveIncidentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExplorerExportBundle($incidentId: String!, $kind: ExportBundleKind!) {\n    exportBundle(input: { incidentId: $incidentId, kind: $kind }) { bundleId kind contentHash bundle }\n  }\n"): typeof import('./graphql.ts').ExplorerExportBundleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerVerifyBundle($bundle: JSON!) {\n    verifyExportBundle(bundle: $bundle) { valid computedHash expectedHash logExportFound }\n  }\n"): typeof import('./graphql.ts').ExplorerVerifyBundleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerAuditEntries($filter: AuditEntryFilter, $first: Int!, $after: String) {\n    auditEntries(filter: $filter, first: $first, after: $after) {\n      edges { node { entryId seq createdAt eventType entityType entityId actorType actorId actionReason entryHash } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): typeof import('./graphql.ts').ExplorerAuditEntriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerVerifyLedger {\n    verifyAuditLedger { valid checkedCount firstSeq lastSeq headHash firstBreak { seq reason } }\n  }\n"): typeof import('./graphql.ts').ExplorerVerifyLedgerDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerMetrics($input: MetricsInput!) {\n    metrics(input: $input) { measures { measure aggregation unit } dimensions rows { bucket dimensionValues values } }\n  }\n"): typeof import('./graphql.ts').ExplorerMetricsDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
