// Trace: the header of one execution, its steps, and the lifecycle mutations.
import { z } from 'zod';
import type { Trace } from '../../domain/trace.ts';
import { MAX_STEPS_PER_BATCH } from '../../stores/traces.ts';
import { builder, compact, type InputFields } from '../builder.ts';
import { FILTER_RULE, filterValue, hexHash, ident, IDENT_RULE, name, NAME_RULE, REDACTED_RULE, text, uuid } from '../validators.ts';
import { stepColumnsFor, stepConnection, stepPage, MAX_STEP_PAGE, StepStatusEnum, TraceStepFilter, TraceSummaryRef } from './trace-step.ts';
import { cursorAt, listPage, sortInput, toConnection } from '../pagination.ts';
import type { IdempotencyHit } from '../../stores/trace-queries.ts';
import { ALL_STEP_COLUMNS, TRACE_PAYLOAD_FIELDS } from '../../stores/trace-rows.ts';
import { selectsAnyField } from '../selection.ts';
import { stepInputFields, toStepInput, TraceStepRef } from './trace-step.ts';

export const TraceStatusEnum = builder.enumType('TraceStatus', {
  description: 'RUNNING moves once to COMPLETED, FAILED or ABORTED; final states never change (enforced in the database).',
  values: { RUNNING: { value: 'running' }, COMPLETED: { value: 'completed' }, FAILED: { value: 'failed' }, ABORTED: { value: 'aborted' } } as const,
});
const TraceCompletionEnum = builder.enumType('TraceCompletion', {
  values: { COMPLETED: { value: 'completed' }, FAILED: { value: 'failed' } } as const,
});
const StoredTraceStatusEnum = builder.enumType('StoredTraceStatus', {
  values: { COMPLETED: { value: 'completed' }, FAILED: { value: 'failed' }, ABORTED: { value: 'aborted' } } as const,
});
export const ReplayModeEnum = builder.enumType('ReplayMode', { values: ['FULL', 'TRACE_ONLY'] as const });

export const TraceRef = builder.objectRef<Trace>('Trace');

builder.node(TraceRef, {
  id: { resolve: (trace) => trace.traceId },
  loadOne: (traceId, ctx) => ctx.loaders.traceByTraceId.load(traceId),
  fields: (t) => ({
    traceId: t.exposeString('traceId'),
    runId: t.exposeString('runId'),
    correlationId: t.exposeString('correlationId'),
    agentId: t.exposeString('agentId', { nullable: true }),
    planId: t.exposeString('planId', { nullable: true }),
    seed: t.field({ type: 'Int64', nullable: true, description: 'NULL means the SDK default, 42.', resolve: (tr) => tr.seed }),
    frozenTimestamp: t.exposeString('frozenTimestamp', { nullable: true }),
    rootHash: t.exposeString('rootHash', {
      nullable: true,
      description: 'Computed by the server when the trace becomes final (reference SDK algorithm); null while running.',
    }),
    planHash: t.exposeString('planHash', { nullable: true }),
    schemaVersion: t.exposeString('schemaVersion'),
    plan: t.expose('plan', { type: 'JSON' }),
    metadata: t.expose('metadata', { type: 'JSON' }),
    status: t.expose('status', { type: TraceStatusEnum }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    storedBy: t.exposeString('storedBy', { nullable: true }),
    incidentId: t.exposeString('incidentId', { nullable: true }),
    isSynthetic: t.exposeBoolean('isSynthetic'),
    syntheticScenarioId: t.exposeString('syntheticScenarioId', { nullable: true, description: IDENT_RULE }),
    archivedAt: t.expose('archivedAt', { type: 'DateTime', nullable: true }),
    violationStepIndex: t.exposeInt('violationStepIndex', { nullable: true }),
    violationTimestamp: t.expose('violationTimestamp', { type: 'DateTime', nullable: true }),
    violationPolicyId: t.exposeString('violationPolicyId', { nullable: true }),
    violationReason: t.exposeString('violationReason', { nullable: true }),
    replayMode: t.expose('replayMode', { type: ReplayModeEnum, nullable: true }),
    replayAttemptId: t.exposeString('replayAttemptId', { nullable: true }),
    replayArtifactVersion: t.exposeString('replayArtifactVersion', { nullable: true }),
    traceCompletenessStatus: t.exposeString('traceCompletenessStatus', { nullable: true }),
    steps: t.connection({
      type: TraceStepRef,
      description: `Steps in step-index order, at most ${MAX_STEP_PAGE} a page. The steps of every trace on a page of traces come from one query.`,
      args: { filter: t.arg({ type: TraceStepFilter }) },
      resolve: async (trace, args, ctx, info) => {
        const filter = compact(args.filter ?? {});
        const page = stepPage(args);
        const result = await ctx.loaders.stepPage.load({ key: trace.traceId, spec: { filter, page, columns: stepColumnsFor(info) } });
        return stepConnection(result, page, () => ctx.loaders.stepCount.load({ key: trace.traceId, spec: { filter } }));
      },
    }),
    summary: t.field({
      type: TraceSummaryRef,
      description: "Rollup of the trace's steps (the reference's TraceSummary); one query for a whole page of traces.",
      resolve: (trace, _args, ctx) => ctx.loaders.summaryByTraceId.load(trace.traceId),
    }),
    durationMs: t.float({
      nullable: true,
      description: 'completedAt − startedAt; null while running.',
      resolve: (trace) => (trace.completedAt ? trace.completedAt.getTime() - trace.startedAt.getTime() : null),
    }),
  }),
});

builder.queryField('trace', (t) =>
  t.field({
    type: TraceRef,
    nullable: true,
    description: "A trace of the caller's tenant by its trace id; null when there is none (another tenant's id included).",
    args: { traceId: t.arg.string({ required: true, validate: ident() }) },
    resolve: (_root, { traceId }, ctx) => ctx.loaders.traceByTraceId.load(traceId),
  }),
);

/** Header fields shared by startTrace and storeTrace. */
const traceHeaderFields = (t: InputFields) => ({
  runId: t.string({ required: true, validate: ident(), description: IDENT_RULE }),
  traceId: t.string({ validate: ident(), description: `Defaults to trace_<runId>. Unique per tenant. ${IDENT_RULE}` }),
  correlationId: t.string({ validate: ident(), description: `Defaults to runId. ${IDENT_RULE}` }),
  agentId: t.string({ validate: ident(), description: IDENT_RULE }),
  goal: t.string({ validate: text(4000), description: `The run's goal, stored on the run when the run is new. ${REDACTED_RULE}` }),
  planId: t.string({ validate: ident(), description: IDENT_RULE }),
  plan: t.field({ type: 'JSON', description: 'The plan (a list of step definitions); redacted before storage.' }),
  seed: t.field({ type: 'Int64', description: 'Random seed for deterministic replay; the root hash uses 42 when absent.' }),
  frozenTimestamp: t.string({ validate: name(64), description: `Frozen "now" of a deterministic run, as the exact text the SDK hashes. ${NAME_RULE}` }),
  planHash: t.string({ validate: hexHash() }),
  metadata: t.field({ type: 'JSON', description: 'Free-form; redacted before storage.' }),
  incidentId: t.string({ validate: uuid(), description: 'An incident of the same tenant this trace belongs to.' }),
  isSynthetic: t.boolean(),
  syntheticScenarioId: t.string({ validate: ident(), description: IDENT_RULE }),
  replayMode: t.field({ type: ReplayModeEnum }),
  replayAttemptId: t.string({ validate: ident(), description: IDENT_RULE }),
  replayArtifactVersion: t.string({ validate: ident(), description: IDENT_RULE }),
  traceCompletenessStatus: t.string({ validate: name(30), description: NAME_RULE }),
  startedAt: t.field({ type: 'DateTime', description: 'Defaults to now.' }),
});

const StartTraceInput = builder.inputType('StartTraceInput', { fields: (t) => traceHeaderFields(t) });

const TraceWritePayload = builder.objectRef<{ trace: Trace; created: boolean }>('TraceWritePayload').implement({
  fields: (t) => ({
    trace: t.field({ type: TraceRef, resolve: (p) => p.trace }),
    created: t.exposeBoolean('created', { description: 'False when the identical request had already created the trace (a safe retry).' }),
  }),
});

builder.mutationField('startTrace', (t) =>
  t.field({
    type: TraceWritePayload,
    description: 'Opens a RUNNING trace (and its run if new). Repeating the identical request returns the same trace; different content under an existing traceId is a CONFLICT.',
    args: { input: t.arg({ type: StartTraceInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.stores.traces.start(ctx.tenantId, compact(input)),
  }),
);

const CompleteTraceInput = builder.inputType('CompleteTraceInput', {
  fields: (t) => ({
    traceId: t.string({ required: true, validate: ident(), description: IDENT_RULE }),
    status: t.field({ type: TraceCompletionEnum, required: true }),
    metadata: t.field({
      type: 'JSON',
      validate: z.record(z.string(), z.unknown(), 'must be a JSON object'),
      description: 'Merged into the trace metadata (keys given here win); redacted.',
    }),
  }),
});

builder.mutationField('completeTrace', (t) =>
  t.field({
    type: TraceRef,
    description:
      'Finalises a RUNNING trace as COMPLETED or FAILED and computes its root hash. Repeating the same completion returns the trace; any other change of a final trace is a CONFLICT. If finalising fails unexpectedly, the trace is ABORTED, never left RUNNING.',
    args: { input: t.arg({ type: CompleteTraceInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      ctx.stores.traces.complete(ctx.tenantId, input.traceId, input.status, (input.metadata ?? undefined) as Record<string, unknown> | undefined),
  }),
);

const AbortTraceInput = builder.inputType('AbortTraceInput', {
  fields: (t) => ({
    traceId: t.string({ required: true, validate: ident(), description: IDENT_RULE }),
    reason: t.string({ required: true, validate: text(2000), description: 'Stored as metadata.abort_reason; redacted.' }),
  }),
});

builder.mutationField('abortTrace', (t) =>
  t.field({
    type: TraceRef,
    description: 'Aborts a RUNNING trace. Aborting an ABORTED trace returns it unchanged; a COMPLETED or FAILED trace is a CONFLICT.',
    args: { input: t.arg({ type: AbortTraceInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.stores.traces.abort(ctx.tenantId, input.traceId, input.reason),
  }),
);

const StoredTraceStepInput = builder.inputType('StoredTraceStepInput', { fields: (t) => stepInputFields(t) });

const StoreTraceInput = builder.inputType('StoreTraceInput', {
  fields: (t) => ({
    ...traceHeaderFields(t),
    status: t.field({ type: StoredTraceStatusEnum, description: 'Defaults to COMPLETED.' }),
    completedAt: t.field({ type: 'DateTime', description: 'Defaults to now.' }),
    rootHash: t.string({ validate: hexHash(), description: 'Optional; when given it must equal the root hash the server computes.' }),
    steps: t.field({
      type: [StoredTraceStepInput],
      required: true,
      validate: z.array(z.unknown()).max(MAX_STEPS_PER_BATCH, `at most ${MAX_STEPS_PER_BATCH} steps`),
    }),
  }),
});

builder.mutationField('storeTrace', (t) =>
  t.field({
    type: TraceWritePayload,
    description: `Stores a finished trace with all its steps (at most ${MAX_STEPS_PER_BATCH}) in one transaction. The same request again returns the trace (created: false); different content under an existing traceId is a CONFLICT.`,
    args: { input: t.arg({ type: StoreTraceInput, required: true }) },
    resolve: (_root, { input }, ctx) => {
      const { steps, ...header } = compact(input);
      return ctx.stores.traces.store(
        ctx.tenantId,
        { ...header, steps: steps.map((s) => toStepInput({ ...s, traceId: '' })) },
        ctx.principal.keyId,
      );
    },
  }),
);

// ---------------------------------------------------------------- reads

/** The reference's search_traces limit (1–1000). */
export const MAX_TRACE_PAGE = 1000;

const TraceFilter = builder.inputType('TraceFilter', {
  description: 'All given conditions must hold. Archived traces are left out unless includeArchived is true.',
  fields: (t) => ({
    agentId: t.string({ validate: filterValue(), description: FILTER_RULE }),
    runId: t.string({ validate: filterValue(), description: FILTER_RULE }),
    rootHash: t.string({ validate: hexHash() }),
    planHash: t.string({ validate: hexHash() }),
    seed: t.field({ type: 'Int64' }),
    status: t.field({ type: TraceStatusEnum }),
    startedAfter: t.field({ type: 'DateTime', description: 'Inclusive.' }),
    startedBefore: t.field({ type: 'DateTime', description: 'Inclusive.' }),
    incidentId: t.string({ validate: uuid() }),
    isSynthetic: t.boolean(),
    includeArchived: t.boolean({ description: 'Default false.' }),
  }),
});

const TraceSortField = builder.enumType('TraceSortField', {
  values: { STARTED_AT: { value: 'startedAt' }, CREATED_AT: { value: 'createdAt' } } as const,
});

const TraceSort = sortInput('TraceSort', TraceSortField, 'startedAt');

builder.queryField('traces', (t) =>
  t.connection({
    type: TraceRef,
    description: `Traces of the caller's tenant (the reference's search_traces), newest first by default, keyset-paginated, at most ${MAX_TRACE_PAGE} a page. Select summary for step counts and totals.`,
    args: { filter: t.arg({ type: TraceFilter }), sort: t.arg({ type: TraceSort }) },
    resolve: async (_root, args, ctx, info) => {
      const page = listPage(args, args.sort, { field: 'startedAt', direction: 'desc' }, { maxSize: MAX_TRACE_PAGE });
      const filter = compact(args.filter ?? {});
      const payload = selectsAnyField(info, TRACE_PAYLOAD_FIELDS);
      const result = await ctx.stores.traceQueries.list(ctx.tenantId, filter, page.sortKey, page, payload);
      return toConnection(result, page, cursorAt(page.sortKey), () => ctx.stores.traceQueries.count(ctx.tenantId, filter));
    },
  }),
);

builder.queryField('traceCount', (t) =>
  t.int({
    description: 'How many traces match the filter (the reference\'s get_trace_count, with its filters).',
    args: { filter: t.arg({ type: TraceFilter }) },
    resolve: (_root, args, ctx) => ctx.stores.traceQueries.count(ctx.tenantId, compact(args.filter ?? {})),
  }),
);

builder.queryField('traceByRootHash', (t) =>
  t.field({
    type: TraceRef,
    nullable: true,
    description: 'The trace with this root hash. Replays of a deterministic run share one, so the most recently started wins.',
    args: { rootHash: t.arg.string({ required: true, validate: hexHash() }) },
    resolve: (_root, { rootHash }, ctx) => ctx.stores.traceQueries.byRootHash(ctx.tenantId, rootHash),
  }),
);

const IdempotencyCheckRef = builder.objectRef<IdempotencyHit>('IdempotencyCheck').implement({
  description: 'A side effect already executed under an idempotency key: where, and what it returned.',
  fields: (t) => ({
    executed: t.boolean({ resolve: () => true }),
    traceId: t.exposeString('traceId'),
    stepIndex: t.exposeInt('stepIndex'),
    status: t.expose('status', { type: StepStatusEnum }),
    outputHash: t.exposeString('outputHash', { nullable: true }),
    outcomeData: t.expose('outcomeData', { type: 'JSON', nullable: true }),
    recordedAt: t.expose('recordedAt', { type: 'DateTime' }),
    step: t.field({
      type: TraceStepRef,
      nullable: true,
      resolve: async (hit, _args, ctx) => {
        const page = await ctx.loaders.stepPage.load({
          key: hit.traceId,
          spec: { filter: {}, page: { size: 1, backward: false, afterIndex: hit.stepIndex - 1 }, columns: ALL_STEP_COLUMNS },
        });
        return page.items[0] ?? null;
      },
    }),
  }),
});

builder.queryField('idempotencyCheck', (t) =>
  t.field({
    type: IdempotencyCheckRef,
    nullable: true,
    description: "Was a side effect with this key already executed in the caller's tenant? Null when not (reference check_idempotency_key).",
    args: { key: t.arg.string({ required: true, validate: name(128) }) },
    resolve: (_root, { key }, ctx) => ctx.stores.traceQueries.idempotencyCheck(ctx.tenantId, key),
  }),
);
