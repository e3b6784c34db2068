// Policy activation history. The reference upserted on a global policy_id, so one tenant's
// activation overwrote another's row and each activation erased the previous one (B6). Here the
// table is append-only: every activation is a new row of its tenant, and history is read per
// (tenant, policy).
import { sql, raw, type Sql } from '../db/sql.ts';
import { CONFIDENCE_VERSION, isValidApprovalPath } from '../domain/confidence.ts';
import { badInput, conflict } from '../errors.ts';
import type { Db } from '../db/client.ts';
import { oneByKey } from './batch.ts';
import { differingFields } from './idempotency.ts';
import { andWhere, selectList } from './driver-sql.ts';
import { isUuid } from './ids.ts';
import { type Page, type PageResult, selectPage, countWhere } from './keyset.ts';

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
const matching = (tenantId: string, f: PolicyActivationFilter): Sql =>
  andWhere(
    [sql`p.tenant_id = ${tenantId}`],
    [
      ['p.policy_id', f.policyId],
      ['p.source_pattern_id', f.sourcePatternId],
      ['p.approval_path', f.approvalPath],
    ],
    [
      ['p.activated_at', '>=', f.activatedAfter],
      ['p.activated_at', '<=', f.activatedBefore],
    ],
  );

/** Every column under its domain name (alias `p`). */
const SELECT = selectList(
  [
    ['id', 'id'],
    ['tenant_id', 'tenantId'],
    ['policy_id', 'policyId'],
    ['source_pattern_id', 'sourcePatternId'],
    ['source_recovery_id', 'sourceRecoveryId'],
    ['confidence_at_activation', 'confidenceAtActivation'],
    ['confidence_version', 'confidenceVersion'],
    ['approval_path', 'approvalPath'],
    ['loop_trace_id', 'loopTraceId'],
    ['idempotency_key', 'idempotencyKey'],
    ['activated_at', 'activatedAt'],
    ['created_at', 'createdAt'],
  ],
  'p',
);
const SORT_COLUMNS: Record<PolicyActivationSortKey, string> = { activatedAt: 'p.activated_at', createdAt: 'p.created_at' };

export type PolicyActivationWriteResult = { policyActivation: PolicyActivation; created: boolean };

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
  const select = async (query: Sql) => db.query<PolicyActivation>(query.text, query.values);
  return {
    /**
     * Appends one activation. With an idempotencyKey (unique per tenant): the same content again →
     * the stored row, created: false; other content → CONFLICT. A retry that leaves activatedAt to
     * the server clock is not compared on it, since the clock moved between the attempts.
     */
    async record(tenantId: string, input: RecordPolicyActivationInput): Promise<PolicyActivationWriteResult> {
      const content = prepare(input);
      const idempotencyKey = input.idempotencyKey ?? null;
      // Insert-or-nothing on the unique (tenant_id, idempotency_key): two concurrent writers cannot both create a row.
      const [inserted] = await select(sql`
        INSERT INTO policy_activation_audit AS p (tenant_id, policy_id, source_pattern_id, source_recovery_id, confidence_at_activation,
          confidence_version, approval_path, loop_trace_id, idempotency_key, activated_at)
        VALUES (${tenantId}, ${content.policyId}, ${content.sourcePatternId}, ${content.sourceRecoveryId}, ${content.confidenceAtActivation}::float8,
          ${content.confidenceVersion}, ${content.approvalPath}, ${content.loopTraceId}, ${idempotencyKey}, ${content.activatedAt}::timestamptz)
        ON CONFLICT DO NOTHING
        RETURNING ${raw(SELECT)}`);
      if (inserted) return { policyActivation: inserted, created: true };
      // Without a key nothing can conflict, so only a keyed insert gets here.
      const [existing] = await select(sql`SELECT ${raw(SELECT)} FROM policy_activation_audit p WHERE p.tenant_id = ${tenantId} AND p.idempotency_key = ${idempotencyKey}`);
      if (!existing) throw new Error(`policy activation with idempotency key ${idempotencyKey} was neither inserted nor found`);
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
      return select(sql`SELECT ${raw(SELECT)} FROM policy_activation_audit p WHERE p.tenant_id = ${tenantId} AND p.policy_id = ${policyId}
        ORDER BY p.activated_at DESC, p.id DESC LIMIT ${Math.min(Math.max(limit, 1), MAX_HISTORY)}`);
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
      const where = matching(tenantId, filter);
      return selectPage(db, { select: SELECT, from: 'policy_activation_audit p', where, column: SORT_COLUMNS[page.sortKey], id: 'p.id', map: (row: PolicyActivation) => row }, page);
    },

    count: (tenantId: string, filter: PolicyActivationFilter): Promise<number> => countWhere(db, 'policy_activation_audit p', matching(tenantId, filter)),

    /** For the policyActivationById loader: one query, results in key order, null for a miss. */
    async byIds(tenantId: string, ids: readonly string[]): Promise<(PolicyActivation | null)[]> {
      const valid = ids.filter(isUuid);
      const rows = valid.length ? await select(sql`SELECT ${raw(SELECT)} FROM policy_activation_audit p WHERE p.tenant_id = ${tenantId} AND p.id = ANY(${valid}::uuid[])`) : [];
      return oneByKey(ids, rows, (r) => r.id);
    },
  };
}

export type PolicyActivationStore = ReturnType<typeof createPolicyActivationStore>;
