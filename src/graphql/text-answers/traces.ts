// Traces: a page of them (Query.traces) or one (Query.trace), with summaries and step pages read
// per trace as LATERAL subqueries: for a page, in the page's own statement (plans.ts readTogether:
// one statement where the loaders make three); for one trace, in a second statement over its row.
// The stores' own filters, keyset bounds and column lists, so both ways read the same rows.
import { empty, join, raw, sql } from '../../db/sql.ts';
import { manyByKey } from '../../stores/batch.ts';
import { finishPage } from '../../stores/keyset.ts';
import { SORT_COLUMNS, stepConditions, SUMMARY_SELECT, traceConditions, type TraceFilter } from '../../stores/trace-queries.ts';
import { STEP_COLUMN_ALIASES, STEP_SPAN_COLUMN_ALIASES, TRACE_COLUMN_ALIASES } from '../../stores/trace-rows.ts';
import { compact } from '../builder.ts';
import { encodeCursor } from '../pagination.ts';
import { stepPage } from '../types/trace-step.ts';
import { MAX_TRACE_PAGE } from '../types/trace.ts';
import { argumentsOf } from './arguments.ts';
import { keysetListConnection, type KeysetList } from './keyset-lists.ts';
import { after, columnsOf, connectionPlan, objectPlan, readNested, readTogether, type Args, type Nested, type ObjectPlan, type PageArgs, type Query, type RootPlan, type Row, type Scope } from './plans.ts';
import type { Selected } from './selection.ts';
import { globalIdOf } from './text-values.ts';

/**
 * A trace's statements, prepared: they read one trace by its key (no filter value changes the
 * best plan), and its nested fields' plans cover the steps' partitions.
 */
const prepared = (scope: Scope): Query => (statement) => scope.query(statement, { prepared: true });

/** Query.trace(traceId). */
export function traceLookup(f: Selected, scope: Scope): RootPlan {
  const { traceId } = argumentsOf(f, scope) as { traceId: string };
  const trace = traceObject(f, scope);
  return async () => {
    // The trace, then its nested fields' rows: knowing its start, their statement reads the steps'
    // partition it names, in index order, where one statement would prune at run time and sort
    // (measured: the 1,000-step tree's answer came later by the sort and the planning).
    const { rows } = await readTogether(prepared(scope), { ...trace, nested: [] }, { from: sql`FROM aos_traces t WHERE t.tenant_id = ${scope.tenantId} AND t.trace_id = ${traceId}` });
    if (!rows[0]) return (w) => w.write('null');
    const write = trace.prepare(rows, await readNested(prepared(scope), trace, rows));
    return (w) => write(rows[0]!, w);
  };
}

const TRACE_COLUMNS = columnsOf(TRACE_COLUMN_ALIASES, 't');
const STEP_COLUMNS = columnsOf([...STEP_COLUMN_ALIASES, ...STEP_SPAN_COLUMN_ALIASES], 's');
STEP_COLUMNS.set('costCents', 's.cost_microcents');
STEP_COLUMNS.set('startedAt', 's."timestamp"');
// TraceStep.endedAt is `new Date(timestamp + durationMs)`: a Date keeps whole milliseconds.
STEP_COLUMNS.set('endedAt', `s."timestamp" + trunc(s.duration_ms) * interval '1 millisecond'`);

/** A trace's fields; its trace id is read whenever anything is (the nested fields' key). */
function traceObject(f: Selected, scope: Scope): ObjectPlan {
  // The key of nested fields: the trace id, and its start as it is, the steps' partition key.
  let key: TraceKey | undefined;
  return objectPlan(f, TRACE_COLUMNS, (c, column) => {
    key ??= { id: column('t.trace_id'), start: column('t.started_at', 'timestamptz') };
    switch (c.name) {
      case 'id':
        return { column: key.id, render: (text) => globalIdOf('Trace', text!) };
      case 'durationMs': // completedAt − startedAt in milliseconds; null while running
        return { column: column('(EXTRACT(EPOCH FROM t.completed_at - t.started_at) * 1000)::float8') };
      case 'summary':
        return { nested: summary(c, scope, key) };
      case 'steps':
        return { nested: stepConnection(c, scope, key) };
      default:
        return undefined;
    }
  });
}

/**
 * Where a trace's nested fields find it in the parent row `p`: its trace id (text), and its start,
 * the steps' partition key (docs/partitions.md; hidden, a timestamptz).
 */
type TraceKey = { id: string; start: string };

/**
 * The steps of the trace in `p`, from its own partition (a step's trace_started_at is its trace's
 * started_at, foreign key). Given the traces' starts as values, the planner opens those partitions
 * only, instead of planning every month and pruning at run time.
 */
const stepsOf = (scope: Scope, key: TraceKey, traces: Row[] | null) =>
  sql`s.tenant_id = ${scope.tenantId} AND s.trace_id = p.${raw(key.id)} AND s.trace_started_at = p.${raw(key.start)}${
    traces ? sql` AND s.trace_started_at = ANY(${[...new Set(traces.map((r) => r[key.start]!))]}::timestamptz[])` : empty
  }`;

const SUMMARY_COLUMNS = new Map([
  ['stepCount', 'm."stepCount"'],
  ['successCount', 'm."successCount"'],
  ['failureCount', 'm."failureCount"'],
  ['totalCostCents', 'm.cost'],
  ['totalDurationMs', 'm.duration'],
  ['totalTokens', 'm.tokens'],
]);

/** TraceSummary: the rollup of each trace's steps, one aggregate row per trace (zeros for a trace without steps). */
function summary(f: Selected, scope: Scope, key: TraceKey): Nested {
  const object = objectPlan(f, SUMMARY_COLUMNS);
  const keyed = after(object.columns, [`p.${key.id}`]);
  const trace = keyed[0]![0];
  return {
    join: (traces) => sql`CROSS JOIN LATERAL (SELECT ${raw(SUMMARY_SELECT)} FROM aos_trace_steps s WHERE ${stepsOf(scope, key, traces)} AND s.archived_at IS NULL) m`,
    columns: [...object.columns, ...keyed],
    render(rows) {
      const write = object.prepare(rows, []);
      const byTrace = new Map(rows.map((r) => [r[trace]!, r]));
      return (parent, w) => write(byTrace.get(parent[key.id]!)!, w);
    },
  };
}

const TRACES: KeysetList = {
  from: 'aos_traces t',
  alias: 't',
  sortColumns: SORT_COLUMNS,
  matching: (tenantId, filter) => traceConditions(tenantId, filter as TraceFilter),
  maxSize: MAX_TRACE_PAGE,
  node: traceObject,
  // Its step pages and summaries are planned over every partition of the steps (docs/partitions.md).
  prepared: true,
};

/** Query.traces: newest first by startedAt, as its resolver. */
export const traceConnection = (f: Selected, scope: Scope): RootPlan => keysetListConnection(TRACES, f, scope, 'startedAt');

// ---------------------------------------------------------------- steps

/** The same page of steps of every trace (as the stepPage loader): a LATERAL index range per trace. */
function stepConnection(f: Selected, scope: Scope, key: TraceKey): Nested {
  const args = argumentsOf(f, scope) as PageArgs & { filter?: Args | null };
  const page = stepPage(args);
  const bounds = [stepConditions(compact(args.filter ?? {}))];
  if (page.afterIndex !== undefined) bounds.push(sql`s.step_index > ${page.afterIndex}`);
  if (page.beforeIndex !== undefined) bounds.push(sql`s.step_index < ${page.beforeIndex}`);
  const travel = raw(page.backward ? 'DESC' : 'ASC');
  const connection = connectionPlan(f, { size: page.size, backward: page.backward, after: page.afterIndex, before: page.beforeIndex }, (node) =>
    objectPlan(node, STEP_COLUMNS, (c, column) => (c.name === 'id' ? { column: column('s.id'), render: (text) => globalIdOf('TraceStep', text!) } : undefined)),
  );
  // Each step's trace, index and id (its cursor), after the node's columns.
  const extras = after(connection.columns, ['s.trace_id::text', 's.step_index::text', 's.id::text']);
  const [trace, index, id] = extras.map(([alias]) => alias) as [string, string, string];
  return {
    join: (traces) => sql`CROSS JOIN LATERAL (
        SELECT * FROM aos_trace_steps s WHERE ${stepsOf(scope, key, traces)} AND ${join(bounds, ' AND ')}
        ORDER BY s.step_index ${travel} LIMIT ${page.size + 1}
      ) s`,
    columns: [...connection.columns, ...extras],
    render(rows, traces) {
      // Per trace, in travel order (whatever order the lateral join returned them in), then
      // trimmed to the page as the stepPage loader does.
      const ids = traces.map((t) => t[key.id]!);
      const pages = new Map(
        manyByKey(ids, rows, (row) => row[trace]!).map((list, i) => {
          list.sort((a, b) => (page.backward ? -1 : 1) * (Number(a[index]) - Number(b[index])));
          return [ids[i]!, finishPage(list, page)] as const;
        }),
      );
      const render = connection.prepare(rows, []);
      // As trace-step.ts's stepConnection: encodeCursor('stepIndex', stepIndex, id).
      const edges = (items: Row[]) => items.map((row) => ({ row, cursor: () => encodeCursor('stepIndex', Number(row[index]), row[id]!) }));
      return (parent, w) => {
        const found = pages.get(parent[key.id]!)!;
        render(edges(found.items), found.hasMore, w);
      };
    },
  };
}
