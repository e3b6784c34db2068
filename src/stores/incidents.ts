// Incidents and their lifecycle ACTIVE → ACKED → RESOLVED (ACTIVE → RESOLVED allowed). The
// database guards the same transitions and refuses DELETE; every transition writes its audit
// ledger entry in the same transaction, so the ledger and the incident never disagree.
import type { Prisma } from '../generated/prisma/client.ts';
import { redactOptionalText, redactText } from '../domain/redact.ts';
import { badInput, conflict, notFound, pgErrorCode } from '../errors.ts';
import type { Db } from '../db/client.ts';
import type { AuditLedgerStore } from './audit-ledger.ts';
import { oneByKey } from './batch.ts';
import { isUuid, uuidKeys } from './ids.ts';
import { finishPage, keysetQuery, parseDate, type Page, type PageResult } from './keyset.ts';

type Tx = Prisma.TransactionClient;

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
const matching = (tenantId: string, f: IncidentFilter): Prisma.IncidentWhereInput => ({
  tenantId,
  lifecycleState: f.lifecycleState,
  severity: f.severity,
  causeType: f.causeType,
  sourceRunId: f.sourceRunId,
  category: f.category,
  createdAt: { gte: f.createdAfter, lte: f.createdBefore },
});

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
  const prisma = db.prisma;

  async function lockIncident(tx: Tx, tenantId: string, incidentId: string): Promise<Incident> {
    if (!isUuid(incidentId)) throw badInput('incidentId: must be a UUID', 'input.incidentId');
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id::text AS id FROM incidents WHERE tenant_id = ${tenantId} AND id = ${incidentId}::uuid FOR UPDATE`;
    if (!locked.length) throw notFound(`incident ${incidentId}`);
    return toIncident(await tx.incident.findUniqueOrThrow({ where: { id: locked[0]!.id } }));
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
      const data = {
        tenantId,
        title: redactTo(input.title, TITLE_MAX),
        severity: input.severity,
        causeType: input.causeType,
        triggerType: input.triggerType,
        triggerValue: redactOptionalText(input.triggerValue) ?? null,
        category: input.category ?? null,
        description: redactOptionalText(input.description) ?? null,
        errorCode: input.errorCode ?? null,
        errorMessage: redactOptionalText(input.errorMessage) ?? null,
        sourceRunId: input.sourceRunId ?? null,
        affectedAgentId: input.affectedAgentId ?? null,
        policyId: input.policyId ?? null,
        policyName: input.policyName === undefined ? null : redactTo(input.policyName, POLICY_NAME_MAX),
        violationType: input.violationType ?? null,
        costImpactMicrocents: input.costImpactMicrocents ?? null,
        inflectionStepIndex: input.inflectionStepIndex ?? null,
        inflectionTimestamp: input.inflectionTimestamp ?? null,
        isSynthetic: input.isSynthetic ?? false,
        syntheticScenarioId: input.syntheticScenarioId ?? null,
        ...(input.startedAt ? { startedAt: input.startedAt } : {}),
      };
      const traceId = input.traceId;
      return prisma.$transaction(async (tx) => {
        if (traceId !== undefined) {
          // Locked so two incidents cannot both claim the trace; its incident_id may be set only once.
          const [trace] = await tx.$queryRaw<{ incident_id: string | null }[]>`
            SELECT incident_id::text AS incident_id FROM aos_traces WHERE tenant_id = ${tenantId} AND trace_id = ${traceId} FOR UPDATE`;
          if (!trace) throw notFound(`trace ${traceId}`);
          if (trace.incident_id) throw conflict(`trace ${traceId} is already linked to incident ${trace.incident_id}`, { traceId });
        }
        const row = await tx.incident.create({ data });
        if (traceId !== undefined) await tx.trace.updateMany({ where: { tenantId, traceId, incidentId: null }, data: { incidentId: row.id } });
        return toIncident(row);
      });
    },

    /** ACTIVE → ACKED. Acknowledging an ACKED incident returns it unchanged (a safe retry, no second ledger entry). */
    acknowledge: (tenantId: string, incidentId: string, actorId?: string): Promise<Incident> =>
      guarded(() =>
        prisma.$transaction(async (tx) => {
          const incident = await lockIncident(tx, tenantId, incidentId);
          if (incident.lifecycleState === 'ACKED') return incident;
          if (incident.lifecycleState !== 'ACTIVE') throw conflict(`incident ${incidentId} is ${incident.lifecycleState}; it can no longer be acknowledged`);
          const now = new Date();
          const row = await tx.incident.update({
            where: { id: incident.id },
            data: { lifecycleState: 'ACKED', acknowledgedAt: now, acknowledgedBy: actorId ?? null, updatedAt: now },
          });
          await record(tx, incident, 'IncidentAcknowledged', 'ACKED', actorId);
          return toIncident(row);
        }),
      ),

    /**
     * ACTIVE | ACKED → RESOLVED. Resolving again with the same method and notes returns the
     * incident unchanged (a safe retry); a different resolution of a resolved incident is a CONFLICT.
     */
    resolve: (tenantId: string, incidentId: string, input: ResolveIncidentInput): Promise<Incident> =>
      guarded(() =>
        prisma.$transaction(async (tx) => {
          const incident = await lockIncident(tx, tenantId, incidentId);
          const notes = redactOptionalText(input.notes) ?? null;
          if (incident.lifecycleState === 'RESOLVED') {
            if (incident.resolutionMethod === input.method && incident.resolutionNotes === notes) return incident;
            throw conflict(`incident ${incidentId} is already resolved (${incident.resolutionMethod})`);
          }
          const now = new Date();
          const row = await tx.incident.update({
            where: { id: incident.id },
            data: {
              lifecycleState: 'RESOLVED',
              resolvedAt: now,
              resolvedBy: input.actorId ?? null,
              resolutionMethod: input.method,
              resolutionNotes: notes,
              updatedAt: now,
            },
          });
          await record(tx, incident, 'IncidentResolved', 'RESOLVED', input.actorId, notes ?? undefined);
          return toIncident(row);
        }),
      ),

    /**
     * One keyset page over (createdAt | startedAt, id); both columns are fixed at insert, so a
     * lifecycle move never shifts an incident between pages. Indexes (tenant_id, created_at DESC,
     * id DESC) and (tenant_id, started_at DESC, id DESC); sourceRunId uses (tenant_id, source_run_id).
     */
    async list(tenantId: string, filter: IncidentFilter, page: Page & { sortKey: IncidentSortKey }): Promise<PageResult<Incident>> {
      const k = keysetQuery(page, page.sortKey, parseDate);
      const rows = await prisma.incident.findMany({ where: { AND: [matching(tenantId, filter), k.where] }, orderBy: k.orderBy, take: k.take });
      return finishPage(rows.map(toIncident), page);
    },

    count: (tenantId: string, filter: IncidentFilter): Promise<number> => prisma.incident.count({ where: matching(tenantId, filter) }),

    /** For the incidentById loader: results in key order, null for a miss or a non-UUID key. */
    async byIds(tenantId: string, ids: readonly string[]): Promise<(Incident | null)[]> {
      const { lookup, keys } = uuidKeys(ids);
      const rows = lookup.length ? await prisma.incident.findMany({ where: { tenantId, id: { in: lookup } } }) : [];
      return oneByKey(keys, rows.map(toIncident), (i) => i.id);
    },
  };
}

export type IncidentStore = ReturnType<typeof createIncidentStore>;

type IncidentRow = Prisma.IncidentGetPayload<object>;

function toIncident(row: IncidentRow): Incident {
  return row;
}
