// Dashboard charts, each one metrics query.
import { graphql } from '../generated/index.ts';

/** Any chart: the caller picks view, measures, dimensions and bucket. */
export const Metrics = graphql(`
  query Metrics($input: MetricsInput!) {
    metrics(input: $input) {
      view timeBucket from to dimensions groupCount
      measures { measure aggregation unit }
      rows { bucket dimensionValues values }
    }
  }
`);

/** Latency panel: p95 and p50 step duration per agent, hour by hour (e.g. over the last day). */
export const StepLatencyByAgentHourly = graphql(`
  query StepLatencyByAgentHourly($from: DateTime!, $to: DateTime!) {
    metrics(input: {
      view: STEPS
      measures: [{ measure: DURATION, aggregation: P95 }, { measure: DURATION, aggregation: P50 }, { measure: COUNT, aggregation: COUNT }]
      dimensions: [AGENT]
      timeBucket: HOUR
      from: $from
      to: $to
    }) {
      groupCount
      rows { bucket dimensionValues values }
    }
  }
`);

/** Spend panel: LLM cost and tokens per model, day by day. */
export const LlmCostByModelDaily = graphql(`
  query LlmCostByModelDaily($from: DateTime!, $to: DateTime!, $provider: String) {
    metrics(input: {
      view: LLM_RUNS
      measures: [{ measure: COST, aggregation: SUM }, { measure: TOKENS, aggregation: SUM }, { measure: ERROR_RATE, aggregation: AVG }]
      dimensions: [MODEL]
      timeBucket: DAY
      from: $from
      to: $to
      filter: { provider: $provider }
    }) {
      measures { measure aggregation unit }
      rows { bucket dimensionValues values }
    }
  }
`);
