// Record lists (Query.auditEntries, Query.llmRuns, Query.systemRecords): a keyset page with the
// store's own filter, sort columns and column list, as the list resolvers read it.
import { AUDIT_COLUMNS, AUDIT_SORT_COLUMNS, auditMatching, type AuditEntryFilter } from '../../stores/audit-ledger.ts';
import { LLM_RUN_COLUMNS, LLM_RUN_SORT_COLUMNS, llmRunMatching, type LlmRunFilter } from '../../stores/llm-runs.ts';
import { finishPage, keysetSql, parseDate } from '../../stores/keyset.ts';
import { SYSTEM_RECORD_COLUMNS, systemRecordPageSql, type SystemRecordFilter } from '../../stores/system-records.ts';
import { sql } from '../../db/sql.ts';
import { compact } from '../builder.ts';
import { encodeCursor, listPage } from '../pagination.ts';
import { argumentsOf } from './arguments.ts';
import { keysetListConnection, type KeysetList } from './keyset-lists.ts';
import { after, columnsOf, connectionPlan, objectPlan, readTogether, type Args, type ObjectPlan, type PageArgs, type RootPlan, type Scope } from './plans.ts';
import type { Selected } from './selection.ts';
import { globalIdOf, isoOf } from './text-values.ts';

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

/** The store's page statement (both tables' rows under their domain names), read as text through `u`. */
const SYSTEM_RECORD_FIELDS = new Map<string, string>([
  ...SYSTEM_RECORD_COLUMNS.map(([, field]) => [field, `u."${field}"`] as const),
  ['isGlobal', 'u."tenantId" IS NULL'],
]);
const systemRecordNode = recordNode(SYSTEM_RECORD_FIELDS, 'SystemRecord', 'u.id');

/**
 * Query.systemRecords: the tenant's rows and the global ones (two tables), so not a one-table
 * keyset list: the store's own page statement, its rows' fields selected as text around it.
 */
export function systemRecordConnection(f: Selected, scope: Scope): RootPlan {
  const args = argumentsOf(f, scope) as PageArgs & { filter?: Args | null; sort?: { field: string; direction: 'asc' | 'desc' } | null };
  const page = listPage(args, args.sort, { field: 'createdAt', direction: 'desc' });
  const statement = systemRecordPageSql(scope.tenantId, compact(args.filter ?? {}) as SystemRecordFilter, page);
  const connection = connectionPlan(f, page, systemRecordNode);
  // The statement's own order again: a subquery's order is not promised to survive the outer select.
  const { orderBy } = keysetSql(page, 'u."createdAt"', parseDate, 'u.id');
  // The id and sort value of each row (its cursor), after the node's columns.
  const extras = after(connection.columns, ['u.id::text', 'u."createdAt"::text']);
  const [idAlias, sortAlias] = extras.map(([alias]) => alias) as [string, string];
  return async () => {
    const { rows } = await readTogether(scope.query, connection, { columns: extras, from: sql`FROM (${statement}) u ORDER BY ${orderBy}` });
    const { items, hasMore } = finishPage(rows, page);
    const render = connection.prepare(items, []);
    const edges = items.map((row) => ({ row, cursor: () => encodeCursor(page.sortKey, isoOf(row[sortAlias]!), row[idAlias]!) }));
    return (w) => render(edges, hasMore, w);
  };
}
