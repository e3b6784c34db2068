// System records: immutable system-level events. A tenant writes rows of its own tenant only
// (system_records, distributed by tenant on Citus); global rows, visible to every tenant, are
// written by operators through recordGlobal, never through a tenant's credentials, into a table of
// their own (global_system_records, a reference table on Citus: docs/citus.md). A tenant reads both
// as one list: each statement is `tenant rows UNION ALL global rows`, each branch ordered and
// limited on its own index, under the same keys (created_at, id) the single table had. Summary and
// details are redacted before storage (B16), so an idempotent replay compares redacted content
// with redacted content.
import { sql, join, raw, empty, type Sql } from '../db/sql.ts';
import { redactJson, redactText } from '../domain/redact.ts';
import { badInput, conflict, notFound } from '../errors.ts';
import type { Db } from '../db/client.ts';
import { oneByKey } from './batch.ts';
import { differingFields } from './idempotency.ts';
import { isUuid } from './ids.ts';
import { andWhere, selectList } from './driver-sql.ts';
import { type Page, type PageResult, finishPage, keysetSql, parseDate } from './keyset.ts';

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

/** Every column but the tenant, and its domain name (the same in either table). */
export const SYSTEM_RECORD_COLUMNS = [
  ['id', 'id'],
  ['component::text', 'component'],
  ['event_type::text', 'eventType'],
  ['severity::text', 'severity'],
  ['summary', 'summary'],
  ['details', 'details'],
  ['caused_by::text', 'causedBy'],
  ['correlation_id', 'correlationId'],
  ['idempotency_key', 'idempotencyKey'],
  ['created_at', 'createdAt'],
] as const;
const COLUMNS = selectList(SYSTEM_RECORD_COLUMNS, 'r');
const TENANT_SELECT = `r.tenant_id AS "tenantId", ${COLUMNS}`;
/** A global row reads as a tenant row with tenantId null, as it did when both shared a table. */
const GLOBAL_SELECT = `NULL::varchar AS "tenantId", ${COLUMNS}`;

/** One table a tenant reads system records from: which one (aliased `r`), its select list, whose rows. */
type Source = { from: string; select: string; visible: Sql };

const tenantSource = (tenantId: string): Source => ({ from: 'system_records r', select: TENANT_SELECT, visible: sql`r.tenant_id = ${tenantId}` });
/** Global rows belong to no tenant: every tenant reads them all. */
const GLOBAL_SOURCE: Source = { from: 'global_system_records r', select: GLOBAL_SELECT, visible: sql`TRUE` };

/** The tables a scope reads: the tenant's rows and the global ones (the reference's rule), or one side. */
const sources = (tenantId: string, scope: SystemRecordScope = 'ALL'): Source[] =>
  scope === 'TENANT_ONLY' ? [tenantSource(tenantId)] : scope === 'GLOBAL_ONLY' ? [GLOBAL_SOURCE] : [tenantSource(tenantId), GLOBAL_SOURCE];

/** One predicate per source for a page and its count, so totalCount always matches the list (B7). */
const matching = (source: Source, f: SystemRecordFilter): Sql =>
  andWhere(
    [source.visible],
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

/** The content columns' values, in the order both inserts list them. */
const contentValues = (c: Content, idempotencyKey: string | null): Sql =>
  sql`${c.component}::"SystemComponent", ${c.eventType}::"SystemEventType", ${c.severity}::"SystemSeverity", ${c.summary},
      ${c.details === null ? null : JSON.stringify(c.details)}::jsonb, ${c.causedBy}::"CausedBy", ${c.correlationId}, ${idempotencyKey}`;

/**
 * Inserts one record of the tenant (RETURNING it under its domain names); `onConflict` decides
 * what a taken idempotency key does. Details are bound as JSON text: the driver would send an
 * array as a Postgres array.
 */
function insertTenant(tenantId: string, c: Content, idempotencyKey: string | null, onConflict: Sql = empty): Sql {
  return sql`
    INSERT INTO system_records AS r (tenant_id, component, event_type, severity, summary, details, caused_by, correlation_id, idempotency_key)
    VALUES (${tenantId}, ${contentValues(c, idempotencyKey)})
    ${onConflict}
    RETURNING ${raw(TENANT_SELECT)}`;
}

/** Inserts one global record, returned as a record with tenantId null. */
function insertGlobal(c: Content, idempotencyKey: string | null): Sql {
  return sql`
    INSERT INTO global_system_records AS r (component, event_type, severity, summary, details, caused_by, correlation_id, idempotency_key)
    VALUES (${contentValues(c, idempotencyKey)})
    RETURNING ${raw(GLOBAL_SELECT)}`;
}

/**
 * The sources' rows as one statement: each source's SELECT (parenthesised: it may carry its own
 * ORDER BY and LIMIT) joined by UNION ALL, then `tail`, the merged order and limit over the output
 * names "createdAt" and "id". One source: its SELECT alone, whose own ORDER BY and LIMIT must then
 * be the tail's (Postgres allows no second ORDER BY after a lone parenthesised SELECT).
 */
function union(branches: Sql[], tail: Sql = empty): Sql {
  if (branches.length === 1) return branches[0]!;
  return sql`${join(branches.map((b) => sql`(${b})`), ' UNION ALL ')} ${tail}`;
}

/**
 * One keyset page over (createdAt, id) of the tenant's rows and the global ones, as SystemRecords
 * under their domain names (the look-ahead row included): each table's page on its own, in index
 * order ((tenant_id, created_at DESC, id DESC), resp. (created_at DESC, id DESC); with a
 * correlationId, (tenant_id, correlation_id, created_at DESC, id DESC), resp. (correlation_id,
 * created_at DESC, id DESC)), then the two merged and cut to the page: the rows and order one
 * table gave, at most 2 × (size + 1) rows merged. The list and its text answer
 * (graphql/text-answers/record-lists.ts) both read this statement.
 */
export function systemRecordPageSql(tenantId: string, filter: SystemRecordFilter, page: Page): Sql {
  const k = keysetSql(page, 'r.created_at', parseDate, 'r.id');
  const merged = keysetSql(page, '"createdAt"', parseDate, '"id"');
  return union(
    sources(tenantId, filter.scope).map((s) => sql`SELECT ${raw(s.select)} FROM ${raw(s.from)} WHERE ${matching(s, filter)} AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`),
    sql`ORDER BY ${merged.orderBy} LIMIT ${merged.limit}`,
  );
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
      const statement = insertTenant(tenantId, content, key, sql`ON CONFLICT DO NOTHING`);
      const [inserted] = await db.query<SystemRecord>(statement.text, statement.values);
      if (inserted) return { systemRecord: inserted, created: true };
      // Only a taken idempotency key skips the insert; the row it collided with is committed and visible.
      const [existing] = await db.query<SystemRecord>(`SELECT ${TENANT_SELECT} FROM system_records r WHERE r.tenant_id = $1 AND r.idempotency_key = $2`, [tenantId, key]);
      if (!existing) throw notFound(`system record with idempotency key ${key}`);
      return replayOf(existing, content);
    },

    /**
     * Appends a global event (global_system_records, tenantId null), for operators (CLI, demo
     * seed) only: no GraphQL field reaches it, and the tenant role may not insert there. An
     * idempotency key is serialised with a transaction-scoped advisory lock (the key is indexed,
     * not unique: see the migration 20261203150000_global_system_records).
     */
    async recordGlobal(input: RecordSystemEventInput): Promise<SystemRecordWriteResult> {
      const content = prepare(input);
      const key = input.idempotencyKey ?? null;
      // Global rows belong to no tenant, so no tenant scope may write them: the owner does.
      if (key === null) {
        const statement = insertGlobal(content, null);
        const [created] = await db.withSession((session) => session.query<SystemRecord>(statement.text, statement.values));
        return { systemRecord: created!, created: true };
      }
      return db.transaction(
        async (tx) => {
          await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))', [`system_records:global:${key}`]);
          const [existing] = await tx.query<SystemRecord>(`SELECT ${GLOBAL_SELECT} FROM global_system_records r WHERE r.idempotency_key = $1`, [key]);
          if (existing) return replayOf(existing, content);
          const statement = insertGlobal(content, key);
          const [created] = await tx.query<SystemRecord>(statement.text, statement.values);
          return { systemRecord: created!, created: true };
        },
        { admin: true },
      );
    },

    /** One keyset page of the tenant's rows and the global ones (systemRecordPageSql). */
    async list(tenantId: string, filter: SystemRecordFilter, page: Page & { sortKey: SystemRecordSortKey }): Promise<PageResult<SystemRecord>> {
      const query = systemRecordPageSql(tenantId, filter, page);
      return finishPage(await db.query<SystemRecord>(query.text, query.values), page);
    },

    async count(tenantId: string, filter: SystemRecordFilter): Promise<number> {
      const counts = sources(tenantId, filter.scope).map((s) => sql`(SELECT count(*) FROM ${raw(s.from)} WHERE ${matching(s, filter)})`);
      const query = sql`SELECT (${join(counts, ' + ')})::int AS n`;
      const [row] = await db.query<{ n: number }>(query.text, query.values);
      return row!.n;
    },

    /**
     * The earliest tenant-or-global record with this correlation id (the reference's "system
     * snapshot" of a run); equal times are broken by id so the answer never flips. The
     * correlation indexes of both tables, read backward.
     */
    async byCorrelation(tenantId: string, correlationId: string): Promise<SystemRecord | null> {
      const query = union(
        sources(tenantId).map((s) => sql`SELECT ${raw(s.select)} FROM ${raw(s.from)} WHERE ${s.visible} AND r.correlation_id = ${correlationId} ORDER BY r.created_at, r.id LIMIT 1`),
        sql`ORDER BY "createdAt", "id" LIMIT 1`,
      );
      const [row] = await db.query<SystemRecord>(query.text, query.values);
      return row ?? null;
    },

    /** For the systemRecordById loader: the tenant's own rows and global rows, in key order. */
    async byIds(tenantId: string, ids: readonly string[]): Promise<(SystemRecord | null)[]> {
      const valid = ids.filter(isUuid);
      if (!valid.length) return ids.map(() => null);
      const query = union(sources(tenantId).map((s) => sql`SELECT ${raw(s.select)} FROM ${raw(s.from)} WHERE ${s.visible} AND r.id = ANY(${valid}::uuid[])`));
      return oneByKey(ids, await db.query<SystemRecord>(query.text, query.values), (r) => r.id);
    },
  };
}

export type SystemRecordStore = ReturnType<typeof createSystemRecordStore>;
