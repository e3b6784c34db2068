// LLM run records: one immutable row per (tenant, run id). The reference allowed several rows per
// run and then threw on read (B8); here the database key is unique, a retry of the same record
// returns the stored row and a different record for the same run is a CONFLICT.
import { sql, raw, type Sql } from '../db/sql.ts';
import { badInput, conflict, notFound } from '../errors.ts';
import type { Db } from '../db/client.ts';
import { oneByKey } from './batch.ts';
import { differingFields } from './idempotency.ts';
import { andWhere, selectList } from './driver-sql.ts';
import { type Page, type PageResult, selectPage, countWhere } from './keyset.ts';

export type LlmExecutionStatus = 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMEOUT';
export type LlmRecordSource = 'API' | 'SDK' | 'SYSTEM' | 'SYNTHETIC' | 'WORKER';

export interface LlmRun {
  id: string;
  tenantId: string;
  runId: string;
  traceId: string | null;
  provider: string;
  model: string;
  promptHash: string | null;
  responseHash: string | null;
  inputTokens: number;
  outputTokens: number;
  costMicrocents: bigint;
  executionStatus: LlmExecutionStatus;
  startedAt: Date;
  completedAt: Date | null;
  source: LlmRecordSource;
  isSynthetic: boolean;
  syntheticScenarioId: string | null;
  createdAt: Date;
}

export interface RecordLlmRunInput {
  runId: string;
  traceId?: string | undefined;
  provider: string;
  model: string;
  promptHash?: string | undefined;
  responseHash?: string | undefined;
  inputTokens: number;
  outputTokens: number;
  costMicrocents: bigint;
  executionStatus: LlmExecutionStatus;
  startedAt: Date;
  completedAt?: Date | undefined;
  source: LlmRecordSource;
  isSynthetic?: boolean | undefined;
  syntheticScenarioId?: string | undefined;
}

/** Every field narrows the list; time bounds are inclusive, as in the reference. */
export interface LlmRunFilter {
  runId?: string | undefined;
  traceId?: string | undefined;
  provider?: string | undefined;
  model?: string | undefined;
  executionStatus?: LlmExecutionStatus | undefined;
  /** Tri-state: undefined lists both. */
  isSynthetic?: boolean | undefined;
  createdAfter?: Date | undefined;
  createdBefore?: Date | undefined;
}

export type LlmRunSortKey = 'createdAt' | 'startedAt';

export type LlmRunWriteResult = { llmRun: LlmRun; created: boolean };

/** One predicate for a page and its count, so totalCount always matches the list (B7). */
export const llmRunMatching = (tenantId: string, f: LlmRunFilter): Sql =>
  andWhere(
    [sql`l.tenant_id = ${tenantId}`],
    [
      ['l.run_id', f.runId],
      ['l.trace_id', f.traceId],
      ['l.provider', f.provider],
      ['l.model', f.model],
      ['l.execution_status', f.executionStatus, 'LlmExecutionStatus'],
      ['l.is_synthetic', f.isSynthetic],
    ],
    [
      ['l.created_at', '>=', f.createdAfter],
      ['l.created_at', '<=', f.createdBefore],
    ],
  );

/** Every column under its domain name (cost as text: the driver returns int8 as text). */
export const LLM_RUN_COLUMNS = [
  ['id', 'id'],
  ['tenant_id', 'tenantId'],
  ['run_id', 'runId'],
  ['trace_id', 'traceId'],
  ['provider', 'provider'],
  ['model', 'model'],
  ['prompt_hash', 'promptHash'],
  ['response_hash', 'responseHash'],
  ['input_tokens', 'inputTokens'],
  ['output_tokens', 'outputTokens'],
  ['cost_microcents', 'costMicrocents'],
  ['execution_status::text', 'executionStatus'],
  ['started_at', 'startedAt'],
  ['completed_at', 'completedAt'],
  ['source::text', 'source'],
  ['is_synthetic', 'isSynthetic'],
  ['synthetic_scenario_id', 'syntheticScenarioId'],
  ['created_at', 'createdAt'],
] as const;
const SELECT = selectList(LLM_RUN_COLUMNS, 'l');
export const LLM_RUN_SORT_COLUMNS: Record<LlmRunSortKey, string> = { createdAt: 'l.created_at', startedAt: 'l.started_at' };
type DriverRow = Omit<LlmRun, 'costMicrocents'> & { costMicrocents: string };
const fromDriverRow = (row: DriverRow): LlmRun => Object.assign(row, { costMicrocents: BigInt(row.costMicrocents) });

type Content = Omit<LlmRun, 'id' | 'tenantId' | 'createdAt'>;

// The GraphQL layer validates the same rules; these guard the other callers (CLI, demo seed) and
// turn what would be a CHECK violation into a typed error naming the field.
function prepare(input: RecordLlmRunInput): Content {
  for (const field of ['inputTokens', 'outputTokens'] as const) {
    const n = input[field];
    if (!Number.isSafeInteger(n) || n < 0 || n > 2_147_483_647) throw badInput(`${field} must be a non-negative 32-bit integer`, `input.${field}`);
  }
  if (input.costMicrocents < 0n) throw badInput('cost cannot be negative', 'input.costCents');
  if (input.completedAt && input.completedAt.getTime() < input.startedAt.getTime()) {
    throw badInput('completedAt must not be before startedAt', 'input.completedAt');
  }
  const isSynthetic = input.isSynthetic ?? false;
  if (isSynthetic && !input.syntheticScenarioId) throw badInput('a synthetic record needs syntheticScenarioId', 'input.syntheticScenarioId');
  return {
    runId: input.runId,
    traceId: input.traceId ?? null,
    provider: input.provider,
    model: input.model,
    promptHash: input.promptHash ?? null,
    responseHash: input.responseHash ?? null,
    inputTokens: input.inputTokens,
    outputTokens: input.outputTokens,
    costMicrocents: input.costMicrocents,
    executionStatus: input.executionStatus,
    startedAt: input.startedAt,
    completedAt: input.completedAt ?? null,
    source: input.source,
    isSynthetic,
    syntheticScenarioId: input.syntheticScenarioId ?? null,
  };
}

/** Inserts the record unless its (tenant_id, run_id) is taken: the new row, or none. */
function insertOnce(tenantId: string, c: Content): Sql {
  return sql`
    INSERT INTO llm_run_records AS l (tenant_id, run_id, trace_id, provider, model, prompt_hash, response_hash, input_tokens, output_tokens,
      cost_microcents, execution_status, started_at, completed_at, source, is_synthetic, synthetic_scenario_id)
    VALUES (${tenantId}, ${c.runId}, ${c.traceId}, ${c.provider}, ${c.model}, ${c.promptHash}, ${c.responseHash}, ${c.inputTokens}, ${c.outputTokens},
      ${c.costMicrocents.toString()}::bigint, ${c.executionStatus}::"LlmExecutionStatus", ${c.startedAt}, ${c.completedAt},
      ${c.source}::"LlmRecordSource", ${c.isSynthetic}, ${c.syntheticScenarioId})
    ON CONFLICT DO NOTHING
    RETURNING ${raw(SELECT)}`;
}

export function createLlmRunStore(db: Db) {
  return {
    /**
     * Records the LLM execution of a run. Same record again → the stored row, created: false;
     * different content for the same runId → CONFLICT naming the differing fields. Insert-or-nothing
     * on the unique (tenant_id, run_id) key, so two concurrent writers cannot both create a row.
     */
    async record(tenantId: string, input: RecordLlmRunInput): Promise<LlmRunWriteResult> {
      const content = prepare(input);
      const insert = insertOnce(tenantId, content);
      const [inserted] = await db.query<DriverRow>(insert.text, insert.values);
      if (inserted) return { llmRun: fromDriverRow(inserted), created: true };
      const [stored] = await db.query<DriverRow>(`SELECT ${SELECT} FROM llm_run_records l WHERE l.tenant_id = $1 AND l.run_id = $2`, [tenantId, content.runId]);
      // Insert-or-nothing waited for the row it collided with, so that row is committed and visible.
      if (!stored) throw notFound(`LLM run ${content.runId}`);
      const existing = fromDriverRow(stored);
      const fields = differingFields(existing, content, { costMicrocents: 'costCents' });
      if (fields.length) {
        throw conflict(`LLM run ${content.runId} is already recorded with different ${fields.join(', ')}`, { runId: content.runId, fields });
      }
      return { llmRun: existing, created: false };
    },

    /**
     * One keyset page over (createdAt | startedAt, id). Indexes (tenant_id, created_at DESC, id DESC)
     * and (tenant_id, started_at DESC, id DESC); a runId filter uses the unique (tenant_id, run_id);
     * a model (with or without a status), newest first, (tenant_id, model, created_at DESC, id DESC).
     */
    async list(tenantId: string, filter: LlmRunFilter, page: Page & { sortKey: LlmRunSortKey }): Promise<PageResult<LlmRun>> {
      const where = llmRunMatching(tenantId, filter);
      return selectPage(db, { select: SELECT, from: 'llm_run_records l', where, column: LLM_RUN_SORT_COLUMNS[page.sortKey], id: 'l.id', map: fromDriverRow }, page);
    },

    count: (tenantId: string, filter: LlmRunFilter): Promise<number> => countWhere(db, 'llm_run_records l', llmRunMatching(tenantId, filter)),

    /** For the llmRunByRunId loader: one query, results in key order, null for a miss. */
    async byRunIds(tenantId: string, runIds: readonly string[]): Promise<(LlmRun | null)[]> {
      const rows = await db.query<DriverRow>(`SELECT ${SELECT} FROM llm_run_records l WHERE l.tenant_id = $1 AND l.run_id = ANY($2::text[])`, [
        tenantId,
        [...runIds],
      ]);
      return oneByKey(runIds, rows.map(fromDriverRow), (r) => r.runId);
    },
  };
}

export type LlmRunStore = ReturnType<typeof createLlmRunStore>;
