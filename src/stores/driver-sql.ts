// Building blocks for statements sent through the driver (`db.query`) on hot read paths: select
// lists that return rows under their domain names, and AND-ed filter conditions. Each store keeps
// its own column list and row mapper next to its statements (DESIGN D11).
import { sql, join, raw, type Sql } from '../db/sql.ts';

/** `[column expression, domain name]` pairs; the expression may cast (`status::text`). */
export type ColumnList = readonly (readonly [column: string, alias: string])[];

/** `<table>.<column> AS "<alias>"`, …: raw SQL returning rows under their domain names. */
export const selectList = (columns: ColumnList, table: string) => columns.map(([column, alias]) => `${table}.${column} AS "${alias}"`).join(', ');

/**
 * The conditions given, AND-ed with `column = value` for each filter field that is set
 * (undefined: no condition; `type` casts the value, for enum columns) and the set time bounds.
 * Column names are trusted.
 */
export function andWhere(
  always: Sql[],
  equal: [column: string, value: unknown, type?: string][],
  ranges: [column: string, op: '>=' | '<=', value: Date | undefined][] = [],
): Sql {
  const parts = [...always];
  for (const [column, value, type] of equal) {
    if (value === undefined) continue;
    parts.push(type ? sql`${raw(column)} = ${value}::${raw(`"${type}"`)}` : sql`${raw(column)} = ${value}`);
  }
  for (const [column, op, value] of ranges) if (value !== undefined) parts.push(sql`${raw(column)} ${raw(op)} ${value}`);
  return join(parts, ' AND ');
}
