// A query's whole `data` written as JSON text straight from the rows' text, for the shapes
// dashboards ask most: a page of traces with their summaries and step pages, and one trace with its
// steps. Issue 10: on these, Node spent 2.5–3× the database's time decoding rows into Dates,
// BigInts and parsed JSON, building graphql-jit's result tree and stringifying it again. Here every
// column arrives as text (`::text`) and is written once into the answer; JSON columns pass
// through unparsed. (JSON built by Postgres itself measured slower: its per-value cost made a
// 1,000-step tree ~2.4× the plain rows' time, BENCHMARKS.md.)
//
// The statements are the loaders' (one per level: the page, then its summaries and step pages for
// every trace at once), with the stores' own filters, keyset bounds and cursors, so both ways read
// the same rows; test/graphql/text-answers.test.ts holds every supported shape to graphql-jit's answer.
// Arguments are coerced and checked as graphql-jit and Pothos would; whatever this does not model
// throws (index.ts), and the request runs through graphql-jit as before.
import { getArgumentValues, getNamedType, getVariableValues, isInputObjectType, isListType, isNonNullType, type GraphQLInputType, type GraphQLSchema } from 'graphql';
import { join, raw, sql, type Sql } from '../../db/sql.ts';
import { keysetSql } from '../../stores/keyset.ts';
import { SORT_COLUMNS, stepConditions, SUMMARY_SELECT, traceConditions, type TraceSortField } from '../../stores/trace-queries.ts';
import { STEP_COLUMN_ALIASES, STEP_SPAN_COLUMN_ALIASES, TRACE_COLUMN_ALIASES } from '../../stores/trace-rows.ts';
import { compact } from '../builder.ts';
import { encodeCursor, listPage } from '../pagination.ts';
import { stepPage } from '../types/trace-step.ts';
import { MAX_TRACE_PAGE } from '../types/trace.ts';
import { Refused, Unsupported, type QueryShape, type Selected } from './selection.ts';
import { globalIdOf, isoOf, renderOf, type Render } from './text-values.ts';

type Row = Record<string, string | null>;
type Args = Record<string, unknown>;
type PageArgs = { first?: number | null; after?: string | null; last?: number | null; before?: string | null };
/** Runs one statement for the request's tenant. */
export type Query = (statement: Sql) => Promise<Row[]>;

interface Scope {
  tenantId: string;
  variables: Args;
  query: Query;
}

/** The JSON text of the answer's `data` (throws Unsupported or Refused when it cannot). */
export async function answer(schema: GraphQLSchema, shape: QueryShape, tenantId: string, inputs: Args | undefined, query: Query): Promise<string> {
  const coerced = getVariableValues(schema, shape.operation.variableDefinitions ?? [], inputs ?? {});
  if (coerced.errors) throw new Refused('variables');
  const scope: Scope = { tenantId, variables: coerced.coerced, query };
  // Every root field is planned (its arguments checked) before any statement runs.
  const roots = shape.fields.map((f) => rootField(f, scope));
  const parts = await Promise.all(roots.map((run) => run()));
  return `{${shape.fields.map((f, i) => `${JSON.stringify(f.key)}:${parts[i]}`).join(',')}}`;
}

function rootField(f: Selected, scope: Scope): () => Promise<string> {
  switch (f.name) {
    case '__typename':
      return async () => '"Query"';
    case 'trace': {
      const { traceId } = argumentsOf(f, scope) as { traceId: string };
      const trace = traceObject(f, scope);
      return async () => {
        const rows = await scope.query(sql`SELECT ${trace.select} FROM aos_traces t WHERE t.tenant_id = ${scope.tenantId} AND t.trace_id = ${traceId}`);
        if (!rows[0]) return 'null';
        return (await trace.prepare(rows))(rows[0]);
      };
    }
    case 'traces':
      return traceConnection(f, scope);
    default:
      throw new Unsupported(`Query.${f.name}`);
  }
}

// ---------------------------------------------------------------- objects

/** An object's selected fields: the columns they read, and how a row renders. */
interface ObjectPlan {
  /** The select list: each column as text, aliased c0, c1, … (never empty). */
  select: Sql;
  /** Runs the nested fields' statements for these rows (all at once), then renders any of them. */
  prepare(rows: Row[]): Promise<(row: Row) => string>;
}

/** A nested field: given the rows of the page, its rendering per row. */
type Nested = (rows: Row[]) => Promise<(row: Row) => string>;

/** What a field is made of, decided by the object's own rules; undefined: a plain column. */
type FieldRule = (child: Selected, column: (expr: string) => string) => { column: string; render?: Render } | { nested: Nested } | undefined;

function objectPlan(f: Selected, columns: ReadonlyMap<string, string>, rule: FieldRule = () => undefined): ObjectPlan {
  const select: string[] = [];
  const column = (expr: string) => {
    const alias = `c${select.length}`;
    select.push(`(${expr})::text AS ${alias}`);
    return alias;
  };
  type Member = { prefix: string; nested?: Nested; render?: (row: Row) => string };
  const members: Member[] = f.children!.map((c, i) => {
    const prefix = `${i ? ',' : '{'}${JSON.stringify(c.key)}:`;
    if (c.name === '__typename') {
      const name = JSON.stringify(c.parent.name);
      return { prefix, render: () => name };
    }
    const spec = rule(c, column) ?? { column: column(plainColumn(c, columns)) };
    if ('nested' in spec) return { prefix, nested: spec.nested };
    const render = spec.render ?? leafRender(c);
    const alias = spec.column;
    return { prefix, render: (row: Row) => render(row[alias] ?? null) };
  });
  return {
    select: raw(select.length ? select.join(', ') : 'NULL::text AS c'),
    async prepare(rows) {
      const renders = await Promise.all(members.map(async (m) => m.render ?? (await m.nested!(rows))));
      if (!members.length) return () => '{}';
      return (row) => {
        let out = '';
        for (let i = 0; i < members.length; i++) out += members[i]!.prefix + renders[i]!(row);
        return `${out}}`;
      };
    },
  };
}

function plainColumn(c: Selected, columns: ReadonlyMap<string, string>): string {
  const expr = columns.get(c.name);
  if (!expr || c.children || c.def.args.length) throw new Unsupported(`${c.parent.name}.${c.name}`);
  return expr;
}

function leafRender(c: Selected): Render {
  const type = getNamedType(c.def.type);
  const render = renderOf(type);
  if (!render) throw new Unsupported(`${c.parent.name}.${c.name}: scalar ${type.name}`);
  return render;
}

// ---------------------------------------------------------------- connections

interface Edge {
  row: Row;
  cursor: () => string;
}

/** A Relay connection's selection over one page of items, as pagination.ts's toConnection builds it. */
function connectionPlan(f: Selected, page: { size: number; backward: boolean; after?: unknown; before?: unknown }, nodePlan: (node: Selected) => ObjectPlan) {
  let node: ObjectPlan | undefined;
  const parts: ((edges: Edge[], hasMore: boolean, node: ((row: Row) => string) | undefined) => string)[] = [];
  f.children!.forEach((c, i) => {
    const prefix = `${i ? ',' : '{'}${JSON.stringify(c.key)}:`;
    switch (c.name) {
      case '__typename': {
        const name = JSON.stringify(c.parent.name);
        return parts.push(() => prefix + name);
      }
      case 'edges': {
        const edge = c.children!.map((e, j) => {
          const key = `${j ? ',' : '{'}${JSON.stringify(e.key)}:`;
          if (e.name === '__typename') return (_: Edge) => key + JSON.stringify(e.parent.name);
          if (e.name === 'cursor') return (x: Edge) => key + JSON.stringify(x.cursor());
          if (e.name === 'node') {
            node = nodePlan(e);
            return (x: Edge, render?: (row: Row) => string) => key + render!(x.row);
          }
          throw new Unsupported(`${e.parent.name}.${e.name}`);
        });
        return parts.push((edges, _hasMore, render) => {
          let out = '';
          for (const x of edges) {
            let item = '';
            for (const member of edge) item += member(x, render);
            out += (out ? ',' : '') + (edge.length ? `${item}}` : '{}');
          }
          return `${prefix}[${out}]`;
        });
      }
      case 'pageInfo': {
        const info = c.children!.map((p, j) => {
          const key = `${j ? ',' : '{'}${JSON.stringify(p.key)}:`;
          switch (p.name) {
            case '__typename':
              return () => key + JSON.stringify(p.parent.name);
            case 'hasNextPage':
              return (_: Edge[], hasMore: boolean) => key + String(page.backward ? page.before !== undefined : hasMore);
            case 'hasPreviousPage':
              return (_: Edge[], hasMore: boolean) => key + String(page.backward ? hasMore : page.after !== undefined);
            case 'startCursor':
              return (edges: Edge[]) => key + (edges.length ? JSON.stringify(edges[0]!.cursor()) : 'null');
            case 'endCursor':
              return (edges: Edge[]) => key + (edges.length ? JSON.stringify(edges.at(-1)!.cursor()) : 'null');
            default:
              throw new Unsupported(`PageInfo.${p.name}`);
          }
        });
        return parts.push((edges, hasMore) => `${prefix}${info.map((member) => member(edges, hasMore)).join('')}${info.length ? '}' : '{}'}`);
      }
      default:
        throw new Unsupported(`${c.parent.name}.${c.name}`); // totalCount and the like
    }
  });
  return {
    select: node?.select ?? raw('NULL::text AS c'),
    /** Prepares the nodes of every page at once (their nested statements run once). */
    async prepare(rows: Row[]) {
      const render = node ? await node.prepare(rows) : undefined;
      return (edges: Edge[], hasMore: boolean) => `${parts.map((part) => part(edges, hasMore, render)).join('')}${parts.length ? '}' : '{}'}`;
    },
  };
}

// ---------------------------------------------------------------- traces

/** Field → column (the stores' own column lists), under a table alias. */
const columnsOf = (aliases: readonly (readonly [string, string])[], table: string) =>
  new Map<string, string>(aliases.map(([expr, field]) => [field, `${table}.${expr}`]));

const TRACE_COLUMNS = columnsOf(TRACE_COLUMN_ALIASES, 't');
const STEP_COLUMNS = columnsOf([...STEP_COLUMN_ALIASES, ...STEP_SPAN_COLUMN_ALIASES], 's');
STEP_COLUMNS.set('costCents', 's.cost_microcents');
STEP_COLUMNS.set('startedAt', 's."timestamp"');
// TraceStep.endedAt is `new Date(timestamp + durationMs)`: a Date keeps whole milliseconds.
STEP_COLUMNS.set('endedAt', `s."timestamp" + trunc(s.duration_ms) * interval '1 millisecond'`);

/** A trace's fields; its trace id is read whenever anything is (the nested fields' key). */
function traceObject(f: Selected, scope: Scope): ObjectPlan {
  let keyColumn = '';
  return objectPlan(f, TRACE_COLUMNS, (c, column) => {
    keyColumn ||= column('t.trace_id');
    switch (c.name) {
      case 'id':
        return { column: keyColumn, render: (text) => globalIdOf('Trace', text!) };
      case 'durationMs': // completedAt − startedAt in milliseconds; null while running
        return { column: column('(EXTRACT(EPOCH FROM t.completed_at - t.started_at) * 1000)::float8') };
      case 'summary':
        return { nested: summary(c, scope, keyColumn) };
      case 'steps':
        return { nested: stepConnection(c, scope, keyColumn) };
      default:
        return undefined;
    }
  });
}

const SUMMARY_COLUMNS = new Map([
  ['stepCount', 'm."stepCount"'],
  ['successCount', 'm."successCount"'],
  ['failureCount', 'm."failureCount"'],
  ['totalCostCents', 'm.cost'],
  ['totalDurationMs', 'm.duration'],
  ['totalTokens', 'm.tokens'],
]);

/** TraceSummary of every trace on the page in one GROUP BY; a trace without steps sums to zeros. */
function summary(f: Selected, scope: Scope, key: string): Nested {
  const object = objectPlan(f, SUMMARY_COLUMNS);
  return async (rows) => {
    const found = await scope.query(sql`SELECT m."traceId" AS key, ${object.select} FROM (
        SELECT s.trace_id AS "traceId", ${raw(SUMMARY_SELECT)} FROM aos_trace_steps s
        WHERE s.tenant_id = ${scope.tenantId} AND s.trace_id = ANY(${rows.map((r) => r[key]!)}::text[]) AND s.archived_at IS NULL
        GROUP BY s.trace_id
      ) m
      UNION ALL SELECT NULL, ${object.select} FROM (SELECT 0 AS "stepCount", 0 AS "successCount", 0 AS "failureCount", '0' AS cost,
        0::float8 AS duration, 0::float8 AS tokens) m`);
    const render = await object.prepare(found);
    const none = render(found.at(-1)!);
    const byTrace = new Map(found.slice(0, -1).map((r) => [r.key!, render(r)]));
    return (row) => byTrace.get(row[key]!) ?? none;
  };
}

function traceConnection(f: Selected, scope: Scope): () => Promise<string> {
  const args = argumentsOf(f, scope) as PageArgs & { filter?: Args | null; sort?: { field: TraceSortField; direction: 'asc' | 'desc' } | null };
  const page = listPage(args, args.sort, { field: 'startedAt', direction: 'desc' }, { maxSize: MAX_TRACE_PAGE });
  const column = SORT_COLUMNS[page.sortKey as TraceSortField];
  const k = keysetSql(page, column, (value) => new Date(value), 't.id');
  const where = traceConditions(scope.tenantId, compact(args.filter ?? {}));
  const connection = connectionPlan(f, page, (node) => traceObject(node, scope));
  return async () => {
    const rows = await scope.query(sql`SELECT t.id::text AS id, ${raw(column)}::text AS sort, ${connection.select}
      FROM aos_traces t WHERE ${where} AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`);
    const items = rows.slice(0, page.size);
    if (page.backward) items.reverse();
    const render = await connection.prepare(items);
    // As pagination.ts's cursorAt: the sort value as an ISO instant, and the id.
    return render(items.map((row) => ({ row, cursor: () => encodeCursor(page.sortKey, isoOf(row.sort!), row.id!) })), rows.length > page.size);
  };
}

// ---------------------------------------------------------------- steps

/** The same page of steps of every trace on the page, in one statement (as the stepPage loader). */
function stepConnection(f: Selected, scope: Scope, key: string): Nested {
  const args = argumentsOf(f, scope) as PageArgs & { filter?: Args | null };
  const page = stepPage(args);
  const bounds = [stepConditions(compact(args.filter ?? {}))];
  if (page.afterIndex !== undefined) bounds.push(sql`s.step_index > ${page.afterIndex}`);
  if (page.beforeIndex !== undefined) bounds.push(sql`s.step_index < ${page.beforeIndex}`);
  const travel = raw(page.backward ? 'DESC' : 'ASC');
  const connection = connectionPlan(f, { size: page.size, backward: page.backward, after: page.afterIndex, before: page.beforeIndex }, (node) =>
    objectPlan(node, STEP_COLUMNS, (c) => (c.name === 'id' ? { column: 'id', render: (text) => globalIdOf('TraceStep', text!) } : undefined)),
  );
  return async (traces) => {
    const rows = await scope.query(sql`SELECT s.trace_id AS trace, s.step_index::text AS index, s.id::text AS id, ${connection.select}
      FROM unnest(${traces.map((r) => r[key]!)}::text[]) AS t(trace_id)
      CROSS JOIN LATERAL (
        SELECT * FROM aos_trace_steps s
        WHERE s.tenant_id = ${scope.tenantId} AND s.trace_id = t.trace_id AND ${join(bounds, ' AND ')}
        ORDER BY s.step_index ${travel} LIMIT ${page.size + 1}
      ) s`);
    const byTrace = new Map<string, Row[]>();
    for (const row of rows) {
      const list = byTrace.get(row.trace!);
      if (list) list.push(row);
      else byTrace.set(row.trace!, [row]);
    }
    const pages = new Map<string, { items: Row[]; hasMore: boolean }>();
    for (const [trace, list] of byTrace) {
      // Travel order within a trace, whatever order the lateral join returned the traces in.
      list.sort((a, b) => (page.backward ? -1 : 1) * (Number(a.index) - Number(b.index)));
      const items = list.slice(0, page.size);
      if (page.backward) items.reverse();
      pages.set(trace, { items, hasMore: list.length > page.size });
    }
    const render = await connection.prepare(rows);
    // As trace-step.ts's stepConnection: encodeCursor('stepIndex', stepIndex, id).
    const edges = (items: Row[]) => items.map((row) => ({ row, cursor: () => encodeCursor('stepIndex', Number(row.index), row.id!) }));
    return (trace) => {
      const found = pages.get(trace[key]!) ?? { items: [], hasMore: false };
      return render(edges(found.items), found.hasMore);
    };
  };
}

// ---------------------------------------------------------------- arguments

/** The field's arguments coerced as graphql-js does, then checked by the validation plugin's rules. */
function argumentsOf(f: Selected, scope: Scope): Args {
  // A rule on the whole argument set lives in the resolver wrapper, out of reach: not modelled.
  if ((f.def.extensions as { pothosOptions?: { validate?: unknown } }).pothosOptions?.validate) throw new Unsupported('field-level validation');
  let args: Args;
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
  const object = value as Args;
  return Object.values(type.getFields()).every((field) => object[field.name] == null || (passes(field.extensions, object[field.name]) && inputPasses(field.type, object[field.name])));
}
