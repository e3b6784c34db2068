// Integrity checks an auditor can run (DESIGN D7): walk a tenant's audit-ledger hash chain, and
// recompute a trace's root hash from its stored steps. Both read only what is stored.
import type { Db } from '../db/client.ts';
import { LEDGER_GENESIS_HASH, ledgerEntryHash } from '../domain/hashes.ts';
import { traceRootHash, type TraceStatus } from '../domain/trace.ts';
import { toTrace } from './trace-rows.ts';

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
  const prisma = db.prisma;
  return {
    /**
     * Walks the tenant's ledger in seq order (optionally only entries created in [from, to]) and
     * reports the first broken link. Reads in batches of 1,000, so any ledger size fits in memory.
     */
    async verifyAuditLedger(tenantId: string, range: { from?: Date | undefined; to?: Date | undefined }): Promise<LedgerVerification> {
      const createdAt = range.from || range.to ? { gte: range.from, lte: range.to } : undefined;
      const result: LedgerVerification = { valid: true, checkedCount: 0, firstSeq: null, lastSeq: null, headHash: null, firstBreak: null };
      let previous: { seq: bigint; entryHash: string } | null = null;
      let afterSeq: bigint | undefined;
      for (;;) {
        const rows = await prisma.auditEntry.findMany({
          where: { tenantId, ...(createdAt && { createdAt }), ...(afterSeq !== undefined && { seq: { gt: afterSeq } }) },
          orderBy: { seq: 'asc' },
          take: BATCH,
        });
        for (const row of rows) {
          if (previous === null) {
            // The range may start mid-chain: anchor on the stored predecessor, or genesis at seq 1.
            const before = row.seq > 1n ? await prisma.auditEntry.findUnique({ where: { tenantId_seq: { tenantId, seq: row.seq - 1n } } }) : null;
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
      const row = await prisma.trace.findUnique({ where: { tenantId_traceId: { tenantId, traceId } } });
      if (!row) return null;
      const trace = toTrace(row);
      const steps = await prisma.traceStep.findMany({
        where: { tenantId, traceId },
        select: { stepIndex: true, skillId: true, inputHash: true, outputHash: true, rngStateBefore: true, status: true, idempotencyKey: true, replayBehavior: true },
      });
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
