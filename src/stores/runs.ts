// Runs: one row per agent run, created by the first trace that names it (reference `runs`, the
// columns the export bundle and replay need). Tenant first; keyset pages.
import type { Prisma } from '../generated/prisma/client.ts';
import type { Db } from '../db/client.ts';
import { oneByKey } from './batch.ts';
import { finishPage, keysetQuery, parseDate, type Page, type PageResult } from './keyset.ts';

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

function runWhere(tenantId: string, f: RunFilter): Prisma.RunWhereInput {
  return {
    tenantId,
    ...(f.agentId !== undefined && { agentId: f.agentId }),
    ...(f.status !== undefined && { status: f.status }),
    ...(f.isSynthetic !== undefined && { isSynthetic: f.isSynthetic }),
    ...((f.startedAfter || f.startedBefore) && { startedAt: { gte: f.startedAfter, lte: f.startedBefore } }),
  };
}

export function createRunStore(db: Db) {
  const prisma = db.prisma;
  return {
    /** Newest first by default. Index: (tenant_id, started_at DESC, id DESC). */
    async list(tenantId: string, filter: RunFilter, page: Page): Promise<PageResult<Run>> {
      const k = keysetQuery(page, 'startedAt', parseDate);
      const rows = await prisma.run.findMany({
        where: { AND: [runWhere(tenantId, filter), k.where] },
        orderBy: k.orderBy as Prisma.RunOrderByWithRelationInput[],
        take: k.take,
      });
      return finishPage(rows, page);
    },

    count: (tenantId: string, filter: RunFilter) => prisma.run.count({ where: runWhere(tenantId, filter) }),

    /** For the runByRunId loader. Index: unique (tenant_id, run_id). */
    async byRunIds(tenantId: string, runIds: readonly string[]): Promise<(Run | null)[]> {
      const rows = await prisma.run.findMany({ where: { tenantId, runId: { in: [...runIds] } } });
      return oneByKey(runIds, rows, (r) => r.runId);
    },
  };
}

export type RunStore = ReturnType<typeof createRunStore>;
