// Incidents and their lifecycle ACTIVE → ACKED → RESOLVED (ACTIVE → RESOLVED allowed). The
// database guards the same transitions and refuses DELETE; every transition writes its audit
// ledger entry in the same transaction, so the ledger and the incident never disagree.
import { sql, raw, type Sql } from '../db/sql.ts';
import { redactOptionalText, redactText } from '../domain/redact.ts';
import { badInput, conflict, notFound, pgErrorCode } from '../errors.ts';
import type { Db, SqlSession } from '../db/client.ts';
import type { AuditLedgerStore } from './audit-ledger.ts';
import { oneByKey } from './batch.ts';
import { andWhere, selectList } from './driver-sql.ts';
import { isUuid, uuidKeys } from './ids.ts';
import { type Page, type PageResult, selectPage, countWhere } from './keyset.ts';

type Tx = SqlSession;

/** Stored lower-case only (B22: the reference mixed cases and its risk mapping missed upper-case rows). */
export type IncidentSeverity = 'critical' | 'high' | 'medium' | 'low';
export type IncidentLifecycle = 'ACTIVE' | 'ACKED' | 'RESOLVED';
export type IncidentCauseType = 'LLM_RUN' | 'SYSTEM' | 'HUMAN';
export type ResolutionMethod = 'auto' | 'manual' | 'rollback';

export interface Incident {
  id: string;
  tenantId: string;
  title: string;
  severity: IncidentSeverity;
  lifecycleState: IncidentLifecycle;
  causeType: IncidentCauseType;
  triggerType: string;
  triggerValue: string | null;
  category: string | null;
  description: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  sourceRunId: string | null;
  affectedAgentId: string | null;
  policyId: string | null;
  policyName: string | null;
  violationType: string | null;
  costImpactMicrocents: bigint | null;
  inflectionStepIndex: number | null;
  inflectionTimestamp: Date | null;
  isSynthetic: boolean;
  syntheticScenarioId: string | null;
  startedAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  resolutionMethod: ResolutionMethod | null;
  resolutionNotes: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface OpenIncidentInput {
  title: string;
  severity: IncidentSeverity;
  causeType: IncidentCauseType;
  triggerType: string;
  triggerValue?: string | undefined;
  category?: string | undefined;
  description?: string | undefined;
  errorCode?: string | undefined;
  errorMessage?: string | undefined;
  sourceRunId?: string | undefined;
  affectedAgentId?: string | undefined;
  policyId?: string | undefined;
  policyName?: string | undefined;
  violationType?: string | undefined;
  costImpactMicrocents?: bigint | undefined;
  inflectionStepIndex?: number | undefined;
  inflectionTimestamp?: Date | undefined;
  isSynthetic?: boolean | undefined;
  syntheticScenarioId?: string | undefined;
  startedAt?: Date | undefined;
  /** A trace of the same tenant to link to the new incident (sets its incident_id, once). */
  traceId?: string | undefined;
}

/** Every field narrows the list; time bounds are inclusive. */
export interface IncidentFilter {
  lifecycleState?: IncidentLifecycle | undefined;
  severity?: IncidentSeverity | undefined;
  causeType?: IncidentCauseType | undefined;
  sourceRunId?: string | undefined;
  category?: string | undefined;
  createdAfter?: Date | undefined;
  createdBefore?: Date | undefined;
}

export type IncidentSortKey = 'createdAt' | 'startedAt';

/** One predicate for a page and its count, so totalCount always matches the list (B7). */
const matching = (tenantId: string, f: IncidentFilter): Sql =>
  andWhere(
    [sql`i.tenant_id = ${tenantId}`],
    [
      ['i.lifecycle_state', f.lifecycleState, 'IncidentLifecycle'],
      ['i.severity', f.severity, 'IncidentSeverity'],
      ['i.cause_type', f.causeType, 'IncidentCauseType'],
      ['i.source_run_id', f.sourceRunId],
      ['i.category', f.category],
    ],
    [
      ['i.created_at', '>=', f.createdAfter],
      ['i.created_at', '<=', f.createdBefore],
    ],
  );

/** Every incident column under its domain name (alias `i`; the cost as text: the driver returns int8 as text). */
export const INCIDENT_SELECT = selectList(
  [
    ['id', 'id'],
    ['tenant_id', 'tenantId'],
    ['title', 'title'],
    ['severity::text', 'severity'],
    ['lifecycle_state::text', 'lifecycleState'],
    ['cause_type::text', 'causeType'],
    ['trigger_type', 'triggerType'],
    ['trigger_value', 'triggerValue'],
    ['category', 'category'],
    ['description', 'description'],
    ['error_code', 'errorCode'],
    ['error_message', 'errorMessage'],
    ['source_run_id', 'sourceRunId'],
    ['affected_agent_id', 'affectedAgentId'],
    ['policy_id', 'policyId'],
    ['policy_name', 'policyName'],
    ['violation_type', 'violationType'],
    ['cost_impact_microcents::text', 'costImpactMicrocents'],
    ['inflection_step_index', 'inflectionStepIndex'],
    ['inflection_timestamp', 'inflectionTimestamp'],
    ['is_synthetic', 'isSynthetic'],
    ['synthetic_scenario_id', 'syntheticScenarioId'],
    ['started_at', 'startedAt'],
    ['acknowledged_at', 'acknowledgedAt'],
    ['acknowledged_by', 'acknowledgedBy'],
    ['resolved_at', 'resolvedAt'],
    ['resolved_by', 'resolvedBy'],
    ['resolution_method::text', 'resolutionMethod'],
    ['resolution_notes', 'resolutionNotes'],
    ['created_at', 'createdAt'],
    ['updated_at', 'updatedAt'],
  ],
  'i',
);
const SORT_COLUMNS: Record<IncidentSortKey, string> = { createdAt: 'i.created_at', startedAt: 'i.started_at' };

export type IncidentDriverRow = Omit<Incident, 'costImpactMicrocents'> & { costImpactMicrocents: string | null };

/** An incidents row selected with INCIDENT_SELECT → Incident. */
export const incidentFromDriverRow = (row: IncidentDriverRow): Incident =>
  Object.assign(row, { costImpactMicrocents: row.costImpactMicrocents === null ? null : BigInt(row.costImpactMicrocents) });

export interface ResolveIncidentInput {
  method: ResolutionMethod;
  notes?: string | undefined;
  actorId?: string | undefined;
}

const TITLE_MAX = 255;
const POLICY_NAME_MAX = 255;

/** Redaction can lengthen text (a short e-mail becomes <REDACTED_EMAIL>); clip it to the column afterwards, never before. */
const redactTo = (text: string, max: number) => redactText(text).slice(0, max);

export function createIncidentStore(db: Db, ledger: AuditLedgerStore) {
  async function lockIncident(tx: Tx, tenantId: string, incidentId: string): Promise<Incident> {
    if (!isUuid(incidentId)) throw badInput('incidentId: must be a UUID', 'input.incidentId');
    const [locked] = await tx.query<IncidentDriverRow>(`SELECT ${INCIDENT_SELECT} FROM incidents i WHERE i.tenant_id = $1 AND i.id = $2::uuid FOR UPDATE`, [
      tenantId,
      incidentId,
    ]);
    if (!locked) throw notFound(`incident ${incidentId}`);
    return incidentFromDriverRow(locked);
  }

  /** Sets the columns given (column → value, types cast by the caller) of a locked incident; returns it as stored. */
  async function update(tx: Tx, incident: Incident, set: Sql): Promise<Incident> {
    const statement = sql`UPDATE incidents i SET ${set} WHERE i.tenant_id = ${incident.tenantId} AND i.id = ${incident.id}::uuid RETURNING ${raw(INCIDENT_SELECT)}`;
    const [row] = await tx.query<IncidentDriverRow>(statement.text, statement.values);
    return incidentFromDriverRow(row!);
  }

  /** The ledger entry that records a lifecycle move, in the transaction that makes the move. */
  function record(tx: Tx, incident: Incident, eventType: 'IncidentAcknowledged' | 'IncidentResolved', to: IncidentLifecycle, actorId?: string, reason?: string) {
    return ledger.appendInTx(tx, incident.tenantId, {
      eventType,
      entityType: 'INCIDENT',
      entityId: incident.id,
      actorType: actorId === undefined ? 'SYSTEM' : 'HUMAN',
      actorId,
      actionReason: reason,
      beforeState: { lifecycle_state: incident.lifecycleState },
      afterState: { lifecycle_state: to },
    });
  }

  /** The incidents guard trigger is the second wall; if a transition slips past our check, it is still a CONFLICT. */
  async function guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (pgErrorCode(error) === '23000') throw conflict(`incident transition rejected by the database`);
      throw error;
    }
  }

  return {
    /** Opens an ACTIVE incident; with traceId, links that trace to it in the same transaction. */
    async open(tenantId: string, input: OpenIncidentInput): Promise<Incident> {
      if (input.isSynthetic && !input.syntheticScenarioId) {
        throw badInput('a synthetic incident needs syntheticScenarioId', 'input.syntheticScenarioId');
      }
      const insert = sql`
        INSERT INTO incidents AS i (tenant_id, title, severity, cause_type, trigger_type, trigger_value, category, description,
          error_code, error_message, source_run_id, affected_agent_id, policy_id, policy_name, violation_type,
          cost_impact_microcents, inflection_step_index, inflection_timestamp, is_synthetic, synthetic_scenario_id, started_at)
        VALUES (${tenantId}, ${redactTo(input.title, TITLE_MAX)}, ${input.severity}::"IncidentSeverity", ${input.causeType}::"IncidentCauseType",
          ${input.triggerType}, ${redactOptionalText(input.triggerValue) ?? null}, ${input.category ?? null},
          ${redactOptionalText(input.description) ?? null}, ${input.errorCode ?? null}, ${redactOptionalText(input.errorMessage) ?? null},
          ${input.sourceRunId ?? null}, ${input.affectedAgentId ?? null}, ${input.policyId ?? null},
          ${input.policyName === undefined ? null : redactTo(input.policyName, POLICY_NAME_MAX)}, ${input.violationType ?? null},
          ${input.costImpactMicrocents?.toString() ?? null}::bigint, ${input.inflectionStepIndex ?? null}::int,
          ${input.inflectionTimestamp ?? null}::timestamptz, ${input.isSynthetic ?? false}, ${input.syntheticScenarioId ?? null},
          ${input.startedAt === undefined ? raw('DEFAULT') : sql`${input.startedAt}::timestamptz`})
        RETURNING ${raw(INCIDENT_SELECT)}`;
      const traceId = input.traceId;
      return db.transaction(async (tx) => {
        if (traceId !== undefined) {
          // Locked so two incidents cannot both claim the trace; its incident_id may be set only once.
          const [trace] = await tx.query<{ incident_id: string | null }>(
            `SELECT incident_id::text AS incident_id FROM aos_traces WHERE tenant_id = $1 AND trace_id = $2 FOR UPDATE`,
            [tenantId, traceId],
          );
          if (!trace) throw notFound(`trace ${traceId}`);
          if (trace.incident_id) throw conflict(`trace ${traceId} is already linked to incident ${trace.incident_id}`, { traceId });
        }
        const [row] = await tx.query<IncidentDriverRow>(insert.text, insert.values);
        if (traceId !== undefined) {
          await tx.query(`UPDATE aos_traces SET incident_id = $1::uuid WHERE tenant_id = $2 AND trace_id = $3 AND incident_id IS NULL`, [row!.id, tenantId, traceId]);
        }
        return incidentFromDriverRow(row!);
      });
    },

    /** ACTIVE → ACKED. Acknowledging an ACKED incident returns it unchanged (a safe retry, no second ledger entry). */
    acknowledge: (tenantId: string, incidentId: string, actorId?: string): Promise<Incident> =>
      guarded(() =>
        db.transaction(async (tx) => {
          const incident = await lockIncident(tx, tenantId, incidentId);
          if (incident.lifecycleState === 'ACKED') return incident;
          if (incident.lifecycleState !== 'ACTIVE') throw conflict(`incident ${incidentId} is ${incident.lifecycleState}; it can no longer be acknowledged`);
          const now = new Date();
          const row = await update(
            tx,
            incident,
            sql`lifecycle_state = 'ACKED', acknowledged_at = ${now}::timestamptz, acknowledged_by = ${actorId ?? null}, updated_at = ${now}::timestamptz`,
          );
          await record(tx, incident, 'IncidentAcknowledged', 'ACKED', actorId);
          return row;
        }),
      ),

    /**
     * ACTIVE | ACKED → RESOLVED. Resolving again with the same method and notes returns the
     * incident unchanged (a safe retry); a different resolution of a resolved incident is a CONFLICT.
     */
    resolve: (tenantId: string, incidentId: string, input: ResolveIncidentInput): Promise<Incident> =>
      guarded(() =>
        db.transaction(async (tx) => {
          const incident = await lockIncident(tx, tenantId, incidentId);
          const notes = redactOptionalText(input.notes) ?? null;
          if (incident.lifecycleState === 'RESOLVED') {
            if (incident.resolutionMethod === input.method && incident.resolutionNotes === notes) return incident;
            throw conflict(`incident ${incidentId} is already resolved (${incident.resolutionMethod})`);
          }
          const now = new Date();
          const row = await update(
            tx,
            incident,
            sql`lifecycle_state = 'RESOLVED', resolved_at = ${now}::timestamptz, resolved_by = ${input.actorId ?? null},
              resolution_method = ${input.method}::"ResolutionMethod", resolution_notes = ${notes}, updated_at = ${now}::timestamptz`,
          );
          await record(tx, incident, 'IncidentResolved', 'RESOLVED', input.actorId, notes ?? undefined);
          return row;
        }),
      ),

    /**
     * One keyset page over (createdAt | startedAt, id); both columns are fixed at insert, so a
     * lifecycle move never shifts an incident between pages. Indexes (tenant_id, created_at DESC,
     * id DESC) and (tenant_id, started_at DESC, id DESC); sourceRunId uses (tenant_id, source_run_id).
     */
    async list(tenantId: string, filter: IncidentFilter, page: Page & { sortKey: IncidentSortKey }): Promise<PageResult<Incident>> {
      const where = matching(tenantId, filter);
      return selectPage(db, { select: INCIDENT_SELECT, from: 'incidents i', where, column: SORT_COLUMNS[page.sortKey], id: 'i.id', map: incidentFromDriverRow }, page);
    },

    count: (tenantId: string, filter: IncidentFilter): Promise<number> => countWhere(db, 'incidents i', matching(tenantId, filter)),

    /** For the incidentById loader: results in key order, null for a miss or a non-UUID key. */
    async byIds(tenantId: string, ids: readonly string[]): Promise<(Incident | null)[]> {
      const { lookup, keys } = uuidKeys(ids);
      const rows = lookup.length
        ? await db.query<IncidentDriverRow>(`SELECT ${INCIDENT_SELECT} FROM incidents i WHERE i.tenant_id = $1 AND i.id = ANY($2::uuid[])`, [tenantId, lookup])
        : [];
      return oneByKey(keys, rows.map(incidentFromDriverRow), (i) => i.id);
    },
  };
}

export type IncidentStore = ReturnType<typeof createIncidentStore>;
