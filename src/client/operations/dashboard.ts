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
