// Metrics: one query for every dashboard chart (view × measures × dimensions × time bucket).
// The store owns the rules of what each view offers; this file only names things for the API.
import { z } from 'zod';
import type { MetricAggregation, MetricDimension, MetricMeasure, MetricsRow, MetricsView, MetricUnit, TimeBucket } from '../../stores/metrics.ts';
import { METRICS_LIMITS } from '../../stores/metrics.ts';
import { builder, compact } from '../builder.ts';
import { FILTER_RULE, filterValue, ident, IDENT_RULE, name, NAME_RULE } from '../validators.ts';

const MetricsViewEnum = builder.enumType('MetricsView', {
  description:
    'TRACES: one row per trace, at its start (dimensions AGENT, STATUS). STEPS: one row per step, at its timestamp ' +
    '(AGENT, SKILL, STATUS). LLM_RUNS: one row per LLM run record, at its start (AGENT, MODEL, PROVIDER, STATUS).',
  values: { TRACES: { value: 'traces' }, STEPS: { value: 'steps' }, LLM_RUNS: { value: 'llmRuns' } } as const,
});

const MetricMeasureEnum = builder.enumType('MetricMeasure', {
  values: {
    COUNT: { value: 'count', description: 'Rows of the view; takes only the COUNT aggregation.' },
    COST: { value: 'cost', description: "Cents. A trace's cost is the exact sum of its steps' costs." },
    DURATION: { value: 'duration', description: 'Milliseconds. Traces and LLM runs still running have none and are left out.' },
    INPUT_TOKENS: { value: 'inputTokens', description: 'LLM_RUNS only.' },
    OUTPUT_TOKENS: { value: 'outputTokens', description: 'LLM_RUNS only.' },
    TOKENS: { value: 'tokens', description: 'Input plus output tokens; LLM_RUNS only.' },
    ERROR_RATE: {
      value: 'errorRate',
      description: 'Share (0..1) of failed rows: traces FAILED or ABORTED, steps FAILURE, LLM runs not SUCCEEDED. Takes only AVG.',
    },
  } as const,
});

const MetricAggregationEnum = builder.enumType('MetricAggregation', {
  description: 'COUNT counts rows that have the measure. SUM of no rows is 0; AVG, MIN, MAX and percentiles of no rows are null. Percentiles interpolate (percentile_cont).',
  values: {
    COUNT: { value: 'count' },
    SUM: { value: 'sum' },
    AVG: { value: 'avg' },
    MIN: { value: 'min' },
    MAX: { value: 'max' },
    P50: { value: 'p50' },
    P90: { value: 'p90' },
    P95: { value: 'p95' },
    P99: { value: 'p99' },
  } as const,
});

const MetricDimensionEnum = builder.enumType('MetricDimension', {
  values: {
    AGENT: { value: 'agent', description: "The trace's agent; for LLM runs, the agent of their run." },
    MODEL: { value: 'model' },
    PROVIDER: { value: 'provider' },
    STATUS: { value: 'status', description: 'Spelled as the view\'s own status enum: TraceStatus, StepStatus or LlmExecutionStatus.' },
    SKILL: { value: 'skill', description: 'The step\'s skill name.' },
  } as const,
});

const TimeBucketEnum = builder.enumType('MetricTimeBucket', {
  description: `UTC buckets. MINUTE needs a range of at most ${METRICS_LIMITS.maxBucketRangeDays.minute} days, HOUR at most ${METRICS_LIMITS.maxBucketRangeDays.hour}.`,
  values: { MINUTE: { value: 'minute' }, HOUR: { value: 'hour' }, DAY: { value: 'day' } } as const,
});

const MetricUnitEnum = builder.enumType('MetricUnit', {
  values: {
    COUNT: { value: 'count' },
    CENTS: { value: 'cents' },
    MILLISECONDS: { value: 'milliseconds' },
    TOKENS: { value: 'tokens' },
    RATIO: { value: 'ratio' },
  } as const,
});

const MetricMeasureInput = builder.inputType('MetricMeasureInput', {
  fields: (t) => ({
    measure: t.field({ type: MetricMeasureEnum, required: true }),
    aggregation: t.field({ type: MetricAggregationEnum, required: true }),
  }),
});

const MetricsFilter = builder.inputType('MetricsFilter', {
  description: 'Every given field must match. A field the view does not have is refused.',
  fields: (t) => ({
    agentId: t.string({ validate: filterValue(), description: FILTER_RULE }),
    model: t.string({ validate: filterValue(128), description: `LLM_RUNS only. ${NAME_RULE}` }),
    provider: t.string({ validate: filterValue(64), description: `LLM_RUNS only. ${NAME_RULE}` }),
    status: t.string({ validate: filterValue(32), description: `A value of the view's status enum, as the STATUS dimension returns it. ${NAME_RULE}` }),
    skillName: t.string({ validate: filterValue(128), description: `STEPS only. ${NAME_RULE}` }),
    runId: t.string({ validate: filterValue(), description: FILTER_RULE }),
  }),
});

const MetricsInput = builder.inputType('MetricsInput', {
  fields: (t) => ({
    view: t.field({ type: MetricsViewEnum, required: true }),
    measures: t.field({
      type: [MetricMeasureInput],
      required: true,
      description: `1 to ${METRICS_LIMITS.maxMeasures}; each row's values come in this order.`,
      validate: z.array(z.unknown()).min(1, 'give at least one measure').max(METRICS_LIMITS.maxMeasures, `at most ${METRICS_LIMITS.maxMeasures} measures`),
    }),
    dimensions: t.field({
      type: [MetricDimensionEnum],
      description:
        `Up to ${METRICS_LIMITS.maxDimensions}; each row's dimensionValues come in this order. Refused when they have more than ` +
        `${METRICS_LIMITS.maxGroups} value combinations in the range, or when groups × buckets exceed ${METRICS_LIMITS.maxRows}.`,
      validate: z.array(z.unknown()).max(METRICS_LIMITS.maxDimensions, `at most ${METRICS_LIMITS.maxDimensions} dimensions`),
    }),
    timeBucket: t.field({ type: TimeBucketEnum, description: 'Omitted: one bucket for the whole range.' }),
    from: t.field({ type: 'DateTime', required: true, description: 'Inclusive.' }),
    to: t.field({ type: 'DateTime', required: true, description: `Exclusive; after from, at most ${METRICS_LIMITS.maxRangeDays} days later.` }),
    filter: t.field({ type: MetricsFilter }),
  }),
});

type MetricsPayload = {
  view: MetricsView;
  timeBucket: TimeBucket | null;
  from: Date;
  to: Date;
  dimensions: MetricDimension[];
  measures: { measure: MetricMeasure; aggregation: MetricAggregation; unit: MetricUnit }[];
  rows: MetricsRow[];
  groupCount: number;
};

const MetricMeasureSpecRef = builder.objectRef<MetricsPayload['measures'][number]>('MetricMeasureSpec').implement({
  fields: (t) => ({
    measure: t.expose('measure', { type: MetricMeasureEnum }),
    aggregation: t.expose('aggregation', { type: MetricAggregationEnum }),
    unit: t.expose('unit', { type: MetricUnitEnum, description: 'COUNT aggregations are in COUNT whatever the measure.' }),
  }),
});

const MetricsRowRef = builder.objectRef<MetricsRow>('MetricsRow').implement({
  fields: (t) => ({
    bucket: t.expose('bucket', { type: 'DateTime', nullable: true, description: 'Start of the UTC bucket; null without a time bucket.' }),
    dimensionValues: t.exposeStringList('dimensionValues', {
      nullable: { list: false, items: true },
      description: 'In the order of the dimensions; null where a row has no value (e.g. no agent).',
    }),
    values: t.exposeFloatList('values', {
      nullable: { list: false, items: true },
      description: 'In the order of the measures; null when undefined (e.g. AVG of no rows).',
    }),
  }),
});

const MetricsResultRef = builder.objectRef<MetricsPayload>('MetricsResult').implement({
  fields: (t) => ({
    view: t.expose('view', { type: MetricsViewEnum }),
    timeBucket: t.expose('timeBucket', { type: TimeBucketEnum, nullable: true }),
    from: t.expose('from', { type: 'DateTime' }),
    to: t.expose('to', { type: 'DateTime' }),
    dimensions: t.expose('dimensions', { type: [MetricDimensionEnum] }),
    measures: t.expose('measures', { type: [MetricMeasureSpecRef] }),
    rows: t.expose('rows', {
      type: [MetricsRowRef],
      description: 'By bucket, then dimension values (nulls last). Buckets without data are absent; with neither dimensions nor a bucket, exactly one row.',
    }),
    groupCount: t.exposeInt('groupCount', { description: 'Distinct dimension-value combinations in rows, buckets not counted.' }),
  }),
});

builder.queryField('metrics', (t) =>
  t.field({
    type: MetricsResultRef,
    description: "Aggregates one view of the caller's tenant over [from, to). Archived traces and steps are left out.",
    args: { input: t.arg({ type: MetricsInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const query = {
        view: input.view,
        measures: input.measures,
        dimensions: input.dimensions ?? [],
        timeBucket: input.timeBucket ?? undefined,
        from: input.from,
        to: input.to,
        filter: compact(input.filter ?? {}),
      };
      const result = await ctx.stores.metrics.query(ctx.tenantId, query);
      return { ...query, timeBucket: input.timeBucket ?? null, ...result };
    },
  }),
);
