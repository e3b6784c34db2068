// All stores over one database handle. Stores own every line of SQL; resolvers never touch Prisma.
import type { Db } from '../db/client.ts';
import { createTenantStore } from './tenants.ts';
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

export function createStores(db: Db) {
  const auditLedger = createAuditLedgerStore(db);
  const logExports = createLogExportStore(db);
  return {
    tenants: createTenantStore(db),
    traces: createTraceStore(db),
    traceQueries: createTraceQueryStore(db),
    runs: createRunStore(db),
    integrity: createIntegrityStore(db),
    auditLedger,
    incidents: createIncidentStore(db, auditLedger),
    logExports,
    llmRuns: createLlmRunStore(db),
    systemRecords: createSystemRecordStore(db),
    policyActivations: createPolicyActivationStore(db),
    metrics: createMetricsStore(db),
    replay: createReplayStore(db),
    bundles: createBundleStore(db, logExports),
  };
}

export type Stores = ReturnType<typeof createStores>;
