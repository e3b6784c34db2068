// Reads for the live tail (src/live/feeds.ts): what a subscription has not delivered yet. Rows come
// with their xmin (the transaction that wrote the current version) and the reading snapshot, in one
// repeatable-read transaction, so the caller can tell exactly which versions a resume point saw.
import type { Db, SqlSession } from '../db/client.ts';
import { sql, join, type Sql } from '../db/sql.ts';
import type { TraceStatus, TraceStep, Trace } from '../domain/trace.ts';
import { selectList } from './driver-sql.ts';
import { INCIDENT_SELECT, incidentFromDriverRow, type Incident, type IncidentDriverRow } from './incidents.ts';
import { ALL_STEP_COLUMNS, stepFromDriverRow, stepSelect, TRACE_SELECT, traceFromDriverRow } from './trace-rows.ts';

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

const REPEATABLE_READ = { isolation: 'repeatable read' } as const;

/** The scope as a condition on an unqualified table. */
const inScope = (scope: Scope): Sql =>
  'ids' in scope
    ? sql`id = ANY(${scope.ids}::uuid[])`
    : sql`((xmin::text::bigint - ${String(scope.newerThanXmin32)}::bigint) % 4294967296 + 4294967296) % 4294967296 < 2147483648`;

async function readPoint(tx: SqlSession): Promise<ReadPoint> {
  const [point] = await tx.query<ReadPoint>('SELECT pg_current_snapshot()::text AS snapshot, clock_timestamp() AS at');
  return point!;
}

export function createLiveStore(db: Db) {
  return {
    /** The current snapshot: a fresh subscription's resume point. */
    async readPoint(tenantId: string): Promise<ReadPoint> {
      void tenantId; // scopes the connection (row-level security), like every tenant method
      return db.transaction((tx) => readPoint(tx), REPEATABLE_READ);
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
      const [trace] = await db.query<{ id: string; status: TraceStatus }>(
        'SELECT id, status::text AS status FROM aos_traces WHERE tenant_id = $1 AND trace_id = $2',
        [tenantId, traceId],
      );
      if (!trace) return null;
      const rows = await db.query<Parameters<typeof stepFromDriverRow>[0]>(
        `SELECT ${stepSelect(ALL_STEP_COLUMNS)} FROM aos_trace_steps s
         WHERE s.tenant_id = $1 AND s.trace_id = $2 AND NOT (s.step_index <@ $3::int4multirange)
         ORDER BY s.step_index LIMIT $4`,
        [tenantId, traceId, delivered, limit],
      );
      return { id: trace.id, status: trace.status, steps: rows.map(stepFromDriverRow) };
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
      return db.transaction(async (tx) => {
        const point = await readPoint(tx);
        const where = [
          sql`tenant_id = ${tenantId}`,
          inScope(scope),
          ...(filter.agentId !== undefined ? [sql`agent_id = ${filter.agentId}`] : []),
          ...(filter.status !== undefined ? [sql`status = ${filter.status}::"TraceStatus"`] : []),
        ];
        const query = sql`SELECT id::text AS id, xmin::text AS xmin, created_at AS "createdAt" FROM aos_traces WHERE ${join(where, ' AND ')}`;
        const versions = await tx.query<Version>(query.text, query.values);
        const news = versions.filter((v) => isNews(v, point)).sort(byVersion);
        const rows = news.length
          ? await tx.query<Parameters<typeof traceFromDriverRow>[0]>(`SELECT ${TRACE_SELECT.full} FROM aos_traces t WHERE t.tenant_id = $1 AND t.id = ANY($2::uuid[])`, [
              tenantId,
              news.map((v) => v.id),
            ])
          : [];
        const byId = new Map(rows.map((r) => [r.id, traceFromDriverRow(r)]));
        return { point, items: news.map((version) => ({ trace: byId.get(version.id)!, version })) };
      }, REPEATABLE_READ);
    },

    /** Incidents in `scope` whose current version `isNews` accepts, as traceVersions. */
    async incidentVersions(
      tenantId: string,
      scope: Scope,
      isNews: (version: Version, point: ReadPoint) => boolean,
    ): Promise<{ point: ReadPoint; items: { incident: Incident; version: Version }[] }> {
      return db.transaction(async (tx) => {
        const point = await readPoint(tx);
        const query = sql`
          SELECT id::text AS id, xmin::text AS xmin, created_at AS "createdAt", updated_at AS "updatedAt" FROM incidents
          WHERE tenant_id = ${tenantId} AND ${inScope(scope)}`;
        const versions = await tx.query<Version>(query.text, query.values);
        const news = versions.filter((v) => isNews(v, point)).sort(byVersion);
        const rows = news.length
          ? await tx.query<IncidentDriverRow>(`SELECT ${INCIDENT_SELECT} FROM incidents i WHERE i.tenant_id = $1 AND i.id = ANY($2::uuid[])`, [
              tenantId,
              news.map((v) => v.id),
            ])
          : [];
        const byId = new Map(rows.map((r) => [r.id, incidentFromDriverRow(r)]));
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
