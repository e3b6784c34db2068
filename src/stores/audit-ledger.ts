// The audit ledger: append-only (a trigger rejects UPDATE, DELETE and TRUNCATE) and hash-chained
// per tenant (D7). Each entry stores seq (1, 2, 3… per tenant, no gaps), the previous entry's hash
// and its own hash over its content (every column but id and idempotency_key), so editing or
// removing any row breaks the chain from there on.
import { sql, join, raw, empty, type Sql } from '../db/sql.ts';
import { canonicalJson } from '../domain/canonical-json.ts';
import { LEDGER_GENESIS_HASH, ledgerEntryHash } from '../domain/hashes.ts';
import { redactJson, redactText } from '../domain/redact.ts';
import { conflict } from '../errors.ts';
import type { Db, SqlSession } from '../db/client.ts';
import { oneByKey } from './batch.ts';
import { uuidKeys } from './ids.ts';
import { andWhere, selectList } from './driver-sql.ts';
import { finishPage, keysetSql, parseDate, type Page, type PageResult, selectPage, countWhere } from './keyset.ts';

export const AUDIT_EVENT_TYPES = [
  'PolicyRuleCreated',
  'PolicyRuleModified',
  'PolicyRuleRetired',
  'PolicyProposalApproved',
  'PolicyProposalRejected',
  'LimitCreated',
  'LimitUpdated',
  'LimitBreached',
  'LimitOverrideGranted',
  'LimitOverrideRevoked',
  'IncidentAcknowledged',
  'IncidentResolved',
  'IncidentManuallyClosed',
  'EmergencyOverrideActivated',
  'EmergencyOverrideDeactivated',
  'SignalAcknowledged',
  'SignalSuppressed',
  'SignalEscalated',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];
export type AuditEntityType = 'POLICY_RULE' | 'POLICY_PROPOSAL' | 'LIMIT' | 'INCIDENT' | 'SIGNAL' | 'DECISION';
export type ActorType = 'HUMAN' | 'SYSTEM' | 'AGENT';

export interface AuditEntry {
  id: string;
  tenantId: string;
  seq: bigint;
  eventType: AuditEventType;
  entityType: AuditEntityType;
  entityId: string;
  actorType: ActorType;
  actorId: string | null;
  actionReason: string | null;
  beforeState: unknown;
  afterState: unknown;
  /** Modelled and returned (B9: the reference's ORM dropped it, so it always read as null). */
  correlationId: string | null;
  idempotencyKey: string | null;
  prevHash: string;
  entryHash: string;
  createdAt: Date;
}

export interface AuditEntryInput {
  eventType: AuditEventType;
  entityType: AuditEntityType;
  entityId: string;
  actorType: ActorType;
  actorId?: string | undefined;
  actionReason?: string | undefined;
  beforeState?: unknown;
  afterState?: unknown;
  correlationId?: string | undefined;
  /** A retry with the same key and content returns the first entry; other content is a CONFLICT. */
  idempotencyKey?: string | undefined;
}

/** Every field narrows the list; time bounds are inclusive, as in the reference. */
export interface AuditEntryFilter {
  eventType?: AuditEventType | undefined;
  entityType?: AuditEntityType | undefined;
  entityId?: string | undefined;
  actorType?: ActorType | undefined;
  actorId?: string | undefined;
  correlationId?: string | undefined;
  createdAfter?: Date | undefined;
  createdBefore?: Date | undefined;
}

export type AuditEntrySortKey = 'createdAt' | 'seq';

/** The entity types whose entries are governance events (reference get_governance_events). */
export const GOVERNANCE_ENTITY_TYPES = ['POLICY_RULE', 'LIMIT', 'POLICY_PROPOSAL', 'INCIDENT'] as const satisfies readonly AuditEntityType[];

export type AuditAppendResult = { entry: AuditEntry; created: boolean };

/** The entry exactly as it will be stored and hashed: redacted, absent values as null. */
function prepare(input: AuditEntryInput) {
  return {
    eventType: input.eventType,
    entityType: input.entityType,
    entityId: input.entityId,
    actorType: input.actorType,
    actorId: input.actorId ?? null,
    actionReason: input.actionReason === undefined ? null : redactText(input.actionReason),
    beforeState: input.beforeState === undefined || input.beforeState === null ? null : redactJson(input.beforeState),
    afterState: input.afterState === undefined || input.afterState === null ? null : redactJson(input.afterState),
    correlationId: input.correlationId ?? null,
  };
}
type PreparedEntry = ReturnType<typeof prepare>;

const sameContent = (row: AuditEntry, entry: PreparedEntry) =>
  (Object.keys(entry) as (keyof PreparedEntry)[]).every((k) => canonicalJson(row[k]) === canonicalJson(entry[k]));

/** One predicate for a page and its count, so totalCount always matches the list (B7). */
export const auditMatching = (tenantId: string, f: AuditEntryFilter): Sql =>
  andWhere(
    [sql`a.tenant_id = ${tenantId}`],
    [
      ['a.event_type', f.eventType, 'AuditEventType'],
      ['a.entity_type', f.entityType, 'AuditEntityType'],
      ['a.entity_id', f.entityId],
      ['a.actor_type', f.actorType, 'ActorType'],
      ['a.actor_id', f.actorId],
      ['a.correlation_id', f.correlationId],
    ],
    [
      ['a.created_at', '>=', f.createdAfter],
      ['a.created_at', '<=', f.createdBefore],
    ],
  );

/** Every column under its domain name (alias `a`; seq as text: the driver returns int8 as text). */
export const AUDIT_COLUMNS = [
  ['id', 'id'],
  ['tenant_id', 'tenantId'],
  ['seq', 'seq'],
  ['event_type::text', 'eventType'],
  ['entity_type::text', 'entityType'],
  ['entity_id', 'entityId'],
  ['actor_type::text', 'actorType'],
  ['actor_id', 'actorId'],
  ['action_reason', 'actionReason'],
  ['before_state', 'beforeState'],
  ['after_state', 'afterState'],
  ['correlation_id', 'correlationId'],
  ['idempotency_key', 'idempotencyKey'],
  ['prev_hash', 'prevHash'],
  ['entry_hash', 'entryHash'],
  ['created_at', 'createdAt'],
] as const;
export const AUDIT_SELECT = selectList(AUDIT_COLUMNS, 'a');
export const AUDIT_SORT_COLUMNS: Record<AuditEntrySortKey, string> = { createdAt: 'a.created_at', seq: 'a.seq' };
/** An audit_ledger row selected with AUDIT_SELECT → AuditEntry. */
export const auditEntryFromDriverRow = (row: AuditDriverRow): AuditEntry => Object.assign(row, { seq: BigInt(row.seq) });
export type AuditDriverRow = Omit<AuditEntry, 'seq'> & { seq: string | bigint };

/**
 * Governance entries of a tenant, optionally those of one run, as SQL. The run is matched in the
 * database, before any LIMIT (B11: the reference took the 100 newest entries and filtered them in
 * memory, losing older matches). ->> compares the text of the value, as the reference compared
 * str(value).
 */
function governanceWhere(tenantId: string, runId: string | undefined): Sql {
  const types = join(GOVERNANCE_ENTITY_TYPES.map((t) => sql`${t}::"AuditEntityType"`));
  const run =
    runId === undefined
      ? empty
      : sql`AND (before_state->>'run_id' = ${runId} OR before_state->>'source_run_id' = ${runId}
          OR after_state->>'run_id' = ${runId} OR after_state->>'source_run_id' = ${runId} OR correlation_id = ${runId})`;
  return sql`tenant_id = ${tenantId} AND entity_type IN (${types}) ${run}`;
}

/** A JSON value as a jsonb parameter: SQL NULL for null (the column has no JSON null). */
const jsonb = (value: unknown) => (value === null ? null : JSON.stringify(value));

export function createAuditLedgerStore(db: Db) {
  /**
   * Appends inside the caller's transaction, so an entry commits or rolls back with the change it
   * records. The per-tenant advisory lock serialises appends (seq and prev_hash read the tail),
   * and is held until that transaction ends.
   */
  async function appendInTx(tx: SqlSession, tenantId: string, input: AuditEntryInput): Promise<AuditAppendResult> {
    const entry = prepare(input);
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('audit_ledger:' || $1::text, 0))`, [tenantId]);
    if (input.idempotencyKey !== undefined) {
      const [existing] = await tx.query<AuditDriverRow>(
        `SELECT ${AUDIT_SELECT} FROM audit_ledger a WHERE a.tenant_id = $1 AND a.idempotency_key = $2 LIMIT 1`,
        [tenantId, input.idempotencyKey],
      );
      if (existing) {
        const stored = auditEntryFromDriverRow(existing);
        if (sameContent(stored, entry)) return { entry: stored, created: false };
        throw conflict(`audit entry with idempotencyKey ${input.idempotencyKey} already exists with different content`, {
          entryId: stored.id,
        });
      }
    }
    // Ordered by the qualified column: a bare `seq` would name the text alias, and '9' > '10'.
    const [last] = await tx.query<{ seq: string; entry_hash: string }>(
      `SELECT a.seq::text AS seq, a.entry_hash FROM audit_ledger a WHERE a.tenant_id = $1 ORDER BY a.seq DESC LIMIT 1`,
      [tenantId],
    );
    const seq = (last ? BigInt(last.seq) : 0n) + 1n;
    const prevHash = last?.entry_hash ?? LEDGER_GENESIS_HASH;
    // Set here rather than by the column default so the hashed instant is the stored one
    // (a JS Date has millisecond precision, as does the timestamptz(3) column).
    const createdAt = new Date();
    const entryHash = ledgerEntryHash(prevHash, { tenantId, seq, ...entry, createdAt });
    const insert = sql`
      INSERT INTO audit_ledger AS a (tenant_id, seq, event_type, entity_type, entity_id, actor_type, actor_id, action_reason,
        before_state, after_state, correlation_id, idempotency_key, prev_hash, entry_hash, created_at)
      VALUES (${tenantId}, ${seq.toString()}::bigint, ${entry.eventType}::"AuditEventType", ${entry.entityType}::"AuditEntityType",
        ${entry.entityId}, ${entry.actorType}::"ActorType", ${entry.actorId}, ${entry.actionReason},
        ${jsonb(entry.beforeState)}::jsonb, ${jsonb(entry.afterState)}::jsonb, ${entry.correlationId}, ${input.idempotencyKey ?? null},
        ${prevHash}, ${entryHash}, ${createdAt}::timestamptz)
      RETURNING ${raw(AUDIT_SELECT)}`;
    const [row] = await tx.query<AuditDriverRow>(insert.text, insert.values);
    return { entry: auditEntryFromDriverRow(row!), created: true };
  }

  return {
    append: (tenantId: string, input: AuditEntryInput): Promise<AuditAppendResult> =>
      db.transaction((tx) => appendInTx(tx, tenantId, input)),

    appendInTx,

    /** For the auditEntryById loader: results in key order, null for a miss or a non-UUID key. */
    async byIds(tenantId: string, ids: readonly string[]): Promise<(AuditEntry | null)[]> {
      const { lookup, keys } = uuidKeys(ids);
      const rows = lookup.length
        ? await db.query<AuditDriverRow>(`SELECT ${AUDIT_SELECT} FROM audit_ledger a WHERE a.tenant_id = $1 AND a.id = ANY($2::uuid[])`, [tenantId, lookup])
        : [];
      return oneByKey(keys, rows.map(auditEntryFromDriverRow), (e) => e.id);
    },

    /**
     * One keyset page over (createdAt | seq, id); the id tie-break keeps entries with equal
     * created_at from being skipped or repeated (B26). Indexes (tenant_id, created_at DESC, id DESC),
     * (tenant_id, actor_id, created_at DESC, id DESC) for one actor, and the unique (tenant_id, seq).
     * Through the driver, as the other hot lists.
     */
    async list(tenantId: string, filter: AuditEntryFilter, page: Page & { sortKey: AuditEntrySortKey }): Promise<PageResult<AuditEntry>> {
      return selectPage(
        db,
        {
          select: AUDIT_SELECT,
          from: 'audit_ledger a',
          where: auditMatching(tenantId, filter),
          column: AUDIT_SORT_COLUMNS[page.sortKey],
          id: 'a.id',
          parse: page.sortKey === 'seq' ? (v: string | number) => String(v) : undefined,
          map: auditEntryFromDriverRow,
        },
        page,
      );
    },

    count: (tenantId: string, filter: AuditEntryFilter): Promise<number> => countWhere(db, 'audit_ledger a', auditMatching(tenantId, filter)),

    /**
     * Governance events (entries about policy rules, limits, proposals and incidents), optionally
     * only those of one run, newest first: one keyset page over (created_at, id), in one statement.
     */
    async governanceEvents(tenantId: string, runId: string | undefined, page: Page): Promise<PageResult<AuditEntry>> {
      const k = keysetSql(page, 'a.created_at', parseDate, 'a.id');
      const query = sql`SELECT ${raw(AUDIT_SELECT)} FROM audit_ledger a
        WHERE ${governanceWhere(tenantId, runId)} AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`;
      const rows = await db.query<AuditDriverRow>(query.text, query.values);
      return finishPage(rows.map(auditEntryFromDriverRow), page);
    },

    async countGovernanceEvents(tenantId: string, runId: string | undefined): Promise<number> {
      const where = governanceWhere(tenantId, runId);
      const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_ledger WHERE ${where.text}`, where.values);
      return row?.n ?? 0;
    },

    /** The tenant's whole chain by seq (unique index tenant_id, seq), for verification. */
    async chain(tenantId: string): Promise<AuditEntry[]> {
      const rows = await db.query<AuditDriverRow>(`SELECT ${AUDIT_SELECT} FROM audit_ledger a WHERE a.tenant_id = $1 ORDER BY a.seq`, [tenantId]);
      return rows.map(auditEntryFromDriverRow);
    },
  };
}

export type AuditLedgerStore = ReturnType<typeof createAuditLedgerStore>;
