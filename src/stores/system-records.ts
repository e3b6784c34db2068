// System records: immutable system-level events. A tenant writes rows of its own tenant only;
// global rows (tenant_id NULL, visible to every tenant) are written by operators through
// recordGlobal, never through a tenant's credentials. Summary and details are redacted before
// storage (B16), so an idempotent replay compares redacted content with redacted content.
import { sql, raw, empty, type Sql } from '../db/sql.ts';
import { redactJson, redactText } from '../domain/redact.ts';
import { badInput, conflict, notFound } from '../errors.ts';
import type { Db } from '../db/client.ts';
import { oneByKey } from './batch.ts';
import { differingFields } from './idempotency.ts';
import { isUuid } from './ids.ts';
import { andWhere, selectList } from './driver-sql.ts';
import { type Page, type PageResult, selectPage, countWhere } from './keyset.ts';

export type SystemComponent = 'worker' | 'api' | 'scheduler' | 'db' | 'auth' | 'migration';
export type SystemEventType =
  | 'STARTUP'
  | 'SHUTDOWN'
  | 'RESTART'
  | 'DEPLOY'
  | 'MIGRATION'
  | 'AUTH_CHANGE'
  | 'CONFIG_CHANGE'
  | 'ERROR'
  | 'HEALTH_CHECK';
export type SystemSeverity = 'INFO' | 'WARN' | 'CRITICAL';
export type CausedBy = 'SYSTEM' | 'HUMAN' | 'AUTOMATION';

/** Longest summary accepted, before redaction. */
export const MAX_SUMMARY_LENGTH = 2000;

export interface SystemRecord {
  id: string;
  /** null: a global event every tenant can read. */
  tenantId: string | null;
  component: SystemComponent;
  eventType: SystemEventType;
  severity: SystemSeverity;
  summary: string;
  details: unknown;
  causedBy: CausedBy | null;
  correlationId: string | null;
  idempotencyKey: string | null;
  createdAt: Date;
}

export interface RecordSystemEventInput {
  component: SystemComponent;
  eventType: SystemEventType;
  severity: SystemSeverity;
  summary: string;
  details?: Record<string, unknown> | undefined;
  causedBy?: CausedBy | undefined;
  correlationId?: string | undefined;
  idempotencyKey?: string | undefined;
}

/** Which rows a tenant reads: its own and the global ones (the reference's rule), or one side only. */
export type SystemRecordScope = 'ALL' | 'TENANT_ONLY' | 'GLOBAL_ONLY';

/** Every field narrows the list; time bounds are inclusive, as in the reference. */
export interface SystemRecordFilter {
  component?: SystemComponent | undefined;
  eventType?: SystemEventType | undefined;
  severity?: SystemSeverity | undefined;
  correlationId?: string | undefined;
  createdAfter?: Date | undefined;
  createdBefore?: Date | undefined;
  scope?: SystemRecordScope | undefined;
}

export type SystemRecordSortKey = 'createdAt';

export type SystemRecordWriteResult = { systemRecord: SystemRecord; created: boolean };

/** Which rows a tenant sees, as SQL over `r`. */
const visibleSql = (tenantId: string, scope: SystemRecordScope = 'ALL'): Sql =>
  scope === 'TENANT_ONLY'
    ? sql`r.tenant_id = ${tenantId}`
    : scope === 'GLOBAL_ONLY'
      ? sql`r.tenant_id IS NULL /* cross-tenant: global records belong to no tenant */`
      : sql`(r.tenant_id = ${tenantId} OR r.tenant_id IS NULL)`;

/** One predicate for a page and its count, so totalCount always matches the list (B7). */
const matching = (tenantId: string, f: SystemRecordFilter): Sql =>
  andWhere(
    [visibleSql(tenantId, f.scope)],
    [
      ['r.component', f.component, 'SystemComponent'],
      ['r.event_type', f.eventType, 'SystemEventType'],
      ['r.severity', f.severity, 'SystemSeverity'],
      ['r.correlation_id', f.correlationId],
    ],
    [
      ['r.created_at', '>=', f.createdAfter],
      ['r.created_at', '<=', f.createdBefore],
    ],
  );

/** Every column under its domain name. */
const SELECT = selectList(
  [
    ['id', 'id'],
    ['tenant_id', 'tenantId'],
    ['component::text', 'component'],
    ['event_type::text', 'eventType'],
    ['severity::text', 'severity'],
    ['summary', 'summary'],
    ['details', 'details'],
    ['caused_by::text', 'causedBy'],
    ['correlation_id', 'correlationId'],
    ['idempotency_key', 'idempotencyKey'],
    ['created_at', 'createdAt'],
  ],
  'r',
);

type Content = Pick<SystemRecord, 'component' | 'eventType' | 'severity' | 'summary' | 'details' | 'causedBy' | 'correlationId'>;

function prepare(input: RecordSystemEventInput): Content {
  if (input.summary.trim() === '') throw badInput('summary must not be empty', 'input.summary');
  if (input.summary.length > MAX_SUMMARY_LENGTH) throw badInput(`summary has at most ${MAX_SUMMARY_LENGTH} characters`, 'input.summary');
  return {
    component: input.component,
    eventType: input.eventType,
    severity: input.severity,
    summary: redactText(input.summary),
    details: input.details == null ? null : redactJson(input.details),
    causedBy: input.causedBy ?? null,
    correlationId: input.correlationId ?? null,
  };
}

/**
 * Inserts one record (RETURNING it under its domain names); `onConflict` decides what a taken
 * idempotency key does. Details are bound as JSON text: the driver would send an array as a
 * Postgres array.
 */
function insert(tenantId: string | null, c: Content, idempotencyKey: string | null, onConflict: Sql = empty): Sql {
  return sql`
    INSERT INTO system_records AS r (tenant_id, component, event_type, severity, summary, details, caused_by, correlation_id, idempotency_key)
    VALUES (${tenantId}, ${c.component}::"SystemComponent", ${c.eventType}::"SystemEventType", ${c.severity}::"SystemSeverity", ${c.summary},
      ${c.details === null ? null : JSON.stringify(c.details)}::jsonb, ${c.causedBy}::"CausedBy", ${c.correlationId}, ${idempotencyKey})
    ${onConflict}
    RETURNING ${raw(SELECT)}`;
}

export function createSystemRecordStore(db: Db) {
  function replayOf(existing: SystemRecord, content: Content): SystemRecordWriteResult {
    const fields = differingFields(existing, content);
    if (fields.length) {
      throw conflict(`idempotency key ${existing.idempotencyKey} was already used for a system record with different ${fields.join(', ')}`, {
        idempotencyKey: existing.idempotencyKey,
        fields,
      });
    }
    return { systemRecord: existing, created: false };
  }

  return {
    /**
     * Appends an event of the caller's tenant. With an idempotencyKey (unique per tenant, partial
     * unique index): the same content again → the stored row, created: false; other content →
     * CONFLICT. Insert-or-nothing on that index keeps concurrent retries to one row.
     */
    async record(tenantId: string, input: RecordSystemEventInput): Promise<SystemRecordWriteResult> {
      const content = prepare(input);
      const key = input.idempotencyKey ?? null;
      const statement = insert(tenantId, content, key, sql`ON CONFLICT DO NOTHING`);
      const [inserted] = await db.query<SystemRecord>(statement.text, statement.values);
      if (inserted) return { systemRecord: inserted, created: true };
      // Only a taken idempotency key skips the insert; the row it collided with is committed and visible.
      const [existing] = await db.query<SystemRecord>(`SELECT ${SELECT} FROM system_records r WHERE r.tenant_id = $1 AND r.idempotency_key = $2`, [tenantId, key]);
      if (!existing) throw notFound(`system record with idempotency key ${key}`);
      return replayOf(existing, content);
    },

    /**
     * Appends a global event (tenant_id NULL), for operators (CLI, demo seed) only: no GraphQL
     * field reaches it. The unique index cannot cover NULL tenants, so an idempotency key is
     * serialised with a transaction-scoped advisory lock instead.
     */
    async recordGlobal(input: RecordSystemEventInput): Promise<SystemRecordWriteResult> {
      const content = prepare(input);
      const key = input.idempotencyKey ?? null;
      // Global rows belong to no tenant, so no tenant scope may write them: the owner does.
      if (key === null) {
        const statement = insert(null, content, null);
        const [created] = await db.withSession((session) => session.query<SystemRecord>(statement.text, statement.values));
        return { systemRecord: created!, created: true };
      }
      return db.transaction(
        async (tx) => {
          await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))', [`system_records:global:${key}`]);
          const [existing] = await tx.query<SystemRecord>(`/* cross-tenant: global records belong to no tenant */ SELECT ${SELECT} FROM system_records r WHERE r.tenant_id IS NULL AND r.idempotency_key = $1`, [key]);
          if (existing) return replayOf(existing, content);
          const statement = insert(null, content, key);
          const [created] = await tx.query<SystemRecord>(statement.text, statement.values);
          return { systemRecord: created!, created: true };
        },
        { admin: true },
      );
    },

    /**
     * One keyset page over (createdAt, id) of the tenant's rows and the global ones. Indexes
     * (tenant_id, created_at DESC, id DESC) and the partial global (created_at DESC, id DESC)
     * WHERE tenant_id IS NULL; a correlationId filter uses (correlation_id, created_at).
     */
    async list(tenantId: string, filter: SystemRecordFilter, page: Page & { sortKey: SystemRecordSortKey }): Promise<PageResult<SystemRecord>> {
      const where = matching(tenantId, filter);
      return selectPage(db, { select: SELECT, from: 'system_records r', where, column: 'r.created_at', id: 'r.id', map: (row: SystemRecord) => row }, page);
    },

    count: (tenantId: string, filter: SystemRecordFilter): Promise<number> => countWhere(db, 'system_records r', matching(tenantId, filter)),

    /**
     * The earliest tenant-or-global record with this correlation id (the reference's "system
     * snapshot" of a run); equal times are broken by id so the answer never flips. Index
     * (correlation_id, created_at).
     */
    async byCorrelation(tenantId: string, correlationId: string): Promise<SystemRecord | null> {
      const query = sql`SELECT ${raw(SELECT)} FROM system_records r WHERE r.correlation_id = ${correlationId} AND ${visibleSql(tenantId)}
        ORDER BY r.created_at, r.id LIMIT 1`;
      const [row] = await db.query<SystemRecord>(query.text, query.values);
      return row ?? null;
    },

    /** For the systemRecordById loader: the tenant's own rows and global rows, in key order. */
    async byIds(tenantId: string, ids: readonly string[]): Promise<(SystemRecord | null)[]> {
      const valid = ids.filter(isUuid);
      const query = sql`SELECT ${raw(SELECT)} FROM system_records r WHERE r.id = ANY(${valid}::uuid[]) AND ${visibleSql(tenantId)}`;
      const rows = valid.length ? await db.query<SystemRecord>(query.text, query.values) : [];
      return oneByKey(ids, rows, (r) => r.id);
    },
  };
}

export type SystemRecordStore = ReturnType<typeof createSystemRecordStore>;
