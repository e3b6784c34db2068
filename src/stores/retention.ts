// Retention of traces and their steps (reference §2.6, fixing B1): soft archival first (archived_at
// is stamped on a trace and on its steps in one transaction, every column kept where it is, so no
// out-of-date archive table can make it fail), then hard deletion of archived traces, whose steps
// go with them by cascade. Both work in batches that commit on their own and select only what is
// still to do, so a stopped run resumes by running again. Running traces are never archived: the
// reaper finalises them first. Append-only tables (LLM runs, system records, audit ledger, policy
// activations) are evidence and are never touched (B27).
import type { Db } from '../db/client.ts';

/** Age limits as instants: traces created before them are archived, or deleted once archived. */
export type RetentionCutoffs = { archiveBefore: Date; deleteBefore: Date | null };

export type RetentionPlan = {
  archiveTraces: number;
  archiveSteps: number;
  deleteTraces: number;
  deleteSteps: number;
  /** Running traces older than the archive cutoff: left alone until they are final. */
  runningSkipped: number;
};

export type BatchResult = { traces: number; steps: number };

// A trace is archivable when final, unarchived and old enough; deletable when old enough and
// archived, or archivable now (this run archives it before it deletes).
const ARCHIVABLE = `t.archived_at IS NULL AND t.status <> 'running' AND t.created_at < $2`;
const DELETABLE = `(t.archived_at IS NOT NULL OR t.status <> 'running') AND t.created_at < $2`;

type Count = { traces: number; steps: number };

export function createRetentionStore(db: Db) {
  const count = async (tenantId: string, where: string, before: Date): Promise<Count> => {
    const [row] = await db.query<Count>(
      // trace_started_at: the steps' partition key, so each count reads one partition (docs/partitions.md).
      `SELECT count(*)::int AS traces, coalesce(sum((SELECT count(*) FROM aos_trace_steps s
              WHERE s.tenant_id = t.tenant_id AND s.trace_id = t.trace_id AND s.trace_started_at = t.started_at)), 0)::int AS steps
       FROM aos_traces t WHERE t.tenant_id = $1 AND ${where}`,
      [tenantId, before],
    );
    return row ?? { traces: 0, steps: 0 };
  };

  return {
    /** What a run with these cutoffs would do, without doing it (dry run, progress totals). */
    async plan(tenantId: string, cutoffs: RetentionCutoffs): Promise<RetentionPlan> {
      const archive = await count(tenantId, ARCHIVABLE, cutoffs.archiveBefore);
      const doomed = cutoffs.deleteBefore ? await count(tenantId, DELETABLE, cutoffs.deleteBefore) : { traces: 0, steps: 0 };
      const [running] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM aos_traces t
         WHERE t.tenant_id = $1 AND t.archived_at IS NULL AND t.status = 'running' AND t.created_at < $2`,
        [tenantId, cutoffs.archiveBefore],
      );
      return { archiveTraces: archive.traces, archiveSteps: archive.steps, deleteTraces: doomed.traces, deleteSteps: doomed.steps, runningSkipped: running?.n ?? 0 };
    },

    /**
     * Archives up to `limit` of the oldest archivable traces and all their steps, in one
     * transaction, stamping both with `at`. SKIP LOCKED lets two runs share the work instead of
     * waiting on each other. Index (tenant_id, created_at DESC, id DESC).
     */
    async archiveBatch(tenantId: string, archiveBefore: Date, at: Date, limit: number): Promise<BatchResult> {
      return db.transaction(async (tx) => {
        const traces = await tx.query<{ trace_id: string; started_at: Date }>(
          // MATERIALIZED: picked once. As a plain IN (subquery) the planner may rescan the subquery
          // (the inner side of a nested loop), and each rescan skips the rows this UPDATE has
          // just changed and locks the next ones — the whole tenant instead of one batch.
          `WITH picked AS MATERIALIZED (
             SELECT t.id FROM aos_traces t WHERE t.tenant_id = $1 AND ${ARCHIVABLE}
             ORDER BY t.created_at, t.id LIMIT $4 FOR UPDATE SKIP LOCKED)
           UPDATE aos_traces SET archived_at = $3 WHERE id IN (SELECT id FROM picked)
           RETURNING trace_id, started_at`,
          [tenantId, archiveBefore, at, limit],
        );
        if (traces.length === 0) return { traces: 0, steps: 0 };
        // Counted in the database: a batch's steps can be many, and only their number is needed.
        const [steps] = await tx.query<{ n: number }>(
          `WITH stamped AS (
             UPDATE aos_trace_steps s SET archived_at = $3
             FROM unnest($2::text[], $4::timestamptz[]) AS k(trace_id, started_at)
             WHERE s.tenant_id = $1 AND s.trace_id = k.trace_id AND s.trace_started_at = k.started_at AND s.archived_at IS NULL RETURNING 1)
           SELECT count(*)::int AS n FROM stamped`,
          [tenantId, traces.map((t) => t.trace_id), at, traces.map((t) => t.started_at)],
        );
        return { traces: traces.length, steps: steps!.n };
      });
    },

    /** Deletes up to `limit` of the oldest archived traces created before the cutoff, steps by cascade. */
    async deleteBatch(tenantId: string, deleteBefore: Date, limit: number): Promise<BatchResult> {
      return db.transaction(async (tx) => {
        const doomed = await tx.query<{ id: string; trace_id: string; started_at: Date }>(
          `SELECT t.id::text AS id, t.trace_id, t.started_at FROM aos_traces t
           WHERE t.tenant_id = $1 AND t.archived_at IS NOT NULL AND t.created_at < $2
           ORDER BY t.created_at, t.id LIMIT $3 FOR UPDATE SKIP LOCKED`,
          [tenantId, deleteBefore, limit],
        );
        if (doomed.length === 0) return { traces: 0, steps: 0 };
        const [steps] = await tx.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM unnest($2::text[], $3::timestamptz[]) AS k(trace_id, started_at)
           JOIN aos_trace_steps s ON s.tenant_id = $1 AND s.trace_id = k.trace_id AND s.trace_started_at = k.started_at`,
          [tenantId, doomed.map((t) => t.trace_id), doomed.map((t) => t.started_at)],
        );
        const [traces] = await tx.query<{ n: number }>(
          `WITH deleted AS (DELETE FROM aos_traces WHERE tenant_id = $1 AND id = ANY($2::uuid[]) RETURNING 1)
           SELECT count(*)::int AS n FROM deleted`,
          [tenantId, doomed.map((t) => t.id)],
        );
        return { traces: traces!.n, steps: steps?.n ?? 0 };
      });
    },

    /** Every tenant with something to archive or delete under these cutoffs, by id (all tenants: owner connection). */
    async tenantsWithWorkForAnyTenant(cutoffs: RetentionCutoffs): Promise<string[]> {
      const rows = await db.withSession((session) =>
        session.query<{ tenant_id: string }>(
          `/* cross-tenant: retention's work list spans every tenant */
           SELECT DISTINCT t.tenant_id FROM aos_traces t
           WHERE (t.archived_at IS NULL AND t.status <> 'running' AND t.created_at < $1)
              OR ($2::timestamptz IS NOT NULL AND t.archived_at IS NOT NULL AND t.created_at < $2)
           ORDER BY t.tenant_id`,
          [cutoffs.archiveBefore, cutoffs.deleteBefore],
        ),
      );
      return rows.map((r) => r.tenant_id);
    },
  };
}

export type RetentionStore = ReturnType<typeof createRetentionStore>;
