// Policy activation history. The reference upserted on a global policy_id, so one tenant's
// activation overwrote another's row and each activation erased the previous one (B6). Here the
// table is append-only: every activation is a new row of its tenant, and history is read per
// (tenant, policy).
import type { Prisma } from '../generated/prisma/client.ts';
import { CONFIDENCE_VERSION, isValidApprovalPath } from '../domain/confidence.ts';
import { badInput, conflict } from '../errors.ts';
import type { Db } from '../db/client.ts';
import { oneByKey } from './batch.ts';
import { differingFields } from './idempotency.ts';
import { isUuid } from './ids.ts';
import { finishPage, keysetQuery, parseDate, type Page, type PageResult } from './keyset.ts';

/** Most rows `history` returns. */
export const MAX_HISTORY = 100;

export interface PolicyActivation {
  id: string;
  tenantId: string;
  policyId: string;
  sourcePatternId: string;
  sourceRecoveryId: string | null;
  confidenceAtActivation: number;
  confidenceVersion: string;
  approvalPath: string;
  loopTraceId: string | null;
  idempotencyKey: string | null;
  activatedAt: Date;
  createdAt: Date;
}

export interface RecordPolicyActivationInput {
  policyId: string;
  sourcePatternId: string;
  sourceRecoveryId?: string | undefined;
  confidence: number;
  /** auto | threshold | human:<user id> */
  approvalPath: string;
  loopTraceId?: string | undefined;
  /** Defaults to now. */
  activatedAt?: Date | undefined;
  idempotencyKey?: string | undefined;
}

/** Every field narrows the list; time bounds are inclusive. */
export interface PolicyActivationFilter {
  policyId?: string | undefined;
  sourcePatternId?: string | undefined;
  approvalPath?: string | undefined;
  activatedAfter?: Date | undefined;
  activatedBefore?: Date | undefined;
}

export type PolicyActivationSortKey = 'activatedAt' | 'createdAt';

/** One predicate for a page and its count, so totalCount always matches the list (B7). */
const matching = (tenantId: string, f: PolicyActivationFilter): Prisma.PolicyActivationWhereInput => ({
  tenantId,
  policyId: f.policyId,
  sourcePatternId: f.sourcePatternId,
  approvalPath: f.approvalPath,
  activatedAt: { gte: f.activatedAfter, lte: f.activatedBefore },
});

export type PolicyActivationWriteResult = { policyActivation: PolicyActivation; created: boolean };

type Row = Prisma.PolicyActivationGetPayload<object>;
type Content = Omit<PolicyActivation, 'id' | 'tenantId' | 'idempotencyKey' | 'createdAt'>;

function prepare(input: RecordPolicyActivationInput): Content {
  // The reference stored any float unchecked (§2.10); the table's CHECK backs this up.
  if (!Number.isFinite(input.confidence) || input.confidence < 0 || input.confidence > 1) {
    throw badInput('confidence must be between 0 and 1', 'input.confidence');
  }
  if (!isValidApprovalPath(input.approvalPath)) {
    throw badInput('approvalPath must be auto, threshold or human:<user id>', 'input.approvalPath');
  }
  return {
    policyId: input.policyId,
    sourcePatternId: input.sourcePatternId,
    sourceRecoveryId: input.sourceRecoveryId ?? null,
    confidenceAtActivation: input.confidence,
    confidenceVersion: CONFIDENCE_VERSION,
    approvalPath: input.approvalPath,
    loopTraceId: input.loopTraceId ?? null,
    activatedAt: input.activatedAt ?? new Date(),
  };
}

export function createPolicyActivationStore(db: Db) {
  const prisma = db.prisma;
  return {
    /**
     * Appends one activation. With an idempotencyKey (unique per tenant): the same content again →
     * the stored row, created: false; other content → CONFLICT. A retry that leaves activatedAt to
     * the server clock is not compared on it, since the clock moved between the attempts.
     */
    async record(tenantId: string, input: RecordPolicyActivationInput): Promise<PolicyActivationWriteResult> {
      const content = prepare(input);
      const idempotencyKey = input.idempotencyKey ?? null;
      const [inserted] = await prisma.policyActivation.createManyAndReturn({
        data: [{ tenantId, ...content, idempotencyKey }],
        skipDuplicates: true,
      });
      if (inserted) return { policyActivation: toPolicyActivation(inserted), created: true };
      const existing = toPolicyActivation(await prisma.policyActivation.findFirstOrThrow({ where: { tenantId, idempotencyKey } }));
      // Only what the client sent is compared: confidenceVersion is the server's stamp.
      const { activatedAt, confidenceVersion: _version, ...sent } = content;
      const fields = differingFields(existing, input.activatedAt ? { ...sent, activatedAt } : sent, {
        confidenceAtActivation: 'confidence',
      });
      if (fields.length) {
        throw conflict(`idempotency key ${idempotencyKey} was already used for a policy activation with different ${fields.join(', ')}`, {
          idempotencyKey,
          fields,
        });
      }
      return { policyActivation: existing, created: false };
    },

    /**
     * Activations of one policy in the tenant, newest first; equal activatedAt values are ordered
     * by id so pages are deterministic. Index (tenant_id, policy_id, activated_at DESC).
     */
    async history(tenantId: string, policyId: string, limit = MAX_HISTORY): Promise<PolicyActivation[]> {
      const rows = await prisma.policyActivation.findMany({
        where: { tenantId, policyId },
        orderBy: [{ activatedAt: 'desc' }, { id: 'desc' }],
        take: Math.min(Math.max(limit, 1), MAX_HISTORY),
      });
      return rows.map(toPolicyActivation);
    },

    /**
     * One keyset page over (activatedAt | createdAt, id). Indexes (tenant_id, activated_at DESC,
     * id DESC) and (tenant_id, policy_id, activated_at DESC).
     */
    async list(
      tenantId: string,
      filter: PolicyActivationFilter,
      page: Page & { sortKey: PolicyActivationSortKey },
    ): Promise<PageResult<PolicyActivation>> {
      const k = keysetQuery(page, page.sortKey, parseDate);
      const rows = await prisma.policyActivation.findMany({ where: { AND: [matching(tenantId, filter), k.where] }, orderBy: k.orderBy, take: k.take });
      return finishPage(rows.map(toPolicyActivation), page);
    },

    count: (tenantId: string, filter: PolicyActivationFilter): Promise<number> =>
      prisma.policyActivation.count({ where: matching(tenantId, filter) }),

    /** For the policyActivationById loader: one query, results in key order, null for a miss. */
    async byIds(tenantId: string, ids: readonly string[]): Promise<(PolicyActivation | null)[]> {
      const valid = ids.filter(isUuid);
      const rows = valid.length ? await prisma.policyActivation.findMany({ where: { tenantId, id: { in: valid } } }) : [];
      return oneByKey(ids, rows.map(toPolicyActivation), (r) => r.id);
    },
  };
}

export type PolicyActivationStore = ReturnType<typeof createPolicyActivationStore>;

function toPolicyActivation(row: Row): PolicyActivation {
  return row;
}
