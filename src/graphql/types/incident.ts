// Incident: what went wrong, and its lifecycle ACTIVE → ACKED → RESOLVED.
import type { Incident } from '../../stores/incidents.ts';
import { builder, compact } from '../builder.ts';
import { cursorAt, listPage, sortInput, toConnection } from '../pagination.ts';
import { FILTER_RULE, filterValue, ident, IDENT_RULE, label, nonNegativeInt, text, uuid } from '../validators.ts';

export const IncidentSeverityEnum = builder.enumType('IncidentSeverity', {
  description: 'Stored lower-case; the enum is the only way in, so one casing reaches the database (B22).',
  values: { CRITICAL: { value: 'critical' }, HIGH: { value: 'high' }, MEDIUM: { value: 'medium' }, LOW: { value: 'low' } } as const,
});
export const IncidentLifecycleEnum = builder.enumType('IncidentLifecycle', {
  description: 'ACTIVE → ACKED → RESOLVED, or ACTIVE → RESOLVED directly; RESOLVED is final (enforced in the database).',
  values: ['ACTIVE', 'ACKED', 'RESOLVED'] as const,
});
export const IncidentCauseTypeEnum = builder.enumType('IncidentCauseType', { values: ['LLM_RUN', 'SYSTEM', 'HUMAN'] as const });
export const ResolutionMethodEnum = builder.enumType('ResolutionMethod', {
  values: { AUTO: { value: 'auto' }, MANUAL: { value: 'manual' }, ROLLBACK: { value: 'rollback' } } as const,
});

export const IncidentRef = builder.objectRef<Incident>('Incident');

builder.node(IncidentRef, {
  id: { resolve: (incident) => incident.id },
  loadOne: (id, ctx) => ctx.loaders.incidentById.load(id),
  fields: (t) => ({
    incidentId: t.exposeString('id', { description: 'The incident UUID, as taken by the incident query and the lifecycle mutations.' }),
    title: t.exposeString('title'),
    severity: t.expose('severity', { type: IncidentSeverityEnum }),
    lifecycleState: t.expose('lifecycleState', { type: IncidentLifecycleEnum }),
    causeType: t.expose('causeType', { type: IncidentCauseTypeEnum }),
    triggerType: t.exposeString('triggerType'),
    triggerValue: t.exposeString('triggerValue', { nullable: true }),
    category: t.exposeString('category', { nullable: true, description: IDENT_RULE }),
    description: t.exposeString('description', { nullable: true }),
    errorCode: t.exposeString('errorCode', { nullable: true }),
    errorMessage: t.exposeString('errorMessage', { nullable: true }),
    sourceRunId: t.exposeString('sourceRunId', { nullable: true }),
    affectedAgentId: t.exposeString('affectedAgentId', { nullable: true }),
    policyId: t.exposeString('policyId', { nullable: true }),
    policyName: t.exposeString('policyName', { nullable: true }),
    violationType: t.exposeString('violationType', { nullable: true }),
    costImpactCents: t.field({ type: 'Cents', nullable: true, resolve: (i) => i.costImpactMicrocents }),
    inflectionStepIndex: t.exposeInt('inflectionStepIndex', { nullable: true }),
    inflectionTimestamp: t.expose('inflectionTimestamp', { type: 'DateTime', nullable: true }),
    isSynthetic: t.exposeBoolean('isSynthetic'),
    syntheticScenarioId: t.exposeString('syntheticScenarioId', { nullable: true, description: IDENT_RULE }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    acknowledgedAt: t.expose('acknowledgedAt', { type: 'DateTime', nullable: true }),
    acknowledgedBy: t.exposeString('acknowledgedBy', { nullable: true }),
    resolvedAt: t.expose('resolvedAt', { type: 'DateTime', nullable: true }),
    resolvedBy: t.exposeString('resolvedBy', { nullable: true }),
    resolutionMethod: t.expose('resolutionMethod', { type: ResolutionMethodEnum, nullable: true }),
    resolutionNotes: t.exposeString('resolutionNotes', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.queryField('incident', (t) =>
  t.field({
    type: IncidentRef,
    nullable: true,
    description: "An incident of the caller's tenant; null when there is none (another tenant's id included).",
    args: { incidentId: t.arg.string({ required: true, validate: uuid() }) },
    resolve: (_root, { incidentId }, ctx) => ctx.loaders.incidentById.load(incidentId),
  }),
);

const IncidentFilter = builder.inputType('IncidentFilter', {
  description: 'Every field given narrows the list; time bounds are inclusive.',
  fields: (t) => ({
    lifecycleState: t.field({ type: IncidentLifecycleEnum }),
    severity: t.field({ type: IncidentSeverityEnum }),
    causeType: t.field({ type: IncidentCauseTypeEnum }),
    sourceRunId: t.string({ validate: filterValue(), description: FILTER_RULE }),
    category: t.string({ validate: filterValue(), description: FILTER_RULE }),
    createdAfter: t.field({ type: 'DateTime' }),
    createdBefore: t.field({ type: 'DateTime' }),
  }),
});

const IncidentSortFieldEnum = builder.enumType('IncidentSortField', {
  values: { CREATED_AT: { value: 'createdAt' }, STARTED_AT: { value: 'startedAt' } } as const,
});
const IncidentSort = sortInput('IncidentSort', IncidentSortFieldEnum, 'createdAt');

builder.queryField('incidents', (t) =>
  t.connection(
    {
      type: IncidentRef,
      description: "The caller's incidents, newest first unless sorted otherwise; at most 100 per page.",
      args: { filter: t.arg({ type: IncidentFilter }), sort: t.arg({ type: IncidentSort }) },
      resolve: async (_root, args, ctx) => {
        const page = listPage(args, args.sort, { field: 'createdAt', direction: 'desc' });
        const filter = compact(args.filter ?? {});
        const result = await ctx.stores.incidents.list(ctx.tenantId, filter, page);
        return toConnection(result, page, cursorAt<Incident>(page.sortKey), () => ctx.stores.incidents.count(ctx.tenantId, filter));
      },
    },
    { name: 'IncidentConnection' },
    { name: 'IncidentEdge' },
  ),
);

const OpenIncidentInput = builder.inputType('OpenIncidentInput', {
  fields: (t) => ({
    title: t.string({ required: true, validate: label(255), description: 'Redacted before storage.' }),
    severity: t.field({ type: IncidentSeverityEnum, required: true }),
    causeType: t.field({ type: IncidentCauseTypeEnum, required: true }),
    triggerType: t.string({ required: true, validate: ident(50), description: `e.g. failure_spike, budget_breach, policy_violation. ${IDENT_RULE}` }),
    triggerValue: t.string({ validate: text(), description: 'Redacted before storage.' }),
    category: t.string({ validate: ident(), description: IDENT_RULE }),
    description: t.string({ validate: text(), description: 'Redacted before storage.' }),
    errorCode: t.string({ validate: ident(), description: IDENT_RULE }),
    errorMessage: t.string({ validate: text(), description: 'Redacted before storage.' }),
    sourceRunId: t.string({ validate: ident(), description: IDENT_RULE }),
    affectedAgentId: t.string({ validate: ident(), description: IDENT_RULE }),
    policyId: t.string({ validate: ident(), description: IDENT_RULE }),
    policyName: t.string({ validate: label(255), description: 'Redacted before storage.' }),
    violationType: t.string({ validate: ident(), description: IDENT_RULE }),
    costImpactCents: t.field({ type: 'Cents', description: 'Not negative (the Cents scalar refuses negative amounts).' }),
    inflectionStepIndex: t.int({ validate: nonNegativeInt() }),
    inflectionTimestamp: t.field({ type: 'DateTime' }),
    isSynthetic: t.boolean(),
    syntheticScenarioId: t.string({ validate: ident(), description: IDENT_RULE }),
    startedAt: t.field({ type: 'DateTime', description: 'Defaults to now.' }),
    traceId: t.string({
      validate: ident(),
      description: `A trace of the same tenant to link to this incident; a trace already linked to another incident is a CONFLICT. ${IDENT_RULE}`,
    }),
  }),
});

builder.mutationField('openIncident', (t) =>
  t.field({
    type: IncidentRef,
    description: 'Opens an ACTIVE incident, optionally linking a trace to it in the same transaction.',
    args: { input: t.arg({ type: OpenIncidentInput, required: true }) },
    resolve: (_root, { input }, ctx) => {
      const { costImpactCents, ...rest } = compact(input);
      return ctx.stores.incidents.open(ctx.tenantId, { ...rest, costImpactMicrocents: costImpactCents });
    },
  }),
);

const AcknowledgeIncidentInput = builder.inputType('AcknowledgeIncidentInput', {
  fields: (t) => ({
    incidentId: t.string({ required: true, validate: uuid() }),
    actorId: t.string({ validate: ident(), description: `Who acknowledges; without it the ledger records a SYSTEM actor. ${IDENT_RULE}` }),
  }),
});

builder.mutationField('acknowledgeIncident', (t) =>
  t.field({
    type: IncidentRef,
    description:
      'ACTIVE → ACKED, with an IncidentAcknowledged ledger entry in the same transaction. Acknowledging an ACKED incident returns it unchanged; a RESOLVED one is a CONFLICT.',
    args: { input: t.arg({ type: AcknowledgeIncidentInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.stores.incidents.acknowledge(ctx.tenantId, input.incidentId, input.actorId ?? undefined),
  }),
);

const ResolveIncidentInput = builder.inputType('ResolveIncidentInput', {
  fields: (t) => ({
    incidentId: t.string({ required: true, validate: uuid() }),
    method: t.field({ type: ResolutionMethodEnum, required: true }),
    notes: t.string({ validate: text(), description: 'Redacted before storage; also recorded as the actionReason of the ledger entry.' }),
    actorId: t.string({ validate: ident(), description: `Who resolves; without it the ledger records a SYSTEM actor. ${IDENT_RULE}` }),
  }),
});

builder.mutationField('resolveIncident', (t) =>
  t.field({
    type: IncidentRef,
    description:
      'ACTIVE or ACKED → RESOLVED, with an IncidentResolved ledger entry in the same transaction. Repeating the same resolution returns the incident unchanged; a different one is a CONFLICT.',
    args: { input: t.arg({ type: ResolveIncidentInput, required: true }) },
    resolve: (_root, { input }, ctx) => {
      const { incidentId, ...resolution } = compact(input);
      return ctx.stores.incidents.resolve(ctx.tenantId, incidentId, resolution);
    },
  }),
);
