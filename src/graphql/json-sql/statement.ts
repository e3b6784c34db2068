// One SQL statement that writes a query's whole `data` as JSON text, for the shapes dashboards ask
// most: a page of traces with their summaries and first steps, and one trace with its steps
// (issue 10: Node spent 2.5–3× the database's time on these, decoding rows, building the result
// tree and stringifying it; here Node passes the text through). The filters, pages and cursors
// are the stores' own (trace-queries.ts, pagination.ts), so both ways select the same rows;
// test/graphql/json-sql.test.ts holds every supported shape to graphql-jit's answer.
//
// Arguments are coerced and checked as graphql-jit and Pothos would (variables, scalars, the
// validation plugin's rules, page sizes, cursors). Whatever this does not model — another root
// field, a field without a SQL rendering, an argument that fails a check — throws, and the request
// runs as before, so errors keep their one source.
import { getArgumentValues, getNamedType, getVariableValues, isEnumType, isInputObjectType, isListType, isNonNullType, type GraphQLInputType, type GraphQLSchema } from 'graphql';
import { join, raw, sql, type Sql } from '../../db/sql.ts';
import { keysetSql } from '../../stores/keyset.ts';
import { SORT_COLUMNS, stepConditions, SUMMARY_SELECT, traceConditions, type TraceSortField } from '../../stores/trace-queries.ts';
import { STEP_COLUMN_ALIASES, STEP_SPAN_COLUMN_ALIASES, TRACE_COLUMN_ALIASES } from '../../stores/trace-rows.ts';
import { compact } from '../builder.ts';
import { listPage } from '../pagination.ts';
import { stepPage } from '../types/trace-step.ts';
import { MAX_TRACE_PAGE } from '../types/trace.ts';
import { Refused, Unsupported, type QueryShape, type Selected } from './selection.ts';
import { base64url, enumValue, globalId, isoText, jsonConstant, jsonObject, jsonValue, literal, type ValueKind } from './values.ts';

type Row = Record<string, unknown>;
type PageArgs = { first?: number | null; after?: string | null; last?: number | null; before?: string | null };

/** What one request renders with: its tenant and coerced variables. */
interface Scope {
  tenantId: string;
  variables: Row;
}

/** The statement answering `shape` for this tenant and these variables (throws when it cannot). */
export function dataStatement(schema: GraphQLSchema, shape: QueryShape, tenantId: string, inputs: Row | undefined): Sql {
  const coerced = getVariableValues(schema, shape.operation.variableDefinitions ?? [], inputs ?? {});
  if (coerced.errors) throw new Refused('variables');
  const scope: Scope = { tenantId, variables: coerced.coerced };
  return sql`SELECT ${jsonObject(shape.fields.map((f) => [f.key, rootField(f, scope)]))} AS data`;
}

function rootField(f: Selected, scope: Scope): Sql {
  switch (f.name) {
    case '__typename':
      return jsonConstant('Query');
    case 'trace': {
      const { traceId } = argumentsOf(f, scope) as { traceId: string };
      return sql`coalesce((SELECT ${traceNode(f, scope)} FROM aos_traces t WHERE t.tenant_id = ${scope.tenantId} AND t.trace_id = ${traceId}), 'null')`;
    }
    case 'traces':
      return traceConnection(f, scope);
    default:
      throw new Unsupported(`Query.${f.name}`);
  }
}

// ---------------------------------------------------------------- columns

/** Field → column expression (the stores' own column lists), under a table alias. */
const columnsOf = (aliases: readonly (readonly [string, string])[], table: string) =>
  new Map<string, string>(aliases.map(([column, field]) => [field, `${table}.${column}`]));

const TRACE_COLUMNS = columnsOf(TRACE_COLUMN_ALIASES, 't');
const STEP_COLUMNS = columnsOf([...STEP_COLUMN_ALIASES, ...STEP_SPAN_COLUMN_ALIASES], 's');
STEP_COLUMNS.set('costCents', 's.cost_microcents');
STEP_COLUMNS.set('startedAt', 's."timestamp"');
// TraceStep.endedAt is `new Date(timestamp + durationMs)`: a Date keeps whole milliseconds.
STEP_COLUMNS.set('endedAt', `s."timestamp" + trunc(s.duration_ms) * interval '1 millisecond'`);
const SUMMARY_COLUMNS = new Map([
  ['stepCount', 'm."stepCount"'],
  ['successCount', 'm."successCount"'],
  ['failureCount', 'm."failureCount"'],
  ['totalCostCents', 'm.cost'],
  ['totalDurationMs', 'm.duration'],
  ['totalTokens', 'm.tokens'],
]);

const SCALAR_KINDS: Record<string, ValueKind> = {
  String: 'text',
  ID: 'text',
  Int: 'number',
  Float: 'number',
  Boolean: 'boolean',
  JSON: 'json',
  DateTime: 'datetime',
  Cents: 'cents',
  Int64: 'int64',
};

/** A leaf field read from a column, as its GraphQL type serializes it. */
function leaf(f: Selected, column: string): Sql {
  if (f.children) throw new Unsupported(`${f.parent.name}.${f.name} has a selection`);
  const type = getNamedType(f.def.type);
  if (isEnumType(type)) return enumValue(raw(column), type);
  const kind = SCALAR_KINDS[type.name];
  if (!kind) throw new Unsupported(`scalar ${type.name}`);
  return jsonValue(raw(column), kind);
}

/** An object of the selected fields, each rendered by `field` (or a column of `columns`). */
function objectOf(f: Selected, columns: ReadonlyMap<string, string>, field: (child: Selected) => Sql | undefined): Sql {
  return jsonObject(
    f.children!.map((c) => {
      if (c.name === '__typename') return [c.key, jsonConstant(c.parent.name)];
      const own = field(c);
      if (own) return [c.key, own];
      const column = columns.get(c.name);
      if (!column || c.def.args.length) throw new Unsupported(`${c.parent.name}.${c.name}`);
      return [c.key, leaf(c, column)];
    }),
  );
}

// ---------------------------------------------------------------- traces

function traceNode(f: Selected, scope: Scope): Sql {
  return objectOf(f, TRACE_COLUMNS, (c) => {
    switch (c.name) {
      case 'id':
        return globalId('Trace', sql`t.trace_id`);
      case 'durationMs': // completedAt − startedAt in milliseconds; null while running
        return jsonValue(sql`(EXTRACT(EPOCH FROM t.completed_at - t.started_at) * 1000)::float8`, 'number');
      case 'summary':
        return summary(c, scope);
      case 'steps':
        return stepConnection(c, scope);
      default:
        return undefined;
    }
  });
}

function summary(f: Selected, scope: Scope): Sql {
  const object = objectOf(f, SUMMARY_COLUMNS, () => undefined);
  return sql`(SELECT ${object} FROM (SELECT ${raw(SUMMARY_SELECT)} FROM aos_trace_steps s
    WHERE s.tenant_id = ${scope.tenantId} AND s.trace_id = t.trace_id AND s.archived_at IS NULL) m)`;
}

function traceConnection(f: Selected, scope: Scope): Sql {
  const args = argumentsOf(f, scope) as PageArgs & { filter?: Row | null; sort?: { field: TraceSortField; direction: 'asc' | 'desc' } | null };
  const page = listPage(args, args.sort, { field: 'startedAt', direction: 'desc' }, { maxSize: MAX_TRACE_PAGE });
  const column = SORT_COLUMNS[page.sortKey as TraceSortField];
  const k = keysetSql(page, column, (value) => new Date(value), 't.id');
  const direction = raw(page.direction.toUpperCase());
  return connection(f, {
    travel: sql`SELECT t.*, row_number() OVER (ORDER BY ${k.orderBy}) AS __rn FROM aos_traces t
      WHERE ${traceConditions(scope.tenantId, compact(args.filter ?? {}))} AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
    alias: 't',
    page,
    order: sql`${raw(column)} ${direction}, t.id ${direction}`,
    // encodeCursor(sortKey, ISO instant, id)
    cursor: base64url(sql`${raw(literal(`{"s":${JSON.stringify(page.sortKey)},"v":"`))} || ${isoText(raw(column))} || '","id":"' || t.id::text || '"}'`),
    node: (node) => traceNode(node, scope),
  });
}

// ---------------------------------------------------------------- steps

function stepConnection(f: Selected, scope: Scope): Sql {
  const args = argumentsOf(f, scope) as PageArgs & { filter?: Row | null };
  const page = stepPage(args);
  const bounds = [stepConditions(compact(args.filter ?? {}))];
  if (page.afterIndex !== undefined) bounds.push(sql`s.step_index > ${page.afterIndex}`);
  if (page.beforeIndex !== undefined) bounds.push(sql`s.step_index < ${page.beforeIndex}`);
  const travel = raw(page.backward ? 'DESC' : 'ASC');
  return connection(f, {
    travel: sql`SELECT s.*, row_number() OVER (ORDER BY s.step_index ${travel}) AS __rn FROM aos_trace_steps s
      WHERE s.tenant_id = ${scope.tenantId} AND s.trace_id = t.trace_id AND ${join(bounds, ' AND ')}
      ORDER BY s.step_index ${travel} LIMIT ${page.size + 1}`,
    alias: 's',
    page: { size: page.size, backward: page.backward, after: page.afterIndex !== undefined, before: page.beforeIndex !== undefined },
    order: sql`s.step_index ASC`,
    // encodeCursor('stepIndex', stepIndex, id)
    cursor: base64url(sql`'{"s":"stepIndex","v":' || s.step_index || ',"id":"' || s.id::text || '"}'`),
    node: (node) => objectOf(node, STEP_COLUMNS, (c) => (c.name === 'id' ? globalId('TraceStep', sql`s.id::text`) : undefined)),
  });
}

// ---------------------------------------------------------------- connections

interface ConnectionSpec {
  /** The page's rows in travel order, one more than the page, numbered `__rn` in that order. */
  travel: Sql;
  alias: string;
  /** after/before: whether the request gave them (hasPreviousPage / hasNextPage of a page that did). */
  page: { size: number; backward: boolean; after?: unknown; before?: unknown };
  /** The list's order (a backward page is read in reverse, then put back in it). */
  order: Sql;
  /** The item's cursor as text. */
  cursor: Sql;
  node: (node: Selected) => Sql;
}

/**
 * A Relay connection over the page's rows, as pagination.ts's toConnection builds it. The edges
 * are aggregated in the order the rows arrive from the ordered subquery, not with an ORDER BY in
 * the aggregate: that would sort the rendered JSON (kilobytes a step), which spilled to disk on
 * a 1,000-step page; sorting the rows themselves sorts pointers. Postgres aggregates a plain
 * ordered subquery in order (test/graphql/json-sql.test.ts checks it, backward pages included).
 */
function connection(f: Selected, spec: ConnectionSpec): Sql {
  const { page, alias } = spec;
  const a = raw(alias);
  const inPage = sql`FILTER (WHERE ${a}.__rn <= ${page.size})`;
  const hasMore = sql`to_json(count(*) > ${page.size})::text`;
  // The page's first and last items in list order, by their place in travel order (__rn): only
  // these two rows have their cursors written.
  const lastInTravel = sql`least(${a}.__n, ${page.size})`;
  const cursorWhere = (rn: Sql) => sql`coalesce('"' || min(${spec.cursor}) FILTER (WHERE ${a}.__rn = ${rn} AND ${a}.__rn <= ${page.size}) || '"', 'null')`;
  const object = objectOf(f, new Map(), (c) => {
    switch (c.name) {
      case 'edges': {
        const edge = objectOf(c, new Map(), (e) => {
          if (e.name === 'node') {
            // JSON payloads (params, outcomeData, plan…) over a page of items: Postgres writing
            // them as text measured slower than the driver's rows through graphql-jit (a
            // 1,000-step tree: ~1.5× the wall time), while narrow pages gained 3× in Node CPU.
            if (e.children!.some((leafField) => getNamedType(leafField.def.type).name === 'JSON')) throw new Unsupported('JSON payloads in a list');
            return spec.node(e);
          }
          if (e.name === 'cursor') return sql`'"' || ${spec.cursor} || '"'`;
          return undefined;
        });
        return sql`coalesce('[' || string_agg(${edge}, ',') ${inPage} || ']', '[]')`;
      }
      case 'pageInfo':
        return objectOf(c, new Map(), (p) => {
          switch (p.name) {
            case 'hasNextPage':
              return page.backward ? jsonConstant(Boolean(page.before)) : hasMore;
            case 'hasPreviousPage':
              return page.backward ? hasMore : jsonConstant(Boolean(page.after));
            case 'startCursor':
              return cursorWhere(page.backward ? lastInTravel : sql`1`);
            case 'endCursor':
              return cursorWhere(page.backward ? sql`1` : lastInTravel);
            default:
              return undefined;
          }
        });
      default:
        return undefined; // totalCount and the like: not modelled
    }
  });
  // GROUP BY (): one row even when nothing selected aggregates (say, only __typename).
  return sql`(SELECT ${object} FROM (SELECT ${a}.*, count(*) OVER () AS __n FROM (${spec.travel}) ${a} ORDER BY ${spec.order}) ${a} GROUP BY ())`;
}

// ---------------------------------------------------------------- arguments

/** The field's arguments coerced as graphql-js does, then checked by the validation plugin's rules. */
function argumentsOf(f: Selected, scope: Scope): Row {
  // A rule on the whole argument set lives in the resolver wrapper, out of reach: not modelled.
  if ((f.def.extensions as { pothosOptions?: { validate?: unknown } }).pothosOptions?.validate) throw new Unsupported('field-level validation');
  let args: Row;
  try {
    args = getArgumentValues(f.def, f.node, scope.variables);
  } catch {
    throw new Refused(`arguments of ${f.name}`);
  }
  for (const arg of f.def.args) {
    if (args[arg.name] == null) continue;
    if (!passes(arg.extensions, args[arg.name]) || !inputPasses(arg.type, args[arg.name])) throw new Refused(`argument ${arg.name}`);
  }
  return args;
}

type WithRules = { '@pothos/plugin-validation'?: { schemas?: { '~standard': { validate: (v: unknown) => unknown } }[] } } | null | undefined;

/** Every Standard Schema rule Pothos attached here accepts the value, synchronously. */
function passes(extensions: unknown, value: unknown): boolean {
  for (const rule of (extensions as WithRules)?.['@pothos/plugin-validation']?.schemas ?? []) {
    const result = rule['~standard'].validate(value) as { issues?: unknown } | Promise<unknown>;
    if (result instanceof Promise || result.issues) return false;
  }
  return true;
}

/** The rules of an input object's type and fields, through lists, accept the value. */
function inputPasses(type: GraphQLInputType, value: unknown): boolean {
  if (value == null) return true;
  if (isNonNullType(type)) return inputPasses(type.ofType, value);
  if (isListType(type)) return (value as unknown[]).every((item) => inputPasses(type.ofType, item));
  if (!isInputObjectType(type)) return true;
  if (!passes(type.extensions, value)) return false;
  const object = value as Row;
  return Object.values(type.getFields()).every((field) => object[field.name] == null || (passes(field.extensions, object[field.name]) && inputPasses(field.type, object[field.name])));
}
