// What an agent sends while it runs: open a trace, record steps in batches, finish it.
import { graphql } from '../generated/index.ts';

export const StartTrace = graphql(`
  mutation StartTrace($input: StartTraceInput!) {
    startTrace(input: $input) {
      created
      trace { id traceId runId status startedAt }
    }
  }
`);

export const RecordTraceSteps = graphql(`
  mutation RecordTraceSteps($input: RecordTraceStepsInput!) {
    recordTraceSteps(input: $input) {
      createdCount
      duplicateCount
      results { index outcome step { id stepIndex level contentHash } }
    }
  }
`);

export const CompleteTrace = graphql(`
  mutation CompleteTrace($input: CompleteTraceInput!) {
    completeTrace(input: $input) { traceId status rootHash completedAt }
  }
`);

export const AbortTrace = graphql(`
  mutation AbortTrace($input: AbortTraceInput!) {
    abortTrace(input: $input) { traceId status completedAt metadata }
  }
`);

export const StoreTrace = graphql(`
  mutation StoreTrace($input: StoreTraceInput!) {
    storeTrace(input: $input) { created trace { traceId status rootHash } }
  }
`);
