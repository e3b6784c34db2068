// All stores over one database handle. Stores own every line of SQL; resolvers never touch Prisma.
import type { Db } from '../db/client.ts';
import { createTenantStore } from './tenants.ts';
import type { KeyCacheOptions } from './key-cache.ts';
import { createTraceStore } from './traces.ts';
import { createTraceQueryStore } from './trace-queries.ts';
import { createRunStore } from './runs.ts';
import { createIntegrityStore } from './integrity.ts';
import { createAuditLedgerStore } from './audit-ledger.ts';
import { createIncidentStore } from './incidents.ts';
import { createLogExportStore } from './log-exports.ts';
import { createLlmRunStore } from './llm-runs.ts';
import { createSystemRecordStore } from './system-records.ts';
import { createPolicyActivationStore } from './policy-activations.ts';
import { createMetricsStore } from './metrics.ts';
import { createReplayStore } from './replay.ts';
import { createBundleStore } from './bundles.ts';
import { createOtlpSpanStore } from './otlp-spans.ts';
import { createRetentionStore } from './retention.ts';
import { createPartitionStore } from './partitions.ts';
import { createTransferStore } from './transfer.ts';
import { createLiveStore } from './live.ts';

/**
 * Every store method that takes a tenant id first runs inside that tenant's database scope, so its
 * statements pass row-level security for that tenant only (see db/client.ts). Methods whose first
 * argument is not a tenant id (a transaction handed on, a cutoff date) keep the caller's scope.
 */
function tenantScoped<S extends object>(db: Db, store: S): S {
  const scoped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(store)) {
    scoped[name] =
      typeof value === 'function'
        ? (...args: unknown[]) => (typeof args[0] === 'string' ? db.withTenant(args[0], () => value(...args)) : value(...args))
        : value;
  }
  return scoped as S;
}

export function createStores(db: Db, options: { apiKeyCache?: KeyCacheOptions } = {}) {
  const scoped = <S extends object>(store: S) => tenantScoped(db, store);
  const auditLedger = scoped(createAuditLedgerStore(db));
  const logExports = scoped(createLogExportStore(db));
  return {
    // Cross-tenant by nature: works as the owner (db.admin).
    tenants: createTenantStore(db, options.apiKeyCache),
    traces: scoped(createTraceStore(db)),
    traceQueries: scoped(createTraceQueryStore(db)),
    runs: scoped(createRunStore(db)),
    integrity: scoped(createIntegrityStore(db)),
    auditLedger,
    incidents: scoped(createIncidentStore(db, auditLedger)),
    logExports,
    llmRuns: scoped(createLlmRunStore(db)),
    systemRecords: scoped(createSystemRecordStore(db)),
    policyActivations: scoped(createPolicyActivationStore(db)),
    metrics: scoped(createMetricsStore(db)),
    replay: scoped(createReplayStore(db)),
    bundles: scoped(createBundleStore(db, logExports)),
    otlpSpans: scoped(createOtlpSpanStore(db)),
    retention: scoped(createRetentionStore(db)),
    // Cross-tenant by nature (a partition holds every tenant's steps): owner DDL.
    partitions: createPartitionStore(db),
    transfer: scoped(createTransferStore(db)),
    live: scoped(createLiveStore(db)),
  };
}

export type Stores = ReturnType<typeof createStores>;
