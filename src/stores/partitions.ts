// The month partitions of aos_trace_steps (issue 14 §3, docs/partitions.md): created ahead by the
// maintenance job, dropped whole by retention once every trace they hold is archived and past the
// delete age. Partitions hold every tenant's rows, so all of this is cross-tenant owner work
// (DDL on the owner's session); aos_app never sees a partition, only the parent.
import type { Db } from '../db/client.ts';

export type PartitionState = 'created' | 'exists' | 'blocked';

/** A partition the maintenance job looked at; the DEFAULT partition has no range. */
export type StepPartition = { name: string; rangeStart: Date | null; rangeEnd: Date | null; state: PartitionState };

/** A month partition retention dropped, with the steps each tenant had in it. */
export type DroppedPartition = { name: string; rangeStart: Date; rangeEnd: Date; stepsByTenant: Map<string, number> };

const MONTH_PARTITION = /^aos_trace_steps_p(\d{4})_(\d{2})$/;

/** The first instant of the UTC month `months` after the one holding `at`. */
export function monthStart(at: Date, months = 0): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + months, 1));
}

/** The month partitions that exist, oldest first, with their ranges (from their names: only we make them). */
async function monthPartitions(db: Db): Promise<{ name: string; rangeStart: Date; rangeEnd: Date }[]> {
  const rows = await db.withSession((s) =>
    s.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'aos_trace_steps'::regclass ORDER BY c.relname`,
    ),
  );
  return rows.flatMap(({ name }) => {
    const m = MONTH_PARTITION.exec(name);
    if (!m) return [];
    const rangeStart = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
    return [{ name, rangeStart, rangeEnd: monthStart(rangeStart, 1) }];
  });
}

export function createPartitionStore(db: Db) {
  return {
    /**
     * Makes sure the partitions of the month holding `at` and the `monthsAhead` months after it
     * exist (and DEFAULT): idempotent, so every process may run it. A month whose rows already sit
     * in DEFAULT is reported 'blocked' and left there (see aos_ensure_trace_step_partitions).
     */
    async ensureStepPartitions(at: Date, monthsAhead: number): Promise<StepPartition[]> {
      if (!Number.isInteger(monthsAhead) || monthsAhead < 0) throw new RangeError(`monthsAhead: a whole number, 0 or more, got ${monthsAhead}`);
      const rows = await db.withSession((s) =>
        s.query<{ partition_name: string; range_start: Date | null; range_end: Date | null; state: PartitionState }>(
          // One CREATE TABLE per missing month; concurrent callers serialise on the parent's lock.
          `/* cross-tenant: partitions hold every tenant's steps */
           SELECT * FROM aos_ensure_trace_step_partitions($1::timestamptz, $2::timestamptz)`,
          [monthStart(at), monthStart(at, monthsAhead + 1)],
        ),
      );
      return rows.map((r) => ({ name: r.partition_name, rangeStart: r.range_start, rangeEnd: r.range_end, state: r.state }));
    },

    /** Every partition of aos_trace_steps with its row estimate (pg_class.reltuples: no scan). */
    async stepPartitions(): Promise<{ name: string; bound: string; estimatedRows: number }[]> {
      return db.withSession((s) =>
        s.query<{ name: string; bound: string; estimatedRows: number }>(
          `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound, greatest(c.reltuples, 0)::bigint::int AS "estimatedRows"
           FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
           WHERE i.inhparent = 'aos_trace_steps'::regclass ORDER BY c.relname`,
        ),
      );
    },

    /**
     * Detaches and drops every month partition that ended by `deleteBefore` and whose traces are
     * all archived and created before `deleteBefore` — exactly the traces retention's batched
     * delete would remove, so dropping their steps at once changes no outcome, only the cost (no
     * row-by-row delete, no WAL per row, no dead tuples to vacuum). The traces themselves stay for
     * the batched delete that follows (cheap now: their cascade finds no step); until then they are
     * archived traces without steps, which nothing but retention looks at.
     *
     * Each partition in its own short transaction: SHARE on the partition first (no write into it
     * meanwhile, reads go on), the check and the per-tenant counts, then DETACH and DROP, which hold
     * the parent's ACCESS EXCLUSIVE lock only until the commit right after.
     */
    async dropExpiredStepPartitions(deleteBefore: Date): Promise<DroppedPartition[]> {
      const dropped: DroppedPartition[] = [];
      for (const p of await monthPartitions(db)) {
        if (p.rangeEnd > deleteBefore) continue;
        const result = await db.transaction(
          async (tx) => {
            await tx.query(`/* cross-tenant: a partition holds every tenant's steps */ LOCK TABLE "${p.name}" IN SHARE MODE`);
            const [blocked] = await tx.query<{ yes: boolean }>(
              `/* cross-tenant: the partition is dropped for every tenant at once, so every tenant's traces must allow it */
               SELECT EXISTS (SELECT 1 FROM aos_traces t WHERE t.started_at >= $1 AND t.started_at < $2
                              AND NOT (t.archived_at IS NOT NULL AND t.created_at < $3)) AS yes`,
              [p.rangeStart, p.rangeEnd, deleteBefore],
            );
            if (blocked!.yes) return null;
            const counts = await tx.query<{ tenant_id: string; n: number }>(
              `/* cross-tenant: each tenant's retention record counts its own steps */
               SELECT tenant_id, count(*)::int AS n FROM "${p.name}" GROUP BY tenant_id`,
            );
            await tx.query(`ALTER TABLE aos_trace_steps DETACH PARTITION "${p.name}"`);
            await tx.query(`DROP TABLE "${p.name}"`);
            return new Map(counts.map((c) => [c.tenant_id, c.n]));
          },
          { admin: true },
        );
        if (result) dropped.push({ ...p, stepsByTenant: result });
      }
      return dropped;
    },
  };
}

export type PartitionStore = ReturnType<typeof createPartitionStore>;
