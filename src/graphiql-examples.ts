// The operations GraphiQL opens with: enough to record a trace and read it back.
export const GRAPHIQL_EXAMPLES = `# Welcome to aos-logs. The Authorization header carries the key you entered in the explorer (/),
# kept in this browser tab only.
# Run an operation with the ▶ button; pick which one from its menu.

query WhoAmI {
  viewer { tenant { id name } scopes }
}

mutation StartTrace {
  startTrace(input: { runId: "run-from-graphiql", agentId: "agent-demo", plan: [{ skill: "search" }, { skill: "summarise" }] }) {
    created
    trace { traceId status startedAt }
  }
}

mutation RecordSteps {
  recordTraceSteps(input: { steps: [
    { traceId: "trace_run-from-graphiql", stepIndex: 0, skillName: "search", status: SUCCESS,
      params: { query: "refund policy", api_key: "will be redacted" }, costCents: "0.42", durationMs: 812 }
    { traceId: "trace_run-from-graphiql", stepIndex: 1, skillName: "summarise", status: FAILURE,
      outcomeCode: "timeout", outcomeData: { error: "model timed out" }, durationMs: 30000 }
  ] }) {
    createdCount duplicateCount
    results { index outcome step { stepIndex level } }
  }
}

mutation CompleteTrace {
  completeTrace(input: { traceId: "trace_run-from-graphiql", status: FAILED, metadata: { note: "summary step timed out" } }) {
    traceId status rootHash completedAt
  }
}

query ReadTrace {
  trace(traceId: "trace_run-from-graphiql") {
    traceId runId status rootHash metadata
    steps(first: 50) { edges { node { stepIndex skillName status level costCents durationMs params outcomeData } } }
  }
}
`;
