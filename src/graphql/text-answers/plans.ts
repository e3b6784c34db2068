// The machinery of answers written from rows' text: an object's selected fields as columns and
// renderers, and a Relay connection over a page of such objects. What each type reads is decided
// by its own file (traces.ts, record-lists.ts; keyset-lists.ts for a table's keyset page).
import { getNamedType, type GraphQLSchema } from 'graphql';
import { raw, type Sql } from '../../db/sql.ts';
import { Unsupported, type Selected } from './selection.ts';
import { renderOf, type Render } from './text-values.ts';

export type Row = Record<string, string | null>;
export type Args = Record<string, unknown>;
export type PageArgs = { first?: number | null; after?: string | null; last?: number | null; before?: string | null };
/** Runs one statement for the request's tenant. */
export type Query = (statement: Sql) => Promise<Row[]>;

/** What one request is answered with. */
export interface Scope {
  schema: GraphQLSchema;
  tenantId: string;
  variables: Args;
  query: Query;
}

/** A root field: planned (arguments checked) at once, run later. */
export type RootPlan = () => Promise<string>;

// ---------------------------------------------------------------- objects

/** An object's selected fields: the columns they read, and how a row renders. */
export interface ObjectPlan {
  /** The select list: each column as text, aliased c0, c1, … (never empty). */
  select: Sql;
  /** Runs the nested fields' statements for these rows (all at once), then renders any of them. */
  prepare(rows: Row[]): Promise<(row: Row) => string>;
}

/** A nested field: given the rows of the page, its rendering per row. */
export type Nested = (rows: Row[]) => Promise<(row: Row) => string>;

/** What a field is made of, decided by the object's own rules; undefined: a plain column. */
export type FieldRule = (child: Selected, column: (expr: string) => string) => { column: string; render?: Render } | { nested: Nested } | undefined;

export function objectPlan(f: Selected, columns: ReadonlyMap<string, string>, rule: FieldRule = () => undefined): ObjectPlan {
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

export interface Edge {
  row: Row;
  cursor: () => string;
}

/** A Relay connection's selection over one page of items, as pagination.ts's toConnection builds it. */
export function connectionPlan(f: Selected, page: { size: number; backward: boolean; after?: unknown; before?: unknown }, nodePlan: (node: Selected) => ObjectPlan) {
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
            // One node plan per connection: its columns are the page's select list.
            if (node) throw new Unsupported('nodes selected twice');
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

/** Field → column (a store's own column list of [expression, field]), under a table alias. */
export const columnsOf = (aliases: readonly (readonly [string, string])[], table: string) =>
  new Map<string, string>(aliases.map(([expr, field]) => [field, `${table}.${expr}`]));
