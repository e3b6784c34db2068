// Live tail: GraphQL subscriptions over server-sent events (graphql-yoga's own transport), fed by
// the database's announcements (src/live). Each event carries a cursor; subscribing again with
// `after: <last cursor>` resumes without gaps or repeats.
import type { Trace, TraceStep } from '../../domain/trace.ts';
import { badInput } from '../../errors.ts';
import { decodeCursor } from '../../live/cursors.ts';
import { incidentFeed, stepFeed, traceFeed, type Delivery, type FeedDeps } from '../../live/feeds.ts';
import type { LiveHub } from '../../live/hub.ts';
import type { Incident } from '../../stores/incidents.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { FILTER_RULE, filterValue, ident, IDENT_RULE } from '../validators.ts';
import { IncidentRef } from './incident.ts';
import { TraceStatusEnum, TraceRef } from './trace.ts';
import { TraceStepRef } from './trace-step.ts';

// Every subscription needs a read key, like every query.
builder.subscriptionType({ authScopes: { read: true } });

/** The app puts the process's hub into every request's context (src/live/plugin.ts). */
function feedDeps(ctx: Context): FeedDeps {
  const hub = (ctx as Context & { live?: LiveHub }).live;
  if (!hub) throw new Error('live tail hub missing from the context');
  return { hub, live: ctx.stores.live, tenantId: ctx.tenantId };
}

const cursorField = { description: 'Pass as `after` when subscribing again to resume right after this event.' };

const TraceStepRecordedRef = builder.objectRef<Delivery<TraceStep>>('TraceStepRecorded').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor', cursorField),
    step: t.field({ type: TraceStepRef, resolve: (d) => d.item }),
  }),
});

const TraceUpdatedRef = builder.objectRef<Delivery<Trace>>('TraceUpdated').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor', cursorField),
    trace: t.field({ type: TraceRef, description: 'The trace as it is after the change.', resolve: (d) => d.item }),
  }),
});

const IncidentOpenedRef = builder.objectRef<Delivery<Incident>>('IncidentOpened').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor', cursorField),
    incident: t.field({ type: IncidentRef, resolve: (d) => d.item }),
  }),
});

const TraceUpdatedFilter = builder.inputType('TraceUpdatedFilter', {
  fields: (t) => ({
    agentId: t.string({ validate: filterValue(), description: FILTER_RULE }),
    status: t.field({ type: TraceStatusEnum, description: 'Only traces in this status after the change (COMPLETED: traces as they complete).' }),
  }),
});

builder.subscriptionField('traceStepRecorded', (t) =>
  t.field({
    type: TraceStepRecordedRef,
    description:
      "The trace's steps: first those recorded so far (after the cursor, when given), by step index, then each new one as it commits, from any server process. Ends once the trace is final and every step was sent. Unknown trace (another tenant's included): NOT_FOUND.",
    args: {
      traceId: t.arg.string({ required: true, validate: ident() }),
      after: t.arg.string({ description: 'The cursor of the last event received.' }),
    },
    subscribe: (_root, args, ctx) => {
      const cursor = args.after ? decodeCursor(args.after, 'steps') : undefined;
      if (cursor && cursor.traceId !== args.traceId) throw badInput(`after: a cursor of trace ${cursor.traceId}, not of ${args.traceId}`, 'after');
      return stepFeed(feedDeps(ctx), args.traceId, cursor?.delivered ?? []);
    },
    resolve: (delivery) => delivery,
  }),
);

builder.subscriptionField('traceUpdated', (t) =>
  t.field({
    type: TraceUpdatedRef,
    description:
      'Traces as they are started or stored, and each time one changes (its status above all), matching the filter. Without `after`, from now on; with it, first every change since that cursor.',
    args: {
      filter: t.arg({ type: TraceUpdatedFilter }),
      after: t.arg.string({ description: 'The cursor of the last event received.' }),
    },
    subscribe: (_root, args, ctx) =>
      traceFeed(
        feedDeps(ctx),
        { agentId: args.filter?.agentId ?? undefined, status: args.filter?.status ?? undefined },
        args.after ? decodeCursor(args.after, 'traces') : undefined,
      ),
    resolve: (delivery) => delivery,
  }),
);

builder.subscriptionField('incidentOpened', (t) =>
  t.field({
    type: IncidentOpenedRef,
    description: 'Incidents as they are opened, once each. Without `after`, from now on; with it, first every incident opened since that cursor.',
    args: { after: t.arg.string({ description: 'The cursor of the last event received.' }) },
    subscribe: (_root, args, ctx) => incidentFeed(feedDeps(ctx), args.after ? decodeCursor(args.after, 'incidents') : undefined),
    resolve: (delivery) => delivery,
  }),
);
