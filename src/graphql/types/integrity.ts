// Integrity checks for auditors: the audit ledger's hash chain and a trace's root hash.
import type { LedgerBreak, LedgerVerification, TraceVerification } from '../../stores/integrity.ts';
import { builder } from '../builder.ts';
import { ident } from '../validators.ts';
import { TraceStatusEnum } from './trace.ts';

const LedgerBreakReason = builder.enumType('LedgerBreakReason', { values: ['HASH_MISMATCH', 'CHAIN_BROKEN', 'SEQ_GAP'] as const });

const LedgerBreakRef = builder.objectRef<LedgerBreak>('LedgerBreak').implement({
  description: 'The first entry where the chain does not hold.',
  fields: (t) => ({
    seq: t.field({ type: 'Int64', resolve: (b) => b.seq }),
    entryId: t.exposeString('entryId'),
    reason: t.expose('reason', { type: LedgerBreakReason }),
    expected: t.exposeString('expected'),
    actual: t.exposeString('actual'),
  }),
});

const LedgerVerificationRef = builder.objectRef<LedgerVerification>('LedgerVerification').implement({
  fields: (t) => ({
    valid: t.exposeBoolean('valid'),
    checkedCount: t.exposeInt('checkedCount'),
    firstSeq: t.field({ type: 'Int64', nullable: true, resolve: (v) => v.firstSeq }),
    lastSeq: t.field({ type: 'Int64', nullable: true, resolve: (v) => v.lastSeq }),
    headHash: t.exposeString('headHash', { nullable: true, description: 'entry_hash of the last entry checked.' }),
    firstBreak: t.field({ type: LedgerBreakRef, nullable: true, resolve: (v) => v.firstBreak }),
  }),
});

builder.queryField('verifyAuditLedger', (t) =>
  t.field({
    type: LedgerVerificationRef,
    description:
      "Walks the caller's audit-ledger hash chain (entries created in [from, to], both optional and inclusive) and reports the first broken link: an edited entry, a removed one, or a re-linked chain.",
    args: { from: t.arg({ type: 'DateTime' }), to: t.arg({ type: 'DateTime' }) },
    resolve: (_root, args, ctx) => ctx.stores.integrity.verifyAuditLedger(ctx.tenantId, { from: args.from ?? undefined, to: args.to ?? undefined }),
  }),
);

const TraceVerificationReason = builder.enumType('TraceVerificationReason', { values: ['OK', 'NOT_FINAL', 'ROOT_HASH_MISMATCH'] as const });

const TraceVerificationRef = builder.objectRef<TraceVerification>('TraceVerification').implement({
  fields: (t) => ({
    traceId: t.exposeString('traceId'),
    status: t.expose('status', { type: TraceStatusEnum }),
    valid: t.exposeBoolean('valid', { description: 'The trace is final and its stored root hash equals the one recomputed from its steps.' }),
    reason: t.expose('reason', { type: TraceVerificationReason }),
    storedRootHash: t.exposeString('storedRootHash', { nullable: true }),
    computedRootHash: t.exposeString('computedRootHash'),
    stepCount: t.exposeInt('stepCount'),
  }),
});

builder.queryField('verifyTrace', (t) =>
  t.field({
    type: TraceVerificationRef,
    nullable: true,
    description: 'Recomputes the root hash of a trace from its stored steps (reference SDK algorithm); null for an unknown trace.',
    args: { traceId: t.arg.string({ required: true, validate: ident() }) },
    resolve: (_root, { traceId }, ctx) => ctx.stores.integrity.verifyTrace(ctx.tenantId, traceId),
  }),
);
