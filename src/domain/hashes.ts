import { hash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';

export function sha256Hex(text: string): string {
  // One-shot: no Hash object per digest (ingest takes three per step).
  return hash('sha256', text, 'hex');
}

/** The SDK's input_hash / output_hash: a 16-hex-char prefix of the canonical JSON digest. */
export function shortDigest(value: unknown): string {
  return sha256Hex(canonicalJson(value)).slice(0, 16);
}

export type StepOutcome = 'success' | 'failure' | 'skipped';

export interface RootHashStep {
  stepIndex: number;
  skillId: string;
  inputHash: string | null;
  outputHash: string | null;
  rngStateBefore: string | null;
  outcome: StepOutcome;
  idempotencyKey: string | null;
  replayBehavior: string;
}

// Field names and null handling follow AOS Python SDK schema 1.1.0, so a root hash computed by
// the SDK verifies here.
export function stepHash(step: RootHashStep): string {
  return sha256Hex(
    canonicalJson({
      step_index: step.stepIndex,
      skill_id: step.skillId,
      input_hash: step.inputHash,
      output_hash: step.outputHash,
      rng_state_before: step.rngStateBefore,
      outcome: step.outcome,
      idempotency_key: step.idempotencyKey,
      replay_behavior: step.replayBehavior,
    }),
  );
}

export function computeRootHash(input: {
  seed: bigint | number;
  frozenTimestamp: string;
  tenantId: string;
  steps: RootHashStep[];
}): string {
  let h = sha256Hex(`${seedText(input.seed)}:${input.frozenTimestamp}:${input.tenantId}`);
  for (const step of input.steps) h = sha256Hex(`${h}:${stepHash(step)}`);
  return h;
}

// The SDK seed is a Python int, which always prints as plain digits; a JS number >= 1e21 would
// otherwise print in exponent form.
function seedText(seed: bigint | number): string {
  if (typeof seed === 'bigint') return seed.toString();
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  return BigInt(seed).toString();
}

export function stepOutcome(status: string): StepOutcome {
  switch (status) {
    case 'success':
      return 'success';
    case 'skipped':
      return 'skipped';
    case 'failure':
    case 'retry': // a retried attempt did not succeed
      return 'failure';
    default:
      // Statuses are validated upstream; guessing here would silently corrupt the root hash.
      throw new Error(`stepOutcome: unknown step status "${status}"`);
  }
}

export const LEDGER_GENESIS_HASH = '0'.repeat(64);

export interface LedgerEntryContent {
  tenantId: string;
  seq: bigint;
  eventType: string;
  entityType: string;
  entityId: string;
  actorType: string;
  actorId: string | null;
  actionReason: string | null;
  beforeState: unknown;
  afterState: unknown;
  correlationId: string | null;
  createdAt: Date;
}

/**
 * Chains an entry to its predecessor. Every content field is covered, so editing any stored
 * column of any entry (or reordering entries) breaks verification from that entry onwards.
 */
export function ledgerEntryHash(prevHash: string, entry: LedgerEntryContent): string {
  const content = {
    tenant_id: entry.tenantId,
    seq: entry.seq.toString(),
    event_type: entry.eventType,
    entity_type: entry.entityType,
    entity_id: entry.entityId,
    actor_type: entry.actorType,
    actor_id: entry.actorId,
    action_reason: entry.actionReason,
    // Storage writes undefined as NULL; mapping it here keeps the hash stable across a reload.
    before_state: entry.beforeState === undefined ? null : entry.beforeState,
    after_state: entry.afterState === undefined ? null : entry.afterState,
    correlation_id: entry.correlationId,
    created_at: entry.createdAt.toISOString(),
  };
  return sha256Hex(`${prevHash}:${canonicalJson(content)}`);
}

export function bundleContentHash(bundle: unknown): string {
  return sha256Hex(canonicalJson(bundle));
}
