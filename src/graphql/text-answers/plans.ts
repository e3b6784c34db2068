// The machinery of answers written from rows' text: an object's selected fields as columns and
// renderers, and a Relay connection over a page of such objects. What each type reads is decided
// by its own file (traces.ts, record-lists.ts; keyset-lists.ts for a table's keyset page).
import { getNamedType, type GraphQLSchema } from 'graphql';
import { empty, join, raw, sql, type Sql } from '../../db/sql.ts';
import { Unsupported, type Selected } from './selection.ts';
import { renderOf, type Render } from './text-values.ts';
import type { AnswerWriter, Write } from './writer.ts';

export type Row = Record<string, string | null>;
export type Args = Record<string, unknown>;
export type PageArgs = { first?: number | null; after?: string | null; last?: number | null; before?: string | null };
/**
 * Runs one statement for the request's tenant; `prepared` as db.query's option: named, so that
 * after a few runs on a connection Postgres may keep one generic plan for it instead of planning it
 * at every request.
 */
export type Query = (statement: Sql, options?: { prepared?: boolean }) => Promise<Row[]>;

/** What one request is answered with. */
export interface Scope {
  schema: GraphQLSchema;
  tenantId: string;
  variables: Args;
  query: Query;
}

/** A root field: planned (arguments checked) at once, run later; its statements read, the writing of its value. */
export type RootPlan = () => Promise<(w: AnswerWriter) => void>;

// ---------------------------------------------------------------- objects

/** A select-list entry: its alias and expression. */
export type Column = readonly [alias: string, expr: string];
/** A column read as it is, of this SQL type. */
export type Hidden = readonly [alias: string, expr: string, type: string];

/** An object's selected fields: the columns they read, and how a row renders. */
export interface ObjectPlan {
  /** Its columns, each as text (`(expr)::text`), aliased by position: c0, c1, … (see readTogether). */
  columns: readonly Column[];
  /** Columns only its nested fields read from its row, as they are (h0, h1, …; [alias, expr, SQL type]): not part of the answer. */
  hidden: readonly Hidden[];
  /** Its nested fields (readTogether, readNested). */
  nested: readonly Nested[];
  /** Given its rows and each nested field's rows (in `nested` order), the writing of a row. */
  prepare(rows: Row[], nestedRows: readonly Row[][]): Write<Row>;
}

/**
 * A nested field: a LATERAL subquery per parent row (the parent's columns under the alias `p`),
 * read in the parent's statement (readTogether) or after it (readNested); its columns aliased by
 * position, c0, c1, …
 */
export interface Nested {
  /**
   * The FROM item joined to each parent row `p`, e.g. `CROSS JOIN LATERAL (…) s`; given the parent
   * rows when they were read already (their values may narrow the plan, as partitions to open).
   */
  join(parents: Row[] | null): Sql;
  /** Its columns, as text, over the join (and `p`). */
  columns: readonly Column[];
  /** Its rows (every parent's) → the writing per parent row. */
  render(rows: Row[], parents: Row[]): Write<Row>;
}

/** What a field is made of, decided by the object's own rules; undefined: a plain column. */
export type FieldRule = (
  child: Selected,
  /** A column of the answer (as text), or given its SQL type, a hidden one (as it is). */
  column: (expr: string, hidden?: string) => string,
) => { column: string; render?: Render } | { nested: Nested } | undefined;

/** An object plan; its columns aliased by position, c0, c1, … */
export function objectPlan(f: Selected, columns: ReadonlyMap<string, string>, rule: FieldRule = () => undefined): ObjectPlan {
  const select: Column[] = [];
  const hidden: Hidden[] = [];
  const nested: Nested[] = [];
  const column = (expr: string, type?: string) => {
    const alias = type ? `h${hidden.length}` : `c${select.length}`;
    if (type) hidden.push([alias, expr, type]);
    else select.push([alias, `(${expr})::text`]);
    return alias;
  };
  // A member renders its key and value; a nested one renders from its rows, given to prepare.
  type Member = { prefix: string; nested?: number; render?: (row: Row) => string };
  const members: Member[] = f.children!.map((c, i) => {
    const prefix = `${i ? ',' : '{'}${JSON.stringify(c.key)}:`;
    if (c.name === '__typename') {
      const name = prefix + JSON.stringify(c.parent.name);
      return { prefix, render: () => name };
    }
    const spec = rule(c, column) ?? { column: column(plainColumn(c, columns)) };
    if ('nested' in spec) return { prefix, nested: nested.push(spec.nested) - 1 };
    const render = spec.render ?? leafRender(c);
    const alias = spec.column;
    // A null column is one piece of the rope, written once here.
    const none = prefix + render(null);
    return {
      prefix,
      render: (row: Row) => {
        const text = row[alias] ?? null;
        return text === null ? none : prefix + render(text);
      },
    };
  });
  if (!select.length) select.push(['c0', 'NULL::text']);
  return {
    columns: select,
    hidden,
    nested,
    prepare(rows, nestedRows) {
      if (!members.length) return (_, w) => w.write('{}');
      // Leaves are one string per row (a few dozen pieces), written at the end or before a nested field.
      const parts = members.map((m) => (m.render ? { leaf: m.render } : { prefix: m.prefix, nested: nested[m.nested!]!.render(nestedRows[m.nested!]!, rows) }));
      return (row, w) => {
        let out = '';
        for (let i = 0; i < parts.length; i++) {
          const part = parts[i]!;
          if (part.leaf) out += part.leaf(row);
          else {
            w.write(out + part.prefix);
            out = '';
            part.nested!(row, w);
          }
        }
        w.write(`${out}}`);
      };
    },
  };
}

/** More columns after these, aliased by position as they are (c<n>, c<n+1>, …). */
export function after(columns: readonly Column[], exprs: readonly string[]): Column[] {
  return exprs.map((expr, i) => [`c${columns.length + i}`, expr]);
}

/**
 * ONE statement for the parent rows and every nested field's rows: the parent's SELECT as the CTE
 * `p`, then UNION ALL of row kinds: kind '0' the parents (in `order`, over p's columns), kind 'j+1'
 * nested field j's rows, its LATERAL subquery per parent row (`below`: which parents, e.g. not the
 * look-ahead row). Every kind's columns are text and named by position (c0, c1, …; NULL beyond a
 * kind's own), so a row is as wide as the widest kind, not the sum of all. `parent.hidden`: p's
 * own columns for `order` and `below`. Without nested fields, the parent's SELECT alone (the
 * object's hidden columns as text, for readNested).
 */
export async function readTogether(
  query: Query,
  object: Pick<ObjectPlan, 'columns' | 'hidden' | 'nested'>,
  parent: { columns?: readonly Column[]; hidden?: readonly Column[]; from: Sql; order?: string; below?: Sql },
): Promise<{ rows: Row[]; nested: Row[][] }> {
  const out = [...object.columns, ...(parent.columns ?? [])];
  const list = (columns: readonly Column[]) => raw(columns.map(([alias, expr]) => `${expr} AS ${alias}`).join(', '));
  if (!object.nested.length) {
    const hidden = object.hidden.map(([alias, expr]): Column => [alias, `(${expr})::text`]);
    return { rows: await query(sql`SELECT ${list([...out, ...hidden])} ${parent.from}`), nested: [] };
  }
  const parents = `(SELECT ${kindList(0, out.map(([alias]) => [alias, `p.${alias}`]), width(out, object.nested))} FROM p${parent.order ? ` ORDER BY ${parent.order}` : ''})`;
  const below = parent.below ? sql` WHERE ${parent.below}` : empty;
  const rows = await query(sql`WITH p AS (SELECT ${list([...out, ...(parent.hidden ?? []), ...object.hidden.map(([alias, expr]): Column => [alias, expr])])} ${parent.from})
    ${raw(parents)} UNION ALL ${nestedKinds(object.nested, null, below, width(out, object.nested))}`);
  const kinds: Row[][] = object.nested.map(() => []);
  const parentRows: Row[] = [];
  for (const row of rows) {
    if (row.k === '0') parentRows.push(row);
    else kinds[Number(row.k) - 1]!.push(row);
  }
  return { rows: parentRows, nested: kinds };
}

/**
 * The nested fields' rows of parents read already (readTogether without nested fields), in one
 * statement: p is their rows given as values (every column text), so each nested subquery can
 * name what their values allow (a trace's partition, planned rather than pruned at run time).
 */
export async function readNested(query: Query, object: Pick<ObjectPlan, 'columns' | 'hidden' | 'nested'>, parents: Row[]): Promise<Row[][]> {
  if (!object.nested.length || !parents.length) return object.nested.map(() => []);
  const typed = [...object.columns.map(([alias]) => [alias, 'text'] as const), ...object.hidden.map(([alias, , type]) => [alias, type] as const)];
  const aliases = typed.map(([alias]) => alias);
  // Each column typed as it was read (a hidden one's text back to its type), so the nested
  // subqueries compare like with like and their index conditions hold.
  const arrays = typed.map(([alias, type]) => sql`${parents.map((row) => row[alias] ?? null)}::${raw(type)}[]`);
  const n = Math.max(...object.nested.map((nested) => nested.columns.length));
  const rows = await query(sql`WITH p AS (SELECT * FROM unnest(${join(arrays, ', ')}) AS p(${raw(aliases.join(', '))}))
    ${nestedKinds(object.nested, parents, empty, n)}`);
  const kinds: Row[][] = object.nested.map(() => []);
  for (const row of rows) kinds[Number(row.k) - 1]!.push(row);
  return kinds;
}

const width = (out: readonly Column[], nested: readonly Nested[]) => Math.max(out.length, ...nested.map((n) => n.columns.length));

/** One kind's select list: k, then its columns, then NULL up to `width`; the first names them (k, c0, c1, …). */
function kindList(kind: number, columns: readonly Column[], width: number, named = kind === 0) {
  const exprs = [`'${kind}'`, ...columns.map(([, expr]) => expr)];
  while (exprs.length <= width) exprs.push('NULL::text');
  return named ? exprs.map((expr, i) => `${expr} AS ${i ? `c${i - 1}` : 'k'}`).join(', ') : exprs.join(', ');
}

/** The nested fields' branches of the UNION ALL (the first named when nothing precedes it). */
function nestedKinds(nested: readonly Nested[], parents: Row[] | null, below: Sql, width: number): Sql {
  return join(
    nested.map((n, j) => sql`SELECT ${raw(kindList(j + 1, n.columns, width, parents !== null && j === 0))} FROM p ${n.join(parents)}${below}`),
    ' UNION ALL ',
  );
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

export interface Edge {
  row: Row;
  cursor: () => string;
}

/** A Relay connection's selection over one page of items, as pagination.ts's toConnection builds it. */
export function connectionPlan(f: Selected, page: { size: number; backward: boolean; after?: unknown; before?: unknown }, nodePlan: (node: Selected) => ObjectPlan) {
  let node: ObjectPlan | undefined;
  const parts: ((edges: Edge[], hasMore: boolean, node: Write<Row> | undefined, w: AnswerWriter) => void)[] = [];
  f.children!.forEach((c, i) => {
    const prefix = `${i ? ',' : '{'}${JSON.stringify(c.key)}:`;
    switch (c.name) {
      case '__typename': {
        const name = prefix + JSON.stringify(c.parent.name);
        return parts.push((_edges, _hasMore, _node, w) => w.write(name));
      }
      case 'edges': {
        // An edge's members: text, or its node, written by the node's plan.
        const edge = c.children!.map((e, j): { key: string; text?: (x: Edge) => string } => {
          const key = `${j ? ',' : '{'}${JSON.stringify(e.key)}:`;
          if (e.name === '__typename') return { key, text: () => JSON.stringify(e.parent.name) };
          if (e.name === 'cursor') return { key, text: (x) => JSON.stringify(x.cursor()) };
          if (e.name === 'node') {
            // One node plan per connection: its columns are the page's select list.
            if (node) throw new Unsupported('nodes selected twice');
            node = nodePlan(e);
            return { key };
          }
          throw new Unsupported(`${e.parent.name}.${e.name}`);
        });
        return parts.push((edges, _hasMore, render, w) => {
          w.write(`${prefix}[`);
          for (let n = 0; n < edges.length; n++) {
            const x = edges[n]!;
            let out = n ? ',' : '';
            if (!edge.length) out += '{}';
            for (const member of edge) {
              if (member.text) out += member.key + member.text(x);
              else {
                w.write(out + member.key);
                out = '';
                render!(x.row, w);
              }
            }
            w.write(edge.length ? `${out}}` : out);
          }
          w.write(']');
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
        return parts.push((edges, hasMore, _node, w) => w.write(`${prefix}${info.map((member) => member(edges, hasMore)).join('')}${info.length ? '}' : '{}'}`));
      }
      default:
        throw new Unsupported(`${c.parent.name}.${c.name}`); // totalCount and the like
    }
  });
  const none = { columns: [['c0', 'NULL::text'] as const], hidden: [], nested: [] };
  return {
    /** The node's columns, hidden columns and nested fields (readTogether reads them with the page). */
    ...(node ? { columns: node.columns, hidden: node.hidden, nested: node.nested } : none),
    /** The rendering of a page, given the nodes' rows and their nested rows (of every page at once). */
    prepare(rows: Row[], nestedRows: readonly Row[][]) {
      const render = node?.prepare(rows, nestedRows);
      return (edges: Edge[], hasMore: boolean, w: AnswerWriter) => {
        for (const part of parts) part(edges, hasMore, render, w);
        w.write(parts.length ? '}' : '{}');
      };
    },
  };
}

/** Field → column (a store's own column list of [expression, field]), under a table alias. */
export const columnsOf = (aliases: readonly (readonly [string, string])[], table: string) =>
  new Map<string, string>(aliases.map(([expr, field]) => [field, `${table}.${expr}`]));
