// PolicyActivation: the append-only history of policy activations per tenant (fixes B6), its
// history query and recordPolicyActivation.
import { z } from 'zod';
import { confidenceBand, isValidApprovalPath } from '../../domain/confidence.ts';
import { MAX_HISTORY, type PolicyActivation } from '../../stores/policy-activations.ts';
import { builder, compact } from '../builder.ts';
import { cursorAt, listPage, sortInput, toConnection } from '../pagination.ts';
import { FILTER_RULE, filterValue, ident, IDENT_RULE, name, NAME_RULE } from '../validators.ts';

export const ConfidenceBandEnum = builder.enumType('ConfidenceBand', {
  description: 'CONFIDENCE_V1 bands: STRONG_MATCH from 0.85, WEAK_MATCH from 0.6, NOVEL below. Only STRONG_MATCH may be applied without human review.',
  values: { STRONG_MATCH: { value: 'strong_match' }, WEAK_MATCH: { value: 'weak_match' }, NOVEL: { value: 'novel' } } as const,
});

export const PolicyActivationRef = builder.objectRef<PolicyActivation>('PolicyActivation');

builder.node(PolicyActivationRef, {
  description: 'One activation of a policy in a tenant. Every activation is a new row; earlier ones are never changed.',
  id: { resolve: (a) => a.id },
  loadOne: (id, ctx) => ctx.loaders.policyActivationById.load(id),
  fields: (t) => ({
    policyId: t.exposeString('policyId'),
    sourcePatternId: t.exposeString('sourcePatternId', { description: 'The failure pattern the policy was derived from.' }),
    sourceRecoveryId: t.exposeString('sourceRecoveryId', { nullable: true }),
    confidenceAtActivation: t.exposeFloat('confidenceAtActivation'),
    confidenceVersion: t.exposeString('confidenceVersion', { description: 'The scoring algorithm the confidence came from, e.g. CONFIDENCE_V1.' }),
    confidenceBand: t.field({ type: ConfidenceBandEnum, resolve: (a) => confidenceBand(a.confidenceAtActivation) }),
    approvalPath: t.exposeString('approvalPath', { description: `auto, threshold or human:<user id>. ${NAME_RULE}` }),
    loopTraceId: t.exposeString('loopTraceId', { nullable: true }),
    idempotencyKey: t.exposeString('idempotencyKey', { nullable: true }),
    activatedAt: t.expose('activatedAt', { type: 'DateTime' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryField('policyActivationHistory', (t) =>
  t.field({
    type: [PolicyActivationRef],
    description: `The ${MAX_HISTORY} newest activations of a policy in the caller's tenant, newest first (empty for an unknown policy or another tenant's).`,
    args: { policyId: t.arg.string({ required: true, validate: ident() }) },
    resolve: (_root, { policyId }, ctx) => ctx.stores.policyActivations.history(ctx.tenantId, policyId, MAX_HISTORY),
  }),
);

const PolicyActivationFilter = builder.inputType('PolicyActivationFilter', {
  description: 'Every field given narrows the list; time bounds are inclusive.',
  fields: (t) => ({
    policyId: t.string({ validate: filterValue(), description: FILTER_RULE }),
    sourcePatternId: t.string({ validate: filterValue(), description: FILTER_RULE }),
    approvalPath: t.string({ validate: filterValue(128), description: `auto, threshold or human:<user id>. ${NAME_RULE}` }),
    activatedAfter: t.field({ type: 'DateTime' }),
    activatedBefore: t.field({ type: 'DateTime' }),
  }),
});

const PolicyActivationSortFieldEnum = builder.enumType('PolicyActivationSortField', {
  values: { ACTIVATED_AT: { value: 'activatedAt' }, CREATED_AT: { value: 'createdAt' } } as const,
});
const PolicyActivationSort = sortInput('PolicyActivationSort', PolicyActivationSortFieldEnum, 'activatedAt');

builder.queryField('policyActivations', (t) =>
  t.connection(
    {
      type: PolicyActivationRef,
      description: "The caller's policy activations, most recently activated first unless sorted otherwise; at most 100 per page.",
      args: { filter: t.arg({ type: PolicyActivationFilter }), sort: t.arg({ type: PolicyActivationSort }) },
      resolve: async (_root, args, ctx) => {
        const page = listPage(args, args.sort, { field: 'activatedAt', direction: 'desc' });
        const filter = compact(args.filter ?? {});
        const result = await ctx.stores.policyActivations.list(ctx.tenantId, filter, page);
        return toConnection(result, page, cursorAt<PolicyActivation>(page.sortKey), () =>
          ctx.stores.policyActivations.count(ctx.tenantId, filter),
        );
      },
    },
    { name: 'PolicyActivationConnection' },
    { name: 'PolicyActivationEdge' },
  ),
);

const RecordPolicyActivationInput = builder.inputType('RecordPolicyActivationInput', {
  fields: (t) => ({
    policyId: t.string({ required: true, validate: ident(), description: IDENT_RULE }),
    sourcePatternId: t.string({ required: true, validate: ident(), description: IDENT_RULE }),
    sourceRecoveryId: t.string({ validate: ident(), description: IDENT_RULE }),
    confidence: t.float({ required: true, validate: z.number().min(0, 'at least 0').max(1, 'at most 1'), description: 'Between 0 and 1 inclusive.' }),
    approvalPath: t.string({
      required: true,
      validate: name(128).refine(isValidApprovalPath, 'must be auto, threshold or human:<user id>'),
      description: `auto, threshold or human:<user id>. ${NAME_RULE}`,
    }),
    loopTraceId: t.string({ validate: ident(), description: IDENT_RULE }),
    activatedAt: t.field({ type: 'DateTime', description: 'Defaults to now.' }),
    idempotencyKey: t.string({
      validate: name(128),
      description: `Unique per tenant: a retry with the same key and content returns the first activation; other content is a CONFLICT. ${NAME_RULE}`,
    }),
  }),
});

const PolicyActivationWritePayload = builder
  .objectRef<{ policyActivation: PolicyActivation; created: boolean }>('PolicyActivationWritePayload')
  .implement({
    fields: (t) => ({
      policyActivation: t.field({ type: PolicyActivationRef, resolve: (p) => p.policyActivation }),
      created: t.exposeBoolean('created', { description: 'False when an activation with this idempotencyKey and content already existed.' }),
    }),
  });

builder.mutationField('recordPolicyActivation', (t) =>
  t.field({
    type: PolicyActivationWritePayload,
    description: "Appends an activation to the policy's history in the caller's tenant. The confidence version is stamped by the server.",
    args: { input: t.arg({ type: RecordPolicyActivationInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.stores.policyActivations.record(ctx.tenantId, compact(input)),
  }),
);
