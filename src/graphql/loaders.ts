// Request-scoped DataLoaders, bound to the caller's tenant so no resolver can ask for another's rows.
// Each is a one-line hand-off to a store batch method that returns results in key order.
import DataLoader from 'dataloader';
import type { Stores } from '../stores/index.ts';

export function createLoaders(stores: Stores, tenantId: string) {
  return {
    traceByTraceId: new DataLoader((ids: readonly string[]) => stores.traces.byTraceIds(tenantId, ids)),
    stepsByTraceId: new DataLoader((ids: readonly string[]) => stores.traces.stepsByTraceIds(tenantId, ids)),
    stepById: new DataLoader((ids: readonly string[]) => stores.traces.stepsByIds(tenantId, ids)),
    auditEntryById: new DataLoader((ids: readonly string[]) => stores.auditLedger.byIds(tenantId, ids)),
    incidentById: new DataLoader((ids: readonly string[]) => stores.incidents.byIds(tenantId, ids)),
    logExportById: new DataLoader((ids: readonly string[]) => stores.logExports.byIds(tenantId, ids)),
    llmRunByRunId: new DataLoader((ids: readonly string[]) => stores.llmRuns.byRunIds(tenantId, ids)),
    systemRecordById: new DataLoader((ids: readonly string[]) => stores.systemRecords.byIds(tenantId, ids)),
    policyActivationById: new DataLoader((ids: readonly string[]) => stores.policyActivations.byIds(tenantId, ids)),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
