// Log exports: one row per requested export, PENDING until it moves once to COMPLETED (with its
// checksum and delivery time) or FAILED (with a reason). B10: the reference's table was fully
// immutable, so an export could never leave pending; our trigger allows exactly that one move.
import { sql, raw, type Sql } from '../db/sql.ts';
import { redactText } from '../domain/redact.ts';
import { badInput, conflict, notFound, pgErrorCode } from '../errors.ts';
import type { Db, SqlSession } from '../db/client.ts';
import type { ActorType } from './audit-ledger.ts';
import { oneByKey } from './batch.ts';
import { andWhere, selectList } from './driver-sql.ts';
import { isUuid, uuidKeys } from './ids.ts';
import { type Page, type PageResult, selectPage, countWhere } from './keyset.ts';

type Tx = SqlSession;

/** Hex digest, bare or prefixed with its algorithm, e.g. "sha256:9f86…"; fits the 128-character column. */
export const CHECKSUM_PATTERN = /^(?:sha256:)?[0-9a-f]{8,}$/;
export const CHECKSUM_MAX = 128;

export type ExportScope = 'llm_run' | 'system' | 'audit' | 'compliance';
export type ExportFormat = 'json' | 'csv' | 'pdf' | 'zip';
export type ExportStatus = 'pending' | 'completed' | 'failed';

export interface LogExport {
  id: string;
  tenantId: string;
  scope: ExportScope;
  format: ExportFormat;
  origin: ActorType;
  runId: string | null;
  incidentId: string | null;
  requestedBy: string;
  sourceComponent: string;
  correlationId: string | null;
  status: ExportStatus;
  checksum: string | null;
  failureReason: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

/** Every field narrows the list; time bounds are inclusive. */
export interface LogExportFilter {
  status?: ExportStatus | undefined;
  scope?: ExportScope | undefined;
  runId?: string | undefined;
  incidentId?: string | undefined;
  createdAfter?: Date | undefined;
  createdBefore?: Date | undefined;
}

export type LogExportSortKey = 'createdAt';

/** One predicate for a page and its count, so totalCount always matches the list (B7). */
const matching = (tenantId: string, f: LogExportFilter): Sql =>
  andWhere(
    [sql`e.tenant_id = ${tenantId}`],
    [
      ['e.status', f.status, 'ExportStatus'],
      ['e.scope', f.scope, 'ExportScope'],
      ['e.run_id', f.runId],
      ['e.incident_id', f.incidentId?.toLowerCase(), 'uuid'],
    ],
    [
      ['e.created_at', '>=', f.createdAfter],
      ['e.created_at', '<=', f.createdBefore],
    ],
  );

/** Every column under its domain name (alias `e`). */
const SELECT = selectList(
  [
    ['id', 'id'],
    ['tenant_id', 'tenantId'],
    ['scope::text', 'scope'],
    ['format::text', 'format'],
    ['origin::text', 'origin'],
    ['run_id', 'runId'],
    ['incident_id', 'incidentId'],
    ['requested_by', 'requestedBy'],
    ['source_component', 'sourceComponent'],
    ['correlation_id', 'correlationId'],
    ['status::text', 'status'],
    ['checksum', 'checksum'],
    ['failure_reason', 'failureReason'],
    ['delivered_at', 'deliveredAt'],
    ['created_at', 'createdAt'],
  ],
  'e',
);

export interface RequestLogExportInput {
  scope: ExportScope;
  format: ExportFormat;
  origin: ActorType;
  requestedBy: string;
  runId?: string | undefined;
  /** Must be an incident of the same tenant. */
  incidentId?: string | undefined;
  correlationId?: string | undefined;
}

export function createLogExportStore(db: Db) {
  async function lockExport(tx: Tx, tenantId: string, exportId: string): Promise<LogExport> {
    if (!isUuid(exportId)) throw badInput('exportId: must be a UUID', 'input.exportId');
    const [locked] = await tx.query<LogExport>(`SELECT ${SELECT} FROM log_exports e WHERE e.tenant_id = $1 AND e.id = $2::uuid FOR UPDATE`, [tenantId, exportId]);
    if (!locked) throw notFound(`log export ${exportId}`);
    return locked;
  }

  /**
   * Moves a PENDING export to its final state. Repeating the same final state returns the row
   * unchanged (a safe retry); any other change of a final export is a CONFLICT. The row lock makes
   * the check and the update one step; the trigger stays the last word, and its refusal is a CONFLICT too.
   */
  async function finish(
    tenantId: string,
    exportId: string,
    target: { status: 'completed'; checksum: string } | { status: 'failed'; failureReason: string },
  ): Promise<LogExport> {
    try {
      return await db.transaction(async (tx) => {
        const current = await lockExport(tx, tenantId, exportId);
        if (current.status !== 'pending') {
          const same =
            target.status === current.status &&
            (target.status === 'completed' ? current.checksum === target.checksum : current.failureReason === target.failureReason);
          if (same) return current;
          throw conflict(`log export ${exportId} is already ${current.status}`, { exportId, status: current.status });
        }
        const set =
          target.status === 'completed'
            ? sql`status = 'completed', checksum = ${target.checksum}, delivered_at = ${new Date()}::timestamptz`
            : sql`status = 'failed', failure_reason = ${target.failureReason}`;
        const update = sql`UPDATE log_exports e SET ${set} WHERE e.tenant_id = ${current.tenantId} AND e.id = ${current.id}::uuid RETURNING ${raw(SELECT)}`;
        const [row] = await tx.query<LogExport>(update.text, update.values);
        return row!;
      });
    } catch (error) {
      if (pgErrorCode(error) === '23000') throw conflict(`log export ${exportId}: transition rejected by the database`, { exportId });
      throw error;
    }
  }

  return {
    /** Records a PENDING export request. */
    async request(tenantId: string, input: RequestLogExportInput): Promise<LogExport> {
      const { incidentId } = input;
      if (incidentId !== undefined && !isUuid(incidentId)) throw badInput('incidentId: must be a UUID', 'input.incidentId');
      const insert = sql`
        INSERT INTO log_exports AS e (tenant_id, scope, format, origin, requested_by, run_id, incident_id, correlation_id)
        VALUES (${tenantId}, ${input.scope}::"ExportScope", ${input.format}::"ExportFormat", ${input.origin}::"ActorType",
          ${input.requestedBy}, ${input.runId ?? null}, ${incidentId?.toLowerCase() ?? null}::uuid, ${input.correlationId ?? null})
        RETURNING ${raw(SELECT)}`;
      return db.transaction(async (tx) => {
        if (incidentId !== undefined) {
          // FOR SHARE is not needed: incidents are never deleted (trigger), so existence cannot change.
          const found = await tx.query(`SELECT 1 FROM incidents WHERE tenant_id = $1 AND id = $2::uuid`, [tenantId, incidentId.toLowerCase()]);
          if (!found.length) throw notFound(`incident ${incidentId}`);
        }
        const [row] = await tx.query<LogExport>(insert.text, insert.values);
        return row!;
      });
    },

    /** PENDING → COMPLETED with the delivered artifact's checksum; deliveredAt is now. */
    complete(tenantId: string, exportId: string, checksum: string): Promise<LogExport> {
      if (!CHECKSUM_PATTERN.test(checksum) || checksum.length > CHECKSUM_MAX) {
        throw badInput(`checksum: lower-case hex, optionally prefixed "sha256:", at most ${CHECKSUM_MAX} characters`, 'input.checksum');
      }
      return finish(tenantId, exportId, { status: 'completed', checksum });
    },

    /** PENDING → FAILED; the reason is redacted before storage. */
    fail: (tenantId: string, exportId: string, reason: string) =>
      finish(tenantId, exportId, { status: 'failed', failureReason: redactText(reason) }),

    /**
     * One keyset page over (createdAt, id); the reference ordered by created_at alone (B26).
     * Index (tenant_id, created_at DESC, id DESC).
     */
    async list(tenantId: string, filter: LogExportFilter, page: Page & { sortKey: LogExportSortKey }): Promise<PageResult<LogExport>> {
      const where = matching(tenantId, filter);
      return selectPage(db, { select: SELECT, from: 'log_exports e', where, column: 'e.created_at', id: 'e.id', map: (row: LogExport) => row }, page);
    },

    count: (tenantId: string, filter: LogExportFilter): Promise<number> => countWhere(db, 'log_exports e', matching(tenantId, filter)),

    /** For the logExportById loader: results in key order, null for a miss or a non-UUID key. */
    async byIds(tenantId: string, ids: readonly string[]): Promise<(LogExport | null)[]> {
      const { lookup, keys } = uuidKeys(ids);
      const rows = lookup.length
        ? await db.query<LogExport>(`SELECT ${SELECT} FROM log_exports e WHERE e.tenant_id = $1 AND e.id = ANY($2::uuid[])`, [tenantId, lookup])
        : [];
      return oneByKey(keys, rows, (e) => e.id);
    },
  };
}

export type LogExportStore = ReturnType<typeof createLogExportStore>;
