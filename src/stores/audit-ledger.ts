// The audit ledger: append-only (a trigger rejects UPDATE, DELETE and TRUNCATE) and hash-chained
// per tenant (D7). Each entry stores seq (1, 2, 3… per tenant, no gaps), the previous entry's hash
// and its own hash over its content (every column but id and idempotency_key), so editing or
// removing any row breaks the chain from there on.
import type { Prisma } from '../generated/prisma/client.ts';
import { canonicalJson } from '../domain/canonical-json.ts';
import { LEDGER_GENESIS_HASH, ledgerEntryHash } from '../domain/hashes.ts';
import { redactJson, redactText } from '../domain/redact.ts';
import { conflict } from '../errors.ts';
import type { Db } from '../db/client.ts';
import { oneByKey } from './batch.ts';
import { uuidKeys } from './ids.ts';

type Tx = Prisma.TransactionClient;

export const AUDIT_EVENT_TYPES = [
  'PolicyRuleCreated',
  'PolicyRuleModified',
  'PolicyRuleRetired',
  'PolicyProposalApproved',
  'PolicyProposalRejected',
  'LimitCreated',
  'LimitUpdated',
  'LimitBreached',
  'LimitOverrideGranted',
  'LimitOverrideRevoked',
  'IncidentAcknowledged',
  'IncidentResolved',
  'IncidentManuallyClosed',
  'EmergencyOverrideActivated',
  'EmergencyOverrideDeactivated',
  'SignalAcknowledged',
  'SignalSuppressed',
  'SignalEscalated',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];
export type AuditEntityType = 'POLICY_RULE' | 'POLICY_PROPOSAL' | 'LIMIT' | 'INCIDENT' | 'SIGNAL' | 'DECISION';
export type ActorType = 'HUMAN' | 'SYSTEM' | 'AGENT';

export interface AuditEntry {
  id: string;
  tenantId: string;
  seq: bigint;
  eventType: AuditEventType;
  entityType: AuditEntityType;
  entityId: string;
  actorType: ActorType;
  actorId: string | null;
  actionReason: string | null;
  beforeState: unknown;
  afterState: unknown;
  /** Modelled and returned (B9: the reference's ORM dropped it, so it always read as null). */
  correlationId: string | null;
  idempotencyKey: string | null;
  prevHash: string;
  entryHash: string;
  createdAt: Date;
}

export interface AuditEntryInput {
  eventType: AuditEventType;
  entityType: AuditEntityType;
  entityId: string;
  actorType: ActorType;
  actorId?: string | undefined;
  actionReason?: string | undefined;
  beforeState?: unknown;
  afterState?: unknown;
  correlationId?: string | undefined;
  /** A retry with the same key and content returns the first entry; other content is a CONFLICT. */
  idempotencyKey?: string | undefined;
}

export type AuditAppendResult = { entry: AuditEntry; created: boolean };

/** The entry exactly as it will be stored and hashed: redacted, absent values as null. */
function prepare(input: AuditEntryInput) {
  return {
    eventType: input.eventType,
    entityType: input.entityType,
    entityId: input.entityId,
    actorType: input.actorType,
    actorId: input.actorId ?? null,
    actionReason: input.actionReason === undefined ? null : redactText(input.actionReason),
    beforeState: input.beforeState === undefined || input.beforeState === null ? null : redactJson(input.beforeState),
    afterState: input.afterState === undefined || input.afterState === null ? null : redactJson(input.afterState),
    correlationId: input.correlationId ?? null,
  };
}
type PreparedEntry = ReturnType<typeof prepare>;

const sameContent = (row: AuditEntry, entry: PreparedEntry) =>
  (Object.keys(entry) as (keyof PreparedEntry)[]).every((k) => canonicalJson(row[k]) === canonicalJson(entry[k]));

const json = (value: unknown) => (value === null ? undefined : (value as Prisma.InputJsonValue));

export function createAuditLedgerStore(db: Db) {
  const prisma = db.prisma;

  /**
   * Appends inside the caller's transaction, so an entry commits or rolls back with the change it
   * records. The per-tenant advisory lock serialises appends (seq and prev_hash read the tail),
   * and is held until that transaction ends.
   */
  async function appendInTx(tx: Tx, tenantId: string, input: AuditEntryInput): Promise<AuditAppendResult> {
    const entry = prepare(input);
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('audit_ledger:' || ${tenantId}::text, 0))`;
    if (input.idempotencyKey !== undefined) {
      const existing = await tx.auditEntry.findFirst({ where: { tenantId, idempotencyKey: input.idempotencyKey } });
      if (existing) {
        const stored = toAuditEntry(existing);
        if (sameContent(stored, entry)) return { entry: stored, created: false };
        throw conflict(`audit entry with idempotencyKey ${input.idempotencyKey} already exists with different content`, {
          entryId: stored.id,
        });
      }
    }
    const last = await tx.auditEntry.findFirst({ where: { tenantId }, orderBy: { seq: 'desc' }, select: { seq: true, entryHash: true } });
    const seq = (last?.seq ?? 0n) + 1n;
    const prevHash = last?.entryHash ?? LEDGER_GENESIS_HASH;
    // Set here rather than by the column default so the hashed instant is the stored one
    // (a JS Date has millisecond precision, as does the timestamptz(3) column).
    const createdAt = new Date();
    const entryHash = ledgerEntryHash(prevHash, { tenantId, seq, ...entry, createdAt });
    const row = await tx.auditEntry.create({
      data: {
        ...entry,
        tenantId,
        seq,
        beforeState: json(entry.beforeState),
        afterState: json(entry.afterState),
        idempotencyKey: input.idempotencyKey ?? null,
        prevHash,
        entryHash,
        createdAt,
      },
    });
    return { entry: toAuditEntry(row), created: true };
  }

  return {
    append: (tenantId: string, input: AuditEntryInput): Promise<AuditAppendResult> =>
      prisma.$transaction((tx) => appendInTx(tx, tenantId, input)),

    appendInTx,

    /** For the auditEntryById loader: results in key order, null for a miss or a non-UUID key. */
    async byIds(tenantId: string, ids: readonly string[]): Promise<(AuditEntry | null)[]> {
      const { lookup, keys } = uuidKeys(ids);
      const rows = lookup.length ? await prisma.auditEntry.findMany({ where: { tenantId, id: { in: lookup } } }) : [];
      return oneByKey(keys, rows.map(toAuditEntry), (e) => e.id);
    },

    /** The tenant's whole chain by seq (unique index tenant_id, seq), for verification. */
    async chain(tenantId: string): Promise<AuditEntry[]> {
      const rows = await prisma.auditEntry.findMany({ where: { tenantId }, orderBy: { seq: 'asc' } });
      return rows.map(toAuditEntry);
    },
  };
}

export type AuditLedgerStore = ReturnType<typeof createAuditLedgerStore>;

type AuditRow = Prisma.AuditEntryGetPayload<object>;

function toAuditEntry(row: AuditRow): AuditEntry {
  return row;
}
