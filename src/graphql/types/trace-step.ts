// TraceStep: one recorded step of a trace, and the mutations that record steps.
import { MAX_STEPS_PER_BATCH, type StepInput } from '../../stores/traces.ts';
import type { TraceStep } from '../../domain/trace.ts';
import type { PageResult } from '../../stores/keyset.ts';
import type { StepPage, TraceSummary } from '../../stores/trace-queries.ts';
import { pageFromArgs, toConnection } from '../pagination.ts';
import { badInput } from '../../errors.ts';
import { stepColumnsForFields, type StepColumns } from '../../stores/trace-rows.ts';
import type { GraphQLResolveInfo } from 'graphql';
import { selectedFieldNames } from '../selection.ts';
import { builder, type InputFields } from '../builder.ts';
import type { StandardSchemaV1 } from '@pothos/plugin-validation';
import { checkFields, FILTER_RULE, filterValue, hexHash, ident, IDENT_RULE, name, NAME_RULE, nonNegativeInt, numberBetween, text, type InputIssue } from '../validators.ts';

/** One meaning of a step's time for every source (issue 13). */
const STEP_TIME_RULE =
  'When the step started. Steps recorded by agents (recordTraceStep(s), storeTrace) give it as timestamp, or it defaults to the time the server received the step minus durationMs; OpenTelemetry spans give startTimeUnixNano (rounded to the millisecond). The step ended at endedAt = startedAt + durationMs.';

export const StepStatusEnum = builder.enumType('StepStatus', {
  values: { SUCCESS: { value: 'success' }, FAILURE: { value: 'failure' }, RETRY: { value: 'retry' }, SKIPPED: { value: 'skipped' } } as const,
});
export const StepLevelEnum = builder.enumType('StepLevel', {
  description: 'Derived from the status: FAILURE → ERROR, RETRY → WARN, anything else → INFO.',
  values: ['INFO', 'WARN', 'ERROR'] as const,
});
export const StepSourceEnum = builder.enumType('StepSource', {
  values: { ENGINE: { value: 'engine' }, EXTERNAL: { value: 'external' }, REPLAY: { value: 'replay' } } as const,
});
export const ReplayBehaviorEnum = builder.enumType('ReplayBehavior', {
  values: { EXECUTE: { value: 'execute' }, SKIP: { value: 'skip' }, CHECK: { value: 'check' } } as const,
});
const StepWriteOutcomeEnum = builder.enumType('StepWriteOutcome', {
  description: 'CREATED: stored now. DUPLICATE: the identical step was already stored (a safe retry); nothing changed.',
  values: ['CREATED', 'DUPLICATE'] as const,
});

export const TraceStepRef = builder.objectRef<TraceStep>('TraceStep');

builder.node(TraceStepRef, {
  id: { resolve: (step) => step.id },
  loadOne: (id, ctx) => ctx.loaders.stepById.load(id),
  fields: (t) => ({
    traceId: t.exposeString('traceId'),
    stepIndex: t.exposeInt('stepIndex'),
    skillId: t.exposeString('skillId'),
    skillName: t.exposeString('skillName', { description: `Over GraphQL: ${NAME_RULE} Over OTLP (the span or tool name): redacted before storage.` }),
    params: t.expose('params', { type: 'JSON' }),
    status: t.expose('status', { type: StepStatusEnum }),
    level: t.expose('level', { type: StepLevelEnum }),
    outcomeCategory: t.exposeString('outcomeCategory'),
    outcomeCode: t.exposeString('outcomeCode', { nullable: true, description: `Over GraphQL: ${NAME_RULE} Over OTLP: redacted before storage.` }),
    outcomeData: t.expose('outcomeData', { type: 'JSON', nullable: true }),
    costCents: t.field({ type: 'Cents', resolve: (s) => s.costMicrocents }),
    durationMs: t.exposeFloat('durationMs'),
    retryCount: t.exposeInt('retryCount'),
    inputHash: t.exposeString('inputHash', { nullable: true }),
    outputHash: t.exposeString('outputHash', { nullable: true }),
    rngStateBefore: t.exposeString('rngStateBefore', { nullable: true }),
    idempotencyKey: t.exposeString('idempotencyKey', { nullable: true }),
    replayBehavior: t.expose('replayBehavior', { type: ReplayBehaviorEnum }),
    source: t.expose('source', { type: StepSourceEnum }),
    timestamp: t.expose('timestamp', { type: 'DateTime', description: 'When the step started (the same instant as startedAt).' }),
    startedAt: t.field({ type: 'DateTime', description: STEP_TIME_RULE, resolve: (s) => s.timestamp }),
    endedAt: t.field({ type: 'DateTime', description: 'startedAt + durationMs.', resolve: (s) => new Date(s.timestamp.getTime() + s.durationMs) }),
    recordedAt: t.expose('recordedAt', { type: 'DateTime', description: 'When the server stored the step.' }),
    isSynthetic: t.exposeBoolean('isSynthetic'),
    syntheticScenarioId: t.exposeString('syntheticScenarioId', { nullable: true, description: IDENT_RULE }),
    contentHash: t.exposeString('contentHash', { description: 'SHA-256 of the step as recorded; a retry must match it.' }),
    archivedAt: t.expose('archivedAt', { type: 'DateTime', nullable: true }),
  }),
});

export const TraceStepFilter = builder.inputType('TraceStepFilter', {
  fields: (t) => ({
    level: t.field({ type: StepLevelEnum }),
    status: t.field({ type: StepStatusEnum }),
    skillName: t.string({ validate: filterValue(128), description: FILTER_RULE }),
  }),
});

/**
 * The step columns a field's selection needs: steps are read with only these, and every
 * TraceStep field then resolves from the row it was read in (no per-step loader).
 */
export const stepColumnsFor = (info: GraphQLResolveInfo): StepColumns => stepColumnsForFields(selectedFieldNames(info));

/** Largest page of steps per trace (a 2,000-step trace takes two pages). */
export const MAX_STEP_PAGE = 1000;

type PageArgs = { first?: number | null; after?: string | null; last?: number | null; before?: string | null };

/** Step pages are keyset over the step index, which is unique within a trace. */
export function stepPage(args: PageArgs): StepPage {
  const page = pageFromArgs(args, { key: 'stepIndex', direction: 'asc' }, MAX_STEP_PAGE);
  const index = (c: { value: string | number } | undefined, arg: string) => {
    if (c === undefined) return undefined;
    if (!Number.isSafeInteger(Number(c.value))) throw badInput(`${arg}: not a cursor of this list`, arg);
    return Number(c.value);
  };
  return { size: page.size, backward: page.backward, afterIndex: index(page.after, 'after'), beforeIndex: index(page.before, 'before') };
}

export function stepConnection(result: PageResult<TraceStep>, page: StepPage, count: () => Promise<number>) {
  return toConnection(
    result,
    {
      size: page.size,
      backward: page.backward,
      direction: 'asc',
      sortKey: 'stepIndex',
      after: page.afterIndex === undefined ? undefined : { value: page.afterIndex, id: '' },
      before: page.beforeIndex === undefined ? undefined : { value: page.beforeIndex, id: '' },
    },
    (step) => ({ value: step.stepIndex, id: step.id }),
    count,
  );
}

export const TraceSummaryRef = builder.objectRef<TraceSummary>('TraceSummary').implement({
  description: 'Counts and totals over the unarchived steps of a trace.',
  fields: (t) => ({
    stepCount: t.exposeInt('stepCount'),
    successCount: t.exposeInt('successCount'),
    failureCount: t.exposeInt('failureCount'),
    totalCostCents: t.field({ type: 'Cents', resolve: (s) => s.totalCostMicrocents }),
    totalDurationMs: t.exposeFloat('totalDurationMs'),
    totalTokens: t.exposeFloat('totalTokens', { description: 'Input plus output tokens of the steps that report them.' }),
  }),
});

/** The rules of a step's fields, in field order. */
const STEP_FIELD_RULES = {
  stepIndex: nonNegativeInt(),
  skillName: name(128),
  skillId: name(128),
  outcomeCategory: name(64),
  outcomeCode: name(64),
  durationMs: numberBetween(0, 1e12),
  retryCount: nonNegativeInt(1_000_000),
  inputHash: hexHash(),
  outputHash: hexHash(),
  rngStateBefore: name(128),
  idempotencyKey: name(128),
  syntheticScenarioId: ident(),
};

/**
 * The fields of a step, shared by the step inputs of recordTraceStep(s) and storeTrace. With
 * `checkEach` (the default) every field checks its own rule; without, the mutation's argument
 * checks every step at once with `stepInputRule` (the same rules and messages, at a fraction of the cost).
 */
export const stepInputFields = (t: InputFields, checkEach = true) => {
  const rule = (field: keyof typeof STEP_FIELD_RULES) => (checkEach ? { validate: STEP_FIELD_RULES[field] } : {});
  return {
    stepIndex: t.int({ required: true, ...rule('stepIndex'), description: '0-based position in the trace; unique per trace.' }),
    skillName: t.string({ required: true, ...rule('skillName'), description: NAME_RULE }),
    skillId: t.string({ ...rule('skillId'), description: `Defaults to skillName. ${NAME_RULE}` }),
    params: t.field({ type: 'JSON', description: 'Step input; redacted before storage.' }),
    status: t.field({ type: StepStatusEnum, required: true }),
    outcomeCategory: t.string({ ...rule('outcomeCategory'), description: `Defaults by status: SUCCESS, FAILURE, TRANSIENT or SKIPPED. ${NAME_RULE}` }),
    outcomeCode: t.string({ ...rule('outcomeCode'), description: NAME_RULE }),
    outcomeData: t.field({ type: 'JSON', description: 'Step result; redacted before storage.' }),
    costCents: t.field({ type: 'Cents' }),
    durationMs: t.float({ ...rule('durationMs') }),
    retryCount: t.int({ ...rule('retryCount') }),
    inputHash: t.string({ ...rule('inputHash'), description: 'Defaults to the first 16 hex of SHA-256 of the canonical params.' }),
    outputHash: t.string({ ...rule('outputHash'), description: 'Defaults to the first 16 hex of SHA-256 of the canonical outcomeData.' }),
    rngStateBefore: t.string({ ...rule('rngStateBefore'), description: NAME_RULE }),
    idempotencyKey: t.string({ ...rule('idempotencyKey'), description: `Key of a side effect this step performed. ${NAME_RULE}` }),
    replayBehavior: t.field({ type: ReplayBehaviorEnum }),
    source: t.field({ type: StepSourceEnum }),
    timestamp: t.field({ type: 'DateTime', description: 'When the step started; defaults to the time the server receives the step minus durationMs.' }),
    isSynthetic: t.boolean({ description: "Defaults to the trace's marking." }),
    syntheticScenarioId: t.string({ ...rule('syntheticScenarioId'), description: IDENT_RULE }),
  };
};

export const TraceStepInput = builder.inputType('TraceStepInput', {
  fields: (t) => ({ traceId: t.string({ required: true }), ...stepInputFields(t, false) }),
});

const TRACE_STEP_INPUT_RULES = { traceId: ident(), ...STEP_FIELD_RULES };

/**
 * The rule of a record mutation's `input` argument: every TraceStepInput in it checked in one
 * pass (the first failing field of each item, then the list's size), reported as the per-field
 * rules would have been, and before the resolver runs, as they were.
 */
function stepInputRule(list: boolean): StandardSchemaV1 {
  return {
    '~standard': {
      version: 1,
      vendor: 'aos-logs',
      validate: (value) => {
        const issues: InputIssue[] = [];
        const steps = list ? (value as { steps: object[] }).steps : [value as object];
        steps.forEach((step, i) => checkFields(step, TRACE_STEP_INPUT_RULES, list ? ['steps', i] : [], issues));
        if (list && !issues.length) {
          if (steps.length < 1) issues.push({ path: ['steps'], message: 'at least one step' });
          if (steps.length > MAX_STEPS_PER_BATCH) issues.push({ path: ['steps'], message: `at most ${MAX_STEPS_PER_BATCH} steps` });
        }
        return issues.length ? { issues: issues as StandardSchemaV1.Issue[] } : { value };
      },
    },
  };
}

/** GraphQL step input → store step input, in one copy: nulls (omitted fields) dropped, Cents arrive as micro-cents. */
export function toStepInput<T extends { traceId: string; costCents?: bigint | null }>(input: T): StepInput {
  const out: Record<string, unknown> = {};
  for (const key in input) {
    const value = input[key];
    if (value !== null && value !== undefined) out[key === 'costCents' ? 'costMicrocents' : key] = value;
  }
  return out as unknown as StepInput;
}

const StepWriteResultRef = builder
  .objectRef<{ index: number; outcome: 'CREATED' | 'DUPLICATE'; step: TraceStep }>('StepWriteResult')
  .implement({
    fields: (t) => ({
      index: t.exposeInt('index', { description: 'Position of the item in the input list.' }),
      outcome: t.expose('outcome', { type: StepWriteOutcomeEnum }),
      step: t.field({ type: TraceStepRef, resolve: (r) => r.step }),
    }),
  });

builder.mutationField('recordTraceStep', (t) =>
  t.field({
    type: StepWriteResultRef,
    description: 'Records one step of a running trace. Recording the identical step again is a no-op (DUPLICATE); different content under the same stepIndex is a CONFLICT.',
    args: { input: t.arg({ type: TraceStepInput, required: true, validate: stepInputRule(false) }) },
    resolve: async (_root, { input }, ctx, info) =>
      (await ctx.stores.traces.recordSteps(ctx.tenantId, [toStepInput(input)], { columns: stepColumnsFor(info) }))[0]!,
  }),
);

const RecordTraceStepsInput = builder.inputType('RecordTraceStepsInput', {
  fields: (t) => ({
    steps: t.field({ type: [TraceStepInput], required: true }),
  }),
});

const RecordTraceStepsPayload = builder
  .objectRef<{ results: { index: number; outcome: 'CREATED' | 'DUPLICATE'; step: TraceStep }[] }>('RecordTraceStepsPayload')
  .implement({
    fields: (t) => ({
      results: t.field({ type: [StepWriteResultRef], resolve: (p) => p.results }),
      createdCount: t.int({ resolve: (p) => p.results.filter((r) => r.outcome === 'CREATED').length }),
      duplicateCount: t.int({ resolve: (p) => p.results.filter((r) => r.outcome === 'DUPLICATE').length }),
    }),
  });

builder.mutationField('recordTraceSteps', (t) =>
  t.field({
    type: RecordTraceStepsPayload,
    description: `Records up to ${MAX_STEPS_PER_BATCH} steps, of one or several running traces, atomically: all are stored or none, and the error's extensions.items lists every failing item by index. Safe to retry as a whole.`,
    args: { input: t.arg({ type: RecordTraceStepsInput, required: true, validate: stepInputRule(true) }) },
    resolve: async (_root, { input }, ctx, info) => {
      return { results: await ctx.stores.traces.recordSteps(ctx.tenantId, input.steps.map(toStepInput), { columns: stepColumnsFor(info) }) };
    },
  }),
);
