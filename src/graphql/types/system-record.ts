// SystemRecord: immutable system-level events, and recordSystemEvent. Tenants write events of
// their own tenant; global events (readable by every tenant) come only from operators.
import { z } from 'zod';
import { MAX_SUMMARY_LENGTH, type SystemRecord } from '../../stores/system-records.ts';
import { builder, compact } from '../builder.ts';
import { cursorAt, listPage, sortInput, toConnection } from '../pagination.ts';
import { FILTER_RULE, filterValue, ident, IDENT_RULE, name, NAME_RULE, text } from '../validators.ts';

export const SystemComponentEnum = builder.enumType('SystemComponent', {
  values: {
    WORKER: { value: 'worker' },
    API: { value: 'api' },
    SCHEDULER: { value: 'scheduler' },
    DB: { value: 'db' },
    AUTH: { value: 'auth' },
    MIGRATION: { value: 'migration' },
  } as const,
});
export const SystemEventTypeEnum = builder.enumType('SystemEventType', {
  values: ['STARTUP', 'SHUTDOWN', 'RESTART', 'DEPLOY', 'MIGRATION', 'AUTH_CHANGE', 'CONFIG_CHANGE', 'ERROR', 'HEALTH_CHECK'] as const,
});
export const SystemSeverityEnum = builder.enumType('SystemSeverity', { values: ['INFO', 'WARN', 'CRITICAL'] as const });
export const CausedByEnum = builder.enumType('CausedBy', { values: ['SYSTEM', 'HUMAN', 'AUTOMATION'] as const });

export const SystemRecordRef = builder.objectRef<SystemRecord>('SystemRecord');

builder.node(SystemRecordRef, {
  description: "A system-level event of the caller's tenant, or a global one; never changed once written.",
  id: { resolve: (record) => record.id },
  loadOne: (id, ctx) => ctx.loaders.systemRecordById.load(id),
  fields: (t) => ({
    isGlobal: t.boolean({ description: 'True for a system-wide event every tenant can read.', resolve: (r) => r.tenantId === null }),
    component: t.expose('component', { type: SystemComponentEnum }),
    eventType: t.expose('eventType', { type: SystemEventTypeEnum }),
    severity: t.expose('severity', { type: SystemSeverityEnum }),
    summary: t.exposeString('summary', { description: 'Redacted before storage.' }),
    details: t.expose('details', { type: 'JSON', nullable: true, description: 'Redacted before storage.' }),
    causedBy: t.expose('causedBy', { type: CausedByEnum, nullable: true }),
    correlationId: t.exposeString('correlationId', { nullable: true }),
    idempotencyKey: t.exposeString('idempotencyKey', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const SystemRecordScopeEnum = builder.enumType('SystemRecordScope', {
  values: {
    ALL: { value: 'ALL', description: "The caller's tenant's records and the global ones." },
    TENANT_ONLY: { value: 'TENANT_ONLY', description: "The caller's tenant's records only." },
    GLOBAL_ONLY: { value: 'GLOBAL_ONLY', description: 'Global (system-wide) records only.' },
  } as const,
});

const SystemRecordFilter = builder.inputType('SystemRecordFilter', {
  description: 'Every field given narrows the list; time bounds are inclusive.',
  fields: (t) => ({
    component: t.field({ type: SystemComponentEnum }),
    eventType: t.field({ type: SystemEventTypeEnum }),
    severity: t.field({ type: SystemSeverityEnum }),
    correlationId: t.string({ validate: filterValue(), description: FILTER_RULE }),
    createdAfter: t.field({ type: 'DateTime' }),
    createdBefore: t.field({ type: 'DateTime' }),
    scope: t.field({ type: SystemRecordScopeEnum, description: 'Defaults to ALL.' }),
  }),
});

const SystemRecordSortFieldEnum = builder.enumType('SystemRecordSortField', { values: { CREATED_AT: { value: 'createdAt' } } as const });
const SystemRecordSort = sortInput('SystemRecordSort', SystemRecordSortFieldEnum, 'createdAt');

builder.queryField('systemRecords', (t) =>
  t.connection(
    {
      type: SystemRecordRef,
      description: "The caller's tenant's system records and the global ones, newest first unless sorted otherwise; at most 100 per page.",
      args: { filter: t.arg({ type: SystemRecordFilter }), sort: t.arg({ type: SystemRecordSort }) },
      resolve: async (_root, args, ctx) => {
        const page = listPage(args, args.sort, { field: 'createdAt', direction: 'desc' });
        const filter = compact(args.filter ?? {});
        const result = await ctx.stores.systemRecords.list(ctx.tenantId, filter, page);
        return toConnection(result, page, cursorAt<SystemRecord>(page.sortKey), () => ctx.stores.systemRecords.count(ctx.tenantId, filter));
      },
    },
    { name: 'SystemRecordConnection' },
    { name: 'SystemRecordEdge' },
  ),
);

builder.queryField('systemRecordByCorrelation', (t) =>
  t.field({
    type: SystemRecordRef,
    nullable: true,
    description: "The earliest system record (the caller's tenant's or a global one) with this correlation id, usually a run id; null when there is none.",
    args: { correlationId: t.arg.string({ required: true, validate: ident() }) },
    resolve: (_root, { correlationId }, ctx) => ctx.stores.systemRecords.byCorrelation(ctx.tenantId, correlationId),
  }),
);

const RecordSystemEventInput = builder.inputType('RecordSystemEventInput', {
  fields: (t) => ({
    component: t.field({ type: SystemComponentEnum, required: true }),
    eventType: t.field({ type: SystemEventTypeEnum, required: true }),
    severity: t.field({ type: SystemSeverityEnum, required: true }),
    summary: t.string({
      required: true,
      validate: text(MAX_SUMMARY_LENGTH).refine((s) => s.trim() !== '', 'must not be empty'),
      description: `One-line description, at most ${MAX_SUMMARY_LENGTH} characters; redacted before storage.`,
    }),
    details: t.field({
      type: 'JSON',
      validate: z.record(z.string(), z.unknown(), 'must be a JSON object'),
      description: 'Structured detail (a JSON object); redacted before storage.',
    }),
    causedBy: t.field({ type: CausedByEnum }),
    correlationId: t.string({ validate: ident(), description: `Usually the run id the event belongs to. ${IDENT_RULE}` }),
    idempotencyKey: t.string({
      validate: name(128),
      description: `Unique per tenant: a retry with the same key and content returns the first record; other content is a CONFLICT. ${NAME_RULE}`,
    }),
  }),
});

const SystemRecordWritePayload = builder.objectRef<{ systemRecord: SystemRecord; created: boolean }>('SystemRecordWritePayload').implement({
  fields: (t) => ({
    systemRecord: t.field({ type: SystemRecordRef, resolve: (p) => p.systemRecord }),
    created: t.exposeBoolean('created', { description: 'False when a record with this idempotencyKey and content already existed.' }),
  }),
});

builder.mutationField('recordSystemEvent', (t) =>
  t.field({
    type: SystemRecordWritePayload,
    description: "Appends a system event to the caller's tenant (global events are written by operators only).",
    args: { input: t.arg({ type: RecordSystemEventInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      ctx.stores.systemRecords.record(ctx.tenantId, { ...compact(input), details: (input.details ?? undefined) as Record<string, unknown> | undefined }),
  }),
);
