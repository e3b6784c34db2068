// Record lists (Query.auditEntries, Query.llmRuns): a keyset page of one table, through its store's
// own filter, sort columns and column list, as the list resolvers read it.
import { raw, sql, type Sql } from '../../db/sql.ts';
import { AUDIT_COLUMNS, AUDIT_SORT_COLUMNS, auditMatching, type AuditEntryFilter } from '../../stores/audit-ledger.ts';
import { keysetSql } from '../../stores/keyset.ts';
import { LLM_RUN_COLUMNS, LLM_RUN_SORT_COLUMNS, llmRunMatching, type LlmRunFilter } from '../../stores/llm-runs.ts';
import { compact } from '../builder.ts';
import { encodeCursor, listPage } from '../pagination.ts';
import { argumentsOf } from './arguments.ts';
import { columnsOf, connectionPlan, objectPlan, type Args, type PageArgs, type RootPlan, type Scope } from './plans.ts';
import type { Selected } from './selection.ts';
import { globalIdOf, isoOf } from './text-values.ts';

interface RecordList {
  /** Table and alias, e.g. `audit_ledger a`. */
  from: string;
  alias: string;
  /** GraphQL field → column (the store's column list), plus fields named otherwise. */
  columns: Map<string, string>;
  sortColumns: Record<string, string>;
  /** The store's filter predicate (tenant first). */
  matching: (tenantId: string, filter: Args) => Sql;
  /** Sort fields whose cursor value is digits (bigint), not an instant. */
  integerFields: readonly string[];
  /** The node's global ID: its type and the column keyed by it. */
  globalId: { type: string; column: string };
}

const AUDIT_ENTRIES: RecordList = {
  from: 'audit_ledger a',
  alias: 'a',
  columns: new Map([...columnsOf(AUDIT_COLUMNS, 'a'), ['entryId', 'a.id']]),
  sortColumns: AUDIT_SORT_COLUMNS,
  matching: (tenantId, filter) => auditMatching(tenantId, filter as AuditEntryFilter),
  integerFields: ['seq'],
  globalId: { type: 'AuditEntry', column: 'a.id' },
};

const LLM_RUNS: RecordList = {
  from: 'llm_run_records l',
  alias: 'l',
  columns: new Map([...columnsOf(LLM_RUN_COLUMNS, 'l'), ['costCents', 'l.cost_microcents']]),
  sortColumns: LLM_RUN_SORT_COLUMNS,
  matching: (tenantId, filter) => llmRunMatching(tenantId, filter as LlmRunFilter),
  integerFields: [],
  globalId: { type: 'LlmRun', column: 'l.run_id' },
};

export const auditEntryConnection = (f: Selected, scope: Scope) => recordConnection(AUDIT_ENTRIES, f, scope);
export const llmRunConnection = (f: Selected, scope: Scope) => recordConnection(LLM_RUNS, f, scope);

function recordConnection(list: RecordList, f: Selected, scope: Scope): RootPlan {
  const args = argumentsOf(f, scope) as PageArgs & { filter?: Args | null; sort?: { field: string; direction: 'asc' | 'desc' } | null };
  // As the list resolvers (src/graphql/types/audit-entry.ts, llm-run.ts): newest first by createdAt.
  const page = listPage(args, args.sort, { field: 'createdAt', direction: 'desc' }, { integerFields: list.integerFields });
  const column = list.sortColumns[page.sortKey]!;
  const integer = list.integerFields.includes(page.sortKey);
  const id = `${list.alias}.id`;
  const k = keysetSql(page, column, integer ? (v) => String(v) : (v) => new Date(v), id);
  const where = list.matching(scope.tenantId, compact(args.filter ?? {}));
  const connection = connectionPlan(f, page, (node) =>
    objectPlan(node, list.columns, (c, column) =>
      c.name === 'id' ? { column: column(list.globalId.column), render: (text) => globalIdOf(list.globalId.type, text!) } : undefined,
    ),
  );
  return async () => {
    const rows = await scope.query(sql`SELECT ${raw(id)}::text AS id, ${raw(column)}::text AS sort, ${connection.select}
      FROM ${raw(list.from)} WHERE ${where} AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`);
    const items = rows.slice(0, page.size);
    if (page.backward) items.reverse();
    const render = await connection.prepare(items);
    // As pagination.ts's cursorAt: an instant as ISO text, a bigint as its digits.
    const value = integer ? (text: string) => text : isoOf;
    return render(items.map((row) => ({ row, cursor: () => encodeCursor(page.sortKey, value(row.sort!), row.id!) })), rows.length > page.size);
  };
}
