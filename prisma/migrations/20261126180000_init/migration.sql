-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "TraceStatus" AS ENUM ('running', 'completed', 'failed', 'aborted');

-- CreateEnum
CREATE TYPE "StepStatus" AS ENUM ('success', 'failure', 'retry', 'skipped');

-- CreateEnum
CREATE TYPE "StepLevel" AS ENUM ('INFO', 'WARN', 'ERROR');

-- CreateEnum
CREATE TYPE "StepSource" AS ENUM ('engine', 'external', 'replay');

-- CreateEnum
CREATE TYPE "ReplayBehavior" AS ENUM ('execute', 'skip', 'check');

-- CreateEnum
CREATE TYPE "ReplayMode" AS ENUM ('FULL', 'TRACE_ONLY');

-- CreateEnum
CREATE TYPE "LlmExecutionStatus" AS ENUM ('SUCCEEDED', 'FAILED', 'ABORTED', 'TIMEOUT');

-- CreateEnum
CREATE TYPE "LlmRecordSource" AS ENUM ('API', 'SDK', 'SYSTEM', 'SYNTHETIC', 'WORKER');

-- CreateEnum
CREATE TYPE "SystemComponent" AS ENUM ('worker', 'api', 'scheduler', 'db', 'auth', 'migration');

-- CreateEnum
CREATE TYPE "SystemEventType" AS ENUM ('STARTUP', 'SHUTDOWN', 'RESTART', 'DEPLOY', 'MIGRATION', 'AUTH_CHANGE', 'CONFIG_CHANGE', 'ERROR', 'HEALTH_CHECK');

-- CreateEnum
CREATE TYPE "SystemSeverity" AS ENUM ('INFO', 'WARN', 'CRITICAL');

-- CreateEnum
CREATE TYPE "CausedBy" AS ENUM ('SYSTEM', 'HUMAN', 'AUTOMATION');

-- CreateEnum
CREATE TYPE "ActorType" AS ENUM ('HUMAN', 'SYSTEM', 'AGENT');

-- CreateEnum
CREATE TYPE "AuditEntityType" AS ENUM ('POLICY_RULE', 'POLICY_PROPOSAL', 'LIMIT', 'INCIDENT', 'SIGNAL', 'DECISION');

-- CreateEnum
CREATE TYPE "AuditEventType" AS ENUM ('PolicyRuleCreated', 'PolicyRuleModified', 'PolicyRuleRetired', 'PolicyProposalApproved', 'PolicyProposalRejected', 'LimitCreated', 'LimitUpdated', 'LimitBreached', 'LimitOverrideGranted', 'LimitOverrideRevoked', 'IncidentAcknowledged', 'IncidentResolved', 'IncidentManuallyClosed', 'EmergencyOverrideActivated', 'EmergencyOverrideDeactivated', 'SignalAcknowledged', 'SignalSuppressed', 'SignalEscalated');

-- CreateEnum
CREATE TYPE "ExportScope" AS ENUM ('llm_run', 'system', 'audit', 'compliance');

-- CreateEnum
CREATE TYPE "ExportFormat" AS ENUM ('json', 'csv', 'pdf', 'zip');

-- CreateEnum
CREATE TYPE "ExportStatus" AS ENUM ('pending', 'completed', 'failed');

-- CreateEnum
CREATE TYPE "IncidentLifecycle" AS ENUM ('ACTIVE', 'ACKED', 'RESOLVED');

-- CreateEnum
CREATE TYPE "IncidentCauseType" AS ENUM ('LLM_RUN', 'SYSTEM', 'HUMAN');

-- CreateEnum
CREATE TYPE "IncidentSeverity" AS ENUM ('critical', 'high', 'medium', 'low');

-- CreateEnum
CREATE TYPE "ResolutionMethod" AS ENUM ('auto', 'manual', 'rollback');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('running', 'succeeded', 'failed', 'aborted');

-- CreateEnum
CREATE TYPE "TerminationReason" AS ENUM ('completed', 'policy_block', 'budget_exceeded', 'rate_limited', 'user_abort', 'system_failure', 'timeout');

-- CreateEnum
CREATE TYPE "ApiScope" AS ENUM ('read', 'write', 'admin');

-- CreateTable
CREATE TABLE "tenants" (
    "id" VARCHAR(64) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" VARCHAR(64) NOT NULL,
    "key_id" VARCHAR(32) NOT NULL,
    "secret_hash" CHAR(64) NOT NULL,
    "scopes" "ApiScope"[],
    "name" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "runs" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" VARCHAR(64) NOT NULL,
    "run_id" VARCHAR(64) NOT NULL,
    "agent_id" VARCHAR(64),
    "goal" TEXT,
    "status" "RunStatus" NOT NULL DEFAULT 'running',
    "policy_snapshot_id" VARCHAR(64),
    "termination_reason" "TerminationReason",
    "is_synthetic" BOOLEAN NOT NULL DEFAULT false,
    "synthetic_scenario_id" VARCHAR(64),
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "aos_traces" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" VARCHAR(64) NOT NULL,
    "trace_id" VARCHAR(64) NOT NULL,
    "run_id" VARCHAR(64) NOT NULL,
    "correlation_id" VARCHAR(64) NOT NULL,
    "agent_id" VARCHAR(64),
    "plan_id" VARCHAR(64),
    "seed" BIGINT,
    "frozen_timestamp" VARCHAR(64),
    "root_hash" VARCHAR(64),
    "plan_hash" VARCHAR(64),
    "schema_version" VARCHAR(16) NOT NULL DEFAULT '1.1.0',
    "plan" JSONB NOT NULL DEFAULT '[]',
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "status" "TraceStatus" NOT NULL DEFAULT 'running',
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stored_by" VARCHAR(64),
    "incident_id" UUID,
    "is_synthetic" BOOLEAN NOT NULL DEFAULT false,
    "synthetic_scenario_id" VARCHAR(64),
    "archived_at" TIMESTAMPTZ(3),
    "violation_step_index" INTEGER,
    "violation_timestamp" TIMESTAMPTZ(3),
    "violation_policy_id" VARCHAR(64),
    "violation_reason" VARCHAR(512),
    "replay_mode" "ReplayMode",
    "replay_attempt_id" VARCHAR(64),
    "replay_artifact_version" VARCHAR(64),
    "trace_completeness_status" VARCHAR(30),
    "request_digest" CHAR(64) NOT NULL,

    CONSTRAINT "aos_traces_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "aos_trace_steps" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" VARCHAR(64) NOT NULL,
    "trace_id" VARCHAR(64) NOT NULL,
    "step_index" INTEGER NOT NULL,
    "skill_id" VARCHAR(128) NOT NULL,
    "skill_name" VARCHAR(128) NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "status" "StepStatus" NOT NULL,
    "level" "StepLevel" NOT NULL,
    "outcome_category" VARCHAR(64) NOT NULL,
    "outcome_code" VARCHAR(64),
    "outcome_data" JSONB,
    "cost_microcents" BIGINT NOT NULL DEFAULT 0,
    "duration_ms" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "retry_count" INTEGER NOT NULL DEFAULT 0,
    "input_hash" VARCHAR(64),
    "output_hash" VARCHAR(64),
    "rng_state_before" VARCHAR(128),
    "idempotency_key" VARCHAR(128),
    "replay_behavior" "ReplayBehavior" NOT NULL DEFAULT 'execute',
    "source" "StepSource" NOT NULL DEFAULT 'engine',
    "timestamp" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "is_synthetic" BOOLEAN NOT NULL DEFAULT false,
    "synthetic_scenario_id" VARCHAR(64),
    "content_hash" CHAR(64) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "archived_at" TIMESTAMPTZ(3),

    CONSTRAINT "aos_trace_steps_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "llm_run_records" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" VARCHAR(64) NOT NULL,
    "run_id" VARCHAR(64) NOT NULL,
    "trace_id" VARCHAR(64),
    "provider" VARCHAR(64) NOT NULL,
    "model" VARCHAR(128) NOT NULL,
    "prompt_hash" VARCHAR(64),
    "response_hash" VARCHAR(64),
    "input_tokens" INTEGER NOT NULL DEFAULT 0,
    "output_tokens" INTEGER NOT NULL DEFAULT 0,
    "cost_microcents" BIGINT NOT NULL DEFAULT 0,
    "execution_status" "LlmExecutionStatus" NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "completed_at" TIMESTAMPTZ(3),
    "source" "LlmRecordSource" NOT NULL,
    "is_synthetic" BOOLEAN NOT NULL DEFAULT false,
    "synthetic_scenario_id" VARCHAR(64),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "llm_run_records_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "system_records" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" VARCHAR(64),
    "component" "SystemComponent" NOT NULL,
    "event_type" "SystemEventType" NOT NULL,
    "severity" "SystemSeverity" NOT NULL,
    "summary" TEXT NOT NULL,
    "details" JSONB,
    "caused_by" "CausedBy",
    "correlation_id" VARCHAR(64),
    "idempotency_key" VARCHAR(128),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "system_records_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_ledger" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" VARCHAR(64) NOT NULL,
    "seq" BIGINT NOT NULL,
    "event_type" "AuditEventType" NOT NULL,
    "entity_type" "AuditEntityType" NOT NULL,
    "entity_id" VARCHAR(64) NOT NULL,
    "actor_type" "ActorType" NOT NULL,
    "actor_id" VARCHAR(64),
    "action_reason" TEXT,
    "before_state" JSONB,
    "after_state" JSONB,
    "correlation_id" VARCHAR(64),
    "idempotency_key" VARCHAR(128),
    "prev_hash" CHAR(64) NOT NULL,
    "entry_hash" CHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_ledger_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy_activation_audit" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" VARCHAR(64) NOT NULL,
    "policy_id" VARCHAR(64) NOT NULL,
    "source_pattern_id" VARCHAR(64) NOT NULL,
    "source_recovery_id" VARCHAR(64),
    "confidence_at_activation" DOUBLE PRECISION NOT NULL,
    "confidence_version" VARCHAR(32) NOT NULL,
    "approval_path" VARCHAR(128) NOT NULL,
    "loop_trace_id" VARCHAR(64),
    "idempotency_key" VARCHAR(128),
    "activated_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policy_activation_audit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incidents" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" VARCHAR(64) NOT NULL,
    "title" VARCHAR(255) NOT NULL,
    "severity" "IncidentSeverity" NOT NULL,
    "lifecycle_state" "IncidentLifecycle" NOT NULL DEFAULT 'ACTIVE',
    "cause_type" "IncidentCauseType" NOT NULL,
    "trigger_type" VARCHAR(50) NOT NULL,
    "trigger_value" TEXT,
    "category" VARCHAR(64),
    "description" TEXT,
    "error_code" VARCHAR(64),
    "error_message" TEXT,
    "source_run_id" VARCHAR(64),
    "affected_agent_id" VARCHAR(64),
    "policy_id" VARCHAR(64),
    "policy_name" VARCHAR(255),
    "violation_type" VARCHAR(64),
    "cost_impact_microcents" BIGINT,
    "inflection_step_index" INTEGER,
    "inflection_timestamp" TIMESTAMPTZ(3),
    "is_synthetic" BOOLEAN NOT NULL DEFAULT false,
    "synthetic_scenario_id" VARCHAR(64),
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledged_at" TIMESTAMPTZ(3),
    "acknowledged_by" VARCHAR(100),
    "resolved_at" TIMESTAMPTZ(3),
    "resolved_by" VARCHAR(100),
    "resolution_method" "ResolutionMethod",
    "resolution_notes" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "incidents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "log_exports" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" VARCHAR(64) NOT NULL,
    "scope" "ExportScope" NOT NULL,
    "format" "ExportFormat" NOT NULL,
    "origin" "ActorType" NOT NULL,
    "run_id" VARCHAR(64),
    "incident_id" UUID,
    "requested_by" VARCHAR(128) NOT NULL,
    "source_component" VARCHAR(64) NOT NULL DEFAULT 'LogExportService',
    "correlation_id" VARCHAR(64),
    "status" "ExportStatus" NOT NULL DEFAULT 'pending',
    "checksum" VARCHAR(128),
    "failure_reason" TEXT,
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "log_exports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_key_id_key" ON "api_keys"("key_id");

-- CreateIndex
CREATE INDEX "api_keys_tenant_id_idx" ON "api_keys"("tenant_id");

-- CreateIndex
CREATE INDEX "runs_tenant_id_started_at_idx" ON "runs"("tenant_id", "started_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "runs_tenant_id_run_id_key" ON "runs"("tenant_id", "run_id");

-- CreateIndex
CREATE INDEX "aos_traces_tenant_id_started_at_id_idx" ON "aos_traces"("tenant_id", "started_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "aos_traces_tenant_id_run_id_idx" ON "aos_traces"("tenant_id", "run_id");

-- CreateIndex
CREATE INDEX "aos_traces_tenant_id_root_hash_idx" ON "aos_traces"("tenant_id", "root_hash");

-- CreateIndex
CREATE UNIQUE INDEX "aos_traces_tenant_id_trace_id_key" ON "aos_traces"("tenant_id", "trace_id");

-- CreateIndex
CREATE INDEX "aos_trace_steps_tenant_id_idempotency_key_idx" ON "aos_trace_steps"("tenant_id", "idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "aos_trace_steps_tenant_id_trace_id_step_index_key" ON "aos_trace_steps"("tenant_id", "trace_id", "step_index");

-- CreateIndex
CREATE INDEX "llm_run_records_tenant_id_created_at_id_idx" ON "llm_run_records"("tenant_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "llm_run_records_tenant_id_run_id_key" ON "llm_run_records"("tenant_id", "run_id");

-- CreateIndex
CREATE INDEX "system_records_tenant_id_created_at_id_idx" ON "system_records"("tenant_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "system_records_correlation_id_created_at_idx" ON "system_records"("correlation_id", "created_at");

-- CreateIndex
CREATE INDEX "audit_ledger_tenant_id_created_at_id_idx" ON "audit_ledger"("tenant_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "audit_ledger_tenant_id_entity_type_entity_id_idx" ON "audit_ledger"("tenant_id", "entity_type", "entity_id");

-- CreateIndex
CREATE UNIQUE INDEX "audit_ledger_tenant_id_seq_key" ON "audit_ledger"("tenant_id", "seq");

-- CreateIndex
CREATE INDEX "policy_activation_audit_tenant_id_policy_id_activated_at_idx" ON "policy_activation_audit"("tenant_id", "policy_id", "activated_at" DESC);

-- CreateIndex
CREATE INDEX "policy_activation_audit_tenant_id_activated_at_id_idx" ON "policy_activation_audit"("tenant_id", "activated_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "incidents_tenant_id_created_at_id_idx" ON "incidents"("tenant_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "incidents_tenant_id_source_run_id_idx" ON "incidents"("tenant_id", "source_run_id");

-- CreateIndex
CREATE INDEX "log_exports_tenant_id_created_at_id_idx" ON "log_exports"("tenant_id", "created_at" DESC, "id" DESC);

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "aos_traces" ADD CONSTRAINT "aos_traces_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "aos_trace_steps" ADD CONSTRAINT "aos_trace_steps_tenant_id_trace_id_fkey" FOREIGN KEY ("tenant_id", "trace_id") REFERENCES "aos_traces"("tenant_id", "trace_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "llm_run_records" ADD CONSTRAINT "llm_run_records_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "system_records" ADD CONSTRAINT "system_records_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_ledger" ADD CONSTRAINT "audit_ledger_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_activation_audit" ADD CONSTRAINT "policy_activation_audit_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "log_exports" ADD CONSTRAINT "log_exports_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- =====================================================================================
-- Hand-written below this line: what schema.prisma cannot express (DESIGN D2).
-- =====================================================================================

-- ---------------------------------------------------------------- CHECK constraints
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_scopes_nonempty" CHECK (cardinality("scopes") >= 1);

ALTER TABLE "aos_traces"
  ADD CONSTRAINT "aos_traces_completed_at_iff_final" CHECK (("status" = 'running') = ("completed_at" IS NULL)),
  ADD CONSTRAINT "aos_traces_synthetic_needs_scenario" CHECK (NOT "is_synthetic" OR "synthetic_scenario_id" IS NOT NULL),
  ADD CONSTRAINT "aos_traces_violation_step_nonneg" CHECK ("violation_step_index" IS NULL OR "violation_step_index" >= 0);

ALTER TABLE "aos_trace_steps"
  ADD CONSTRAINT "aos_trace_steps_step_index_nonneg" CHECK ("step_index" >= 0),
  ADD CONSTRAINT "aos_trace_steps_retry_count_nonneg" CHECK ("retry_count" >= 0),
  ADD CONSTRAINT "aos_trace_steps_cost_nonneg" CHECK ("cost_microcents" >= 0),
  ADD CONSTRAINT "aos_trace_steps_duration_nonneg" CHECK ("duration_ms" >= 0),
  ADD CONSTRAINT "aos_trace_steps_synthetic_needs_scenario" CHECK (NOT "is_synthetic" OR "synthetic_scenario_id" IS NOT NULL);

ALTER TABLE "llm_run_records"
  ADD CONSTRAINT "llm_run_records_tokens_nonneg" CHECK ("input_tokens" >= 0 AND "output_tokens" >= 0),
  ADD CONSTRAINT "llm_run_records_cost_nonneg" CHECK ("cost_microcents" >= 0),
  ADD CONSTRAINT "llm_run_records_synthetic_needs_scenario" CHECK (NOT "is_synthetic" OR "synthetic_scenario_id" IS NOT NULL);

ALTER TABLE "audit_ledger" ADD CONSTRAINT "audit_ledger_seq_positive" CHECK ("seq" >= 1);

ALTER TABLE "policy_activation_audit"
  ADD CONSTRAINT "policy_activation_confidence_range" CHECK ("confidence_at_activation" >= 0 AND "confidence_at_activation" <= 1),
  ADD CONSTRAINT "policy_activation_approval_path" CHECK ("approval_path" ~ '^(auto|threshold|human:\S{1,120})$');

ALTER TABLE "incidents"
  ADD CONSTRAINT "incidents_cost_nonneg" CHECK ("cost_impact_microcents" IS NULL OR "cost_impact_microcents" >= 0),
  ADD CONSTRAINT "incidents_inflection_step_nonneg" CHECK ("inflection_step_index" IS NULL OR "inflection_step_index" >= 0),
  ADD CONSTRAINT "incidents_resolved_has_time" CHECK (("lifecycle_state" = 'RESOLVED') = ("resolved_at" IS NOT NULL));

ALTER TABLE "log_exports"
  ADD CONSTRAINT "log_exports_completed_has_checksum" CHECK ("status" <> 'completed' OR ("checksum" IS NOT NULL AND "delivered_at" IS NOT NULL)),
  ADD CONSTRAINT "log_exports_failed_has_reason" CHECK ("status" <> 'failed' OR "failure_reason" IS NOT NULL);

-- ---------------------------------------------------------------- partial indexes
-- Client idempotency keys for appends: a retried append returns the first row instead of a duplicate.
CREATE UNIQUE INDEX "system_records_tenant_idempotency_key" ON "system_records"("tenant_id", "idempotency_key") WHERE "idempotency_key" IS NOT NULL;
CREATE UNIQUE INDEX "audit_ledger_tenant_idempotency_key" ON "audit_ledger"("tenant_id", "idempotency_key") WHERE "idempotency_key" IS NOT NULL;
CREATE UNIQUE INDEX "policy_activation_tenant_idempotency_key" ON "policy_activation_audit"("tenant_id", "idempotency_key") WHERE "idempotency_key" IS NOT NULL;
-- The reaper scans only traces still running.
CREATE INDEX "aos_traces_running_started_at" ON "aos_traces"("started_at") WHERE "status" = 'running';
-- Global system events (tenant_id NULL) are read by every tenant.
CREATE INDEX "system_records_global_created_at" ON "system_records"("created_at" DESC, "id" DESC) WHERE "tenant_id" IS NULL;

-- ---------------------------------------------------------------- immutability triggers
-- Append-only tables: no UPDATE, DELETE or TRUNCATE, whoever asks (reference §2.1).
CREATE FUNCTION "aos_reject_mutation"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % rejected', TG_TABLE_NAME, TG_OP USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE TRIGGER "llm_run_records_append_only" BEFORE UPDATE OR DELETE ON "llm_run_records" FOR EACH ROW EXECUTE FUNCTION "aos_reject_mutation"();
CREATE TRIGGER "llm_run_records_no_truncate" BEFORE TRUNCATE ON "llm_run_records" FOR EACH STATEMENT EXECUTE FUNCTION "aos_reject_mutation"();
CREATE TRIGGER "system_records_append_only" BEFORE UPDATE OR DELETE ON "system_records" FOR EACH ROW EXECUTE FUNCTION "aos_reject_mutation"();
CREATE TRIGGER "system_records_no_truncate" BEFORE TRUNCATE ON "system_records" FOR EACH STATEMENT EXECUTE FUNCTION "aos_reject_mutation"();
CREATE TRIGGER "audit_ledger_append_only" BEFORE UPDATE OR DELETE ON "audit_ledger" FOR EACH ROW EXECUTE FUNCTION "aos_reject_mutation"();
CREATE TRIGGER "audit_ledger_no_truncate" BEFORE TRUNCATE ON "audit_ledger" FOR EACH STATEMENT EXECUTE FUNCTION "aos_reject_mutation"();
CREATE TRIGGER "policy_activation_audit_append_only" BEFORE UPDATE OR DELETE ON "policy_activation_audit" FOR EACH ROW EXECUTE FUNCTION "aos_reject_mutation"();
CREATE TRIGGER "policy_activation_audit_no_truncate" BEFORE TRUNCATE ON "policy_activation_audit" FOR EACH STATEMENT EXECUTE FUNCTION "aos_reject_mutation"();

-- Trace steps are insert-only; the one permitted update stamps archived_at once and changes nothing else.
CREATE FUNCTION "aos_trace_steps_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    -- Only as part of deleting the parent trace (ON DELETE CASCADE), never on their own.
    IF EXISTS (SELECT 1 FROM "aos_traces" t WHERE t."tenant_id" = OLD."tenant_id" AND t."trace_id" = OLD."trace_id") THEN
      RAISE EXCEPTION 'aos_trace_steps is insert-only: delete the archived trace instead' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD."archived_at" IS NULL AND NEW."archived_at" IS NOT NULL
     AND (to_jsonb(OLD) - 'archived_at') = (to_jsonb(NEW) - 'archived_at') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'aos_trace_steps is insert-only: only archived_at may be set, once' USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER "aos_trace_steps_guard" BEFORE UPDATE OR DELETE ON "aos_trace_steps" FOR EACH ROW EXECUTE FUNCTION "aos_trace_steps_guard"();
CREATE TRIGGER "aos_trace_steps_no_truncate" BEFORE TRUNCATE ON "aos_trace_steps" FOR EACH STATEMENT EXECUTE FUNCTION "aos_reject_mutation"();

-- Trace headers: status moves only running → completed | failed | aborted (B15); the finalising
-- update may set completed_at and metadata; root hash, archive stamp, incident link and violation
-- fields may be filled once; every other column is fixed at insert. Delete needs the archive stamp.
CREATE FUNCTION "aos_traces_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  o jsonb;
  n jsonb;
  k text;
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD."archived_at" IS NULL THEN
      RAISE EXCEPTION 'aos_traces: only archived traces may be deleted' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
  END IF;
  o := to_jsonb(OLD);
  n := to_jsonb(NEW);
  FOR k IN SELECT key FROM jsonb_each(n) WHERE n -> key IS DISTINCT FROM o -> key LOOP
    IF k = 'status' THEN
      IF OLD."status" <> 'running' OR NEW."status" = 'running' THEN
        RAISE EXCEPTION 'aos_traces: status may only move from running to completed, failed or aborted (was %, asked %)', OLD."status", NEW."status"
          USING ERRCODE = 'integrity_constraint_violation';
      END IF;
    ELSIF k IN ('completed_at', 'metadata') THEN
      IF OLD."status" <> 'running' THEN
        RAISE EXCEPTION 'aos_traces: % is fixed once the trace is final', k USING ERRCODE = 'integrity_constraint_violation';
      END IF;
    ELSIF k IN ('root_hash', 'archived_at', 'incident_id', 'violation_step_index', 'violation_timestamp', 'violation_policy_id', 'violation_reason') THEN
      IF jsonb_typeof(o -> k) <> 'null' THEN
        RAISE EXCEPTION 'aos_traces: % may be set once', k USING ERRCODE = 'integrity_constraint_violation';
      END IF;
    ELSE
      RAISE EXCEPTION 'aos_traces: % is immutable', k USING ERRCODE = 'integrity_constraint_violation';
    END IF;
  END LOOP;
  RETURN NEW;
END $$;
CREATE TRIGGER "aos_traces_guard" BEFORE UPDATE OR DELETE ON "aos_traces" FOR EACH ROW EXECUTE FUNCTION "aos_traces_guard"();
CREATE TRIGGER "aos_traces_no_truncate" BEFORE TRUNCATE ON "aos_traces" FOR EACH STATEMENT EXECUTE FUNCTION "aos_reject_mutation"();

-- Incidents: lifecycle ACTIVE → ACKED → RESOLVED (ACTIVE → RESOLVED allowed), RESOLVED is final;
-- only lifecycle columns change after insert; never deleted.
CREATE FUNCTION "incidents_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  o jsonb;
  n jsonb;
  k text;
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'incidents are never deleted' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD."lifecycle_state" = 'RESOLVED' THEN
    RAISE EXCEPTION 'incidents: a resolved incident is final' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF NEW."lifecycle_state" <> OLD."lifecycle_state" AND NOT (
       (OLD."lifecycle_state" = 'ACTIVE' AND NEW."lifecycle_state" IN ('ACKED', 'RESOLVED'))
    OR (OLD."lifecycle_state" = 'ACKED' AND NEW."lifecycle_state" = 'RESOLVED')) THEN
    RAISE EXCEPTION 'incidents: lifecycle may not move from % to %', OLD."lifecycle_state", NEW."lifecycle_state"
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  o := to_jsonb(OLD);
  n := to_jsonb(NEW);
  FOR k IN SELECT key FROM jsonb_each(n) WHERE n -> key IS DISTINCT FROM o -> key LOOP
    IF k NOT IN ('lifecycle_state', 'acknowledged_at', 'acknowledged_by', 'resolved_at', 'resolved_by',
                 'resolution_method', 'resolution_notes', 'updated_at') THEN
      RAISE EXCEPTION 'incidents: % is immutable', k USING ERRCODE = 'integrity_constraint_violation';
    END IF;
  END LOOP;
  RETURN NEW;
END $$;
CREATE TRIGGER "incidents_guard" BEFORE UPDATE OR DELETE ON "incidents" FOR EACH ROW EXECUTE FUNCTION "incidents_guard"();

-- Log exports: one transition pending → completed | failed that may add checksum, delivery time
-- or failure reason; the row is otherwise immutable (B10: the reference's table could never leave pending).
CREATE FUNCTION "log_exports_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'log_exports is append-only: DELETE rejected' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD."status" = 'pending' AND NEW."status" IN ('completed', 'failed')
     AND (to_jsonb(OLD) - ARRAY['status', 'checksum', 'delivered_at', 'failure_reason'])
       = (to_jsonb(NEW) - ARRAY['status', 'checksum', 'delivered_at', 'failure_reason']) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'log_exports: only one transition pending → completed|failed is allowed (was %, asked %)', OLD."status", NEW."status"
    USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER "log_exports_guard" BEFORE UPDATE OR DELETE ON "log_exports" FOR EACH ROW EXECUTE FUNCTION "log_exports_guard"();
CREATE TRIGGER "log_exports_no_truncate" BEFORE TRUNCATE ON "log_exports" FOR EACH STATEMENT EXECUTE FUNCTION "aos_reject_mutation"();
