// Replay windows: what happened around a run's inflection point, merged from three sources: the
// steps of its trace, system events (the tenant's and global ones) and policy/limit audit entries.
// The reference read the steps without a tenant check (B17) and sorted by timestamp alone (B26).
import { sql } from '../db/sql.ts';
import { badInput } from '../errors.ts';
import type { Db } from '../db/client.ts';

export type ReplayEventSource = 'llm' | 'system' | 'policy';

export interface ReplayEvent {
  source: ReplayEventSource;
  timestamp: Date;
  /** The step's stored index; null for system and policy events. */
  stepIndex: number | null;
  action: string;
  outcome: string;
  /** Id of the step, system record or audit entry. */
  recordId: string;
}

export interface ReplayWindow {
  runId: string;
  traceId: string;
  inflectionAt: Date;
  windowStart: Date;
  windowEnd: Date;
  events: ReplayEvent[];
  /** More than MAX_REPLAY_EVENTS events fell in the window; the earliest ones are returned. */
  truncated: boolean;
}

export const DEFAULT_REPLAY_SECONDS = 30;
export const MAX_REPLAY_SECONDS = 3600;
/** Most events one window returns (in order, so a truncated window is its first part). */
export const MAX_REPLAY_EVENTS = 5000;

type EventRow = { source: ReplayEventSource; ts: Date; step_index: number | null; action: string | null; outcome: string | null; id: string };

function checkSeconds(value: number, field: string) {
  if (!Number.isInteger(value) || value < 0 || value > MAX_REPLAY_SECONDS) {
    throw badInput(`${field} must be an integer between 0 and ${MAX_REPLAY_SECONDS}`, field);
  }
}

export function createReplayStore(db: Db) {
  /**
   * The window's events in a stable order: timestamp, then source (llm < system < policy), then the
   * order within the source (step index; ledger seq), then id.
   *
   * One statement rather than three queries: the three sources are read from one snapshot, the
   * cap applies to the merged order (three capped queries would each need the full cap anyway and
   * a merge in JS), and it is one round trip. Each branch is ordered and capped on its own so the
   * final sort handles at most 4 × cap rows. System events are the tenant's and the global ones
   * (two tables, one source: their order is (created_at, id) as when they shared a table).
   * Indexes: steps (tenant_id, trace_id, step_index) (unique); system_records and audit_ledger
   * (tenant_id, created_at DESC, id DESC); global_system_records (created_at DESC, id DESC).
   */
  async function events(tenantId: string, traceId: string, start: Date, end: Date, cap: number): Promise<EventRow[]> {
    const query = sql`
      (SELECT 'llm' AS source, 0 AS source_rank, s."timestamp" AS ts, s.step_index, s.step_index::bigint AS ord,
              s.skill_name AS action, s.outcome_category AS outcome, s.id
         FROM aos_trace_steps s
        WHERE s.tenant_id = ${tenantId} AND s.trace_id = ${traceId} AND s.archived_at IS NULL
          AND s."timestamp" BETWEEN ${start}::timestamptz AND ${end}::timestamptz
        ORDER BY s."timestamp", s.step_index, s.id LIMIT ${cap})
      UNION ALL
      (SELECT 'system', 1, r.created_at, NULL::int, NULL::bigint, r.event_type::text, r.severity::text, r.id
         FROM system_records r
        WHERE r.tenant_id = ${tenantId}
          AND r.created_at BETWEEN ${start}::timestamptz AND ${end}::timestamptz
        ORDER BY r.created_at, r.id LIMIT ${cap})
      UNION ALL
      (SELECT 'system', 1, g.created_at, NULL::int, NULL::bigint, g.event_type::text, g.severity::text, g.id
         FROM global_system_records g
        WHERE g.created_at BETWEEN ${start}::timestamptz AND ${end}::timestamptz
        ORDER BY g.created_at, g.id LIMIT ${cap})
      UNION ALL
      (SELECT 'policy', 2, a.created_at, NULL::int, a.seq, a.event_type::text, a.entity_type::text, a.id
         FROM audit_ledger a
        WHERE a.tenant_id = ${tenantId} AND a.entity_type IN ('POLICY_RULE', 'LIMIT')
          AND a.created_at BETWEEN ${start}::timestamptz AND ${end}::timestamptz
        ORDER BY a.created_at, a.seq, a.id LIMIT ${cap})
      ORDER BY ts, source_rank, ord, id
      LIMIT ${cap}`;
    return db.query<EventRow>(query.text, query.values);
  }

  return {
    /**
     * The replay window of a run: null when the tenant has no LLM run record for it. The inflection
     * point is the record's completedAt, else its startedAt; the window is [inflection − before,
     * inflection + after], both ends inclusive. The trace is the record's traceId, else trace_<runId>.
     */
    async window(tenantId: string, runId: string, beforeSeconds = DEFAULT_REPLAY_SECONDS, afterSeconds = DEFAULT_REPLAY_SECONDS): Promise<ReplayWindow | null> {
      checkSeconds(beforeSeconds, 'beforeSeconds');
      checkSeconds(afterSeconds, 'afterSeconds');
      const [record] = await db.query<{ traceId: string | null; startedAt: Date; completedAt: Date | null }>(
        `SELECT trace_id AS "traceId", started_at AS "startedAt", completed_at AS "completedAt"
         FROM llm_run_records WHERE tenant_id = $1 AND run_id = $2`,
        [tenantId, runId],
      );
      if (!record) return null;
      const inflectionAt = record.completedAt ?? record.startedAt;
      const windowStart = new Date(inflectionAt.getTime() - beforeSeconds * 1000);
      const windowEnd = new Date(inflectionAt.getTime() + afterSeconds * 1000);
      const traceId = record.traceId ?? `trace_${runId}`;
      const rows = await events(tenantId, traceId, windowStart, windowEnd, MAX_REPLAY_EVENTS + 1);
      return {
        runId,
        traceId,
        inflectionAt,
        windowStart,
        windowEnd,
        truncated: rows.length > MAX_REPLAY_EVENTS,
        events: rows.slice(0, MAX_REPLAY_EVENTS).map((r) => ({
          source: r.source,
          timestamp: r.ts,
          stepIndex: r.step_index,
          action: r.action || 'unknown',
          outcome: r.outcome || 'unknown',
          recordId: r.id,
        })),
      };
    },
  };
}

export type ReplayStore = ReturnType<typeof createReplayStore>;
