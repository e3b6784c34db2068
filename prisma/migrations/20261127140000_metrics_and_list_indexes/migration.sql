-- Indexes for the metrics query and two filtered lists (issue 5, BENCHMARKS.md "Findings so far"
-- §3 and §4). Plain CREATE INDEX: migrations run in a transaction, so writes to each table wait
-- while its index builds (seconds per million rows).

-- llmRuns(filter: {model, executionStatus}) and auditEntries(filter: {actorId}), newest first: the
-- tenant-wide (tenant_id, created_at DESC, id DESC) index read every row of the tenant to find a
-- rare combination (at 1M steps, 32k rows filtered for 22 matches: 128 ms; with these, 0.3 ms).

-- CreateIndex
CREATE INDEX "llm_run_records_tenant_id_model_execution_status_created_at_idx" ON "llm_run_records"("tenant_id", "model", "execution_status", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "audit_ledger_tenant_id_actor_id_created_at_id_idx" ON "audit_ledger"("tenant_id", "actor_id", "created_at" DESC, "id" DESC);

-- =====================================================================================
-- Hand-written below this line: what schema.prisma cannot express (DESIGN D2).
-- =====================================================================================

-- The STEPS metrics view reads a tenant's live steps in a time range, and only the columns below
-- (its measures, dimensions and filters; the agent and run come from the trace). Covering and
-- partial, the range becomes an index-only scan instead of a visit to every step's heap page, and
-- archived steps take no space in it. It replaces the plain (tenant_id, "timestamp") index, which
-- only the metrics query used, so steps still maintain the same number of indexes on insert.
DROP INDEX "aos_trace_steps_tenant_id_timestamp_idx";
CREATE INDEX "aos_trace_steps_live_tenant_timestamp" ON "aos_trace_steps"("tenant_id", "timestamp")
  INCLUDE ("trace_id", "skill_name", "status", "duration_ms", "cost_microcents") WHERE "archived_at" IS NULL;

-- The steps' agent (and run) come from their trace, joined on (tenant_id, trace_id): covered, the
-- join reads this small index instead of every trace row of the tenant.
CREATE INDEX "aos_traces_tenant_trace_agent_run" ON "aos_traces"("tenant_id", "trace_id") INCLUDE ("agent_id", "run_id");
