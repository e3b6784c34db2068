// How the tables would be laid out on Citus (docs/citus.md), as data the catalog test checks:
// every other table is distributed by tenant_id, so its keys must include tenant_id.

/** Tables distributed by tenant_id on Citus, all colocated (docs/citus.md). */
export const DISTRIBUTED_TABLES = [
  'runs',
  'aos_traces',
  'aos_trace_steps',
  'llm_run_records',
  'audit_ledger',
  'policy_activation_audit',
  'incidents',
  'log_exports',
  'system_records',
] as const;

/**
 * Small, global tables copied to every node: read before the tenant is known (authentication), or
 * read by every tenant (global system records, joined into each tenant's list on its own shard).
 */
export const REFERENCE_TABLES = ['tenants', 'api_keys', 'global_system_records'] as const;

/**
 * Bookkeeping that stays on the coordinator as plain local tables: migrations, and the rate-limit
 * buckets (per API key, written by every process; a reference table would write every node).
 */
export const COORDINATOR_TABLES = ['_prisma_migrations', 'rate_limit_buckets'] as const;

/**
 * Tables not yet distributable, with the reason. The catalog test fails when one of these has
 * become distributable (so the list cannot go stale) as well as when any other table breaks the rule.
 */
export const NOT_YET_DISTRIBUTABLE: Record<string, string> = {
  // Empty since system_records' global rows moved to global_system_records (migration 20261203150000).
};
