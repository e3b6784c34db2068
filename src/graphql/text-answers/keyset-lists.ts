// A root list field answered from one table's keyset page (Query.traces, auditEntries, llmRuns):
// the list resolvers' listPage, the store's filter and sort columns, pagination.ts's cursors.
import { raw, sql, type Sql } from '../../db/sql.ts';
import { finishPage, keysetSql } from '../../stores/keyset.ts';
import { compact } from '../builder.ts';
import { encodeCursor, listPage } from '../pagination.ts';
import { argumentsOf } from './arguments.ts';
import { connectionPlan, type Args, type ObjectPlan, type PageArgs, type RootPlan, type Scope } from './plans.ts';
import type { Selected } from './selection.ts';
import { isoOf } from './text-values.ts';

export interface KeysetList {
  /** Table and alias, e.g. `audit_ledger a`. */
  from: string;
  alias: string;
  /** Sort field → column (the store's). */
  sortColumns: Record<string, string>;
  /** The store's filter predicate (tenant first). */
  matching: (tenantId: string, filter: Args) => Sql;
  /** Sort fields whose cursor value is digits (bigint), not an instant. */
  integerFields?: readonly string[];
  /** Largest page (the resolver's; listPage's default otherwise). */
  maxSize?: number;
  /** The node's fields. */
  node: (node: Selected, scope: Scope) => ObjectPlan;
}

/** As the list resolvers: newest first by createdAt unless `defaultSort` says otherwise. */
export function keysetListConnection(list: KeysetList, f: Selected, scope: Scope, defaultSort = 'createdAt'): RootPlan {
  const args = argumentsOf(f, scope) as PageArgs & { filter?: Args | null; sort?: { field: string; direction: 'asc' | 'desc' } | null };
  const integerFields = list.integerFields ?? [];
  const page = listPage(args, args.sort, { field: defaultSort, direction: 'desc' }, { integerFields, ...(list.maxSize === undefined ? {} : { maxSize: list.maxSize }) });
  const column = list.sortColumns[page.sortKey]!;
  const integer = integerFields.includes(page.sortKey);
  const id = `${list.alias}.id`;
  const k = keysetSql(page, column, integer ? (v) => String(v) : (v) => new Date(v), id);
  const where = list.matching(scope.tenantId, compact(args.filter ?? {}));
  const connection = connectionPlan(f, page, (node) => list.node(node, scope));
  return async () => {
    const rows = await scope.query(sql`SELECT ${raw(id)}::text AS id, ${raw(column)}::text AS sort, ${connection.select}
      FROM ${raw(list.from)} WHERE ${where} AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`);
    const { items, hasMore } = finishPage(rows, page);
    const render = await connection.prepare(items);
    // As pagination.ts's cursorAt: an instant as ISO text, a bigint as its digits.
    const value = integer ? (text: string) => text : isoOf;
    return render(items.map((row) => ({ row, cursor: () => encodeCursor(page.sortKey, value(row.sort!), row.id!) })), hasMore);
  };
}
