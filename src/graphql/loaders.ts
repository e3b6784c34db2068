// Request-scoped DataLoaders, bound to the caller's tenant so no resolver can ask for another's rows.
// Each is a one-line hand-off to a store batch method that returns results in key order.
import DataLoader from 'dataloader';
import type { Stores } from '../stores/index.ts';

export function createLoaders(stores: Stores, tenantId: string) {
  return {
    traceByTraceId: new DataLoader((ids: readonly string[]) => stores.traces.byTraceIds(tenantId, ids)),
    stepsByTraceId: new DataLoader((ids: readonly string[]) => stores.traces.stepsByTraceIds(tenantId, ids)),
    stepById: new DataLoader((ids: readonly string[]) => stores.traces.stepsByIds(tenantId, ids)),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
