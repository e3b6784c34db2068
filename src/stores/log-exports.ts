// Log exports: one row per requested export, PENDING until it moves once to COMPLETED (with its
// checksum and delivery time) or FAILED (with a reason). B10: the reference's table was fully
// immutable, so an export could never leave pending; our trigger allows exactly that one move.
import type { Prisma } from '../generated/prisma/client.ts';
import { redactText } from '../domain/redact.ts';
import { badInput, conflict, notFound, pgErrorCode } from '../errors.ts';
import type { Db } from '../db/client.ts';
import type { ActorType } from './audit-ledger.ts';
import { oneByKey } from './batch.ts';
import { isUuid, uuidKeys } from './ids.ts';
import { finishPage, keysetQuery, parseDate, type Page, type PageResult } from './keyset.ts';

type Tx = Prisma.TransactionClient;

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
const matching = (tenantId: string, f: LogExportFilter): Prisma.LogExportWhereInput => ({
  tenantId,
  status: f.status,
  scope: f.scope,
  runId: f.runId,
  incidentId: f.incidentId?.toLowerCase(),
  createdAt: { gte: f.createdAfter, lte: f.createdBefore },
});

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
  const prisma = db.prisma;

  async function lockExport(tx: Tx, tenantId: string, exportId: string): Promise<LogExport> {
    if (!isUuid(exportId)) throw badInput('exportId: must be a UUID', 'input.exportId');
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id::text AS id FROM log_exports WHERE tenant_id = ${tenantId} AND id = ${exportId}::uuid FOR UPDATE`;
    if (!locked.length) throw notFound(`log export ${exportId}`);
    return toLogExport(await tx.logExport.findUniqueOrThrow({ where: { id: locked[0]!.id } }));
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
      return await prisma.$transaction(async (tx) => {
        const current = await lockExport(tx, tenantId, exportId);
        if (current.status !== 'pending') {
          const same =
            target.status === current.status &&
            (target.status === 'completed' ? current.checksum === target.checksum : current.failureReason === target.failureReason);
          if (same) return current;
          throw conflict(`log export ${exportId} is already ${current.status}`, { exportId, status: current.status });
        }
        const row = await tx.logExport.update({
          where: { id: current.id },
          data: target.status === 'completed' ? { ...target, deliveredAt: new Date() } : target,
        });
        return toLogExport(row);
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
      return prisma.$transaction(async (tx) => {
        if (incidentId !== undefined) {
          // FOR SHARE is not needed: incidents are never deleted (trigger), so existence cannot change.
          const found = await tx.incident.findFirst({ where: { tenantId, id: incidentId.toLowerCase() }, select: { id: true } });
          if (!found) throw notFound(`incident ${incidentId}`);
        }
        const row = await tx.logExport.create({
          data: {
            tenantId,
            scope: input.scope,
            format: input.format,
            origin: input.origin,
            requestedBy: input.requestedBy,
            runId: input.runId ?? null,
            incidentId: incidentId?.toLowerCase() ?? null,
            correlationId: input.correlationId ?? null,
          },
        });
        return toLogExport(row);
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
      const k = keysetQuery(page, page.sortKey, parseDate);
      const rows = await prisma.logExport.findMany({ where: { AND: [matching(tenantId, filter), k.where] }, orderBy: k.orderBy, take: k.take });
      return finishPage(rows.map(toLogExport), page);
    },

    count: (tenantId: string, filter: LogExportFilter): Promise<number> => prisma.logExport.count({ where: matching(tenantId, filter) }),

    /** For the logExportById loader: results in key order, null for a miss or a non-UUID key. */
    async byIds(tenantId: string, ids: readonly string[]): Promise<(LogExport | null)[]> {
      const { lookup, keys } = uuidKeys(ids);
      const rows = lookup.length ? await prisma.logExport.findMany({ where: { tenantId, id: { in: lookup } } }) : [];
      return oneByKey(keys, rows.map(toLogExport), (e) => e.id);
    },
  };
}

export type LogExportStore = ReturnType<typeof createLogExportStore>;

type LogExportRow = Prisma.LogExportGetPayload<object>;

function toLogExport(row: LogExportRow): LogExport {
  return row;
}
