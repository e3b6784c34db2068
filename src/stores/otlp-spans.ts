// OpenTelemetry spans as trace steps (POST /v1/traces). One OTLP trace id is one trace; each span
// is one insert-only step, keyed by (tenant, trace, span id) so a retried export inserts nothing.
// Spans of a trace arrive in several exports in any order: step indexes are handed out in arrival
// order under the trace's row lock (each export's new spans sorted by start time), and the exact
// start time is kept so readers can order by it (spanPagesByTraceIds). OTLP has no "trace ended"
// message: a trace settles (completed, or failed when a top-level span failed) once no span has
// arrived for a while (src/otlp/settler.ts); spans that come later are rejected, never dropped silently.
import { Prisma } from '../generated/prisma/client.ts';
import type { GenAiColumns } from '../domain/trace.ts';
import type { Db } from '../db/client.ts';
import { canonicalJson } from '../domain/canonical-json.ts';
import { sha256Hex, shortDigest } from '../domain/hashes.ts';
import { statusToLevel } from '../domain/levels.ts';
import { redactJson, redactText } from '../domain/redact.ts';
import { traceRootHash, type TraceStep } from '../domain/trace.ts';
import { manyByKey, oneByKey } from './batch.ts';
import type { PageResult } from './keyset.ts';
import { STEP_COLUMNS, toTrace } from './trace-rows.ts';

type Tx = Prisma.TransactionClient;

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
};

type PreparedSpan = { row: StepRow; start: bigint };

/** Column → type for the multi-row insert (one jsonb parameter, whatever the number of spans). */
const STEP_ROW_TYPES: [keyof StepRow, string][] = [
  ['tenant_id', 'text'], ['trace_id', 'text'], ['step_index', 'int'], ['skill_id', 'text'], ['skill_name', 'text'],
  ['params', 'jsonb'], ['status', 'text'], ['level', 'text'], ['outcome_category', 'text'], ['outcome_code', 'text'],
  ['outcome_data', 'jsonb'], ['cost_microcents', 'bigint'], ['duration_ms', 'float8'], ['input_hash', 'text'],
  ['output_hash', 'text'], ['timestamp', 'timestamptz'], ['content_hash', 'text'], ['span_id', 'text'],
  ['parent_span_id', 'text'], ['span_kind', 'text'], ['start_time_unix_nano', 'bigint'], ['end_time_unix_nano', 'bigint'],
  ['operation', 'text'], ['provider', 'text'], ['model', 'text'], ['input_tokens', 'int'], ['output_tokens', 'int'],
  ['cached_input_tokens', 'int'], ['reasoning_tokens', 'int'], ['agent_name', 'text'], ['tool_name', 'text'],
  ['conversation_id', 'text'], ['attributes', 'jsonb'],
];
const ENUM_CASTS: Partial<Record<keyof StepRow, string>> = { status: '"StepStatus"', level: '"StepLevel"' };
const INSERT_COLUMNS = Prisma.raw([...STEP_ROW_TYPES.map(([c]) => `"${c}"`), '"source"'].join(', '));
const SELECT_LIST = Prisma.raw([...STEP_ROW_TYPES.map(([c]) => (ENUM_CASTS[c] ? `r."${c}"::${ENUM_CASTS[c]}` : `r."${c}"`)), `'external'::"StepSource"`].join(', '));
const RECORD_TYPE = Prisma.raw(STEP_ROW_TYPES.map(([c, t]) => `"${c}" ${t}`).join(', '));

const MAX_MESSAGES = 5;
const MS = 1_000_000n;

/** Cuts text to a column's width in code points (Postgres counts characters, not UTF-16 units). */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return Array.from(text).slice(0, max).join('');
}

const clean = (text: string | null, max: number) => (text === null ? null : clip(redactText(text), max));
const json = (value: unknown) => value as Prisma.InputJsonValue;
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
function traceHeader(tenantId: string, traceId: string, spans: SpanStepInput[]) {
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
    metadata: json({ source: 'otlp', ...(serviceName && { serviceName }) }),
    startedAt: nanosToDate(earliest.startTimeUnixNano),
    requestDigest: sha256Hex(`otlp:${traceId}`),
  };
}

export function createOtlpSpanStore(db: Db) {
  const prisma = db.prisma;

  /** Creates the traces (and runs) not seen before; in trace id order, so concurrent exports wait rather than deadlock. */
  async function ensureTraces(tx: Tx, tenantId: string, byTrace: Map<string, SpanStepInput[]>) {
    const headers = [...byTrace].map(([traceId, spans]) => traceHeader(tenantId, traceId, spans));
    const created = await tx.trace.createManyAndReturn({ data: headers, skipDuplicates: true, select: { runId: true, agentId: true, startedAt: true } });
    if (created.length) {
      await tx.run.createMany({
        data: created.map((t) => ({ tenantId, runId: t.runId, agentId: t.agentId, startedAt: t.startedAt })),
        skipDuplicates: true,
      });
    }
  }

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

      await prisma.$transaction(
        async (tx) => {
          await ensureTraces(tx, tenantId, byTrace);
          const locked = await tx.$queryRaw<{ trace_id: string; status: string }[]>`
            SELECT trace_id, status::text AS status FROM aos_traces
            WHERE tenant_id = ${tenantId} AND trace_id = ANY(${traceIds}) ORDER BY trace_id FOR UPDATE`;
          const statusOf = new Map(locked.map((t) => [t.trace_id, t.status]));
          const stored = await tx.$queryRaw<{ trace_id: string; span_id: string; content_hash: string }[]>`
            SELECT trace_id, span_id, content_hash FROM aos_trace_steps
            WHERE tenant_id = ${tenantId} AND trace_id = ANY(${traceIds}) AND span_id = ANY(${[...new Set(spans.map((s) => s.spanId))]})`;
          const hashOf = new Map(stored.map((s) => [`${s.trace_id}/${s.span_id}`, s.content_hash]));
          const maxIndex = await tx.$queryRaw<{ trace_id: string; max: number }[]>`
            SELECT trace_id, max(step_index) AS max FROM aos_trace_steps
            WHERE tenant_id = ${tenantId} AND trace_id = ANY(${traceIds}) GROUP BY trace_id`;
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
            fresh.push({ ...row, step_index: index });
          }
          // One statement for the whole export: Prisma's createMany spends seconds per thousand rows.
          if (fresh.length) {
            await tx.$executeRaw`INSERT INTO aos_trace_steps (${INSERT_COLUMNS})
              SELECT ${SELECT_LIST} FROM jsonb_to_recordset(${JSON.stringify(fresh)}::jsonb) AS r(${RECORD_TYPE})`;
          }
          result.accepted = fresh.length;
        },
        // A full-size export is tens of thousands of spans: more than Prisma's 5 s default.
        { timeout: 60_000, maxWait: 10_000 },
      );
      return result;
    },

    /**
     * Running traces made of spans with no span recorded since `cutoff`, in every tenant (the
     * settler's work list). Index: aos_traces_running_started_at.
     */
    async settleableForAnyTenant(cutoff: Date, limit = 500): Promise<{ tenantId: string; traceId: string }[]> {
      // Through the driver: this runs every few seconds in every server, and an idle server
      // should not hold Prisma's query compiler (~90 MB resident) for it.
      const query = Prisma.sql`
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
      return prisma.$transaction(async (tx) => {
        const [locked] = await tx.$queryRaw<{ status: string }[]>`
          SELECT status::text AS status FROM aos_traces WHERE tenant_id = ${tenantId} AND trace_id = ${traceId} FOR UPDATE`;
        if (locked?.status !== 'running') return false;
        const [span] = await tx.$queryRaw<{ recent: boolean; failed: boolean; last_end: bigint | null }[]>`
          SELECT bool_or(s.recorded_at >= ${cutoff}) AS recent, max(s.end_time_unix_nano) AS last_end,
                 bool_or(s.status = 'failure' AND (s.parent_span_id IS NULL OR NOT EXISTS (
                   SELECT 1 FROM aos_trace_steps p WHERE p.tenant_id = s.tenant_id AND p.trace_id = s.trace_id AND p.span_id = s.parent_span_id))) AS failed
          FROM aos_trace_steps s WHERE s.tenant_id = ${tenantId} AND s.trace_id = ${traceId}`;
        if (!span || span.recent || span.last_end === null) return false;
        const trace = toTrace(await tx.trace.findUniqueOrThrow({ where: { tenantId_traceId: { tenantId, traceId } } }));
        const steps = await tx.traceStep.findMany({
          where: { tenantId, traceId },
          select: { stepIndex: true, skillId: true, inputHash: true, outputHash: true, rngStateBefore: true, status: true, idempotencyKey: true, replayBehavior: true },
        });
        const status = span.failed ? 'failed' : 'completed';
        const lastEnd = nanosToDate(BigInt(span.last_end));
        const completedAt = lastEnd < trace.startedAt ? trace.startedAt : lastEnd;
        await tx.trace.update({
          where: { tenantId_traceId: { tenantId, traceId } },
          data: { status, completedAt, rootHash: traceRootHash(trace, steps) },
        });
        await tx.run.updateMany({
          where: { tenantId, runId: trace.runId, status: 'running' },
          data: { status: status === 'completed' ? 'succeeded' : 'failed', completedAt },
        });
        return true;
      });
    },

    /**
     * For the spanPage loader: the same page of each trace's spans in start-time order (ties by
     * step index), in one statement. Index: (tenant_id, trace_id, start_time_unix_nano, step_index)
     * WHERE span_id IS NOT NULL.
     */
    async spanPagesByTraceIds(tenantId: string, traceIds: readonly string[], page: SpanPage): Promise<PageResult<TraceStep & { startTimeUnixNano: bigint }>[]> {
      const bounds = [Prisma.sql`s.span_id IS NOT NULL`, Prisma.sql`s.archived_at IS NULL`];
      if (page.after) bounds.push(Prisma.sql`(s.start_time_unix_nano, s.step_index) > (${page.after.start}::bigint, ${page.after.stepIndex}::int)`);
      if (page.before) bounds.push(Prisma.sql`(s.start_time_unix_nano, s.step_index) < (${page.before.start}::bigint, ${page.before.stepIndex}::int)`);
      const order = page.backward ? Prisma.sql`DESC` : Prisma.sql`ASC`;
      const rows = await prisma.$queryRaw<(TraceStep & { startTimeUnixNano: bigint })[]>`
        SELECT ${Prisma.raw(STEP_COLUMNS)} FROM unnest(${[...traceIds]}::text[]) AS t(trace_id)
        CROSS JOIN LATERAL (
          SELECT * FROM aos_trace_steps s
          WHERE s.tenant_id = ${tenantId} AND s.trace_id = t.trace_id AND ${Prisma.join(bounds, ' AND ')}
          ORDER BY s.start_time_unix_nano ${order}, s.step_index ${order} LIMIT ${page.size + 1}
        ) s`;
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
      const rows = await prisma.$queryRaw<{ traceId: string; n: number }[]>`
        SELECT s.trace_id AS "traceId", count(*)::int AS n FROM aos_trace_steps s
        WHERE s.tenant_id = ${tenantId} AND s.trace_id = ANY(${[...traceIds]}) AND s.span_id IS NOT NULL AND s.archived_at IS NULL
        GROUP BY s.trace_id`;
      return oneByKey(traceIds, rows, (r) => r.traceId).map((r) => r?.n ?? 0);
    },
  };
}

export type OtlpSpanStore = ReturnType<typeof createOtlpSpanStore>;
