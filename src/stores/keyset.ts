// Keyset pagination over (sort column, id) in SQL, and the list and count statements built on it (DESIGN D5: never
// OFFSET). The id is the tie-breaker, so rows sharing a sort value are neither skipped nor repeated (B26).
import type { Db } from '../db/client.ts';
import { sql, join, raw, type Sql } from '../db/sql.ts';

export type SortDirection = 'asc' | 'desc';

/** Where a page starts and ends, in the list's own order. Cursor values are JSON (dates as ISO). */
export interface Page {
  size: number;
  backward: boolean;
  direction: SortDirection;
  sortKey: string;
  after?: { value: string | number; id: string } | undefined;
  before?: { value: string | number; id: string } | undefined;
}

export interface PageResult<T> {
  items: T[];
  /** More rows lie beyond this page in the direction of travel. */
  hasMore: boolean;
}

const flip = (d: SortDirection): SortDirection => (d === 'asc' ? 'desc' : 'asc');

/**
 * One page over (`column`, `idColumn`): a row comparison per cursor (which the
 * (…, sort column, id) indexes seek to), the ORDER BY and the LIMIT. Column names are trusted.
 */
export function keysetSql(page: Page, column: string, parse: (value: string | number) => unknown, idColumn = 'id') {
  const bound = (cursor: { value: string | number; id: string }, op: '<' | '>') =>
    sql`(${raw(column)}, ${raw(idColumn)}) ${raw(op)} (${parse(cursor.value)}, ${cursor.id}::uuid)`;
  const conditions: Sql[] = [];
  if (page.after) conditions.push(bound(page.after, page.direction === 'desc' ? '<' : '>'));
  if (page.before) conditions.push(bound(page.before, page.direction === 'desc' ? '>' : '<'));
  const order = raw((page.backward ? flip(page.direction) : page.direction).toUpperCase());
  return {
    where: conditions.length ? join(conditions, ' AND ') : sql`TRUE`,
    orderBy: sql`${raw(column)} ${order}, ${raw(idColumn)} ${order}`,
    limit: page.size + 1,
  };
}

/** Trims the look-ahead row and restores list order for a backward page. */
export function finishPage<T>(rows: T[], page: Pick<Page, 'size' | 'backward'>): PageResult<T> {
  const items = rows.slice(0, page.size);
  if (page.backward) items.reverse();
  return { items, hasMore: rows.length > page.size };
}

export const parseDate = (value: string | number) => new Date(value);

/** The list statement every store shares, described by its parts. */
export type PageQuery<R, T> = {
  /** Select list (trusted SQL). */
  select: string;
  /** Table and alias, `runs r` (trusted). */
  from: string;
  /** The list's filter, tenant included. */
  where: Sql;
  /** Sort column and id column, qualified by the alias (trusted). */
  column: string;
  id: string;
  /** A cursor value back to the column's type; dates by default. */
  parse?: (value: string | number) => unknown;
  /** Driver row → item. */
  map: (row: R) => T;
};

/** One keyset page: SELECT … WHERE filter AND cursor bounds ORDER BY (column, id) LIMIT size + 1. */
export async function selectPage<R, T>(db: Db, q: PageQuery<R, T>, page: Page): Promise<PageResult<T>> {
  const k = keysetSql(page, q.column, q.parse ?? parseDate, q.id);
  const query = sql`SELECT ${raw(q.select)} FROM ${raw(q.from)} WHERE ${q.where} AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`;
  return finishPage((await db.query<R>(query.text, query.values)).map(q.map), page);
}

/** How many rows of `from` (table and alias) the filter admits: a list's totalCount. */
export async function countWhere(db: Db, from: string, where: Sql): Promise<number> {
  const query = sql`SELECT count(*)::int AS n FROM ${raw(from)} WHERE ${where}`;
  const [row] = await db.query<{ n: number }>(query.text, query.values);
  return row!.n;
}
