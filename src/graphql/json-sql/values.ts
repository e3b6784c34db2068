// SQL expressions that write JSON text exactly as the GraphQL scalars serialize the same values
// (src/graphql/scalars.ts), so that an answer Postgres writes reads the same as graphql-jit's.
// Every expression yields text and never NULL: a null value is the text `null`.
import type { GraphQLEnumType } from 'graphql';
import { join, raw, sql, type Sql } from '../../db/sql.ts';

/** How a column's value becomes JSON. */
export type ValueKind = 'text' | 'number' | 'boolean' | 'json' | 'datetime' | 'cents' | 'int64';

const orNull = (text: Sql) => sql`coalesce(${text}, 'null')`;

/** DateTimeScalar: `toISOString()`, UTC with milliseconds (the columns are timestamptz(3)). */
export const isoText = (e: Sql) => sql`to_char((${e}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A column's value as JSON text of its kind. */
export function jsonValue(e: Sql, kind: ValueKind): Sql {
  switch (kind) {
    case 'text':
    case 'number':
    case 'boolean':
      return orNull(sql`to_json(${e})::text`);
    case 'json':
      return orNull(sql`(${e})::text`);
    case 'datetime':
      return orNull(sql`'"' || ${isoText(e)} || '"'`);
    // CentsScalar: micro-cents as a decimal string of cents, trailing zeros dropped (formatCents).
    case 'cents':
      return orNull(sql`'"' || trim_scale((${e})::numeric * 0.000001)::text || '"'`);
    // Int64Scalar: a string of digits.
    case 'int64':
      return orNull(sql`'"' || (${e})::text || '"'`);
  }
}

/** An enum column as the GraphQL enum's name for the stored value (the enum's internal value). */
export function enumValue(e: Sql, type: GraphQLEnumType): Sql {
  const cases = type.getValues().map((v) => raw(`WHEN ${literal(String(v.value))} THEN ${literal(JSON.stringify(v.name))}`));
  return orNull(sql`CASE (${e})::text ${join(cases, ' ')} END`);
}

/** A SQL string literal of trusted text (field names, enum names: letters, digits and _). */
export function literal(text: string): string {
  if (!/^[\w"{}:,]*$/.test(text)) throw new Error(`json-sql: unexpected text in a literal: ${text}`);
  return `'${text}'`;
}

/**
 * A JSON object of `[key, json text]` members, in order. One concat() call per object: a chain of
 * `||` copies the growing text once per member, which on a 40-field step cost more than the rest.
 */
export function jsonObject(members: readonly (readonly [string, Sql])[]): Sql {
  if (!members.length) return raw(`'{}'`);
  const parts = members.flatMap(([key, value], i) => [raw(literal(`${i ? ',' : '{'}${JSON.stringify(key)}:`)), value]);
  return concat([...parts, raw(`'}'`)]);
}

/** concat() of the parts (never NULL here), nested past the 100 arguments a function takes. */
function concat(parts: readonly Sql[]): Sql {
  if (parts.length <= MAX_ARGS) return sql`concat(${join(parts, ', ')})`;
  const chunks: Sql[] = [];
  for (let i = 0; i < parts.length; i += MAX_ARGS) chunks.push(concat(parts.slice(i, i + MAX_ARGS)));
  return concat(chunks);
}
const MAX_ARGS = 100;

/** The string JSON text of a constant (e.g. __typename). */
export const jsonConstant = (value: string | boolean | null) => raw(literal(JSON.stringify(value)));

/** A Relay global ID as the relay plugin writes it: base64 (padded) of `Type:key`, as JSON text. */
export const globalId = (type: string, key: Sql) =>
  sql`'"' || replace(encode(convert_to(${raw(literal(type))} || ':' || ${key}, 'UTF8'), 'base64'), E'\n', '') || '"'`;

/** base64url without padding, as `Buffer.toString('base64url')` writes it (the cursors' encoding). */
export const base64url = (e: Sql) => sql`rtrim(translate(encode(convert_to(${e}, 'UTF8'), 'base64'), E'+/\\n', '-_'), '=')`;
