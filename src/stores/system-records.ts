// System records: immutable system-level events. A tenant writes rows of its own tenant only;
// global rows (tenant_id NULL, visible to every tenant) are written by operators through
// recordGlobal, never through a tenant's credentials. Summary and details are redacted before
// storage (B16), so an idempotent replay compares redacted content with redacted content.
import type { Prisma } from '../generated/prisma/client.ts';
import { sql, raw, empty, type Sql } from '../db/sql.ts';
import { redactJson, redactText } from '../domain/redact.ts';
import { badInput, conflict } from '../errors.ts';
import type { Db } from '../db/client.ts';
import { oneByKey } from './batch.ts';
import { differingFields } from './idempotency.ts';
import { isUuid } from './ids.ts';
import { andWhere, selectList } from './driver-sql.ts';
import { finishPage, keysetSql, parseDate, type Page, type PageResult } from './keyset.ts';

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

type Row = Prisma.SystemRecordGetPayload<object>;
const visibleTo = (tenantId: string, scope: SystemRecordScope = 'ALL'): Prisma.SystemRecordWhereInput =>
  scope === 'TENANT_ONLY' ? { tenantId } : scope === 'GLOBAL_ONLY' ? { tenantId: null } : { OR: [{ tenantId }, { tenantId: null }] };

/** The same visibility as SQL over `r`. */
const visibleSql = (tenantId: string, scope: SystemRecordScope = 'ALL'): Sql =>
  scope === 'TENANT_ONLY'
    ? sql`r.tenant_id = ${tenantId}`
    : scope === 'GLOBAL_ONLY'
      ? sql`r.tenant_id IS NULL`
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

export function createSystemRecordStore(db: Db) {
  const prisma = db.prisma;

  const data = (tenantId: string | null, content: Content, idempotencyKey: string | null): Prisma.SystemRecordCreateManyInput => ({
    ...content,
    tenantId,
    details: content.details === null ? undefined : (content.details as Prisma.InputJsonValue),
    idempotencyKey,
  });

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
      const [inserted] = await prisma.systemRecord.createManyAndReturn({ data: [data(tenantId, content, key)], skipDuplicates: true });
      if (inserted) return { systemRecord: toSystemRecord(inserted), created: true };
      const existing = await prisma.systemRecord.findFirstOrThrow({ where: { tenantId, idempotencyKey: key } });
      return replayOf(toSystemRecord(existing), content);
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
      if (key === null) return { systemRecord: toSystemRecord(await db.admin.systemRecord.create({ data: data(null, content, null) })), created: true };
      return db.admin.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`system_records:global:${key}`}::text, 0))`;
        const existing = await tx.systemRecord.findFirst({ where: { tenantId: null, idempotencyKey: key } });
        if (existing) return replayOf(toSystemRecord(existing), content);
        return { systemRecord: toSystemRecord(await tx.systemRecord.create({ data: data(null, content, key) })), created: true };
      });
    },

    /**
     * One keyset page over (createdAt, id) of the tenant's rows and the global ones. Indexes
     * (tenant_id, created_at DESC, id DESC) and the partial global (created_at DESC, id DESC)
     * WHERE tenant_id IS NULL; a correlationId filter uses (correlation_id, created_at). Through
     * the driver, as the other hot lists.
     */
    async list(tenantId: string, filter: SystemRecordFilter, page: Page & { sortKey: SystemRecordSortKey }): Promise<PageResult<SystemRecord>> {
      const k = keysetSql(page, 'r.created_at', parseDate, 'r.id');
      const query = sql`SELECT ${raw(SELECT)} FROM system_records r WHERE ${matching(tenantId, filter)} AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`;
      return finishPage(await db.query<SystemRecord>(query.text, query.values), page);
    },

    async count(tenantId: string, filter: SystemRecordFilter): Promise<number> {
      const query = sql`SELECT count(*)::int AS n FROM system_records r WHERE ${matching(tenantId, filter)}`;
      const [row] = await db.query<{ n: number }>(query.text, query.values);
      return row!.n;
    },

    /**
     * The earliest tenant-or-global record with this correlation id (the reference's "system
     * snapshot" of a run); equal times are broken by id so the answer never flips. Index
     * (correlation_id, created_at).
     */
    async byCorrelation(tenantId: string, correlationId: string): Promise<SystemRecord | null> {
      const row = await prisma.systemRecord.findFirst({
        where: { correlationId, ...visibleTo(tenantId) },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
      return row && toSystemRecord(row);
    },

    /** For the systemRecordById loader: the tenant's own rows and global rows, in key order. */
    async byIds(tenantId: string, ids: readonly string[]): Promise<(SystemRecord | null)[]> {
      const valid = ids.filter(isUuid);
      const rows = valid.length
        ? await prisma.systemRecord.findMany({ where: { id: { in: valid }, OR: [{ tenantId }, { tenantId: null }] } })
        : [];
      return oneByKey(ids, rows.map(toSystemRecord), (r) => r.id);
    },
  };
}

export type SystemRecordStore = ReturnType<typeof createSystemRecordStore>;

function toSystemRecord(row: Row): SystemRecord {
  return row;
}
