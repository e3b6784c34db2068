-- Citus readiness (issue 14 §4), the last table: system_records held tenant rows and global rows
-- (tenant_id NULL: deploys, health checks, migrations every tenant reads), so it could be neither
-- distributed by tenant nor a reference table. Global rows move to a table of their own, a
-- reference table on Citus (docs/citus.md); system_records keeps tenant rows only, with tenant_id
-- NOT NULL and in its primary key like every other distributed table. Readers see both as before
-- (the stores read `tenant rows UNION ALL global rows` under the same keys and order).
-- One transaction (the runner's): rows are copied, then removed, so none is lost or doubled; the
-- lock first keeps a server still running the old code from adding a global row between the two
-- (it waits, then writes into the new layout or fails; reads go on meanwhile).
LOCK TABLE "system_records" IN SHARE ROW EXCLUSIVE MODE;

-- CreateTable: the columns of system_records without tenant_id.
CREATE TABLE "global_system_records" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "component" "SystemComponent" NOT NULL,
    "event_type" "SystemEventType" NOT NULL,
    "severity" "SystemSeverity" NOT NULL,
    "summary" TEXT NOT NULL,
    "details" JSONB,
    "caused_by" "CausedBy",
    "correlation_id" VARCHAR(64),
    "idempotency_key" VARCHAR(128),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "global_system_records_pkey" PRIMARY KEY ("id")
);

-- The list's order (created_at DESC, id DESC), alone and after a correlation id, and the operators'
-- idempotency key. That key is not unique in the database (as before: recordGlobal serialises it
-- with an advisory lock), so moving rows written around the store can never fail this migration.
CREATE INDEX "global_system_records_created_at_id_idx" ON "global_system_records"("created_at" DESC, "id" DESC);
CREATE INDEX "global_system_records_correlation_id_created_at_id_idx" ON "global_system_records"("correlation_id", "created_at" DESC, "id" DESC);
CREATE INDEX "global_system_records_idempotency_key" ON "global_system_records"("idempotency_key") WHERE "idempotency_key" IS NOT NULL;

-- Append-only, as system_records (reference §2.1).
CREATE TRIGGER "global_system_records_append_only" BEFORE UPDATE OR DELETE ON "global_system_records" FOR EACH ROW EXECUTE FUNCTION "aos_reject_mutation"();
CREATE TRIGGER "global_system_records_no_truncate" BEFORE TRUNCATE ON "global_system_records" FOR EACH STATEMENT EXECUTE FUNCTION "aos_reject_mutation"();

-- Access as before for global rows: every tenant (role aos_app, whatever its aos.tenant_id, even
-- none) reads them all; no tenant writes one (the old policy's WITH CHECK refused tenant_id NULL).
-- The owner writes them (recordGlobal), outside row-level security as before.
ALTER TABLE "global_system_records" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "global_read" ON "global_system_records" FOR SELECT USING (true);
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "global_system_records" FROM aos_app;

-- Move the global rows, every column, ids kept (node ids and cursors stay valid). The append-only
-- trigger is set aside for this one DELETE, inside this transaction only.
INSERT INTO "global_system_records" ("id", "component", "event_type", "severity", "summary", "details", "caused_by", "correlation_id", "idempotency_key", "created_at")
SELECT "id", "component", "event_type", "severity", "summary", "details", "caused_by", "correlation_id", "idempotency_key", "created_at"
FROM "system_records" WHERE "tenant_id" IS NULL;
ALTER TABLE "system_records" DISABLE TRIGGER "system_records_append_only";
DELETE FROM "system_records" WHERE "tenant_id" IS NULL;
ALTER TABLE "system_records" ENABLE TRIGGER "system_records_append_only";

-- system_records: tenant rows only, keyed like the other distributed tables (20261203130000).
DROP INDEX "system_records_global_created_at";
-- A list by correlation id reads each table's page in index order, so the two merge without a sort
-- (Merge Append); the old (correlation_id, created_at) index left a sort in each branch.
DROP INDEX "system_records_correlation_id_created_at_idx";
CREATE INDEX "system_records_tenant_id_correlation_id_created_at_id_idx" ON "system_records"("tenant_id", "correlation_id", "created_at" DESC, "id" DESC);
ALTER TABLE "system_records" ALTER COLUMN "tenant_id" SET NOT NULL;
ALTER TABLE "system_records" DROP CONSTRAINT "system_records_pkey", ADD CONSTRAINT "system_records_pkey" PRIMARY KEY ("tenant_id", "id");
-- Tenant rows only now: a tenant reads and writes its own.
ALTER POLICY "tenant_isolation" ON "system_records" USING ("tenant_id" = "aos_current_tenant"()) WITH CHECK ("tenant_id" = "aos_current_tenant"());
