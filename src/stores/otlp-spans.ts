// OpenTelemetry spans as trace steps (POST /v1/traces). One OTLP trace id is one trace; each span
// is one insert-only step, keyed by (tenant, trace, span id) so a retried export inserts nothing.
// Spans of a trace arrive in several exports in any order: step indexes are handed out in arrival
// order under the trace's row lock (each export's new spans sorted by start time), and the exact
// start time is kept so readers can order by it (spanPagesByTraceIds). OTLP has no "trace ended"
// message: a trace settles (completed, or failed when a top-level span failed) once no span has
// arrived for a while (src/otlp/settler.ts); spans that come later are rejected, never dropped silently.
import type { GenAiColumns } from '../domain/trace.ts';
import type { Db, SqlSession } from '../db/client.ts';
import { sql, join, raw } from '../db/sql.ts';
import { canonicalJson } from '../domain/canonical-json.ts';
import { sha256Hex, shortDigest } from '../domain/hashes.ts';
import { statusToLevel } from '../domain/levels.ts';
import { redactJson, redactText } from '../domain/redact.ts';
import { traceRootHash, type TraceStep } from '../domain/trace.ts';
import { manyByKey, oneByKey } from './batch.ts';
import type { PageResult } from './keyset.ts';
import { ALL_STEP_COLUMNS, stepFromDriverRow, stepSelect } from './trace-rows.ts';

/** One span, mapped to our vocabulary but not yet redacted (src/otlp/genai.ts builds it). */
export interface SpanStepInput extends GenAiColumns {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: string | null;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  status: 'success' | 'failure';
  outcomeCode: string | null;
  costMicrocents: bigint;
  /** Prompt-side content attributes; the step's params. */
  input: Record<string, unknown>;
  /** Answer-side content attributes; the step's outcomeData. */
  output: Record<string, unknown> | null;
  serviceName: string | null;
  attributes: Record<string, unknown>;
}

export interface IngestResult {
  accepted: number;
  /** Spans already stored with the same content (a retried export): nothing written for them. */
  duplicates: number;
  rejected: { count: number; messages: string[] };
}

/** A page of one trace's spans in start-time order; bounds are (start ns as digits, step index). */
export interface SpanPage {
  size: number;
  backward: boolean;
  after?: { start: string; stepIndex: number } | undefined;
  before?: { start: string; stepIndex: number } | undefined;
}

/** A step row as jsonb_to_recordset reads it: column names, JSON values (64-bit integers as digits). */
type StepRow = {
  tenant_id: string;
  trace_id: string;
  step_index: number;
  skill_id: string;
  skill_name: string;
  params: unknown;
  status: 'success' | 'failure';
  level: string;
  outcome_category: string;
  outcome_code: string | null;
  outcome_data: unknown;
  cost_microcents: string;
  duration_ms: number;
  input_hash: string;
  output_hash: string | null;
  timestamp: string;
  content_hash: string;
  span_id: string;
  parent_span_id: string | null;
  span_kind: string | null;
  start_time_unix_nano: string;
  end_time_unix_nano: string;
  operation: string | null;
  provider: string | null;
  model: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cached_input_tokens: number | null;
  reasoning_tokens: number | null;
  agent_name: string | null;
  tool_name: string | null;
  conversation_id: string | null;
  attributes: unknown;
  /** The trace's started_at, the partition key (docs/partitions.md), from the locked trace row. */
  trace_started_at?: string;
};

type PreparedSpan = { row: StepRow; start: bigint };

type TraceHeader = {
  tenantId: string;
  traceId: string;
  runId: string;
  correlationId: string;
  agentId: string | null;
  metadata: Record<string, unknown>;
  startedAt: Date;
  requestDigest: string;
};

/** Column → type for the multi-row insert (one jsonb parameter, whatever the number of spans). */
const STEP_ROW_TYPES: [keyof StepRow, string][] = [
  ['tenant_id', 'text'], ['trace_id', 'text'], ['step_index', 'int'], ['skill_id', 'text'], ['skill_name', 'text'],
  ['params', 'jsonb'], ['status', 'text'], ['level', 'text'], ['outcome_category', 'text'], ['outcome_code', 'text'],
  ['outcome_data', 'jsonb'], ['cost_microcents', 'bigint'], ['duration_ms', 'float8'], ['input_hash', 'text'],
  ['output_hash', 'text'], ['timestamp', 'timestamptz'], ['content_hash', 'text'], ['span_id', 'text'],
  ['parent_span_id', 'text'], ['span_kind', 'text'], ['start_time_unix_nano', 'bigint'], ['end_time_unix_nano', 'bigint'],
  ['operation', 'text'], ['provider', 'text'], ['model', 'text'], ['input_tokens', 'int'], ['output_tokens', 'int'],
  ['cached_input_tokens', 'int'], ['reasoning_tokens', 'int'], ['agent_name', 'text'], ['tool_name', 'text'],
  ['conversation_id', 'text'], ['attributes', 'jsonb'], ['trace_started_at', 'timestamptz'],
];
const ENUM_CASTS: Partial<Record<keyof StepRow, string>> = { status: '"StepStatus"', level: '"StepLevel"' };
const INSERT_COLUMNS = raw([...STEP_ROW_TYPES.map(([c]) => `"${c}"`), '"source"'].join(', '));
const SELECT_LIST = raw([...STEP_ROW_TYPES.map(([c]) => (ENUM_CASTS[c] ? `r."${c}"::${ENUM_CASTS[c]}` : `r."${c}"`)), `'external'::"StepSource"`].join(', '));
const RECORD_TYPE = raw(STEP_ROW_TYPES.map(([c, t]) => `"${c}" ${t}`).join(', '));

const MAX_MESSAGES = 5;
const MS = 1_000_000n;

/** Cuts text to a column's width in code points (Postgres counts characters, not UTF-16 units). */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return Array.from(text).slice(0, max).join('');
}

const clean = (text: string | null, max: number) => (text === null ? null : clip(redactText(text), max));
const nanosToDate = (ns: bigint) => new Date(Number(ns / MS));

function prepare(tenantId: string, span: SpanStepInput): PreparedSpan {
  const name = clip(redactText(span.name), 128) || 'span';
  const params = redactJson(span.input);
  const outcomeData = span.output === null ? null : redactJson(span.output);
  const content = {
    trace_id: span.traceId,
    span_id: span.spanId,
    parent_span_id: span.parentSpanId,
    span_kind: span.kind,
    start_time_unix_nano: span.startTimeUnixNano.toString(),
    end_time_unix_nano: span.endTimeUnixNano.toString(),
    skill_id: name,
    skill_name: clean(span.toolName, 128) ?? name,
    params,
    status: span.status,
    outcome_category: span.status === 'failure' ? 'FAILURE' : 'SUCCESS',
    outcome_code: clean(span.outcomeCode, 64),
    outcome_data: outcomeData,
    cost_microcents: span.costMicrocents.toString(),
    operation: clean(span.operation, 64),
    provider: clean(span.provider, 64),
    model: clean(span.model, 128),
    input_tokens: span.inputTokens,
    output_tokens: span.outputTokens,
    cached_input_tokens: span.cachedInputTokens,
    reasoning_tokens: span.reasoningTokens,
    agent_name: clean(span.agentName, 128),
    tool_name: clean(span.toolName, 128),
    conversation_id: clean(span.conversationId, 128),
    attributes: redactJson(span.attributes),
  };
  const row: StepRow = {
    ...content,
    tenant_id: tenantId,
    step_index: -1, // assigned under the trace lock
    level: statusToLevel(span.status),
    duration_ms: Number(span.endTimeUnixNano - span.startTimeUnixNano) / 1e6,
    // The hashes the root hash is computed over, as recordTraceSteps derives them.
    input_hash: shortDigest(params),
    output_hash: outcomeData === null ? null : shortDigest(outcomeData),
    timestamp: nanosToDate(span.startTimeUnixNano).toISOString(),
    // Everything the span said, so a resend with other content is told from a retry.
    content_hash: sha256Hex(canonicalJson(content)),
  };
  return { row, start: span.startTimeUnixNano };
}

/** The trace header an OTLP trace id gets when its first spans arrive. */
function traceHeader(tenantId: string, traceId: string, spans: SpanStepInput[]): TraceHeader {
  const earliest = spans.reduce((a, b) => (b.startTimeUnixNano < a.startTimeUnixNano ? b : a));
  const conversation = spans.find((s) => s.conversationId)?.conversationId;
  const runCandidate = conversation ? redactText(conversation) : null;
  // A run id is an identifier of at most 64 printable characters; other conversation ids stay on the steps.
  const runId = runCandidate && /^[\x21-\x7e]{1,64}$/.test(runCandidate) ? runCandidate : traceId;
  const agent = spans.find((s) => s.agentName)?.agentName ?? earliest.serviceName;
  const serviceName = earliest.serviceName === null ? null : redactText(earliest.serviceName);
  return {
    tenantId,
    traceId,
    runId,
    correlationId: runId,
    agentId: agent ? clip(redactText(agent), 64) : null,
    metadata: { source: 'otlp', ...(serviceName && { serviceName }) },
    startedAt: nanosToDate(earliest.startTimeUnixNano),
    requestDigest: sha256Hex(`otlp:${traceId}`),
  };
}

/**
 * Creates the traces not seen before, and the runs of those, in one statement; in trace id order,
 * so concurrent exports wait rather than deadlock.
 */
async function ensureTraces(tx: SqlSession, tenantId: string, byTrace: Map<string, SpanStepInput[]>) {
  const headers = [...byTrace].map(([traceId, spans]) => traceHeader(tenantId, traceId, spans));
  await tx.query(
    `WITH created AS (
       INSERT INTO aos_traces (tenant_id, trace_id, run_id, correlation_id, agent_id, metadata, started_at, request_digest)
       SELECT h."tenantId", h."traceId", h."runId", h."correlationId", h."agentId", h.metadata, h."startedAt", h."requestDigest"
       FROM jsonb_to_recordset($1::jsonb) AS h("tenantId" text, "traceId" text, "runId" text, "correlationId" text, "agentId" text,
                                                metadata jsonb, "startedAt" timestamptz, "requestDigest" text)
       ORDER BY h."traceId"
       ON CONFLICT DO NOTHING
       RETURNING run_id, agent_id, started_at)
     INSERT INTO runs (tenant_id, run_id, agent_id, started_at)
     SELECT $2, run_id, agent_id, started_at FROM created
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(headers), tenantId],
  );
}

export function createOtlpSpanStore(db: Db) {
  return {
    /**
     * Stores one export in one transaction. Per span: new → inserted; same span id with the same
     * content → duplicate (nothing written); same span id with other content, or a span of a trace
     * that is already final → rejected with a reason.
     */
    async ingest(tenantId: string, spans: SpanStepInput[]): Promise<IngestResult> {
      const result: IngestResult = { accepted: 0, duplicates: 0, rejected: { count: 0, messages: [] } };
      if (spans.length === 0) return result;
      const reject = (span: { traceId: string; spanId: string }, reason: string) => {
        result.rejected.count += 1;
        if (result.rejected.messages.length < MAX_MESSAGES) result.rejected.messages.push(`span ${span.spanId} of trace ${span.traceId}: ${reason}`);
      };
      const byTrace = new Map<string, SpanStepInput[]>();
      for (const span of [...spans].sort((a, b) => (a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0))) {
        const list = byTrace.get(span.traceId);
        if (list) list.push(span);
        else byTrace.set(span.traceId, [span]);
      }
      const traceIds = [...byTrace.keys()];
      const prepared = spans.map((s) => prepare(tenantId, s));

      await db.transaction(
        async (tx) => {
          await ensureTraces(tx, tenantId, byTrace);
          const locked = await tx.query<{ trace_id: string; status: string; started_at: string }>(
            `SELECT trace_id, status::text AS status, to_json(started_at) #>> '{}' AS started_at FROM aos_traces
             WHERE tenant_id = $1 AND trace_id = ANY($2::text[]) ORDER BY trace_id FOR UPDATE`,
            [tenantId, traceIds],
          );
          const statusOf = new Map(locked.map((t) => [t.trace_id, t.status]));
          const startedAtOf = new Map(locked.map((t) => [t.trace_id, t.started_at]));
          const stored = await tx.query<{ trace_id: string; span_id: string; content_hash: string }>(
            `SELECT trace_id, span_id, content_hash FROM aos_trace_steps
             WHERE tenant_id = $1 AND trace_id = ANY($2::text[]) AND span_id = ANY($3::text[])`,
            [tenantId, traceIds, [...new Set(spans.map((s) => s.spanId))]],
          );
          const hashOf = new Map(stored.map((s) => [`${s.trace_id}/${s.span_id}`, s.content_hash]));
          const maxIndex = await tx.query<{ trace_id: string; max: number }>(
            `SELECT trace_id, max(step_index) AS max FROM aos_trace_steps
             WHERE tenant_id = $1 AND trace_id = ANY($2::text[]) GROUP BY trace_id`,
            [tenantId, traceIds],
          );
          const nextIndex = new Map(maxIndex.map((r) => [r.trace_id, Number(r.max) + 1]));

          // Each export's new spans get indexes in start-time order (ties: span id), so a trace sent
          // in one export reads in start order; across exports, arrival order.
          const ordered = [...prepared].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.row.span_id < b.row.span_id ? -1 : 1));
          const fresh: StepRow[] = [];
          for (const { row } of ordered) {
            const span = { traceId: row.trace_id, spanId: row.span_id };
            const key = `${row.trace_id}/${row.span_id}`;
            const earlier = hashOf.get(key);
            if (earlier !== undefined) {
              if (earlier !== row.content_hash) reject(span, 'already stored with different content');
              else result.duplicates += 1;
              continue;
            }
            const status = statusOf.get(row.trace_id);
            if (status !== 'running') {
              reject(span, `the trace is already ${status ?? 'missing'}; spans that arrive after it settled are not accepted`);
              continue;
            }
            hashOf.set(key, row.content_hash);
            const index = nextIndex.get(row.trace_id) ?? 0;
            nextIndex.set(row.trace_id, index + 1);
            fresh.push({ ...row, step_index: index, trace_started_at: startedAtOf.get(row.trace_id)! });
          }
          // One statement and one parameter for the whole export, whatever its size.
          if (fresh.length) {
            const insert = sql`INSERT INTO aos_trace_steps (${INSERT_COLUMNS})
              SELECT ${SELECT_LIST} FROM jsonb_to_recordset(${JSON.stringify(fresh)}::jsonb) AS r(${RECORD_TYPE})`;
            await tx.query(insert.text, insert.values);
          }
          result.accepted = fresh.length;
        },
      );
      return result;
    },

    /**
     * Running traces made of spans with no span recorded since `cutoff`, in every tenant (the
     * settler's work list). Index: aos_traces_running_started_at.
     */
    async settleableForAnyTenant(cutoff: Date, limit = 500): Promise<{ tenantId: string; traceId: string }[]> {
      const query = sql`
        /* cross-tenant: the settler's work list spans every tenant (one process per deployment runs it) */
        SELECT t.tenant_id, t.trace_id FROM aos_traces t
        WHERE t.status = 'running'
          AND EXISTS (SELECT 1 FROM aos_trace_steps s WHERE s.tenant_id = t.tenant_id AND s.trace_id = t.trace_id AND s.span_id IS NOT NULL)
          AND NOT EXISTS (SELECT 1 FROM aos_trace_steps s
                          WHERE s.tenant_id = t.tenant_id AND s.trace_id = t.trace_id AND s.recorded_at >= ${cutoff})
        ORDER BY t.started_at LIMIT ${limit}`;
      const rows = await db.withSession((session) => session.query<{ tenant_id: string; trace_id: string }>(query.text, query.values));
      return rows.map((r) => ({ tenantId: r.tenant_id, traceId: r.trace_id }));
    },

    /**
     * Finalises a running trace whose last span arrived before `cutoff`, as completeTrace would
     * (root hash over its steps, run closed): FAILED when a top-level span (no parent, or a parent
     * that was never sent) failed, else COMPLETED; completedAt is the latest span end. Returns
     * false, changing nothing, when the trace is final already or a span arrived since `cutoff`.
     */
    async settle(tenantId: string, traceId: string, cutoff: Date): Promise<boolean> {
      return db.transaction(async (tx) => {
        const [locked] = await tx.query<{ status: string }>(
          'SELECT status::text AS status FROM aos_traces WHERE tenant_id = $1 AND trace_id = $2 FOR UPDATE',
          [tenantId, traceId],
        );
        if (locked?.status !== 'running') return false;
        const [span] = await tx.query<{ recent: boolean | null; failed: boolean | null; last_end: string | null }>(
          `SELECT bool_or(s.recorded_at >= $3) AS recent, max(s.end_time_unix_nano)::text AS last_end,
                  bool_or(s.status = 'failure' AND (s.parent_span_id IS NULL OR NOT EXISTS (
                    SELECT 1 FROM aos_trace_steps p WHERE p.tenant_id = s.tenant_id AND p.trace_id = s.trace_id AND p.span_id = s.parent_span_id))) AS failed
           FROM aos_trace_steps s WHERE s.tenant_id = $1 AND s.trace_id = $2`,
          [tenantId, traceId, cutoff],
        );
        if (!span || span.recent || span.last_end === null) return false;
        const [row] = await tx.query<{ seed: string | null; frozenTimestamp: string | null; startedAt: Date; runId: string }>(
          `SELECT seed::text AS seed, frozen_timestamp AS "frozenTimestamp", started_at AS "startedAt", run_id AS "runId"
           FROM aos_traces WHERE tenant_id = $1 AND trace_id = $2`,
          [tenantId, traceId],
        );
        const trace = { ...row!, tenantId, seed: row!.seed === null ? null : BigInt(row!.seed) };
        const steps = await tx.query<Parameters<typeof traceRootHash>[1][number]>(
          `SELECT step_index AS "stepIndex", skill_id AS "skillId", input_hash AS "inputHash", output_hash AS "outputHash",
                  rng_state_before AS "rngStateBefore", status::text AS status, idempotency_key AS "idempotencyKey",
                  replay_behavior::text AS "replayBehavior"
           FROM aos_trace_steps WHERE tenant_id = $1 AND trace_id = $2`,
          [tenantId, traceId],
        );
        const status = span.failed ? 'failed' : 'completed';
        const lastEnd = nanosToDate(BigInt(span.last_end));
        const completedAt = lastEnd < trace.startedAt ? trace.startedAt : lastEnd;
        await tx.query('UPDATE aos_traces SET status = $3::"TraceStatus", completed_at = $4, root_hash = $5 WHERE tenant_id = $1 AND trace_id = $2', [
          tenantId,
          traceId,
          status,
          completedAt,
          traceRootHash(trace, steps),
        ]);
        await tx.query(
          `UPDATE runs SET status = $3::"RunStatus", completed_at = $4 WHERE tenant_id = $1 AND run_id = $2 AND status = 'running'`,
          [tenantId, trace.runId, status === 'completed' ? 'succeeded' : 'failed', completedAt],
        );
        return true;
      });
    },

    /**
     * For the spanPage loader: the same page of each trace's spans in start-time order (ties by
     * step index), in one statement. Index: (tenant_id, trace_id, start_time_unix_nano, step_index)
     * WHERE span_id IS NOT NULL.
     */
    async spanPagesByTraceIds(tenantId: string, traceIds: readonly string[], page: SpanPage): Promise<PageResult<TraceStep & { startTimeUnixNano: bigint }>[]> {
      const bounds = [sql`s.span_id IS NOT NULL`, sql`s.archived_at IS NULL`];
      if (page.after) bounds.push(sql`(s.start_time_unix_nano, s.step_index) > (${page.after.start}::bigint, ${page.after.stepIndex}::int)`);
      if (page.before) bounds.push(sql`(s.start_time_unix_nano, s.step_index) < (${page.before.start}::bigint, ${page.before.stepIndex}::int)`);
      const order = page.backward ? sql`DESC` : sql`ASC`;
      const query = sql`
        SELECT ${raw(stepSelect(ALL_STEP_COLUMNS))} FROM unnest(${[...traceIds]}::text[]) AS t(trace_id)
        CROSS JOIN LATERAL (
          SELECT * FROM aos_trace_steps s
          WHERE s.tenant_id = ${tenantId} AND s.trace_id = t.trace_id AND ${join(bounds, ' AND ')}
          ORDER BY s.start_time_unix_nano ${order}, s.step_index ${order} LIMIT ${page.size + 1}
        ) s`;
      // Every row here is a span, so its start time is set.
      const rows = (await db.query<Parameters<typeof stepFromDriverRow>[0]>(query.text, query.values)).map(
        (row) => stepFromDriverRow(row) as TraceStep & { startTimeUnixNano: bigint },
      );
      const before = (a: { startTimeUnixNano: bigint; stepIndex: number }, b: typeof a) =>
        a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : a.stepIndex - b.stepIndex;
      return manyByKey(traceIds, rows, (s) => s.traceId).map((list) => {
        const items = list.sort((a, b) => (page.backward ? before(b, a) : before(a, b))).slice(0, page.size);
        if (page.backward) items.reverse();
        return { items, hasMore: list.length > page.size };
      });
    },

    /** For the spanCount loader: unarchived spans per trace, in one GROUP BY. */
    async spanCountsByTraceIds(tenantId: string, traceIds: readonly string[]): Promise<number[]> {
      const rows = await db.query<{ traceId: string; n: number }>(
        `SELECT s.trace_id AS "traceId", count(*)::int AS n FROM aos_trace_steps s
         WHERE s.tenant_id = $1 AND s.trace_id = ANY($2::text[]) AND s.span_id IS NOT NULL AND s.archived_at IS NULL
         GROUP BY s.trace_id`,
        [tenantId, [...traceIds]],
      );
      return oneByKey(traceIds, rows, (r) => r.traceId).map((r) => r?.n ?? 0);
    },
  };
}

export type OtlpSpanStore = ReturnType<typeof createOtlpSpanStore>;
