// ReplayWindow: the events around a run's inflection point, from its trace, the system and governance.
import { z } from 'zod';
import { DEFAULT_REPLAY_SECONDS, MAX_REPLAY_EVENTS, MAX_REPLAY_SECONDS, type ReplayEvent, type ReplayWindow } from '../../stores/replay.ts';
import { builder } from '../builder.ts';
import { ident } from '../validators.ts';

export const ReplayEventSourceEnum = builder.enumType('ReplayEventSource', {
  description: 'Where an event comes from; also the tie-break order of events with the same timestamp (LLM first).',
  values: {
    LLM: { value: 'llm', description: "A step of the run's trace." },
    SYSTEM: { value: 'system', description: "A system record of the caller's tenant, or a global one." },
    POLICY: { value: 'policy', description: 'An audit ledger entry about a policy rule or a limit.' },
  } as const,
});

const ReplayEventRef = builder.objectRef<ReplayEvent>('ReplayEvent').implement({
  fields: (t) => ({
    source: t.expose('source', { type: ReplayEventSourceEnum }),
    timestamp: t.expose('timestamp', { type: 'DateTime' }),
    stepIndex: t.exposeInt('stepIndex', { nullable: true, description: "The step's stored index; null for SYSTEM and POLICY events." }),
    action: t.exposeString('action', { description: 'LLM: skill name; SYSTEM and POLICY: event type. "unknown" when empty.' }),
    outcome: t.exposeString('outcome', { description: 'LLM: outcome category; SYSTEM: severity; POLICY: entity type. "unknown" when empty.' }),
    recordId: t.exposeString('recordId', { description: 'Id of the trace step, system record or audit entry.' }),
  }),
});

const ReplayWindowRef = builder.objectRef<ReplayWindow>('ReplayWindow').implement({
  fields: (t) => ({
    runId: t.exposeString('runId'),
    traceId: t.exposeString('traceId', { description: "The LLM run record's trace, else trace_<runId>." }),
    inflectionAt: t.expose('inflectionAt', { type: 'DateTime', description: "The LLM run record's completedAt, else its startedAt." }),
    windowStart: t.expose('windowStart', { type: 'DateTime', description: 'Inclusive.' }),
    windowEnd: t.expose('windowEnd', { type: 'DateTime', description: 'Inclusive.' }),
    events: t.field({
      type: [ReplayEventRef],
      description:
        'Ordered by timestamp, then source (LLM, SYSTEM, POLICY), then step index (LLM) or ledger sequence (POLICY), then record id. ' +
        `At most ${MAX_REPLAY_EVENTS}: the earliest ones, with truncated set.`,
      resolve: (w) => w.events,
    }),
    truncated: t.exposeBoolean('truncated', { description: `More than ${MAX_REPLAY_EVENTS} events fell in the window.` }),
  }),
});

const seconds = z
  .number()
  .int('must be an integer')
  .min(0, 'must not be negative')
  .max(MAX_REPLAY_SECONDS, `at most ${MAX_REPLAY_SECONDS} seconds`);

builder.queryField('replayWindow', (t) =>
  t.field({
    type: ReplayWindowRef,
    nullable: true,
    description:
      "What happened around a run's inflection point: trace steps, system events and policy/limit ledger entries in " +
      "[inflection − beforeSeconds, inflection + afterSeconds]. Null when the caller's tenant has no LLM run record for the run.",
    args: {
      runId: t.arg.string({ required: true, validate: ident() }),
      beforeSeconds: t.arg.int({ defaultValue: DEFAULT_REPLAY_SECONDS, validate: seconds }),
      afterSeconds: t.arg.int({ defaultValue: DEFAULT_REPLAY_SECONDS, validate: seconds }),
    },
    resolve: (_root, args, ctx) =>
      ctx.stores.replay.window(ctx.tenantId, args.runId, args.beforeSeconds ?? DEFAULT_REPLAY_SECONDS, args.afterSeconds ?? DEFAULT_REPLAY_SECONDS),
  }),
);
