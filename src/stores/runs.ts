// Runs: one row per agent run, created by the first trace that names it (reference `runs`, the
// columns the export bundle and replay need). Tenant first; keyset pages. Through the driver.
import { sql, raw, type Sql } from '../db/sql.ts';
import type { Db } from '../db/client.ts';
import { oneByKey } from './batch.ts';
import { andWhere, selectList } from './driver-sql.ts';
import { type Page, type PageResult, selectPage, countWhere } from './keyset.ts';

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'aborted';

export interface Run {
  id: string;
  tenantId: string;
  runId: string;
  agentId: string | null;
  goal: string | null;
  status: RunStatus;
  policySnapshotId: string | null;
  terminationReason: string | null;
  isSynthetic: boolean;
  syntheticScenarioId: string | null;
  startedAt: Date;
  completedAt: Date | null;
  createdAt: Date;
}

export interface RunFilter {
  agentId?: string | undefined;
  status?: RunStatus | undefined;
  isSynthetic?: boolean | undefined;
  startedAfter?: Date | undefined;
  startedBefore?: Date | undefined;
}

/** Every run column under its domain name (alias `r`); the export bundle reads runs with it too. */
export const RUN_SELECT = selectList(
  [
    ['id', 'id'],
    ['tenant_id', 'tenantId'],
    ['run_id', 'runId'],
    ['agent_id', 'agentId'],
    ['goal', 'goal'],
    ['status::text', 'status'],
    ['policy_snapshot_id', 'policySnapshotId'],
    ['termination_reason::text', 'terminationReason'],
    ['is_synthetic', 'isSynthetic'],
    ['synthetic_scenario_id', 'syntheticScenarioId'],
    ['started_at', 'startedAt'],
    ['completed_at', 'completedAt'],
    ['created_at', 'createdAt'],
  ],
  'r',
);

/** One predicate for a page and its count, so totalCount always matches the list (B7). */
const matching = (tenantId: string, f: RunFilter): Sql =>
  andWhere(
    [sql`r.tenant_id = ${tenantId}`],
    [
      ['r.agent_id', f.agentId],
      ['r.status', f.status, 'RunStatus'],
      ['r.is_synthetic', f.isSynthetic],
    ],
    [
      ['r.started_at', '>=', f.startedAfter],
      ['r.started_at', '<=', f.startedBefore],
    ],
  );

export function createRunStore(db: Db) {
  return {
    /** Newest first by default. Index: (tenant_id, started_at DESC, id DESC). */
    async list(tenantId: string, filter: RunFilter, page: Page): Promise<PageResult<Run>> {
      const where = matching(tenantId, filter);
      return selectPage(db, { select: RUN_SELECT, from: 'runs r', where, column: 'r.started_at', id: 'r.id', map: (row: Run) => row }, page);
    },

    count: (tenantId: string, filter: RunFilter): Promise<number> => countWhere(db, 'runs r', matching(tenantId, filter)),

    /** For the runByRunId loader. Index: unique (tenant_id, run_id). */
    async byRunIds(tenantId: string, runIds: readonly string[]): Promise<(Run | null)[]> {
      const query = sql`SELECT ${raw(RUN_SELECT)} FROM runs r WHERE r.tenant_id = ${tenantId} AND r.run_id = ANY(${[...runIds]}::text[])`;
      return oneByKey(runIds, await db.query<Run>(query.text, query.values), (r) => r.runId);
    },
  };
}

export type RunStore = ReturnType<typeof createRunStore>;
