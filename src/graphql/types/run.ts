// Run: one agent run, with its traces and its LLM run record.
import type { Run } from '../../stores/runs.ts';
import { builder, compact } from '../builder.ts';
import { cursorAt, listPage, MAX_LIST_PAGE, sortInput, toConnection } from '../pagination.ts';
import { FILTER_RULE, filterValue, ident, IDENT_RULE, REDACTED_RULE } from '../validators.ts';

export const RunStatusEnum = builder.enumType('RunStatus', {
  values: { RUNNING: { value: 'running' }, SUCCEEDED: { value: 'succeeded' }, FAILED: { value: 'failed' }, ABORTED: { value: 'aborted' } } as const,
});

export const RunRef = builder.objectRef<Run>('Run');

builder.node(RunRef, {
  id: { resolve: (run) => run.runId },
  loadOne: (runId, ctx) => ctx.loaders.runByRunId.load(runId),
  fields: (t) => ({
    runId: t.exposeString('runId'),
    agentId: t.exposeString('agentId', { nullable: true }),
    goal: t.exposeString('goal', { nullable: true, description: REDACTED_RULE }),
    status: t.expose('status', { type: RunStatusEnum, description: 'Follows its traces: SUCCEEDED, FAILED or ABORTED when one finishes.' }),
    policySnapshotId: t.exposeString('policySnapshotId', { nullable: true }),
    terminationReason: t.exposeString('terminationReason', { nullable: true }),
    isSynthetic: t.exposeBoolean('isSynthetic'),
    syntheticScenarioId: t.exposeString('syntheticScenarioId', { nullable: true, description: IDENT_RULE }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryField('run', (t) =>
  t.field({
    type: RunRef,
    nullable: true,
    description: 'A run by its run id. Separate from trace(traceId): an unknown trace id is never re-read as a run id (B18).',
    args: { runId: t.arg.string({ required: true, validate: ident() }) },
    resolve: (_root, { runId }, ctx) => ctx.loaders.runByRunId.load(runId),
  }),
);

const RunFilter = builder.inputType('RunFilter', {
  fields: (t) => ({
    agentId: t.string({ validate: filterValue(), description: FILTER_RULE }),
    status: t.field({ type: RunStatusEnum }),
    isSynthetic: t.boolean(),
    startedAfter: t.field({ type: 'DateTime', description: 'Inclusive.' }),
    startedBefore: t.field({ type: 'DateTime', description: 'Inclusive.' }),
  }),
});

const RunSortField = builder.enumType('RunSortField', { values: { STARTED_AT: { value: 'startedAt' } } as const });
const RunSort = sortInput('RunSort', RunSortField, 'startedAt');

builder.queryField('runs', (t) =>
  t.connection({
    type: RunRef,
    description: `Runs of the caller's tenant by start time, newest first unless sorted ASC, at most ${MAX_LIST_PAGE} a page.`,
    args: { filter: t.arg({ type: RunFilter }), sort: t.arg({ type: RunSort }) },
    resolve: async (_root, args, ctx) => {
      const page = listPage(args, args.sort, { field: 'startedAt', direction: 'desc' });
      const filter = compact(args.filter ?? {});
      return toConnection(await ctx.stores.runs.list(ctx.tenantId, filter, page), page, cursorAt('startedAt'), () =>
        ctx.stores.runs.count(ctx.tenantId, filter),
      );
    },
  }),
);
