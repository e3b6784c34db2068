// Traces: a page of them (Query.traces) or one (Query.trace), with summaries and step pages read
// for every trace of the page at once, as the loaders do, through the stores' own filters, keyset
// bounds and column lists, so both ways read the same rows.
import { join, raw, sql } from '../../db/sql.ts';
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
import { columnsOf, connectionPlan, objectPlan, type Args, type Nested, type ObjectPlan, type PageArgs, type RootPlan, type Row, type Scope } from './plans.ts';
import type { Selected } from './selection.ts';
import { globalIdOf } from './text-values.ts';

/** Query.trace(traceId). */
export function traceLookup(f: Selected, scope: Scope): RootPlan {
  const { traceId } = argumentsOf(f, scope) as { traceId: string };
  const trace = traceObject(f, scope);
  return async () => {
    const rows = await scope.query(sql`SELECT ${trace.select} FROM aos_traces t WHERE t.tenant_id = ${scope.tenantId} AND t.trace_id = ${traceId}`);
    if (!rows[0]) return 'null';
    return (await trace.prepare(rows))(rows[0]);
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
  // The key of nested fields: the trace id, and its start, which is the steps' partition key.
  let key: TraceKey | undefined;
  return objectPlan(f, TRACE_COLUMNS, (c, column) => {
    key ??= { id: column('t.trace_id'), start: column('t.started_at') };
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

/** Where a trace's nested fields find it: the columns of its id and of its start. */
type TraceKey = { id: string; start: string };

/**
 * The steps of these traces lie in the partitions of their start times (trace_started_at, the
 * partition key: docs/partitions.md). Given as values, the planner opens those partitions only,
 * instead of planning every month and pruning at run time; the join on each trace's own start
 * then keeps each trace to its own partition. It excludes no step of these traces: a step's
 * trace_started_at is its trace's started_at (foreign key).
 */
const inPartitionsOf = (traces: Row[], key: TraceKey) => sql`s.trace_started_at = ANY(${[...new Set(traces.map((r) => r[key.start]!))]}::timestamptz[])`;

const SUMMARY_COLUMNS = new Map([
  ['stepCount', 'm."stepCount"'],
  ['successCount', 'm."successCount"'],
  ['failureCount', 'm."failureCount"'],
  ['totalCostCents', 'm.cost'],
  ['totalDurationMs', 'm.duration'],
  ['totalTokens', 'm.tokens'],
]);

/** TraceSummary of every trace on the page in one GROUP BY; a trace without steps sums to zeros. */
function summary(f: Selected, scope: Scope, key: TraceKey): Nested {
  const object = objectPlan(f, SUMMARY_COLUMNS);
  return async (rows) => {
    const found = await scope.query(sql`SELECT m."traceId" AS key, ${object.select} FROM (
        SELECT s.trace_id AS "traceId", ${raw(SUMMARY_SELECT)} FROM aos_trace_steps s
        WHERE s.tenant_id = ${scope.tenantId} AND s.trace_id = ANY(${rows.map((r) => r[key.id]!)}::text[])
          AND ${inPartitionsOf(rows, key)} AND s.archived_at IS NULL
        GROUP BY s.trace_id
      ) m
      UNION ALL SELECT NULL, ${object.select} FROM (SELECT 0 AS "stepCount", 0 AS "successCount", 0 AS "failureCount", '0' AS cost,
        0::float8 AS duration, 0::float8 AS tokens) m`);
    const render = await object.prepare(found);
    const none = render(found.at(-1)!);
    const byTrace = new Map(found.slice(0, -1).map((r) => [r.key!, render(r)]));
    return (row) => byTrace.get(row[key.id]!) ?? none;
  };
}

const TRACES: KeysetList = {
  from: 'aos_traces t',
  alias: 't',
  sortColumns: SORT_COLUMNS,
  matching: (tenantId, filter) => traceConditions(tenantId, filter as TraceFilter),
  maxSize: MAX_TRACE_PAGE,
  node: traceObject,
};

/** Query.traces: newest first by startedAt, as its resolver. */
export const traceConnection = (f: Selected, scope: Scope): RootPlan => keysetListConnection(TRACES, f, scope, 'startedAt');

// ---------------------------------------------------------------- steps

/** The same page of steps of every trace on the page, in one statement (as the stepPage loader). */
function stepConnection(f: Selected, scope: Scope, key: TraceKey): Nested {
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
    const traceIds = traces.map((r) => r[key.id]!);
    const rows = await scope.query(sql`SELECT s.trace_id AS trace, s.step_index::text AS index, s.id::text AS id, ${connection.select}
      FROM unnest(${traceIds}::text[], ${traces.map((r) => r[key.start]!)}::timestamptz[]) AS t(trace_id, started_at)
      CROSS JOIN LATERAL (
        SELECT * FROM aos_trace_steps s
        WHERE s.tenant_id = ${scope.tenantId} AND s.trace_id = t.trace_id AND s.trace_started_at = t.started_at
          AND ${inPartitionsOf(traces, key)} AND ${join(bounds, ' AND ')}
        ORDER BY s.step_index ${travel} LIMIT ${page.size + 1}
      ) s`);
    // Per trace, in travel order (whatever order the lateral join returned the traces in), then
    // trimmed to the page as the stepPage loader does.
    const pages = new Map(
      manyByKey(traceIds, rows, (row) => row.trace!).map((list, i) => {
        list.sort((a, b) => (page.backward ? -1 : 1) * (Number(a.index) - Number(b.index)));
        return [traceIds[i]!, finishPage(list, page)] as const;
      }),
    );
    const render = await connection.prepare(rows);
    // As trace-step.ts's stepConnection: encodeCursor('stepIndex', stepIndex, id).
    const edges = (items: Row[]) => items.map((row) => ({ row, cursor: () => encodeCursor('stepIndex', Number(row.index), row.id!) }));
    return (trace) => {
      const found = pages.get(trace[key.id]!)!;
      return render(edges(found.items), found.hasMore);
    };
  };
}
