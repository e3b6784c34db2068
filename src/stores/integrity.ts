// Integrity checks an auditor can run (DESIGN D7): walk a tenant's audit-ledger hash chain, and
// recompute a trace's root hash from its stored steps. Both read only what is stored.
import { sql, raw, empty, type Sql } from '../db/sql.ts';
import type { Db } from '../db/client.ts';
import { LEDGER_GENESIS_HASH, ledgerEntryHash } from '../domain/hashes.ts';
import { traceRootHash, type TraceStatus } from '../domain/trace.ts';
import { AUDIT_SELECT, auditEntryFromDriverRow, type AuditDriverRow, type AuditEntry } from './audit-ledger.ts';
import { rootHashSteps, traceById } from './traces.ts';

export type LedgerBreak = {
  seq: bigint;
  entryId: string;
  /** HASH_MISMATCH: the entry's content no longer hashes to its entry_hash. CHAIN_BROKEN: prev_hash is not the previous entry's hash. SEQ_GAP: an entry is missing. */
  reason: 'HASH_MISMATCH' | 'CHAIN_BROKEN' | 'SEQ_GAP';
  expected: string;
  actual: string;
};

export type LedgerVerification = {
  valid: boolean;
  checkedCount: number;
  firstSeq: bigint | null;
  lastSeq: bigint | null;
  /** entry_hash of the last entry checked: quote it to pin the ledger's state. */
  headHash: string | null;
  firstBreak: LedgerBreak | null;
};

export type TraceVerification = {
  traceId: string;
  status: TraceStatus;
  valid: boolean;
  storedRootHash: string | null;
  computedRootHash: string;
  stepCount: number;
  reason: 'OK' | 'NOT_FINAL' | 'ROOT_HASH_MISMATCH';
};

const BATCH = 1000;

export function createIntegrityStore(db: Db) {
  const entries = async (query: Sql): Promise<AuditEntry[]> =>
    (await db.query<AuditDriverRow>(query.text, query.values)).map(auditEntryFromDriverRow);
  return {
    /**
     * Walks the tenant's ledger in seq order (optionally only entries created in [from, to]) and
     * reports the first broken link. Reads in batches of 1,000, so any ledger size fits in memory.
     */
    async verifyAuditLedger(tenantId: string, range: { from?: Date | undefined; to?: Date | undefined }): Promise<LedgerVerification> {
      const from = range.from ? sql`AND a.created_at >= ${range.from}` : empty;
      const to = range.to ? sql`AND a.created_at <= ${range.to}` : empty;
      const result: LedgerVerification = { valid: true, checkedCount: 0, firstSeq: null, lastSeq: null, headHash: null, firstBreak: null };
      let previous: { seq: bigint; entryHash: string } | null = null;
      let afterSeq: bigint | undefined;
      for (;;) {
        const after = afterSeq === undefined ? empty : sql`AND a.seq > ${afterSeq.toString()}::bigint`;
        const rows = await entries(sql`SELECT ${raw(AUDIT_SELECT)} FROM audit_ledger a
          WHERE a.tenant_id = ${tenantId} ${from} ${to} ${after} ORDER BY a.seq LIMIT ${BATCH}`);
        for (const row of rows) {
          if (previous === null) {
            // The range may start mid-chain: anchor on the stored predecessor, or genesis at seq 1.
            const [before] =
              row.seq > 1n
                ? await entries(sql`SELECT ${raw(AUDIT_SELECT)} FROM audit_ledger a WHERE a.tenant_id = ${tenantId} AND a.seq = ${(row.seq - 1n).toString()}::bigint`)
                : [];
            if (row.seq > 1n && !before) {
              result.firstBreak = { seq: row.seq, entryId: row.id, reason: 'SEQ_GAP', expected: String(row.seq - 1n), actual: 'missing' };
            }
            previous = before ? { seq: before.seq, entryHash: before.entryHash } : { seq: 0n, entryHash: LEDGER_GENESIS_HASH };
            result.firstSeq = row.seq;
          }
          if (!result.firstBreak) result.firstBreak = checkEntry(row, previous);
          result.checkedCount += 1;
          result.lastSeq = row.seq;
          result.headHash = row.entryHash;
          previous = { seq: row.seq, entryHash: row.entryHash };
        }
        if (rows.length < BATCH) break;
        afterSeq = rows.at(-1)!.seq;
      }
      result.valid = result.firstBreak === null;
      return result;
    },

    /** Recomputes the root hash of a trace from its stored steps; null when the tenant has no such trace. */
    async verifyTrace(tenantId: string, traceId: string): Promise<TraceVerification | null> {
      const trace = await traceById(db, tenantId, traceId);
      if (!trace) return null;
      const steps = await rootHashSteps(db, tenantId, traceId);
      const computedRootHash = traceRootHash(trace, steps);
      const reason = trace.status === 'running' ? 'NOT_FINAL' : trace.rootHash === computedRootHash ? 'OK' : 'ROOT_HASH_MISMATCH';
      return { traceId, status: trace.status, valid: reason === 'OK', storedRootHash: trace.rootHash, computedRootHash, stepCount: steps.length, reason };
    },
  };
}

type LedgerRow = Parameters<typeof ledgerEntryHash>[1] & { id: string; prevHash: string; entryHash: string };

function checkEntry(row: LedgerRow, previous: { seq: bigint; entryHash: string }): LedgerBreak | null {
  if (row.seq !== previous.seq + 1n) {
    return { seq: row.seq, entryId: row.id, reason: 'SEQ_GAP', expected: String(previous.seq + 1n), actual: String(row.seq) };
  }
  if (row.prevHash !== previous.entryHash) {
    return { seq: row.seq, entryId: row.id, reason: 'CHAIN_BROKEN', expected: previous.entryHash, actual: row.prevHash };
  }
  const recomputed = ledgerEntryHash(row.prevHash, row);
  if (recomputed !== row.entryHash) return { seq: row.seq, entryId: row.id, reason: 'HASH_MISMATCH', expected: recomputed, actual: row.entryHash };
  return null;
}

export type IntegrityStore = ReturnType<typeof createIntegrityStore>;
