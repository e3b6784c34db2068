// Named prepared statements for `db.query(text, values, { prepared: true })` on PostgreSQL: pg
// parses a named statement once per connection and afterwards only binds and runs it, and the
// server keeps its plan. A name stands for one text in this process, so any connection of any
// pool can prepare it under that name.
import type pg from 'pg';
import type { QueryOptions } from './client.ts';

const names = new Map<string, string>();
/** Beyond this many texts, statements run unnamed: every name lives on each connection that ran it. */
export const MAX_PREPARED = 100;

/** The driver's query config: named when prepared (while names are left), else plain text. */
export function queryConfig(text: string, values: readonly unknown[] | undefined, options: QueryOptions | undefined): pg.QueryConfig {
  let name = options?.prepared ? names.get(text) : undefined;
  if (options?.prepared && name === undefined && names.size < MAX_PREPARED) {
    name = `aos_${names.size + 1}`;
    names.set(text, name);
  }
  return { text, values: values as unknown[], ...(name === undefined ? {} : { name }) };
}
