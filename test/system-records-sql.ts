// Both system record tables as the one table they were before global rows moved out (migration
// 20261203150000_global_system_records): for tests' brute-force SQL, which states what a tenant
// must see (its rows and the global ones) without going through the store's UNION.
export const ALL_SYSTEM_RECORDS = `(SELECT id, tenant_id, component, event_type, severity, summary, details, caused_by, correlation_id, idempotency_key, created_at
     FROM system_records
   UNION ALL
   SELECT id, NULL::varchar, component, event_type, severity, summary, details, caused_by, correlation_id, idempotency_key, created_at
     FROM global_system_records) AS all_system_records`;
