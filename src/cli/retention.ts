// `aos retention`: archive, then delete, traces by age, per tenant, in batches (reference §2.6 and
// its bugs B1/B2 fixed; SQL in stores/retention.ts). Each tenant's run leaves a system record with
// its parameters and counts: the reference's retention log could never be written (B2), and a
// deletion without a trace of itself would be poor evidence.
import { randomUUID } from 'node:crypto';
import { AppError, badInput, notFound } from '../errors.ts';
import type { RetentionCutoffs, RetentionPlan } from '../stores/retention.ts';
import type { Stores } from '../stores/index.ts';

const DAY_MS = 86_400_000;
export const DEFAULT_BATCH_SIZE = 500;

export type RetentionOptions = {
  /** One tenant; undefined: every tenant with something to archive or delete. */
  tenantId?: string | undefined;
  archiveAfterDays: number;
  /** undefined: archive only, delete nothing. */
  deleteAfterDays?: number | undefined;
  dryRun?: boolean | undefined;
  batchSize?: number | undefined;
  /** The instant ages are measured from (default now); tests move it instead of the data. */
  asOf?: Date | undefined;
  /** false: delete steps in batches only, never by dropping a month partition (for comparisons). */
  dropPartitions?: boolean | undefined;
  /** After every batch: traces handled so far out of the total planned, across tenants. */
  onProgress?: ((state: { tenantId: string; done: number; total: number }) => void) | undefined;
};

export type TenantRetention = {
  tenantId: string;
  archivedTraces: number;
  archivedSteps: number;
  deletedTraces: number;
  deletedSteps: number;
  runningSkipped: number;
  /** The system record of this run (none for a dry run). */
  recordId: string | null;
};

export type RetentionReport = {
  dryRun: boolean;
  cutoffs: RetentionCutoffs;
  runId: string;
  tenants: TenantRetention[];
  /** Month partitions of the steps dropped whole (docs/partitions.md). */
  droppedPartitions: string[];
};

/** Checks the ages (whole days, delete ≥ archive) and turns them into cutoff instants. */
export function retentionCutoffs(archiveAfterDays: number, deleteAfterDays: number | undefined, asOf: Date): RetentionCutoffs {
  if (!Number.isInteger(archiveAfterDays) || archiveAfterDays < 1) throw badInput('--archive-after-days: a whole number of days, 1 or more', 'archiveAfterDays');
  if (deleteAfterDays !== undefined && (!Number.isInteger(deleteAfterDays) || deleteAfterDays < archiveAfterDays)) {
    throw badInput(`--delete-after-days: a whole number of days, at least --archive-after-days (${archiveAfterDays})`, 'deleteAfterDays');
  }
  return {
    archiveBefore: new Date(asOf.getTime() - archiveAfterDays * DAY_MS),
    deleteBefore: deleteAfterDays === undefined ? null : new Date(asOf.getTime() - deleteAfterDays * DAY_MS),
  };
}

export async function runRetention(stores: Stores, options: RetentionOptions): Promise<RetentionReport> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const cutoffs = retentionCutoffs(options.archiveAfterDays, options.deleteAfterDays, options.asOf ?? new Date());
  const runId = `retention-${randomUUID()}`;

  let tenantIds: string[];
  if (options.tenantId !== undefined) {
    const [tenant] = await stores.tenants.byIds([options.tenantId]);
    if (!tenant) throw notFound(`tenant ${options.tenantId}`);
    tenantIds = [options.tenantId];
  } else {
    tenantIds = await stores.retention.tenantsWithWorkForAnyTenant(cutoffs);
  }

  const plans = new Map<string, RetentionPlan>();
  for (const tenantId of tenantIds) plans.set(tenantId, await stores.retention.plan(tenantId, cutoffs));
  if (options.dryRun) {
    const tenants = tenantIds.map((tenantId) => {
      const p = plans.get(tenantId)!;
      return { tenantId, archivedTraces: p.archiveTraces, archivedSteps: p.archiveSteps, deletedTraces: p.deleteTraces, deletedSteps: p.deleteSteps, runningSkipped: p.runningSkipped, recordId: null };
    });
    return { dryRun: true, cutoffs, runId, tenants, droppedPartitions: [] };
  }

  const tenants: TenantRetention[] = [];
  const total = [...plans.values()].reduce((sum, p) => sum + p.archiveTraces + p.deleteTraces, 0);
  let done = 0;
  const results = new Map<string, { result: TenantRetention; started: number }>();
  const resultOf = (tenantId: string) => {
    let entry = results.get(tenantId);
    if (!entry) {
      const result = { tenantId, archivedTraces: 0, archivedSteps: 0, deletedTraces: 0, deletedSteps: 0, runningSkipped: plans.get(tenantId)?.runningSkipped ?? 0, recordId: null };
      results.set(tenantId, (entry = { result, started: Date.now() }));
    }
    return entry.result;
  };
  const droppedPartitions: string[] = [];
  let current: string | undefined;
  try {
    // Archive first, every tenant: a month partition can go whole only once all its traces are archived.
    for (const tenantId of tenantIds) {
      current = tenantId;
      const result = resultOf(tenantId);
      for (;;) {
        const batch = await stores.retention.archiveBatch(tenantId, cutoffs.archiveBefore, new Date(), batchSize);
        result.archivedTraces += batch.traces;
        result.archivedSteps += batch.steps;
        done += batch.traces;
        options.onProgress?.({ tenantId, done, total });
        if (batch.traces < batchSize) break;
      }
    }
    current = undefined;
    // A whole-deployment run drops the steps of whole past months at once (partitions.ts); a
    // partition holds every tenant's steps, so a one-tenant run deletes in batches only.
    if (cutoffs.deleteBefore && options.tenantId === undefined && options.dropPartitions !== false) {
      for (const partition of await stores.partitions.dropExpiredStepPartitions(cutoffs.deleteBefore)) {
        droppedPartitions.push(partition.name);
        for (const [tenantId, steps] of partition.stepsByTenant) {
          if (!tenantIds.includes(tenantId)) tenantIds.push(tenantId);
          resultOf(tenantId).deletedSteps += steps;
        }
      }
    }
    // Then the traces (and the steps of the months not dropped whole) in batches.
    for (const tenantId of tenantIds) {
      current = tenantId;
      const result = resultOf(tenantId);
      while (cutoffs.deleteBefore) {
        const batch = await stores.retention.deleteBatch(tenantId, cutoffs.deleteBefore, batchSize);
        result.deletedTraces += batch.traces;
        result.deletedSteps += batch.steps;
        done += batch.traces;
        options.onProgress?.({ tenantId, done, total });
        if (batch.traces < batchSize) break;
      }
      const { started } = results.get(tenantId)!;
      result.recordId = await record(stores, runId, options, cutoffs, result, Date.now() - started);
      results.delete(tenantId);
      tenants.push(result);
    }
  } catch (error) {
    // What committed before the failure stays done; the records say how far the run got.
    for (const [tenantId, { result, started }] of results) {
      await record(stores, runId, options, cutoffs, result, Date.now() - started, tenantId === current ? error : undefined).catch(() => undefined);
    }
    throw error;
  }
  return { dryRun: false, cutoffs, runId, tenants, droppedPartitions };
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** One line about a tenant's run; `planned` words it as what a dry run would do. */
export function describeCounts(
  r: Pick<TenantRetention, 'archivedTraces' | 'archivedSteps' | 'deletedTraces' | 'deletedSteps'>,
  cutoffs: RetentionCutoffs,
  planned = false,
): string {
  const [archive, remove] = planned ? ['would archive', 'would delete'] : ['archived', 'deleted'];
  const archived = `${archive} ${r.archivedTraces} traces (${r.archivedSteps} steps) created before ${day(cutoffs.archiveBefore)}`;
  const deleted = cutoffs.deleteBefore
    ? `${remove} ${r.deletedTraces} archived traces (${r.deletedSteps} steps) created before ${day(cutoffs.deleteBefore)}`
    : `${remove} nothing (no delete age given)`;
  return `${archived}; ${deleted}`;
}

/**
 * The tenant's evidence of the run, as a system record: component `scheduler` (retention is the
 * job the reference meant to schedule with pg_cron), event type MIGRATION (rows moving from live to
 * archived to deleted — the closest of the reference's event types; none names retention) and
 * details.operation = "retention" to tell it apart. A failed run is recorded as ERROR.
 */
async function record(
  stores: Stores,
  runId: string,
  options: RetentionOptions,
  cutoffs: RetentionCutoffs,
  result: TenantRetention,
  durationMs: number,
  error?: unknown,
): Promise<string> {
  const counts = describeCounts(result, cutoffs);
  const message = error instanceof AppError || error instanceof Error ? error.message : error === undefined ? undefined : String(error);
  const { systemRecord } = await stores.systemRecords.record(result.tenantId, {
    component: 'scheduler',
    eventType: error === undefined ? 'MIGRATION' : 'ERROR',
    severity: error === undefined ? 'INFO' : 'WARN',
    summary: (error === undefined ? `Retention: ${counts}` : `Retention stopped by an error (${message}) after it ${counts}`).slice(0, 2000),
    details: {
      operation: 'retention',
      archiveAfterDays: options.archiveAfterDays,
      deleteAfterDays: options.deleteAfterDays ?? null,
      archiveBefore: cutoffs.archiveBefore.toISOString(),
      deleteBefore: cutoffs.deleteBefore?.toISOString() ?? null,
      archivedTraces: result.archivedTraces,
      archivedSteps: result.archivedSteps,
      deletedTraces: result.deletedTraces,
      deletedSteps: result.deletedSteps,
      runningSkipped: result.runningSkipped,
      durationMs,
      ...(message !== undefined && { error: message }),
    },
    causedBy: 'AUTOMATION',
    correlationId: runId,
  });
  return systemRecord.id;
}
