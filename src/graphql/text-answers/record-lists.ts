// Record lists (Query.auditEntries, Query.llmRuns): a keyset page of one table, with the store's own
// filter, sort columns and column list, as the list resolvers read it.
import { AUDIT_COLUMNS, AUDIT_SORT_COLUMNS, auditMatching, type AuditEntryFilter } from '../../stores/audit-ledger.ts';
import { LLM_RUN_COLUMNS, LLM_RUN_SORT_COLUMNS, llmRunMatching, type LlmRunFilter } from '../../stores/llm-runs.ts';
import { keysetListConnection, type KeysetList } from './keyset-lists.ts';
import { columnsOf, objectPlan, type ObjectPlan, type Scope } from './plans.ts';
import type { Selected } from './selection.ts';
import { globalIdOf } from './text-values.ts';

/** A record's fields: its columns, and its global ID from the column it is keyed by. */
const recordNode = (columns: Map<string, string>, type: string, keyColumn: string) => (node: Selected): ObjectPlan =>
  objectPlan(node, columns, (c, column) => (c.name === 'id' ? { column: column(keyColumn), render: (text) => globalIdOf(type, text!) } : undefined));

const AUDIT_ENTRIES: KeysetList = {
  from: 'audit_ledger a',
  alias: 'a',
  sortColumns: AUDIT_SORT_COLUMNS,
  matching: (tenantId, filter) => auditMatching(tenantId, filter as AuditEntryFilter),
  integerFields: ['seq'],
  node: recordNode(new Map([...columnsOf(AUDIT_COLUMNS, 'a'), ['entryId', 'a.id']]), 'AuditEntry', 'a.id'),
};

const LLM_RUNS: KeysetList = {
  from: 'llm_run_records l',
  alias: 'l',
  sortColumns: LLM_RUN_SORT_COLUMNS,
  matching: (tenantId, filter) => llmRunMatching(tenantId, filter as LlmRunFilter),
  node: recordNode(new Map([...columnsOf(LLM_RUN_COLUMNS, 'l'), ['costCents', 'l.cost_microcents']]), 'LlmRun', 'l.run_id'),
};

export const auditEntryConnection = (f: Selected, scope: Scope) => keysetListConnection(AUDIT_ENTRIES, f, scope);
export const llmRunConnection = (f: Selected, scope: Scope) => keysetListConnection(LLM_RUNS, f, scope);
