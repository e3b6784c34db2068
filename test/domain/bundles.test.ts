import { describe, expect, it } from 'vitest';
import { assembleBundle, bundleIdFor, riskLevel, verifyBundle, type BundleOptions, type BundleSources } from '../../src/domain/bundles.ts';
import { canonicalJson } from '../../src/domain/canonical-json.ts';
import { sha256Hex } from '../../src/domain/hashes.ts';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const EXPORT_ID = '3f0d6a52-8d4e-4c55-9a2c-6f7c1d2e3b4a';

function sources(over: Partial<BundleSources> = {}): BundleSources {
  return {
    incident: {
      id: '0b9c1f7e-1111-4a1a-8a1a-000000000001',
      tenantId: 'tenant-a',
      title: 'Refund blocked',
      severity: 'high',
      lifecycleState: 'ACKED',
      causeType: 'LLM_RUN',
      triggerType: 'policy_violation',
      category: 'POLICY_VIOLATION',
      description: null,
      errorCode: null,
      policyId: 'pol-limit',
      policyName: 'Daily refund limit',
      violationType: 'LIMIT_BREACH',
      inflectionStepIndex: 3,
      inflectionTimestamp: at(40),
      startedAt: at(45),
      createdAt: at(50),
      acknowledgedAt: at(60),
      resolvedAt: null,
      resolutionMethod: null,
    },
    run: {
      runId: 'run-1',
      agentId: 'agent-1',
      goal: 'refund',
      status: 'failed',
      policySnapshotId: 'snap-1',
      startedAt: T0,
      completedAt: at(42),
      terminationReason: 'policy_block',
    },
    runCostMicrocents: 1_500_001n,
    trace: {
      traceId: 'trace_run-1',
      runId: 'run-1',
      rootHash: 'ab'.repeat(32),
      status: 'failed',
      startedAt: T0,
      completedAt: at(42),
      violationStepIndex: 5,
      violationTimestamp: at(41),
      violationPolicyId: 'pol-limit',
      violationReason: 'over limit',
    },
    stepTotals: { count: 2, successCount: 1, failureCount: 1, costMicrocents: 1_500_001n, durationMs: 12.5 },
    steps: [
      { stepIndex: 0, timestamp: at(1), skillName: 'lookup', status: 'success', costMicrocents: 1n, durationMs: 2.5, contentHash: 'c0'.repeat(32) },
      { stepIndex: 5, timestamp: at(41), skillName: 'refund', status: 'failure', costMicrocents: 1_500_000n, durationMs: 10, contentHash: 'c5'.repeat(32) },
    ],
    stepsTruncated: false,
    llmRun: { provider: 'anthropic', model: 'm', inputTokens: 100, outputTokens: 20, costMicrocents: 7n, executionStatus: 'FAILED' },
    ledgerEntries: [],
    ledgerHead: { seq: 9n, entryHash: 'ee'.repeat(32) },
    activePolicies: [
      { policyId: 'pol-limit', sourcePatternId: 'pat-1', confidenceAtActivation: 0.9, confidenceVersion: 'CONFIDENCE_V1', approvalPath: 'auto', activatedAt: T0 },
    ],
    ...over,
  };
}

const options = (over: Partial<BundleOptions> = {}): BundleOptions => ({
  kind: 'evidence',
  logExportId: EXPORT_ID,
  createdAt: at(100),
  exportedBy: 'key123',
  exportReason: null,
  preparedFor: null,
  ...over,
});

describe('assembleBundle (evidence)', () => {
  it('uses stored step indexes, flags the violation step, keeps real statuses and exact money', () => {
    const b = assembleBundle(sources(), options()) as Record<string, any>;
    expect(b.bundle_id).toBe(`EVD-${sha256Hex(EXPORT_ID).slice(0, 12)}`);
    expect(b.steps.map((s: any) => [s.step_index, s.status, s.is_inflection, s.step_type, s.tokens])).toEqual([
      [0, 'success', false, 'lookup', null],
      [5, 'failure', true, 'refund', null],
    ]);
    expect(b.steps[0].cost_cents).toBe('0.000001');
    expect(b.totals).toEqual({ total_steps: 2, total_cost_cents: '1.500001', total_duration_ms: 12.5, total_tokens: 120 });
    expect(b.run.total_cost_cents).toBe('1.500001');
    expect(b.trace.violation_step_index).toBe(5);
    expect(b.ledger.head).toEqual({ seq: '9', entry_hash: 'ee'.repeat(32) });
  });

  it("falls back to the incident's inflection step when the trace names none", () => {
    const s = sources();
    const b = assembleBundle({ ...s, trace: { ...s.trace!, violationStepIndex: null, violationTimestamp: null } }, options()) as Record<string, any>;
    expect(b.trace.violation_step_index).toBe(3);
    expect(b.trace.violation_timestamp).toBe(at(40).toISOString());
    expect(b.steps.some((st: any) => st.is_inflection)).toBe(false);
  });

  it('is plain JSON: a JSON round trip keeps it identical and valid', () => {
    const b = assembleBundle(sources(), options());
    const back = JSON.parse(JSON.stringify(b)) as Record<string, unknown>;
    expect(back).toEqual(b);
    expect(verifyBundle(back)).toEqual({ valid: true, expectedHash: b.content_hash, computedHash: b.content_hash });
  });

  it('hashes every field but content_hash (the reference skipped policy context, totals, tenant and run metadata)', () => {
    const b = assembleBundle(sources(), options()) as Record<string, any>;
    const { content_hash, ...rest } = b;
    expect(content_hash).toBe(sha256Hex(canonicalJson(rest)));
    const edits: ((d: any) => void)[] = [
      (d) => (d.policy_context.active_policies[0].policy_id = 'other'),
      (d) => (d.policy_context.policy_snapshot_id = 'snap-2'),
      (d) => (d.totals.total_cost_cents = '0'),
      (d) => (d.tenant_id = 'tenant-b'),
      (d) => (d.run.goal = 'something else'),
      (d) => (d.run.agent_id = 'agent-2'),
      (d) => (d.ledger.head.entry_hash = '00'.repeat(32)),
      (d) => (d.steps[1].is_inflection = false),
      (d) => (d.extra = 1),
    ];
    for (const edit of edits) {
      const copy = structuredClone(b);
      edit(copy);
      expect(verifyBundle(copy).valid, String(edit)).toBe(false);
    }
  });

  it('states steps: null when raw steps were not asked for, while totals stay', () => {
    const b = assembleBundle(sources({ steps: null }), options()) as Record<string, any>;
    expect(b.steps).toBeNull();
    expect(b.totals.total_steps).toBe(2);
  });

  it('handles an incident without run or trace', () => {
    const b = assembleBundle(sources({ run: null, runCostMicrocents: null, trace: null, stepTotals: null, steps: null, llmRun: null }), options()) as Record<string, any>;
    expect(b.run).toBeNull();
    expect(b.trace).toBeNull();
    expect(b.totals).toEqual({ total_steps: 0, total_cost_cents: '0', total_duration_ms: 0, total_tokens: null });
    expect(b.policy_context.policy_snapshot_id).toBeNull();
  });
});

describe('assembleBundle (SOC2 and executive debrief)', () => {
  it('SOC2: the evidence plus CC7.2–CC7.4 DEMONSTRATED, review PENDING, a default reason', () => {
    const b = assembleBundle(sources(), options({ kind: 'soc2' })) as Record<string, any>;
    expect(b.bundle_id).toBe(bundleIdFor('soc2', EXPORT_ID));
    expect(b.bundle_id.startsWith('SOC2-')).toBe(true);
    expect(b.bundle_type).toBe('soc2');
    expect(b.controls.map((c: any) => [c.control_id, c.status])).toEqual([
      ['CC7.2', 'DEMONSTRATED'],
      ['CC7.3', 'DEMONSTRATED'],
      ['CC7.4', 'DEMONSTRATED'],
    ]);
    expect(b.review_status).toBe('PENDING');
    expect(b.export_reason).toBe('SOC2 compliance export');
    expect(b.attestation).toContain(b.bundle_id);
    expect(b.steps).toHaveLength(2);
  });

  it('executive debrief: detection delay is incident created − run started, no steps', () => {
    const b = assembleBundle(sources(), options({ kind: 'executive_debrief', preparedFor: 'board' })) as Record<string, any>;
    expect(b.bundle_id.startsWith('EXEC-')).toBe(true);
    expect(b.time_to_detect_seconds).toBe(50);
    expect(b.risk_level).toBe('high');
    expect(b.prepared_for).toBe('board');
    expect(b.cost_incurred_cents).toBe('1.500001');
    expect(b.remediation_status).toBe('in_progress');
    expect(b).not.toHaveProperty('steps');
    expect(verifyBundle(b).valid).toBe(true);
  });
});

describe('riskLevel (B22)', () => {
  it('maps severities case-insensitively; the reference sent upper-case ones to low', () => {
    expect(['critical', 'CRITICAL', 'High', 'HIGH'].map(riskLevel)).toEqual(['high', 'high', 'high', 'high']);
    expect(['medium', 'MEDIUM', null, undefined].map(riskLevel)).toEqual(['medium', 'medium', 'medium', 'medium']);
    expect(['low', 'LOW', ' Low '].map(riskLevel)).toEqual(['low', 'low', 'low']);
  });
});

describe('verifyBundle', () => {
  it('reports a missing content_hash as invalid with no expected hash', () => {
    expect(verifyBundle({ a: 1 })).toEqual({ valid: false, expectedHash: null, computedHash: sha256Hex('{"a":1}') });
  });
});
