// Relations between types, in one place so the type files need not import each other in circles.
// Every relation resolves through a request-scoped DataLoader: a page of N parents costs one query
// per relation, whatever N is.
import { builder } from '../builder.ts';
import { AuditEntryRef } from './audit-entry.ts';
import { IncidentRef } from './incident.ts';
import { LlmRunRef } from './llm-run.ts';
import { PolicyActivationRef } from './policy-activation.ts';
import { RunRef } from './run.ts';
import { TraceStepRef } from './trace-step.ts';
import { TraceRef } from './trace.ts';

builder.objectFields(RunRef, (t) => ({
  traces: t.field({
    type: [TraceRef],
    description: 'Traces of this run (several when it was replayed), oldest first.',
    resolve: (run, _args, ctx) => ctx.loaders.tracesByRunId.load(run.runId),
  }),
  llmRun: t.field({
    type: LlmRunRef,
    nullable: true,
    description: 'The LLM run record of this run, if one was recorded.',
    resolve: (run, _args, ctx) => ctx.loaders.llmRunByRunId.load(run.runId),
  }),
}));

builder.objectFields(TraceRef, (t) => ({
  run: t.field({ type: RunRef, nullable: true, resolve: (trace, _args, ctx) => ctx.loaders.runByRunId.load(trace.runId) }),
  incident: t.field({
    type: IncidentRef,
    nullable: true,
    resolve: (trace, _args, ctx) => (trace.incidentId ? ctx.loaders.incidentById.load(trace.incidentId) : null),
  }),
  llmRun: t.field({ type: LlmRunRef, nullable: true, resolve: (trace, _args, ctx) => ctx.loaders.llmRunByRunId.load(trace.runId) }),
}));

builder.objectFields(TraceStepRef, (t) => ({
  trace: t.field({ type: TraceRef, resolve: async (step, _args, ctx) => (await ctx.loaders.traceByTraceId.load(step.traceId))! }),
}));

builder.objectFields(IncidentRef, (t) => ({
  sourceRun: t.field({
    type: RunRef,
    nullable: true,
    description: 'The run that caused the incident; its traces are under sourceRun.traces.',
    resolve: (incident, _args, ctx) => (incident.sourceRunId ? ctx.loaders.runByRunId.load(incident.sourceRunId) : null),
  }),
  traces: t.field({
    type: [TraceRef],
    description: 'Traces linked to this incident.',
    resolve: (incident, _args, ctx) => ctx.loaders.tracesByIncidentId.load(incident.id),
  }),
}));

builder.objectFields(LlmRunRef, (t) => ({
  run: t.field({ type: RunRef, nullable: true, resolve: (llmRun, _args, ctx) => ctx.loaders.runByRunId.load(llmRun.runId) }),
  trace: t.field({
    type: TraceRef,
    nullable: true,
    resolve: (llmRun, _args, ctx) => ctx.loaders.traceByTraceId.load(llmRun.traceId ?? `trace_${llmRun.runId}`),
  }),
}));

builder.objectFields(PolicyActivationRef, (t) => ({
  loopTrace: t.field({
    type: TraceRef,
    nullable: true,
    description: 'The trace of the integration-loop run that produced this activation, when it is stored here.',
    resolve: (activation, _args, ctx) => (activation.loopTraceId ? ctx.loaders.traceByTraceId.load(activation.loopTraceId) : null),
  }),
}));

builder.objectFields(AuditEntryRef, (t) => ({
  incident: t.field({
    type: IncidentRef,
    nullable: true,
    description: 'The incident this entry is about, when entityType is INCIDENT (other entity types live outside this service).',
    resolve: (entry, _args, ctx) => (entry.entityType === 'INCIDENT' ? ctx.loaders.incidentById.load(entry.entityId) : null),
  }),
}));
