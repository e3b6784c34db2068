// Request-scoped DataLoaders, bound to the caller's tenant so no resolver can ask for another's rows.
// Each is a one-line hand-off to a store batch method that returns results in key order.
import DataLoader from 'dataloader';
import type { Stores } from '../stores/index.ts';
import type { StepFilter, StepPage } from '../stores/trace-queries.ts';
import type { SpanPage } from '../stores/otlp-spans.ts';
import type { StepColumns } from '../stores/trace-rows.ts';

/** `columns`: the step columns the selection needs (see stepColumnsFor). */
type StepPageSpec = { filter: StepFilter; page: StepPage; columns: StepColumns };

/**
 * A loader for (key, spec) pairs whose batch method takes many keys and one spec: keys are grouped
 * by spec (compared as JSON), and each group is one store call.
 */
function groupedLoader<S, V>(batch: (spec: S, keys: string[]) => Promise<V[]>) {
  return new DataLoader<{ key: string; spec: S }, V, string>(
    async (items) => {
      const groups = new Map<string, { spec: S; positions: number[] }>();
      items.forEach((item, position) => {
        const specKey = JSON.stringify(item.spec);
        const group = groups.get(specKey) ?? { spec: item.spec, positions: [] };
        group.positions.push(position);
        groups.set(specKey, group);
      });
      const results = new Array<V>(items.length);
      await Promise.all(
        [...groups.values()].map(async ({ spec, positions }) => {
          const values = await batch(spec, positions.map((p) => items[p]!.key));
          positions.forEach((p, i) => (results[p] = values[i]!));
        }),
      );
      return results;
    },
    { cacheKeyFn: (item) => `${item.key}\u0000${JSON.stringify(item.spec)}` },
  );
}

export function createLoaders(stores: Stores, tenantId: string) {
  return {
    traceByTraceId: new DataLoader((ids: readonly string[]) => stores.traceQueries.byTraceIds(tenantId, ids)),
    tracesByRunId: new DataLoader((ids: readonly string[]) => stores.traceQueries.byRunIds(tenantId, ids)),
    tracesByIncidentId: new DataLoader((ids: readonly string[]) => stores.traceQueries.byIncidentIds(tenantId, ids)),
    summaryByTraceId: new DataLoader((ids: readonly string[]) => stores.traceQueries.summariesByTraceIds(tenantId, ids)),
    stepById: new DataLoader((ids: readonly string[]) => stores.traceQueries.stepsByIds(tenantId, ids)),
    // Keyed by trace and page: the traces of one page share a page spec, so each spec is one query.
    stepPage: groupedLoader((spec: StepPageSpec, traceIds) => stores.traceQueries.stepPagesByTraceIds(tenantId, traceIds, spec.filter, spec.page, spec.columns)),
    stepCount: groupedLoader((spec: Pick<StepPageSpec, 'filter'>, traceIds) => stores.traceQueries.stepCountsByTraceIds(tenantId, traceIds, spec.filter)),
    runByRunId: new DataLoader((ids: readonly string[]) => stores.runs.byRunIds(tenantId, ids)),
    auditEntryById: new DataLoader((ids: readonly string[]) => stores.auditLedger.byIds(tenantId, ids)),
    incidentById: new DataLoader((ids: readonly string[]) => stores.incidents.byIds(tenantId, ids)),
    logExportById: new DataLoader((ids: readonly string[]) => stores.logExports.byIds(tenantId, ids)),
    llmRunByRunId: new DataLoader((ids: readonly string[]) => stores.llmRuns.byRunIds(tenantId, ids)),
    systemRecordById: new DataLoader((ids: readonly string[]) => stores.systemRecords.byIds(tenantId, ids)),
    policyActivationById: new DataLoader((ids: readonly string[]) => stores.policyActivations.byIds(tenantId, ids)),
    spanPage: groupedLoader((page: SpanPage, traceIds) => stores.otlpSpans.spanPagesByTraceIds(tenantId, traceIds, page)),
    spanCount: new DataLoader((ids: readonly string[]) => stores.otlpSpans.spanCountsByTraceIds(tenantId, ids)),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
