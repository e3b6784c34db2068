-- Row-level security: the second tenancy wall (DESIGN D3, issue 4). The service does tenant work as
-- role aos_app (no BYPASSRLS, owns nothing), with the request's tenant in the setting
-- aos.tenant_id; every tenant table admits only that tenant's rows. The owner (migrations,
-- operator commands, authentication, the reaper) is not subject to these policies.

DO $$
BEGIN
  CREATE ROLE aos_app NOLOGIN NOBYPASSRLS;
EXCEPTION
  -- Roles are cluster-wide: another database on this server may have created it already.
  WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

-- The owner switches to aos_app for tenant work (SET ROLE needs membership; superusers have it).
DO $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT aos_app TO %I', current_user);
  END IF;
END $$;
GRANT USAGE ON SCHEMA public TO aos_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO aos_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO aos_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO aos_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO aos_app;
-- Key hashes and the migration history are the owner's business only.
REVOKE ALL ON "api_keys", "_prisma_migrations" FROM aos_app;

-- The tenant of the current session; NULL (no rows) when none was set.
CREATE FUNCTION "aos_current_tenant"() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT NULLIF(current_setting('aos.tenant_id', true), '')
$$;

ALTER TABLE "runs" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "runs" USING ("tenant_id" = "aos_current_tenant"()) WITH CHECK ("tenant_id" = "aos_current_tenant"());
ALTER TABLE "aos_traces" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "aos_traces" USING ("tenant_id" = "aos_current_tenant"()) WITH CHECK ("tenant_id" = "aos_current_tenant"());
ALTER TABLE "aos_trace_steps" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "aos_trace_steps" USING ("tenant_id" = "aos_current_tenant"()) WITH CHECK ("tenant_id" = "aos_current_tenant"());
ALTER TABLE "llm_run_records" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "llm_run_records" USING ("tenant_id" = "aos_current_tenant"()) WITH CHECK ("tenant_id" = "aos_current_tenant"());
ALTER TABLE "audit_ledger" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "audit_ledger" USING ("tenant_id" = "aos_current_tenant"()) WITH CHECK ("tenant_id" = "aos_current_tenant"());
ALTER TABLE "policy_activation_audit" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "policy_activation_audit" USING ("tenant_id" = "aos_current_tenant"()) WITH CHECK ("tenant_id" = "aos_current_tenant"());
ALTER TABLE "incidents" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "incidents" USING ("tenant_id" = "aos_current_tenant"()) WITH CHECK ("tenant_id" = "aos_current_tenant"());
ALTER TABLE "log_exports" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "log_exports" USING ("tenant_id" = "aos_current_tenant"()) WITH CHECK ("tenant_id" = "aos_current_tenant"());
-- System records: a tenant reads its own and the global ones (tenant_id NULL), and writes only its own.
ALTER TABLE "system_records" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "system_records" USING ("tenant_id" = "aos_current_tenant"() OR "tenant_id" IS NULL) WITH CHECK ("tenant_id" = "aos_current_tenant"());
-- Tenants: a tenant sees its own row only.
ALTER TABLE "tenants" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "tenants" USING ("id" = "aos_current_tenant"()) WITH CHECK (false);
