// LogExport: a requested export of logs and its one-way lifecycle PENDING → COMPLETED | FAILED (B10).
import { z } from 'zod';
import { CHECKSUM_MAX, CHECKSUM_PATTERN, type LogExport } from '../../stores/log-exports.ts';
import { builder, compact } from '../builder.ts';
import { cursorAt, listPage, sortInput, toConnection } from '../pagination.ts';
import { FILTER_RULE, filterValue, ident, IDENT_RULE, text, uuid } from '../validators.ts';
import { ActorTypeEnum } from './audit-entry.ts';
import { IncidentRef } from './incident.ts';

export const ExportScopeEnum = builder.enumType('ExportScope', {
  values: { LLM_RUN: { value: 'llm_run' }, SYSTEM: { value: 'system' }, AUDIT: { value: 'audit' }, COMPLIANCE: { value: 'compliance' } } as const,
});
export const ExportFormatEnum = builder.enumType('ExportFormat', {
  values: { JSON: { value: 'json' }, CSV: { value: 'csv' }, PDF: { value: 'pdf' }, ZIP: { value: 'zip' } } as const,
});
export const ExportStatusEnum = builder.enumType('ExportStatus', {
  description: 'PENDING moves once to COMPLETED or FAILED; nothing else about an export ever changes (enforced in the database).',
  values: { PENDING: { value: 'pending' }, COMPLETED: { value: 'completed' }, FAILED: { value: 'failed' } } as const,
});

export const LogExportRef = builder.objectRef<LogExport>('LogExport');

builder.node(LogExportRef, {
  id: { resolve: (exp) => exp.id },
  loadOne: (id, ctx) => ctx.loaders.logExportById.load(id),
  fields: (t) => ({
    exportId: t.exposeString('id', { description: 'The export UUID, as taken by the logExport query and the lifecycle mutations.' }),
    scope: t.expose('scope', { type: ExportScopeEnum }),
    format: t.expose('format', { type: ExportFormatEnum }),
    origin: t.expose('origin', { type: ActorTypeEnum }),
    runId: t.exposeString('runId', { nullable: true }),
    incidentId: t.exposeString('incidentId', { nullable: true }),
    incident: t.field({
      type: IncidentRef,
      nullable: true,
      resolve: (exp, _args, ctx) => (exp.incidentId ? ctx.loaders.incidentById.load(exp.incidentId) : null),
    }),
    requestedBy: t.exposeString('requestedBy', { description: IDENT_RULE }),
    sourceComponent: t.exposeString('sourceComponent'),
    correlationId: t.exposeString('correlationId', { nullable: true }),
    status: t.expose('status', { type: ExportStatusEnum }),
    checksum: t.exposeString('checksum', { nullable: true, description: 'Digest of the delivered artifact; set on completion.' }),
    failureReason: t.exposeString('failureReason', { nullable: true }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryField('logExport', (t) =>
  t.field({
    type: LogExportRef,
    nullable: true,
    description: "A log export of the caller's tenant; null when there is none (another tenant's id included).",
    args: { exportId: t.arg.string({ required: true, validate: uuid() }) },
    resolve: (_root, { exportId }, ctx) => ctx.loaders.logExportById.load(exportId),
  }),
);

const LogExportFilter = builder.inputType('LogExportFilter', {
  description: 'Every field given narrows the list; time bounds are inclusive.',
  fields: (t) => ({
    status: t.field({ type: ExportStatusEnum }),
    scope: t.field({ type: ExportScopeEnum }),
    runId: t.string({ validate: filterValue(), description: FILTER_RULE }),
    incidentId: t.string({ validate: uuid() }),
    createdAfter: t.field({ type: 'DateTime' }),
    createdBefore: t.field({ type: 'DateTime' }),
  }),
});

const LogExportSortFieldEnum = builder.enumType('LogExportSortField', { values: { CREATED_AT: { value: 'createdAt' } } as const });
const LogExportSort = sortInput('LogExportSort', LogExportSortFieldEnum, 'createdAt');

builder.queryField('logExports', (t) =>
  t.connection(
    {
      type: LogExportRef,
      description: "The caller's log exports, newest first unless sorted otherwise; at most 100 per page.",
      args: { filter: t.arg({ type: LogExportFilter }), sort: t.arg({ type: LogExportSort }) },
      resolve: async (_root, args, ctx) => {
        const page = listPage(args, args.sort, { field: 'createdAt', direction: 'desc' });
        const filter = compact(args.filter ?? {});
        const result = await ctx.stores.logExports.list(ctx.tenantId, filter, page);
        return toConnection(result, page, cursorAt<LogExport>(page.sortKey), () => ctx.stores.logExports.count(ctx.tenantId, filter));
      },
    },
    { name: 'LogExportConnection' },
    { name: 'LogExportEdge' },
  ),
);

const RequestLogExportInput = builder.inputType('RequestLogExportInput', {
  fields: (t) => ({
    scope: t.field({ type: ExportScopeEnum, required: true }),
    format: t.field({ type: ExportFormatEnum, required: true }),
    origin: t.field({ type: ActorTypeEnum, required: true }),
    requestedBy: t.string({ required: true, validate: ident(128), description: IDENT_RULE }),
    runId: t.string({ validate: ident(), description: IDENT_RULE }),
    incidentId: t.string({ validate: uuid(), description: 'An incident of the same tenant.' }),
    correlationId: t.string({ validate: ident(), description: IDENT_RULE }),
  }),
});

builder.mutationField('requestLogExport', (t) =>
  t.field({
    type: LogExportRef,
    description: 'Records a PENDING export request.',
    args: { input: t.arg({ type: RequestLogExportInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.stores.logExports.request(ctx.tenantId, compact(input)),
  }),
);

const CompleteLogExportInput = builder.inputType('CompleteLogExportInput', {
  fields: (t) => ({
    exportId: t.string({ required: true, validate: uuid() }),
    checksum: t.string({
      required: true,
      validate: z
        .string()
        .max(CHECKSUM_MAX, `at most ${CHECKSUM_MAX} characters`)
        .regex(CHECKSUM_PATTERN, 'lower-case hex, optionally prefixed "sha256:"'),
      description: 'Digest of the delivered artifact: lower-case hex, optionally prefixed "sha256:".',
    }),
  }),
});

builder.mutationField('completeLogExport', (t) =>
  t.field({
    type: LogExportRef,
    description:
      'PENDING → COMPLETED with the checksum, delivered now. Repeating it with the same checksum returns the export unchanged; any other change of a final export is a CONFLICT.',
    args: { input: t.arg({ type: CompleteLogExportInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.stores.logExports.complete(ctx.tenantId, input.exportId, input.checksum),
  }),
);

const FailLogExportInput = builder.inputType('FailLogExportInput', {
  fields: (t) => ({
    exportId: t.string({ required: true, validate: uuid() }),
    reason: t.string({ required: true, validate: text(4000).min(1, 'must not be empty'), description: 'Redacted before storage.' }),
  }),
});

builder.mutationField('failLogExport', (t) =>
  t.field({
    type: LogExportRef,
    description:
      'PENDING → FAILED with a reason. Repeating it with the same reason returns the export unchanged; any other change of a final export is a CONFLICT.',
    args: { input: t.arg({ type: FailLogExportInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.stores.logExports.fail(ctx.tenantId, input.exportId, input.reason),
  }),
);
