-- Indexes for the dashboard read API: every list's filter and sort has one (issue 3).

-- CreateIndex
CREATE INDEX "aos_traces_tenant_id_created_at_id_idx" ON "aos_traces"("tenant_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "aos_trace_steps_tenant_id_timestamp_idx" ON "aos_trace_steps"("tenant_id", "timestamp");

-- CreateIndex
CREATE INDEX "llm_run_records_tenant_id_started_at_id_idx" ON "llm_run_records"("tenant_id", "started_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "llm_run_records_tenant_id_trace_id_idx" ON "llm_run_records"("tenant_id", "trace_id");

-- CreateIndex
CREATE INDEX "audit_ledger_tenant_id_correlation_id_idx" ON "audit_ledger"("tenant_id", "correlation_id");

-- CreateIndex
CREATE INDEX "policy_activation_audit_tenant_id_created_at_id_idx" ON "policy_activation_audit"("tenant_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "incidents_tenant_id_started_at_id_idx" ON "incidents"("tenant_id", "started_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "log_exports_tenant_id_run_id_idx" ON "log_exports"("tenant_id", "run_id");

-- CreateIndex
CREATE INDEX "log_exports_tenant_id_incident_id_idx" ON "log_exports"("tenant_id", "incident_id");

-- =====================================================================================
-- Hand-written below this line: what schema.prisma cannot express (DESIGN D2).
-- =====================================================================================

-- Trace → incident links are sparse; only linked traces are indexed.
CREATE INDEX "aos_traces_tenant_incident" ON "aos_traces"("tenant_id", "incident_id") WHERE "incident_id" IS NOT NULL;

-- governanceEvents(runId) matches a run named in the entry's states in SQL (B11); one expression
-- index per JSON path, combined by a bitmap OR with the correlation_id index above.
CREATE INDEX "audit_ledger_before_run_id" ON "audit_ledger"("tenant_id", ("before_state" ->> 'run_id'));
CREATE INDEX "audit_ledger_before_source_run_id" ON "audit_ledger"("tenant_id", ("before_state" ->> 'source_run_id'));
CREATE INDEX "audit_ledger_after_run_id" ON "audit_ledger"("tenant_id", ("after_state" ->> 'run_id'));
CREATE INDEX "audit_ledger_after_source_run_id" ON "audit_ledger"("tenant_id", ("after_state" ->> 'source_run_id'));
