// What a dashboard reads. The full read API (lists, metrics, bundles) comes with issue 3.
import { graphql } from '../generated/index.ts';

export const Viewer = graphql(`
  query Viewer {
    viewer { keyId scopes tenant { id name } }
  }
`);

export const TraceWithSteps = graphql(`
  query TraceWithSteps($traceId: String!, $first: Int) {
    trace(traceId: $traceId) {
      id traceId runId agentId status rootHash startedAt completedAt metadata
      steps(first: $first) {
        pageInfo { hasNextPage endCursor }
        edges { node { id stepIndex skillName status level costCents durationMs timestamp params outcomeData } }
      }
    }
  }
`);

export const TraceList = graphql(`
  query TraceList($filter: TraceFilter, $sort: TraceSort, $first: Int, $after: String) {
    traces(filter: $filter, sort: $sort, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id traceId runId agentId status startedAt completedAt durationMs rootHash
          summary { stepCount successCount failureCount totalCostCents totalDurationMs }
        }
      }
    }
  }
`);

/** The dashboard's main page: traces with their summaries, first steps and related records. */
export const DashboardTracePage = graphql(`
  query DashboardTracePage($filter: TraceFilter, $first: Int!, $after: String, $steps: Int!) {
    traces(filter: $filter, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          traceId runId agentId status startedAt completedAt durationMs
          summary { stepCount successCount failureCount totalCostCents totalDurationMs }
          steps(first: $steps) {
            totalCount
            edges { node { stepIndex skillName status level costCents durationMs timestamp } }
          }
          run { runId goal status }
          llmRun { model provider inputTokens outputTokens costCents }
          incident { incidentId title severity lifecycleState }
        }
      }
    }
  }
`);

export const RunWithTraces = graphql(`
  query RunWithTraces($runId: String!) {
    run(runId: $runId) {
      runId agentId goal status startedAt completedAt
      traces { traceId status rootHash summary { stepCount failureCount totalCostCents } }
      llmRun { model provider inputTokens outputTokens costCents executionStatus }
    }
  }
`);

export const TraceByRootHash = graphql(`
  query TraceByRootHash($rootHash: String!) {
    traceByRootHash(rootHash: $rootHash) { traceId runId status startedAt }
  }
`);

export const IdempotencyCheck = graphql(`
  query IdempotencyCheck($key: String!) {
    idempotencyCheck(key: $key) { executed traceId stepIndex status outputHash outcomeData }
  }
`);
