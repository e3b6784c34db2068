// AuditEntry: one entry of the tenant's hash-chained audit ledger, and the mutation that appends one.
import type { AuditEntityType, AuditEntry, AuditEventType } from '../../stores/audit-ledger.ts';
import { builder, compact } from '../builder.ts';
import { cursorAt, listPage, sortInput, toConnection } from '../pagination.ts';
import { FILTER_RULE, filterValue, ident, IDENT_RULE, name, NAME_RULE, text, uuid } from '../validators.ts';

// GraphQL enum names are SCREAMING_CASE; the stored values keep the reference's PascalCase names.
const auditEventTypes: Record<string, { value: AuditEventType }> = {
  POLICY_RULE_CREATED: { value: 'PolicyRuleCreated' },
  POLICY_RULE_MODIFIED: { value: 'PolicyRuleModified' },
  POLICY_RULE_RETIRED: { value: 'PolicyRuleRetired' },
  POLICY_PROPOSAL_APPROVED: { value: 'PolicyProposalApproved' },
  POLICY_PROPOSAL_REJECTED: { value: 'PolicyProposalRejected' },
  LIMIT_CREATED: { value: 'LimitCreated' },
  LIMIT_UPDATED: { value: 'LimitUpdated' },
  LIMIT_BREACHED: { value: 'LimitBreached' },
  LIMIT_OVERRIDE_GRANTED: { value: 'LimitOverrideGranted' },
  LIMIT_OVERRIDE_REVOKED: { value: 'LimitOverrideRevoked' },
  INCIDENT_ACKNOWLEDGED: { value: 'IncidentAcknowledged' },
  INCIDENT_RESOLVED: { value: 'IncidentResolved' },
  INCIDENT_MANUALLY_CLOSED: { value: 'IncidentManuallyClosed' },
  EMERGENCY_OVERRIDE_ACTIVATED: { value: 'EmergencyOverrideActivated' },
  EMERGENCY_OVERRIDE_DEACTIVATED: { value: 'EmergencyOverrideDeactivated' },
  SIGNAL_ACKNOWLEDGED: { value: 'SignalAcknowledged' },
  SIGNAL_SUPPRESSED: { value: 'SignalSuppressed' },
  SIGNAL_ESCALATED: { value: 'SignalEscalated' },
};

export const AuditEventTypeEnum = builder.enumType('AuditEventType', { values: auditEventTypes });
export const AuditEntityTypeEnum = builder.enumType('AuditEntityType', {
  values: ['POLICY_RULE', 'POLICY_PROPOSAL', 'LIMIT', 'INCIDENT', 'SIGNAL', 'DECISION'] as const satisfies readonly AuditEntityType[],
});
export const ActorTypeEnum = builder.enumType('ActorType', { values: ['HUMAN', 'SYSTEM', 'AGENT'] as const });

export const AuditEntryRef = builder.objectRef<AuditEntry>('AuditEntry');

builder.node(AuditEntryRef, {
  id: { resolve: (entry) => entry.id },
  loadOne: (id, ctx) => ctx.loaders.auditEntryById.load(id),
  fields: (t) => ({
    entryId: t.exposeString('id', { description: 'The entry UUID, as taken by the auditEntry query.' }),
    seq: t.field({ type: 'Int64', description: "Position in the tenant's chain: 1, 2, 3… without gaps.", resolve: (e) => e.seq }),
    eventType: t.expose('eventType', { type: AuditEventTypeEnum }),
    entityType: t.expose('entityType', { type: AuditEntityTypeEnum }),
    entityId: t.exposeString('entityId'),
    actorType: t.expose('actorType', { type: ActorTypeEnum }),
    actorId: t.exposeString('actorId', { nullable: true, description: IDENT_RULE }),
    actionReason: t.exposeString('actionReason', { nullable: true }),
    beforeState: t.expose('beforeState', { type: 'JSON', nullable: true }),
    afterState: t.expose('afterState', { type: 'JSON', nullable: true }),
    correlationId: t.exposeString('correlationId', { nullable: true }),
    idempotencyKey: t.exposeString('idempotencyKey', { nullable: true }),
    prevHash: t.exposeString('prevHash', { description: 'entryHash of the previous entry; 64 zeros for the first.' }),
    entryHash: t.exposeString('entryHash', { description: 'SHA-256 over prevHash and the content of this entry: every stored field except entryId and idempotencyKey.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryField('auditEntry', (t) =>
  t.field({
    type: AuditEntryRef,
    nullable: true,
    description: "An audit entry of the caller's tenant; null when there is none (another tenant's id included).",
    args: { entryId: t.arg.string({ required: true, validate: uuid() }) },
    resolve: (_root, { entryId }, ctx) => ctx.loaders.auditEntryById.load(entryId),
  }),
);

const AuditEntryConnection = builder.connectionObject({ type: AuditEntryRef, name: 'AuditEntryConnection' }, { name: 'AuditEntryEdge' });

const AuditEntryFilter = builder.inputType('AuditEntryFilter', {
  description: 'Every field given narrows the list; time bounds are inclusive.',
  fields: (t) => ({
    eventType: t.field({ type: AuditEventTypeEnum }),
    entityType: t.field({ type: AuditEntityTypeEnum }),
    entityId: t.string({ validate: filterValue(), description: FILTER_RULE }),
    actorType: t.field({ type: ActorTypeEnum }),
    actorId: t.string({ validate: filterValue(), description: FILTER_RULE }),
    correlationId: t.string({ validate: filterValue(), description: FILTER_RULE }),
    createdAfter: t.field({ type: 'DateTime' }),
    createdBefore: t.field({ type: 'DateTime' }),
  }),
});

const AuditEntrySortFieldEnum = builder.enumType('AuditEntrySortField', {
  values: {
    CREATED_AT: { value: 'createdAt', description: 'Entries with the same time are ordered by id.' },
    SEQ: { value: 'seq', description: "Position in the tenant's chain." },
  } as const,
});
const AuditEntrySort = sortInput('AuditEntrySort', AuditEntrySortFieldEnum, 'createdAt');

builder.queryField('auditEntries', (t) =>
  t.connection(
    {
      type: AuditEntryRef,
      description: "The caller's audit ledger, newest first unless sorted otherwise; at most 100 per page.",
      args: { filter: t.arg({ type: AuditEntryFilter }), sort: t.arg({ type: AuditEntrySort }) },
      resolve: async (_root, args, ctx) => {
        const page = listPage(args, args.sort, { field: 'createdAt', direction: 'desc' }, { integerFields: ['seq'] });
        const filter = compact(args.filter ?? {});
        const result = await ctx.stores.auditLedger.list(ctx.tenantId, filter, page);
        return toConnection(result, page, cursorAt<AuditEntry>(page.sortKey), () => ctx.stores.auditLedger.count(ctx.tenantId, filter));
      },
    },
    AuditEntryConnection,
  ),
);

builder.queryField('governanceEvents', (t) =>
  t.connection(
    {
      type: AuditEntryRef,
      description:
        'Audit entries about policy rules, limits, policy proposals and incidents, newest first; at most 100 per page. With runId, only those whose before or after state has run_id or source_run_id equal to it, or whose correlationId is it.',
      args: { runId: t.arg.string({ validate: ident() }) },
      resolve: async (_root, args, ctx) => {
        const page = listPage(args, null, { field: 'createdAt', direction: 'desc' });
        const runId = args.runId ?? undefined;
        const result = await ctx.stores.auditLedger.governanceEvents(ctx.tenantId, runId, page);
        return toConnection(result, page, cursorAt<AuditEntry>('createdAt'), () => ctx.stores.auditLedger.countGovernanceEvents(ctx.tenantId, runId));
      },
    },
    AuditEntryConnection,
  ),
);

const AppendAuditEntryInput = builder.inputType('AppendAuditEntryInput', {
  fields: (t) => ({
    eventType: t.field({ type: AuditEventTypeEnum, required: true }),
    entityType: t.field({ type: AuditEntityTypeEnum, required: true }),
    entityId: t.string({ required: true, validate: ident(), description: IDENT_RULE }),
    actorType: t.field({ type: ActorTypeEnum, required: true }),
    actorId: t.string({ validate: ident(), description: IDENT_RULE }),
    actionReason: t.string({ validate: text(), description: 'Redacted before storage.' }),
    beforeState: t.field({ type: 'JSON', description: 'Redacted before storage.' }),
    afterState: t.field({ type: 'JSON', description: 'Redacted before storage.' }),
    correlationId: t.string({ validate: ident(), description: IDENT_RULE }),
    idempotencyKey: t.string({
      validate: name(128),
      description: `Makes a retry safe: the same key with the same content returns the first entry; different content is a CONFLICT. ${NAME_RULE}`,
    }),
  }),
});

const AuditEntryWritePayload = builder.objectRef<{ entry: AuditEntry; created: boolean }>('AuditEntryWritePayload').implement({
  fields: (t) => ({
    auditEntry: t.field({ type: AuditEntryRef, resolve: (p) => p.entry }),
    created: t.exposeBoolean('created', { description: 'False when an entry with the same idempotencyKey and content already existed.' }),
  }),
});

builder.mutationField('appendAuditEntry', (t) =>
  t.field({
    type: AuditEntryWritePayload,
    description: "Appends an entry to the tenant's audit ledger, chained to the previous entry by hash. Entries are never changed or deleted.",
    args: { input: t.arg({ type: AppendAuditEntryInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.stores.auditLedger.append(ctx.tenantId, compact(input)),
  }),
);
