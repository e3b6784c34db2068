import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  bundleContentHash,
  computeRootHash,
  LEDGER_GENESIS_HASH,
  ledgerEntryHash,
  type LedgerEntryContent,
  type RootHashStep,
  sha256Hex,
  shortDigest,
  stepHash,
  stepOutcome,
} from '../../src/domain/hashes.ts';

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

const steps: RootHashStep[] = [
  {
    stepIndex: 0,
    skillId: 'http.get',
    inputHash: 'aaaaaaaaaaaaaaaa',
    outputHash: 'bbbbbbbbbbbbbbbb',
    rngStateBefore: null,
    outcome: 'success',
    idempotencyKey: null,
    replayBehavior: 'execute',
  },
  {
    stepIndex: 1,
    skillId: 'llm.call',
    inputHash: 'cccccccccccccccc',
    outputHash: null,
    rngStateBefore: 'rng-1',
    outcome: 'failure',
    idempotencyKey: 'idem-1',
    replayBehavior: 'skip',
  },
];
const trace = { seed: 42, frozenTimestamp: '2024-11-26T12:00:00Z', tenantId: 'tenant-a', steps };

describe('sha256Hex and shortDigest', () => {
  it('hashes UTF-8 text', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    // UTF-8 bytes c3 a9; latin-1 would give de2e331d...
    expect(sha256Hex('é')).toBe('4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c');
  });

  it('shortDigest is the first 16 hex chars of the canonical JSON digest (Python vector)', () => {
    expect(shortDigest({ a: 1 })).toBe('015abd7f5cc57a2d');
    expect(shortDigest({ b: 2, a: 1 })).toBe(sha('{"a":1,"b":2}').slice(0, 16));
  });
});

describe('computeRootHash', () => {
  it('follows the SDK 1.1.0 chain step by step', () => {
    const stepJson = [
      '{"idempotency_key":null,"input_hash":"aaaaaaaaaaaaaaaa","outcome":"success","output_hash":"bbbbbbbbbbbbbbbb","replay_behavior":"execute","rng_state_before":null,"skill_id":"http.get","step_index":0}',
      '{"idempotency_key":"idem-1","input_hash":"cccccccccccccccc","outcome":"failure","output_hash":null,"replay_behavior":"skip","rng_state_before":"rng-1","skill_id":"llm.call","step_index":1}',
    ];
    let h = sha('42:2024-11-26T12:00:00Z:tenant-a');
    for (const json of stepJson) h = sha(`${h}:${sha(json)}`);
    expect(stepHash(steps[0]!)).toBe(sha(stepJson[0]!));
    expect(computeRootHash(trace)).toBe(h);
  });

  it('matches the value computed by the Python reference algorithm', () => {
    expect(computeRootHash(trace)).toBe(
      'ef86e55e4cae116070148630757bddca92b0febbf04f879f6a66ee07d06f0f51',
    );
  });

  it('depends on step order', () => {
    const swapped = { ...trace, steps: [steps[1]!, steps[0]!] };
    expect(computeRootHash(swapped)).not.toBe(computeRootHash(trace));
  });

  it('depends on seed, frozen timestamp and tenant', () => {
    const base = computeRootHash(trace);
    expect(computeRootHash({ ...trace, seed: 43 })).not.toBe(base);
    expect(computeRootHash({ ...trace, frozenTimestamp: '2024-11-26T12:00:01Z' })).not.toBe(base);
    expect(computeRootHash({ ...trace, tenantId: 'tenant-b' })).not.toBe(base);
  });

  it('treats a bigint seed like the equal number and prints huge seeds as digits', () => {
    expect(computeRootHash({ ...trace, seed: 42n })).toBe(computeRootHash(trace));
    const big = computeRootHash({ ...trace, seed: 10n ** 21n, steps: [] });
    expect(big).toBe(sha('1000000000000000000000:2024-11-26T12:00:00Z:tenant-a'));
    expect(computeRootHash({ ...trace, seed: 1e21, steps: [] })).toBe(big);
  });

  it('is the genesis hash for a trace with no steps', () => {
    expect(computeRootHash({ ...trace, steps: [] })).toBe(sha('42:2024-11-26T12:00:00Z:tenant-a'));
  });

  it('rejects a fractional seed', () => {
    expect(() => computeRootHash({ ...trace, seed: 1.5 })).toThrow(RangeError);
  });
});

describe('stepOutcome', () => {
  it.each([
    ['success', 'success'],
    ['skipped', 'skipped'],
    ['failure', 'failure'],
    ['retry', 'failure'],
  ] as const)('%s -> %s', (status, outcome) => {
    expect(stepOutcome(status)).toBe(outcome);
  });

  it('throws on an unknown status', () => {
    expect(() => stepOutcome('pending')).toThrow(/pending/);
    expect(() => stepOutcome('SUCCESS')).toThrow();
  });
});

describe('ledgerEntryHash', () => {
  const entry: LedgerEntryContent = {
    tenantId: 't1',
    seq: 7n,
    eventType: 'incident.resolved',
    entityType: 'incident',
    entityId: 'inc-1',
    actorType: 'user',
    actorId: 'u-1',
    actionReason: 'fixed',
    beforeState: { status: 'open' },
    afterState: { status: 'resolved' },
    correlationId: 'corr-1',
    createdAt: new Date(Date.UTC(2024, 10, 26, 12, 0, 0, 0)),
  };

  it('hashes prev hash and snake_case canonical content', () => {
    const json =
      '{"action_reason":"fixed","actor_id":"u-1","actor_type":"user","after_state":{"status":"resolved"},"before_state":{"status":"open"},"correlation_id":"corr-1","created_at":"2024-11-26T12:00:00.000Z","entity_id":"inc-1","entity_type":"incident","event_type":"incident.resolved","seq":"7","tenant_id":"t1"}';
    expect(ledgerEntryHash(LEDGER_GENESIS_HASH, entry)).toBe(sha(`${'0'.repeat(64)}:${json}`));
  });

  it('depends on the previous hash', () => {
    expect(ledgerEntryHash('f'.repeat(64), entry)).not.toBe(ledgerEntryHash(LEDGER_GENESIS_HASH, entry));
  });

  const changes: Array<[keyof LedgerEntryContent, unknown]> = [
    ['tenantId', 't2'],
    ['seq', 8n],
    ['eventType', 'incident.opened'],
    ['entityType', 'trace'],
    ['entityId', 'inc-2'],
    ['actorType', 'system'],
    ['actorId', null],
    ['actionReason', null],
    ['beforeState', { status: 'closed' }],
    ['afterState', null],
    ['correlationId', 'corr-2'],
    ['createdAt', new Date(Date.UTC(2024, 10, 26, 12, 0, 0, 1))],
  ];
  it.each(changes)('changes when %s changes', (field, value) => {
    const base = ledgerEntryHash(LEDGER_GENESIS_HASH, entry);
    expect(ledgerEntryHash(LEDGER_GENESIS_HASH, { ...entry, [field]: value })).not.toBe(base);
  });

  it('hashes an undefined state like a stored NULL', () => {
    expect(ledgerEntryHash(LEDGER_GENESIS_HASH, { ...entry, afterState: undefined })).toBe(
      ledgerEntryHash(LEDGER_GENESIS_HASH, { ...entry, afterState: null }),
    );
  });
});

describe('bundleContentHash', () => {
  it('is the full digest of canonical JSON, independent of key order', () => {
    expect(bundleContentHash({ b: [1], a: 'x' })).toBe(sha('{"a":"x","b":[1]}'));
    expect(bundleContentHash({ a: 'x', b: [1] })).toBe(bundleContentHash({ b: [1], a: 'x' }));
  });
});
