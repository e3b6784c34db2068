// What a dashboard reads from the record tables: paginated, filtered, sorted lists (Relay
// connections, at most 100 per page) and the system record of a run.
import { graphql } from '../generated/index.ts';

export const LlmRuns = graphql(`
  query LlmRuns($filter: LlmRunFilter, $sort: LlmRunSort, $first: Int, $after: String, $last: Int, $before: String) {
    llmRuns(filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges {
        cursor
        node {
          id runId traceId provider model executionStatus inputTokens outputTokens costCents
          startedAt completedAt source isSynthetic createdAt
        }
      }
    }
  }
`);

export const SystemRecords = graphql(`
  query SystemRecords($filter: SystemRecordFilter, $sort: SystemRecordSort, $first: Int, $after: String, $last: Int, $before: String) {
    systemRecords(filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges {
        cursor
        node { id isGlobal component eventType severity summary details causedBy correlationId createdAt }
      }
    }
  }
`);

export const SystemRecordByCorrelation = graphql(`
  query SystemRecordByCorrelation($correlationId: String!) {
    systemRecordByCorrelation(correlationId: $correlationId) {
      id isGlobal component eventType severity summary details causedBy correlationId createdAt
    }
  }
`);

export const AuditEntries = graphql(`
  query AuditEntries($filter: AuditEntryFilter, $sort: AuditEntrySort, $first: Int, $after: String, $last: Int, $before: String) {
    auditEntries(filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges {
        cursor
        node {
          id entryId seq eventType entityType entityId actorType actorId actionReason
          beforeState afterState correlationId createdAt
        }
      }
    }
  }
`);

export const GovernanceEvents = graphql(`
  query GovernanceEvents($runId: String, $first: Int, $after: String, $last: Int, $before: String) {
    governanceEvents(runId: $runId, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges {
        cursor
        node { id entryId seq eventType entityType entityId actorType actorId beforeState afterState correlationId createdAt }
      }
    }
  }
`);

export const LogExports = graphql(`
  query LogExports($filter: LogExportFilter, $sort: LogExportSort, $first: Int, $after: String, $last: Int, $before: String) {
    logExports(filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges {
        cursor
        node { id exportId scope format origin runId incidentId requestedBy status checksum failureReason deliveredAt createdAt }
      }
    }
  }
`);

export const Incidents = graphql(`
  query Incidents($filter: IncidentFilter, $sort: IncidentSort, $first: Int, $after: String, $last: Int, $before: String) {
    incidents(filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges {
        cursor
        node {
          id incidentId title severity lifecycleState causeType category sourceRunId
          costImpactCents startedAt acknowledgedAt resolvedAt createdAt
        }
      }
    }
  }
`);

export const PolicyActivations = graphql(`
  query PolicyActivations($filter: PolicyActivationFilter, $sort: PolicyActivationSort, $first: Int, $after: String, $last: Int, $before: String) {
    policyActivations(filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges {
        cursor
        node {
          id policyId sourcePatternId sourceRecoveryId confidenceAtActivation confidenceBand approvalPath
          loopTraceId activatedAt createdAt
        }
      }
    }
  }
`);
