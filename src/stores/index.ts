// All stores over one database handle. Stores own every line of SQL; resolvers never touch Prisma.
import type { Db } from '../db/client.ts';
import { createTenantStore } from './tenants.ts';
import { createTraceStore } from './traces.ts';
import { createAuditLedgerStore } from './audit-ledger.ts';
import { createIncidentStore } from './incidents.ts';
import { createLogExportStore } from './log-exports.ts';
import { createLlmRunStore } from './llm-runs.ts';
import { createSystemRecordStore } from './system-records.ts';
import { createPolicyActivationStore } from './policy-activations.ts';

export function createStores(db: Db) {
  const auditLedger = createAuditLedgerStore(db);
  return {
    tenants: createTenantStore(db),
    traces: createTraceStore(db),
    auditLedger,
    incidents: createIncidentStore(db, auditLedger),
    logExports: createLogExportStore(db),
    llmRuns: createLlmRunStore(db),
    systemRecords: createSystemRecordStore(db),
    policyActivations: createPolicyActivationStore(db),
  };
}

export type Stores = ReturnType<typeof createStores>;
