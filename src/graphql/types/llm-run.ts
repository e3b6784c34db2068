// LlmRun: the immutable record of one run's LLM execution, its lookup and recordLlmRun.
import type { LlmRun } from '../../stores/llm-runs.ts';
import { builder, compact } from '../builder.ts';
import { cursorAt, listPage, sortInput, toConnection } from '../pagination.ts';
import { FILTER_RULE, filterValue, hexHash, ident, IDENT_RULE, name, NAME_RULE, nonNegativeInt } from '../validators.ts';

export const LlmExecutionStatusEnum = builder.enumType('LlmExecutionStatus', {
  values: ['SUCCEEDED', 'FAILED', 'ABORTED', 'TIMEOUT'] as const,
});
export const LlmRecordSourceEnum = builder.enumType('LlmRecordSource', {
  values: ['API', 'SDK', 'SYSTEM', 'SYNTHETIC', 'WORKER'] as const,
});

export const LlmRunRef = builder.objectRef<LlmRun>('LlmRun');

builder.node(LlmRunRef, {
  description: 'What one run spent on an LLM. One record per run and tenant; never changed once written.',
  id: { resolve: (run) => run.runId },
  loadOne: (runId, ctx) => ctx.loaders.llmRunByRunId.load(runId),
  fields: (t) => ({
    runId: t.exposeString('runId'),
    traceId: t.exposeString('traceId', { nullable: true }),
    provider: t.exposeString('provider', { description: NAME_RULE }),
    model: t.exposeString('model', { description: NAME_RULE }),
    promptHash: t.exposeString('promptHash', { nullable: true }),
    responseHash: t.exposeString('responseHash', { nullable: true }),
    inputTokens: t.exposeInt('inputTokens'),
    outputTokens: t.exposeInt('outputTokens'),
    costCents: t.field({ type: 'Cents', resolve: (run) => run.costMicrocents }),
    executionStatus: t.expose('executionStatus', { type: LlmExecutionStatusEnum }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    source: t.expose('source', { type: LlmRecordSourceEnum }),
    isSynthetic: t.exposeBoolean('isSynthetic'),
    syntheticScenarioId: t.exposeString('syntheticScenarioId', { nullable: true, description: IDENT_RULE }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the server stored the record.' }),
  }),
});

builder.queryField('llmRun', (t) =>
  t.field({
    type: LlmRunRef,
    nullable: true,
    description: "The LLM record of a run of the caller's tenant; null when there is none (another tenant's run included).",
    args: { runId: t.arg.string({ required: true, validate: ident() }) },
    resolve: (_root, { runId }, ctx) => ctx.loaders.llmRunByRunId.load(runId),
  }),
);

const LlmRunFilter = builder.inputType('LlmRunFilter', {
  description: 'Every field given narrows the list; time bounds are inclusive.',
  fields: (t) => ({
    runId: t.string({ validate: filterValue(), description: FILTER_RULE }),
    traceId: t.string({ validate: filterValue(), description: FILTER_RULE }),
    provider: t.string({ validate: filterValue(64), description: FILTER_RULE }),
    model: t.string({ validate: filterValue(128), description: FILTER_RULE }),
    executionStatus: t.field({ type: LlmExecutionStatusEnum }),
    isSynthetic: t.boolean({ description: 'true: synthetic only; false: real only; omitted: both.' }),
    createdAfter: t.field({ type: 'DateTime' }),
    createdBefore: t.field({ type: 'DateTime' }),
  }),
});

const LlmRunSortFieldEnum = builder.enumType('LlmRunSortField', {
  values: { CREATED_AT: { value: 'createdAt' }, STARTED_AT: { value: 'startedAt' } } as const,
});
const LlmRunSort = sortInput('LlmRunSort', LlmRunSortFieldEnum, 'createdAt');

builder.queryField('llmRuns', (t) =>
  t.connection(
    {
      type: LlmRunRef,
      description: "The caller's LLM run records, newest first unless sorted otherwise; at most 100 per page.",
      args: { filter: t.arg({ type: LlmRunFilter }), sort: t.arg({ type: LlmRunSort }) },
      resolve: async (_root, args, ctx) => {
        const page = listPage(args, args.sort, { field: 'createdAt', direction: 'desc' });
        const filter = compact(args.filter ?? {});
        const result = await ctx.stores.llmRuns.list(ctx.tenantId, filter, page);
        return toConnection(result, page, cursorAt<LlmRun>(page.sortKey), () => ctx.stores.llmRuns.count(ctx.tenantId, filter));
      },
    },
    { name: 'LlmRunConnection' },
    { name: 'LlmRunEdge' },
  ),
);

const RecordLlmRunInput = builder.inputType('RecordLlmRunInput', {
  fields: (t) => ({
    runId: t.string({ required: true, validate: ident(), description: `One record per run: the key of idempotent retries. ${IDENT_RULE}` }),
    traceId: t.string({ validate: ident(), description: IDENT_RULE }),
    provider: t.string({ required: true, validate: name(64), description: `e.g. anthropic, openai. ${NAME_RULE}` }),
    model: t.string({ required: true, validate: name(128), description: NAME_RULE }),
    promptHash: t.string({ validate: hexHash() }),
    responseHash: t.string({ validate: hexHash() }),
    inputTokens: t.int({ required: true, validate: nonNegativeInt() }),
    outputTokens: t.int({ required: true, validate: nonNegativeInt() }),
    costCents: t.field({ type: 'Cents', required: true }),
    executionStatus: t.field({ type: LlmExecutionStatusEnum, required: true }),
    startedAt: t.field({ type: 'DateTime', required: true }),
    completedAt: t.field({ type: 'DateTime', description: 'Not before startedAt.' }),
    source: t.field({ type: LlmRecordSourceEnum, required: true }),
    isSynthetic: t.boolean({ description: 'Defaults to false.' }),
    syntheticScenarioId: t.string({ validate: ident(), description: `Required when isSynthetic is true. ${IDENT_RULE}` }),
  }),
});

const LlmRunWritePayload = builder.objectRef<{ llmRun: LlmRun; created: boolean }>('LlmRunWritePayload').implement({
  fields: (t) => ({
    llmRun: t.field({ type: LlmRunRef, resolve: (p) => p.llmRun }),
    created: t.exposeBoolean('created', { description: 'False when the identical record was already stored (a safe retry).' }),
  }),
});

builder.mutationField('recordLlmRun', (t) =>
  t.field({
    type: LlmRunWritePayload,
    description:
      'Records the LLM execution of a run. Recording the identical record again returns it (created: false); a different record for the same runId is a CONFLICT.',
    args: { input: t.arg({ type: RecordLlmRunInput, required: true }) },
    resolve: (_root, { input }, ctx) => {
      const { costCents, ...rest } = compact(input);
      return ctx.stores.llmRuns.record(ctx.tenantId, { ...rest, costMicrocents: costCents });
    },
  }),
);
