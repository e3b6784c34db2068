// Export bundles: reads the facts of one incident of one tenant (B3: the reference fetched the
// incident and the run by id alone, so any tenant could export another's evidence), assembles the
// document (domain/bundles.ts) and records it as a log export whose checksum is the content hash.
import { sql, raw, empty, type Sql } from '../db/sql.ts';
import {
  assembleBundle,
  type BundleActivation,
  type BundleDocument,
  type BundleKind,
  type BundleLlmRun,
  type BundleSources,
  type BundleStep,
} from '../domain/bundles.ts';
import { redactOptionalText } from '../domain/redact.ts';
import { dbErrorMessage, notFound } from '../errors.ts';
import type { Db, SqlSession } from '../db/client.ts';
import type { Trace } from '../domain/trace.ts';
import { AUDIT_SELECT, auditEntryFromDriverRow, type AuditDriverRow } from './audit-ledger.ts';
import { INCIDENT_SELECT, incidentFromDriverRow, type IncidentDriverRow } from './incidents.ts';
import type { LogExport, LogExportStore } from './log-exports.ts';
import { isUuid } from './ids.ts';
import { RUN_SELECT, type Run } from './runs.ts';
import { TRACE_SELECT, traceFromDriverRow } from './trace-rows.ts';

type Tx = SqlSession;

/** Rows of a statement built with `sql`, in the transaction. */
const rows = <T>(tx: Tx, query: Sql) => tx.query<T>(query.text, query.values);

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

export function createBundleStore(db: Db, logExports: LogExportStore) {
  /** The newest trace of the tenant matching `where` (on alias `t`), by (started_at, id). */
  async function newestTrace(tx: Tx, tenantId: string, where: Sql): Promise<Trace | null> {
    const [row] = await rows<Parameters<typeof traceFromDriverRow>[0]>(
      tx,
      sql`SELECT ${raw(TRACE_SELECT.full)} FROM aos_traces t WHERE t.tenant_id = ${tenantId} AND ${where} ORDER BY t.started_at DESC, t.id DESC LIMIT 1`,
    );
    return row ? traceFromDriverRow(row) : null;
  }

  /**
   * The trace an incident is about: the one linked to it (aos_traces.incident_id), else the newest
   * trace of its source run. A run may have several traces (B18), so "newest" is (started_at, id).
   */
  async function traceOf(tx: Tx, tenantId: string, incidentId: string, runId: string | null) {
    const linked = await newestTrace(tx, tenantId, sql`t.incident_id = ${incidentId}::uuid`);
    if (linked || runId === null) return linked;
    return newestTrace(tx, tenantId, sql`t.run_id = ${runId}`);
  }

  async function stepTotals(tx: Tx, tenantId: string, traceId: string) {
    const [row] = await rows<{ count: number; success: number; failure: number; cost: string; duration: number }>(
      tx,
      sql`
      SELECT count(*)::int AS count,
             (count(*) FILTER (WHERE status = 'success'))::int AS success,
             (count(*) FILTER (WHERE status = 'failure'))::int AS failure,
             COALESCE(sum(cost_microcents), 0)::bigint::text AS cost,
             COALESCE(sum(duration_ms), 0)::float8 AS duration
      FROM aos_trace_steps WHERE tenant_id = ${tenantId} AND trace_id = ${traceId}`,
    );
    return { count: row!.count, successCount: row!.success, failureCount: row!.failure, costMicrocents: BigInt(row!.cost), durationMs: Number(row!.duration) };
  }

  /** B12: the run's cost is the exact sum of the step costs of all its traces (runs has no cost column). */
  async function runCost(tx: Tx, tenantId: string, runId: string): Promise<bigint> {
    const [row] = await rows<{ cost: string }>(
      tx,
      sql`
      SELECT COALESCE(sum(s.cost_microcents), 0)::bigint::text AS cost
      FROM aos_traces t JOIN aos_trace_steps s ON s.tenant_id = t.tenant_id AND s.trace_id = t.trace_id
      WHERE t.tenant_id = ${tenantId} AND t.run_id = ${runId}`,
    );
    return BigInt(row!.cost);
  }

  /** The latest activation of each policy recorded and effective before the incident; index (tenant_id, policy_id, activated_at DESC). */
  async function activePolicies(tx: Tx, tenantId: string, before: Date): Promise<BundleActivation[]> {
    return rows<BundleActivation>(
      tx,
      sql`
      SELECT DISTINCT ON (policy_id) policy_id AS "policyId", source_pattern_id AS "sourcePatternId",
             confidence_at_activation AS "confidenceAtActivation", confidence_version AS "confidenceVersion",
             approval_path AS "approvalPath", activated_at AS "activatedAt"
      FROM policy_activation_audit
      WHERE tenant_id = ${tenantId} AND activated_at <= ${before}::timestamptz AND created_at <= ${before}::timestamptz
      ORDER BY policy_id, activated_at DESC, id DESC
      LIMIT ${MAX_BUNDLE_POLICIES}`,
    );
  }

  /** What the bundle states about the run's LLM execution record (unique per tenant and run). */
  async function llmRunOf(tx: Tx, tenantId: string, runId: string): Promise<BundleLlmRun | null> {
    const [row] = await rows<Omit<BundleLlmRun, 'costMicrocents'> & { costMicrocents: string }>(
      tx,
      sql`SELECT provider, model, input_tokens AS "inputTokens", output_tokens AS "outputTokens",
            cost_microcents::text AS "costMicrocents", execution_status::text AS "executionStatus"
          FROM llm_run_records WHERE tenant_id = ${tenantId} AND run_id = ${runId}`,
    );
    return row ? { ...row, costMicrocents: BigInt(row.costMicrocents) } : null;
  }

  /**
   * Everything a bundle states about an incident, read in one REPEATABLE READ snapshot so the
   * ledger head, the entries and the steps agree with each other. Every read carries the tenant.
   * Raw steps include archived ones: the trace's root hash covers them.
   */
  async function sources(tenantId: string, incidentId: string, includeRawSteps: boolean): Promise<BundleSources | null> {
    if (!isUuid(incidentId)) return null;
    return db.transaction(
      async (tx) => {
        const [incidentRow] = await rows<IncidentDriverRow>(
          tx,
          sql`SELECT ${raw(INCIDENT_SELECT)} FROM incidents i WHERE i.tenant_id = ${tenantId} AND i.id = ${incidentId.toLowerCase()}::uuid`,
        );
        if (!incidentRow) return null;
        const incident = incidentFromDriverRow(incidentRow);
        const runId = incident.sourceRunId;
        const [run] = runId === null ? [] : await rows<Run>(tx, sql`SELECT ${raw(RUN_SELECT)} FROM runs r WHERE r.tenant_id = ${tenantId} AND r.run_id = ${runId}`);
        const trace = await traceOf(tx, tenantId, incident.id, runId);
        const stepRows =
          trace && includeRawSteps
            ? (
                await rows<Omit<BundleStep, 'costMicrocents'> & { costMicrocents: string }>(
                  tx,
                  sql`SELECT step_index AS "stepIndex", "timestamp", skill_name AS "skillName", status::text AS status,
                        cost_microcents::text AS "costMicrocents", duration_ms AS "durationMs", content_hash AS "contentHash"
                      FROM aos_trace_steps WHERE tenant_id = ${tenantId} AND trace_id = ${trace.traceId}
                      ORDER BY step_index LIMIT ${MAX_BUNDLE_STEPS + 1}`,
                )
              ).map((s): BundleStep => ({ ...s, costMicrocents: BigInt(s.costMicrocents) }))
            : null;
        const ledgerEntries = (
          await rows<AuditDriverRow>(
            tx,
            sql`SELECT ${raw(AUDIT_SELECT)} FROM audit_ledger a
                WHERE a.tenant_id = ${tenantId} AND a.entity_type = 'INCIDENT' AND a.entity_id = ${incident.id}
                ORDER BY a.seq LIMIT ${MAX_BUNDLE_LEDGER_ENTRIES}`,
          )
        ).map(auditEntryFromDriverRow);
        const [head] = await rows<{ seq: string; entryHash: string }>(
          tx,
          sql`SELECT a.seq::text AS seq, a.entry_hash AS "entryHash" FROM audit_ledger a WHERE a.tenant_id = ${tenantId} ORDER BY a.seq DESC LIMIT 1`,
        );
        return {
          incident,
          run: run ?? null,
          runCostMicrocents: runId === null ? null : await runCost(tx, tenantId, runId),
          trace,
          stepTotals: trace ? await stepTotals(tx, tenantId, trace.traceId) : null,
          steps: stepRows?.slice(0, MAX_BUNDLE_STEPS) ?? null,
          stepsTruncated: (stepRows?.length ?? 0) > MAX_BUNDLE_STEPS,
          llmRun: runId === null ? null : await llmRunOf(tx, tenantId, runId),
          ledgerEntries,
          ledgerHead: head ? { seq: BigInt(head.seq), entryHash: head.entryHash } : null,
          activePolicies: await activePolicies(tx, tenantId, incident.createdAt),
        };
      },
      { isolation: 'repeatable read' },
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
      const [incident] = isUuid(input.incidentId)
        ? await db.query<{ id: string; sourceRunId: string | null }>(
            `SELECT id, source_run_id AS "sourceRunId" FROM incidents WHERE tenant_id = $1 AND id = $2::uuid`,
            [tenantId, input.incidentId.toLowerCase()],
          )
        : [];
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
      const byId = exportId !== null && isUuid(exportId) ? sql`AND id = ${exportId.toLowerCase()}::uuid` : empty;
      const query = sql`SELECT 1 FROM log_exports WHERE tenant_id = ${tenantId} AND status = 'completed' AND checksum = ${checksum} ${byId} LIMIT 1`;
      return (await db.query(query.text, query.values)).length > 0;
    },
  };
}

export type BundleStore = ReturnType<typeof createBundleStore>;
