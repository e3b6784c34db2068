-- Citus readiness (issue 14 §4): every table that would be distributed by tenant has tenant_id
-- in its primary key, so a row's identity is local to its tenant's shard. The ids stay
-- gen_random_uuid() values (unique on their own in practice); the key now says where a row lives.
-- Nothing references these ids by foreign key, so only the keys themselves change.
-- Not here: tenants and api_keys (reference tables: read before the tenant is known) and
-- system_records, whose global rows have no tenant (docs/citus.md says what changes there).
ALTER TABLE "runs" DROP CONSTRAINT "runs_pkey", ADD CONSTRAINT "runs_pkey" PRIMARY KEY ("tenant_id", "id");
ALTER TABLE "aos_traces" DROP CONSTRAINT "aos_traces_pkey", ADD CONSTRAINT "aos_traces_pkey" PRIMARY KEY ("tenant_id", "id");
ALTER TABLE "aos_trace_steps" DROP CONSTRAINT "aos_trace_steps_pkey", ADD CONSTRAINT "aos_trace_steps_pkey" PRIMARY KEY ("tenant_id", "id");
ALTER TABLE "llm_run_records" DROP CONSTRAINT "llm_run_records_pkey", ADD CONSTRAINT "llm_run_records_pkey" PRIMARY KEY ("tenant_id", "id");
ALTER TABLE "audit_ledger" DROP CONSTRAINT "audit_ledger_pkey", ADD CONSTRAINT "audit_ledger_pkey" PRIMARY KEY ("tenant_id", "id");
ALTER TABLE "policy_activation_audit" DROP CONSTRAINT "policy_activation_audit_pkey", ADD CONSTRAINT "policy_activation_audit_pkey" PRIMARY KEY ("tenant_id", "id");
ALTER TABLE "incidents" DROP CONSTRAINT "incidents_pkey", ADD CONSTRAINT "incidents_pkey" PRIMARY KEY ("tenant_id", "id");
ALTER TABLE "log_exports" DROP CONSTRAINT "log_exports_pkey", ADD CONSTRAINT "log_exports_pkey" PRIMARY KEY ("tenant_id", "id");
