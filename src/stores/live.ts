// Reads for the live tail (src/live/feeds.ts): what a subscription has not delivered yet. Rows come
// with their xmin (the transaction that wrote the current version) and the reading snapshot, in one
// repeatable-read transaction, so the caller can tell exactly which versions a resume point saw.
import { Prisma } from '../generated/prisma/client.ts';
import type { Db } from '../db/client.ts';
import type { TraceStatus, TraceStep, Trace } from '../domain/trace.ts';
import type { Incident } from './incidents.ts';
import { STEP_COLUMNS, toTrace, toTraceStep } from './trace-rows.ts';

/** The snapshot a read ran in, and the database clock just after it was taken. */
export type ReadPoint = { snapshot: string; at: Date };

/** A row's current version, for the caller's decision whether it is news. */
export type Version = { id: string; xmin: string; createdAt: Date; updatedAt?: Date };

/**
 * Which rows to look at: named ones (row ids from announcements), or every row whose 32-bit xmin is not
 * older than `xmin32` (modulo wraparound; the caller checks the rest exactly). The latter scans
 * the tenant's rows: it runs only when a subscription resumes or announcements were lost.
 */
export type Scope = { ids: string[] } | { newerThanXmin32: bigint };

const REPEATABLE_READ = { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead };

const xminIsRecent = (column: Prisma.Sql, xmin32: bigint) =>
  Prisma.sql`((${column}::text::bigint - ${xmin32}::bigint) % 4294967296 + 4294967296) % 4294967296 < 2147483648`;

const toIncident = (row: Prisma.IncidentGetPayload<object>): Incident => row;

export function createLiveStore(db: Db) {
  const prisma = db.prisma;

  async function readPoint(tx: Prisma.TransactionClient): Promise<ReadPoint> {
    const [point] = await tx.$queryRaw<ReadPoint[]>`SELECT pg_current_snapshot()::text AS snapshot, clock_timestamp() AS at`;
    return point!;
  }

  return {
    /** The current snapshot: a fresh subscription's resume point. */
    async readPoint(tenantId: string): Promise<ReadPoint> {
      void tenantId; // scopes the connection (row-level security), like every tenant method
      return prisma.$transaction((tx) => readPoint(tx), REPEATABLE_READ);
    },

    /**
     * The trace's row id and status, then up to `limit` of its steps whose index is not in `delivered` (an
     * int4multirange literal), by step index. Null when the trace is unknown to this tenant. The
     * status is read first: once it is final, no step can commit after it, so a final status and
     * no more steps means the trace is done.
     */
    async undeliveredSteps(
      tenantId: string,
      traceId: string,
      delivered: string,
      limit: number,
    ): Promise<{ id: string; status: TraceStatus; steps: TraceStep[] } | null> {
      const trace = await prisma.trace.findUnique({ where: { tenantId_traceId: { tenantId, traceId } }, select: { id: true, status: true } });
      if (!trace) return null;
      const rows = await prisma.$queryRaw<Prisma.TraceStepGetPayload<object>[]>`
        SELECT ${Prisma.raw(STEP_COLUMNS)} FROM aos_trace_steps s
        WHERE s.tenant_id = ${tenantId} AND s.trace_id = ${traceId} AND NOT (s.step_index <@ ${delivered}::int4multirange)
        ORDER BY s.step_index LIMIT ${limit}`;
      return { id: trace.id, status: trace.status, steps: rows.map(toTraceStep) };
    },

    /**
     * Traces in `scope` matching the filter whose current version `isNews` accepts, read in one
     * snapshot, in the order their versions were written (approximately: by xmin, then id).
     */
    async traceVersions(
      tenantId: string,
      scope: Scope,
      filter: { agentId?: string | undefined; status?: TraceStatus | undefined },
      isNews: (version: Version, point: ReadPoint) => boolean,
    ): Promise<{ point: ReadPoint; items: { trace: Trace; version: Version }[] }> {
      return prisma.$transaction(async (tx) => {
        const point = await readPoint(tx);
        const where = [
          Prisma.sql`tenant_id = ${tenantId}`,
          'ids' in scope ? Prisma.sql`id = ANY(${scope.ids}::uuid[])` : xminIsRecent(Prisma.sql`xmin`, scope.newerThanXmin32),
          ...(filter.agentId !== undefined ? [Prisma.sql`agent_id = ${filter.agentId}`] : []),
          ...(filter.status !== undefined ? [Prisma.sql`status = ${filter.status}::"TraceStatus"`] : []),
        ];
        const versions = await tx.$queryRaw<Version[]>`
          SELECT id::text AS id, xmin::text AS xmin, created_at AS "createdAt" FROM aos_traces
          WHERE ${Prisma.join(where, ' AND ')}`;
        const news = versions.filter((v) => isNews(v, point)).sort(byVersion);
        const rows = news.length ? await tx.trace.findMany({ where: { tenantId, id: { in: news.map((v) => v.id) } } }) : [];
        const byId = new Map(rows.map((r) => [r.id, toTrace(r)]));
        return { point, items: news.map((version) => ({ trace: byId.get(version.id)!, version })) };
      }, REPEATABLE_READ);
    },

    /** Incidents in `scope` whose current version `isNews` accepts, as traceVersions. */
    async incidentVersions(
      tenantId: string,
      scope: Scope,
      isNews: (version: Version, point: ReadPoint) => boolean,
    ): Promise<{ point: ReadPoint; items: { incident: Incident; version: Version }[] }> {
      return prisma.$transaction(async (tx) => {
        const point = await readPoint(tx);
        const versions = await tx.$queryRaw<Version[]>`
          SELECT id::text AS id, xmin::text AS xmin, created_at AS "createdAt", updated_at AS "updatedAt" FROM incidents
          WHERE tenant_id = ${tenantId} AND ${'ids' in scope ? Prisma.sql`id = ANY(${scope.ids}::uuid[])` : xminIsRecent(Prisma.sql`xmin`, scope.newerThanXmin32)}`;
        const news = versions.filter((v) => isNews(v, point)).sort(byVersion);
        const rows = news.length ? await tx.incident.findMany({ where: { tenantId, id: { in: news.map((v) => v.id) } } }) : [];
        const byId = new Map(rows.map((r) => [r.id, toIncident(r)]));
        return { point, items: news.map((version) => ({ incident: byId.get(version.id)!, version })) };
      }, REPEATABLE_READ);
    },
  };
}

/** Oldest write first; xmin wraps, but within one read the ids are near each other. */
function byVersion(a: Version, b: Version): number {
  const d = Number(BigInt(a.xmin) - BigInt(b.xmin));
  const wrapped = Math.abs(d) > 2 ** 31 ? -Math.sign(d) : Math.sign(d);
  return wrapped || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export type LiveStore = ReturnType<typeof createLiveStore>;
