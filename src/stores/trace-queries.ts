// Reads over traces and steps for dashboards (reference §3.1 search/list/get, §2.4 idempotency).
// Every query is tenant-first and skips archived rows unless asked (B19); lists are keyset pages;
// batch methods serve the request-scoped DataLoaders, one statement per page of parents.
import { sql, join, raw, empty, type Sql } from '../db/sql.ts';
import type { Db } from '../db/client.ts';
import type { StepLevel } from '../domain/levels.ts';
import type { StepStatus, Trace, TraceStatus, TraceStep } from '../domain/trace.ts';
import { manyByKey, oneByKey } from './batch.ts';
import { uuidKeys } from './ids.ts';
import { type Page, type PageResult, selectPage, countWhere } from './keyset.ts';
import { ALL_STEP_COLUMNS, stepFromDriverRow, stepSelect, TRACE_SELECT, traceFromDriverRow, type StepColumns } from './trace-rows.ts';

export interface TraceFilter {
  agentId?: string | undefined;
  runId?: string | undefined;
  rootHash?: string | undefined;
  planHash?: string | undefined;
  seed?: bigint | undefined;
  status?: TraceStatus | undefined;
  startedAfter?: Date | undefined;
  startedBefore?: Date | undefined;
  incidentId?: string | undefined;
  isSynthetic?: boolean | undefined;
  includeArchived?: boolean | undefined;
}

export type TraceSortField = 'startedAt' | 'createdAt';

export interface StepFilter {
  level?: StepLevel | undefined;
  status?: StepStatus | undefined;
  skillName?: string | undefined;
}

/** A page of one trace's steps, by step index: after/before are step indexes. */
export interface StepPage {
  size: number;
  backward: boolean;
  afterIndex?: number | undefined;
  beforeIndex?: number | undefined;
}

/** The reference's TraceSummary rollup of a trace's (unarchived) steps. */
export interface TraceSummary {
  traceId: string;
  stepCount: number;
  successCount: number;
  failureCount: number;
  totalCostMicrocents: bigint;
  totalDurationMs: number;
  /** Input plus output tokens of the steps that report them. */
  totalTokens: number;
}

export interface IdempotencyHit {
  traceId: string;
  stepIndex: number;
  status: StepStatus;
  outputHash: string | null;
  outcomeData: unknown;
  recordedAt: Date;
}

/** The filter as SQL over `aos_traces t`; every condition is tenant-first and qualified (B5). */
export function traceConditions(tenantId: string, f: TraceFilter): Sql {
  const parts = [sql`t.tenant_id = ${tenantId}`];
  if (f.agentId !== undefined) parts.push(sql`t.agent_id = ${f.agentId}`);
  if (f.runId !== undefined) parts.push(sql`t.run_id = ${f.runId}`);
  if (f.rootHash !== undefined) parts.push(sql`t.root_hash = ${f.rootHash}`);
  if (f.planHash !== undefined) parts.push(sql`t.plan_hash = ${f.planHash}`);
  if (f.seed !== undefined) parts.push(sql`t.seed = ${String(f.seed)}::bigint`);
  if (f.status !== undefined) parts.push(sql`t.status = ${f.status}::"TraceStatus"`);
  if (f.incidentId !== undefined) parts.push(sql`t.incident_id = ${f.incidentId}::uuid`);
  if (f.isSynthetic !== undefined) parts.push(sql`t.is_synthetic = ${f.isSynthetic}`);
  if (f.startedAfter) parts.push(sql`t.started_at >= ${f.startedAfter}`);
  if (f.startedBefore) parts.push(sql`t.started_at <= ${f.startedBefore}`);
  if (!f.includeArchived) parts.push(sql`t.archived_at IS NULL`);
  return join(parts, ' AND ');
}

export const SORT_COLUMNS: Record<TraceSortField, string> = { startedAt: 't.started_at', createdAt: 't.created_at' };

export function stepConditions(f: StepFilter): Sql {
  const parts = [sql`s.archived_at IS NULL`];
  if (f.level) parts.push(sql`s.level = ${f.level}::"StepLevel"`);
  if (f.status) parts.push(sql`s.status = ${f.status}::"StepStatus"`);
  if (f.skillName) parts.push(sql`s.skill_name = ${f.skillName}`);
  return join(parts, ' AND ');
}

/**
 * The rollup of a trace's steps (alias `s`; the caller filters unarchived steps of one trace or
 * groups by trace): the summary loader's and the answers Postgres writes (graphql/text-answers).
 */
export const SUMMARY_SELECT = `count(*)::int AS "stepCount",
  count(*) FILTER (WHERE s.status = 'success')::int AS "successCount",
  count(*) FILTER (WHERE s.status = 'failure')::int AS "failureCount",
  coalesce(sum(s.cost_microcents), 0)::text AS cost, coalesce(sum(s.duration_ms), 0)::float8 AS duration,
  coalesce(sum(coalesce(s.input_tokens, 0) + coalesce(s.output_tokens, 0)), 0)::float8 AS tokens`;

type TraceDriverRow = Parameters<typeof traceFromDriverRow>[0];
type StepDriverRow = Parameters<typeof stepFromDriverRow>[0];

/** Whole traces matching `where` (over `aos_traces t`), in `orderBy`. */
async function traces(db: Db, where: Sql, orderBy: Sql, limit?: number): Promise<Trace[]> {
  const query = sql`SELECT ${raw(TRACE_SELECT.full)} FROM aos_traces t WHERE ${where} ORDER BY ${orderBy}${limit === undefined ? empty : sql` LIMIT ${limit}`}`;
  return (await db.query<TraceDriverRow>(query.text, query.values)).map(traceFromDriverRow);
}

export function createTraceQueryStore(db: Db) {
  return {
    /**
     * The reference's search_traces, as a keyset page over (sort column, id); newest first by
     * default. Index: (tenant_id, started_at DESC, id DESC) WHERE archived_at IS NULL, and the
     * created_at twin. Without `payload`, plan and metadata stay in the database.
     */
    async list(tenantId: string, filter: TraceFilter, sort: TraceSortField, page: Page, payload: boolean): Promise<PageResult<Trace>> {
      const select = payload ? TRACE_SELECT.full : TRACE_SELECT.withoutPayload;
      const where = traceConditions(tenantId, filter);
      return selectPage(db, { select, from: 'aos_traces t', where, column: SORT_COLUMNS[sort], id: 't.id', map: (row: TraceDriverRow) => traceFromDriverRow(row) }, page);
    },

    count: (tenantId: string, filter: TraceFilter): Promise<number> => countWhere(db, 'aos_traces t', traceConditions(tenantId, filter)),

    /** For the traceByTraceId loader (the most frequent request): results in key order, null for a miss. */
    async byTraceIds(tenantId: string, traceIds: readonly string[]): Promise<(Trace | null)[]> {
      const rows = await db.query<TraceDriverRow>(
        `SELECT ${TRACE_SELECT.full} FROM aos_traces t WHERE t.tenant_id = $1 AND t.trace_id = ANY($2::text[])`,
        [tenantId, traceIds],
      );
      return oneByKey(traceIds, rows.map(traceFromDriverRow), (t) => t.traceId);
    },

    /**
     * The trace with this root hash. Replays of one deterministic run share a root hash, so when
     * several match, the most recently started wins (ties: highest id) — never an arbitrary row (B14).
     */
    async byRootHash(tenantId: string, rootHash: string): Promise<Trace | null> {
      const [trace] = await traces(
        db,
        sql`t.tenant_id = ${tenantId} AND t.root_hash = ${rootHash} AND t.archived_at IS NULL`,
        sql`t.started_at DESC, t.id DESC`,
        1,
      );
      return trace ?? null;
    },

    /** For the tracesByRunId loader: every unarchived trace of each run, oldest first. */
    async byRunIds(tenantId: string, runIds: readonly string[]): Promise<Trace[][]> {
      const rows = await traces(
        db,
        sql`t.tenant_id = ${tenantId} AND t.run_id = ANY(${[...runIds]}::text[]) AND t.archived_at IS NULL`,
        sql`t.started_at, t.id`,
      );
      return manyByKey(runIds, rows, (t) => t.runId);
    },

    /** For the tracesByIncidentId loader: traces linked to each incident. */
    async byIncidentIds(tenantId: string, incidentIds: readonly string[]): Promise<Trace[][]> {
      const { lookup, keys } = uuidKeys(incidentIds);
      const rows = lookup.length
        ? await traces(db, sql`t.tenant_id = ${tenantId} AND t.incident_id = ANY(${lookup}::uuid[])`, sql`t.started_at, t.id`)
        : [];
      return manyByKey(keys, rows, (t) => t.incidentId!);
    },

    /** For the summaryByTraceId loader: one GROUP BY for the whole page of traces. */
    async summariesByTraceIds(tenantId: string, traceIds: readonly string[]): Promise<TraceSummary[]> {
      const rows = await db.query<{ traceId: string; stepCount: number; successCount: number; failureCount: number; cost: string; duration: number; tokens: number }>(
        `SELECT s.trace_id AS "traceId", ${SUMMARY_SELECT}
         FROM aos_traces t JOIN aos_trace_steps s
           -- trace_started_at: each trace's steps from its own partition only (docs/partitions.md).
           ON s.tenant_id = t.tenant_id AND s.trace_id = t.trace_id AND s.trace_started_at = t.started_at
         WHERE t.tenant_id = $1 AND t.trace_id = ANY($2::text[]) AND s.archived_at IS NULL
         GROUP BY s.trace_id`,
        [tenantId, traceIds],
      );
      const found = oneByKey(traceIds, rows, (r) => r.traceId);
      return traceIds.map((traceId, i) => {
        const r = found[i];
        return {
          traceId,
          stepCount: r?.stepCount ?? 0,
          successCount: r?.successCount ?? 0,
          failureCount: r?.failureCount ?? 0,
          totalCostMicrocents: r ? BigInt(r.cost) : 0n,
          totalDurationMs: r?.duration ?? 0,
          totalTokens: r?.tokens ?? 0,
        };
      });
    },

    /**
     * For the stepPage loader: the same page (filter, size, bounds) of each trace's steps in ONE
     * statement, a LATERAL index range scan per trace on (tenant_id, trace_id, step_index); one
     * row more than the page answers "has more". Only `columns` are read: params and outcome data
     * alone are most of a step's bytes, and a dashboard shows a few columns of ~40.
     */
    async stepPagesByTraceIds(
      tenantId: string,
      traceIds: readonly string[],
      filter: StepFilter,
      page: StepPage,
      columns: StepColumns,
    ): Promise<PageResult<TraceStep>[]> {
      const bounds = [stepConditions(filter)];
      if (page.afterIndex !== undefined) bounds.push(sql`s.step_index > ${page.afterIndex}`);
      if (page.beforeIndex !== undefined) bounds.push(sql`s.step_index < ${page.beforeIndex}`);
      const order = page.backward ? sql`DESC` : sql`ASC`;
      const query = sql`
        SELECT ${raw(stepSelect(columns))} FROM unnest(${[...traceIds]}::text[]) AS t(trace_id)
        JOIN aos_traces tr ON tr.tenant_id = ${tenantId} AND tr.trace_id = t.trace_id
        CROSS JOIN LATERAL (
          SELECT * FROM aos_trace_steps s
          -- trace_started_at: the trace's own partition only, pruned per trace (docs/partitions.md).
          WHERE s.tenant_id = ${tenantId} AND s.trace_id = t.trace_id AND s.trace_started_at = tr.started_at AND ${join(bounds, ' AND ')}
          ORDER BY s.step_index ${order} LIMIT ${page.size + 1}
        ) s`;
      const rows = (await db.query<StepDriverRow>(query.text, query.values)).map(stepFromDriverRow);
      return manyByKey(traceIds, rows, (s) => s.traceId).map((list) => {
        const items = list.sort((a, b) => (page.backward ? b.stepIndex - a.stepIndex : a.stepIndex - b.stepIndex)).slice(0, page.size);
        if (page.backward) items.reverse();
        return { items, hasMore: list.length > page.size };
      });
    },

    /** For the stepCount loader: steps per trace under a filter, in one GROUP BY. */
    async stepCountsByTraceIds(tenantId: string, traceIds: readonly string[], filter: StepFilter): Promise<number[]> {
      const query = sql`
        SELECT s.trace_id AS "traceId", count(*)::int AS n FROM aos_trace_steps s
        WHERE s.tenant_id = ${tenantId} AND s.trace_id = ANY(${[...traceIds]}::text[]) AND ${stepConditions(filter)}
        GROUP BY s.trace_id`;
      const rows = await db.query<{ traceId: string; n: number }>(query.text, query.values);
      return oneByKey(traceIds, rows, (r) => r.traceId).map((r) => r?.n ?? 0);
    },

    async stepsByIds(tenantId: string, ids: readonly string[]): Promise<(TraceStep | null)[]> {
      const { lookup, keys } = uuidKeys(ids);
      const rows = lookup.length
        ? await db.query<StepDriverRow>(`SELECT ${stepSelect(ALL_STEP_COLUMNS)} FROM aos_trace_steps s WHERE s.tenant_id = $1 AND s.id = ANY($2::uuid[])`, [
            tenantId,
            lookup,
          ])
        : [];
      return oneByKey(keys, rows.map(stepFromDriverRow), (s) => s.id);
    },

    /**
     * The reference's check_idempotency_key: was a side effect with this key already executed? The
     * earliest recorded step with the key wins (the reference returned an arbitrary one).
     * Index: (tenant_id, idempotency_key).
     */
    async idempotencyCheck(tenantId: string, key: string): Promise<IdempotencyHit | null> {
      const [row] = await db.query<IdempotencyHit>(
        `SELECT s.trace_id AS "traceId", s.step_index AS "stepIndex", s.status::text AS status, s.output_hash AS "outputHash",
                s.outcome_data AS "outcomeData", s.recorded_at AS "recordedAt"
         FROM aos_trace_steps s WHERE s.tenant_id = $1 AND s.idempotency_key = $2
         ORDER BY s.recorded_at, s.id LIMIT 1`,
        [tenantId, key],
      );
      return row ?? null;
    },
  };
}

export type TraceQueryStore = ReturnType<typeof createTraceQueryStore>;
