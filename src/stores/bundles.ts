// Export bundles: reads the facts of one incident of one tenant (B3: the reference fetched the
// incident and the run by id alone, so any tenant could export another's evidence), assembles the
// document (domain/bundles.ts) and records it as a log export whose checksum is the content hash.
import type { Prisma } from '../generated/prisma/client.ts';
import {
  assembleBundle,
  type BundleActivation,
  type BundleDocument,
  type BundleKind,
  type BundleSources,
} from '../domain/bundles.ts';
import { redactOptionalText } from '../domain/redact.ts';
import { dbErrorMessage, notFound } from '../errors.ts';
import type { Db } from '../db/client.ts';
import type { LogExport, LogExportStore } from './log-exports.ts';
import { isUuid } from './ids.ts';

type Tx = Prisma.TransactionClient;

/** Most raw steps one bundle carries; beyond it the trace summary says steps_truncated (totals stay exact). */
export const MAX_BUNDLE_STEPS = 10_000;
/** Most ledger entries about one incident, and most active policies, a bundle carries. */
export const MAX_BUNDLE_LEDGER_ENTRIES = 1_000;
export const MAX_BUNDLE_POLICIES = 1_000;

export interface ExportBundleInput {
  incidentId: string;
  kind: BundleKind;
  includeRawSteps?: boolean | undefined;
  exportReason?: string | undefined;
  preparedFor?: string | undefined;
}

export interface ExportedBundle {
  bundle: BundleDocument;
  logExport: LogExport;
}

const NEWEST_FIRST: Prisma.TraceOrderByWithRelationInput[] = [{ startedAt: 'desc' }, { id: 'desc' }];

export function createBundleStore(db: Db, logExports: LogExportStore) {
  const prisma = db.prisma;

  /**
   * The trace an incident is about: the one linked to it (aos_traces.incident_id), else the newest
   * trace of its source run. A run may have several traces (B18), so "newest" is (started_at, id).
   */
  async function traceOf(tx: Tx, tenantId: string, incidentId: string, runId: string | null) {
    const linked = await tx.trace.findFirst({ where: { tenantId, incidentId }, orderBy: NEWEST_FIRST });
    if (linked || runId === null) return linked;
    return tx.trace.findFirst({ where: { tenantId, runId }, orderBy: NEWEST_FIRST });
  }

  async function stepTotals(tx: Tx, tenantId: string, traceId: string) {
    const [row] = await tx.$queryRaw<{ count: number; success: number; failure: number; cost: bigint; duration: number }[]>`
      SELECT count(*)::int AS count,
             (count(*) FILTER (WHERE status = 'success'))::int AS success,
             (count(*) FILTER (WHERE status = 'failure'))::int AS failure,
             COALESCE(sum(cost_microcents), 0)::bigint AS cost,
             COALESCE(sum(duration_ms), 0)::float8 AS duration
      FROM aos_trace_steps WHERE tenant_id = ${tenantId} AND trace_id = ${traceId}`;
    return { count: row!.count, successCount: row!.success, failureCount: row!.failure, costMicrocents: BigInt(row!.cost), durationMs: Number(row!.duration) };
  }

  /** B12: the run's cost is the exact sum of the step costs of all its traces (runs has no cost column). */
  async function runCost(tx: Tx, tenantId: string, runId: string): Promise<bigint> {
    const [row] = await tx.$queryRaw<{ cost: bigint }[]>`
      SELECT COALESCE(sum(s.cost_microcents), 0)::bigint AS cost
      FROM aos_traces t JOIN aos_trace_steps s ON s.tenant_id = t.tenant_id AND s.trace_id = t.trace_id
      WHERE t.tenant_id = ${tenantId} AND t.run_id = ${runId}`;
    return BigInt(row!.cost);
  }

  /** The latest activation of each policy recorded and effective before the incident; index (tenant_id, policy_id, activated_at DESC). */
  async function activePolicies(tx: Tx, tenantId: string, before: Date): Promise<BundleActivation[]> {
    return tx.$queryRaw<BundleActivation[]>`
      SELECT DISTINCT ON (policy_id) policy_id AS "policyId", source_pattern_id AS "sourcePatternId",
             confidence_at_activation AS "confidenceAtActivation", confidence_version AS "confidenceVersion",
             approval_path AS "approvalPath", activated_at AS "activatedAt"
      FROM policy_activation_audit
      WHERE tenant_id = ${tenantId} AND activated_at <= ${before}::timestamptz AND created_at <= ${before}::timestamptz
      ORDER BY policy_id, activated_at DESC, id DESC
      LIMIT ${MAX_BUNDLE_POLICIES}`;
  }

  /**
   * Everything a bundle states about an incident, read in one REPEATABLE READ snapshot so the
   * ledger head, the entries and the steps agree with each other. Every read carries the tenant.
   * Raw steps include archived ones: the trace's root hash covers them.
   */
  async function sources(tenantId: string, incidentId: string, includeRawSteps: boolean): Promise<BundleSources | null> {
    if (!isUuid(incidentId)) return null;
    return prisma.$transaction(
      async (tx) => {
        const incident = await tx.incident.findFirst({ where: { tenantId, id: incidentId.toLowerCase() } });
        if (!incident) return null;
        const runId = incident.sourceRunId;
        const run = runId === null ? null : await tx.run.findUnique({ where: { tenantId_runId: { tenantId, runId } } });
        const trace = await traceOf(tx, tenantId, incident.id, runId);
        const stepRows =
          trace && includeRawSteps
            ? await tx.traceStep.findMany({
                where: { tenantId, traceId: trace.traceId },
                orderBy: { stepIndex: 'asc' },
                take: MAX_BUNDLE_STEPS + 1,
                select: { stepIndex: true, timestamp: true, skillName: true, status: true, costMicrocents: true, durationMs: true, contentHash: true },
              })
            : null;
        const ledgerEntries = await tx.auditEntry.findMany({
          where: { tenantId, entityType: 'INCIDENT', entityId: incident.id },
          orderBy: { seq: 'asc' },
          take: MAX_BUNDLE_LEDGER_ENTRIES,
        });
        return {
          incident,
          run,
          runCostMicrocents: runId === null ? null : await runCost(tx, tenantId, runId),
          trace,
          stepTotals: trace ? await stepTotals(tx, tenantId, trace.traceId) : null,
          steps: stepRows?.slice(0, MAX_BUNDLE_STEPS) ?? null,
          stepsTruncated: (stepRows?.length ?? 0) > MAX_BUNDLE_STEPS,
          llmRun: runId === null ? null : await tx.llmRunRecord.findUnique({ where: { tenantId_runId: { tenantId, runId } } }),
          ledgerEntries,
          ledgerHead: await tx.auditEntry.findFirst({ where: { tenantId }, orderBy: { seq: 'desc' }, select: { seq: true, entryHash: true } }),
          activePolicies: await activePolicies(tx, tenantId, incident.createdAt),
        };
      },
      { isolationLevel: 'RepeatableRead', timeout: 30_000 },
    );
  }

  return {
    /**
     * Records a log export (scope compliance, format json, origin SYSTEM, requested by the API key),
     * assembles the bundle and completes the export with checksum sha256:<content hash>. An unknown
     * incident and another tenant's are the same NOT_FOUND, and neither writes anything. If
     * assembly fails the export is marked FAILED with the reason, and the error propagates.
     */
    async export(tenantId: string, input: ExportBundleInput, requestedBy: string): Promise<ExportedBundle> {
      const incident = isUuid(input.incidentId)
        ? await prisma.incident.findFirst({ where: { tenantId, id: input.incidentId.toLowerCase() }, select: { id: true, sourceRunId: true } })
        : null;
      if (!incident) throw notFound(`incident ${input.incidentId}`);
      const logExport = await logExports.request(tenantId, {
        scope: 'compliance',
        format: 'json',
        origin: 'SYSTEM',
        requestedBy,
        incidentId: incident.id,
        runId: incident.sourceRunId ?? undefined,
        // The logs facade correlates by run id; an incident without a run correlates by itself.
        correlationId: incident.sourceRunId ?? incident.id,
      });
      let bundle: BundleDocument;
      try {
        const facts = await sources(tenantId, incident.id, input.includeRawSteps ?? true);
        if (!facts) throw new Error(`incident ${incident.id} disappeared during export`);
        bundle = assembleBundle(facts, {
          kind: input.kind,
          logExportId: logExport.id,
          createdAt: logExport.createdAt,
          exportedBy: requestedBy,
          exportReason: redactOptionalText(input.exportReason) ?? null,
          preparedFor: redactOptionalText(input.preparedFor) ?? null,
        });
      } catch (error) {
        await logExports.fail(tenantId, logExport.id, `bundle assembly failed: ${dbErrorMessage(error).slice(0, 500)}`).catch(() => {
          // The original error matters more; the export stays PENDING and says so.
        });
        throw error;
      }
      return { bundle, logExport: await logExports.complete(tenantId, logExport.id, `sha256:${bundle.content_hash}`) };
    },

    /**
     * Whether the tenant has a COMPLETED export with this checksum. With the export id the bundle
     * names, a primary-key lookup; without it, a scan of the tenant's exports by checksum.
     */
    async completedExportExists(tenantId: string, checksum: string, exportId: string | null): Promise<boolean> {
      const where = { tenantId, status: 'completed' as const, checksum };
      const found =
        exportId !== null && isUuid(exportId)
          ? await prisma.logExport.findFirst({ where: { ...where, id: exportId.toLowerCase() }, select: { id: true } })
          : await prisma.logExport.findFirst({ where, select: { id: true } });
      return found !== null;
    },
  };
}

export type BundleStore = ReturnType<typeof createBundleStore>;
