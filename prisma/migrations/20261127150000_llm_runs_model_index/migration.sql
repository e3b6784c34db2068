-- Corrects 20261127140000 for the service's connections. They run as aos_app under row-level
-- security, where a comparison that is not leakproof cannot be an index condition, and enum
-- equality (enum_eq) is not leakproof: the (tenant_id, model, execution_status, created_at, id)
-- index was only used for (tenant_id, model), with every run of the model then sorted by time.
-- Without the status column the index walks the model's runs newest first, filtering the status,
-- and stops at the page. At 1M steps, as aos_app, the rarest model × status: 12–17 ms with the
-- old index, 0.9 ms with this one; the most frequent: 0.4 ms.

-- DropIndex
DROP INDEX "llm_run_records_tenant_id_model_execution_status_created_at_idx";

-- CreateIndex
CREATE INDEX "llm_run_records_tenant_id_model_created_at_id_idx" ON "llm_run_records"("tenant_id", "model", "created_at" DESC, "id" DESC);
