// A root list field answered from one table's keyset page (Query.traces, auditEntries, llmRuns):
// the list resolvers' listPage, the store's filter and sort columns, pagination.ts's cursors.
import { raw, sql, type Sql } from '../../db/sql.ts';
import { finishPage, keysetSql } from '../../stores/keyset.ts';
import { compact } from '../builder.ts';
import { encodeCursor, listPage } from '../pagination.ts';
import { argumentsOf } from './arguments.ts';
import { after, connectionPlan, readTogether, type Args, type ObjectPlan, type PageArgs, type RootPlan, type Scope } from './plans.ts';
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
  /**
   * Sent prepared, for a generic plan (Query): where planning is the cost (the steps' partitions)
   * and no filter value changes the best plan. Not for lists filtered on skewed columns: a generic
   * plan is made for an average value (an LLM model with 16 runs) and serves the common one (700
   * runs) badly (BENCHMARKS.md).
   */
  prepared?: boolean;
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
  // With nested fields, each row's position in travel order (p._n) orders the page's rows in the
  // one statement and keeps the look-ahead row's nested fields unread.
  const travel = k.orderBy;
  const where = list.matching(scope.tenantId, compact(args.filter ?? {}));
  const connection = connectionPlan(f, page, (node) => list.node(node, scope));
  // The id and sort value of each row (its cursor), after the node's columns.
  const extras = after(connection.columns, [`${id}::text`, `${column}::text`]);
  const [idAlias, sortAlias] = extras.map(([alias]) => alias) as [string, string];
  return async () => {
    const read = await readTogether((statement) => scope.query(statement, { prepared: list.prepared ?? false }), connection, {
      columns: extras,
      hidden: connection.nested.length ? [['_n', `row_number() OVER (ORDER BY ${travel.text})`]] : [],
      from: sql`FROM ${raw(list.from)} WHERE ${where} AND ${k.where} ORDER BY ${travel} LIMIT ${k.limit}`,
      order: 'p._n',
      // A parameter, not text: one statement text (and one prepared plan) for every page size.
      below: sql`p._n <= ${page.size}`,
    });
    const { items, hasMore } = finishPage(read.rows, page);
    const render = connection.prepare(items, read.nested);
    // As pagination.ts's cursorAt: an instant as ISO text, a bigint as its digits.
    const value = integer ? (text: string) => text : isoOf;
    const edges = items.map((row) => ({ row, cursor: () => encodeCursor(page.sortKey, value(row[sortAlias]!), row[idAlias]!) }));
    return (w) => render(edges, hasMore, w);
  };
}
