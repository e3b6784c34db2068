import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportBundle, VerifyExportBundle } from '../../src/client/operations/forensics.ts';
import { canonicalJson } from '../../src/domain/canonical-json.ts';
import { sha256Hex } from '../../src/domain/hashes.ts';
import { codeOf, gql, setup, sql, type TestEnv } from '../helpers.ts';

let env: TestEnv;

const OPEN_INCIDENT = `mutation($input: OpenIncidentInput!) { openIncident(input: $input) { incidentId createdAt } }`;
const ACK_INCIDENT = `mutation($input: AcknowledgeIncidentInput!) { acknowledgeIncident(input: $input) { lifecycleState } }`;

const NOW = Date.now();
const ago = (s: number) => new Date(NOW - s * 1000);
const keyIdOf = (key: string) => /^aos_([A-Za-z0-9]{12})_/.exec(key)![1]!;

type Bundle = Record<string, any>;
let incidentId: string;

async function openIncident(input: Record<string, unknown>, key = env.a.write): Promise<string> {
  const res = await gql(env.app, OPEN_INCIDENT, { input: { title: 'incident', severity: 'LOW', causeType: 'SYSTEM', triggerType: 'manual', ...input } }, key);
  expect(res.errors).toBeUndefined();
  return res.data!.openIncident.incidentId as string;
}

async function exportBundle(input: Record<string, unknown>, key = env.a.write) {
  return gql(env.app, ExportBundle, { input: { incidentId, kind: 'EVIDENCE', ...input } as never }, key);
}

async function exported(input: Record<string, unknown> = {}, key = env.a.write) {
  const res = await exportBundle(input, key);
  expect(res.errors).toBeUndefined();
  return res.data!.exportBundle;
}

const exportCount = async (tenantId: string) =>
  Number((await sql<{ n: number }>(env.db, `SELECT count(*)::int AS n FROM log_exports WHERE tenant_id = $1`, [tenantId]))[0]!.n);

beforeAll(async () => {
  env = await setup();
  const { a, b, stores } = env;
  // A failed run whose trace has stored indexes 0, 1, 5, 7 (not 0..3) and a violation at step 5.
  await stores.traces.start(a.tenantId, { runId: 'run-e', agentId: 'agent-e', goal: 'refund order 17', startedAt: ago(120) });
  await stores.traces.recordSteps(a.tenantId, [
    { traceId: 'trace_run-e', stepIndex: 0, skillName: 'lookup_order', status: 'success', costMicrocents: 1n, durationMs: 1.5, timestamp: ago(110) },
    { traceId: 'trace_run-e', stepIndex: 1, skillName: 'call_llm', status: 'retry', costMicrocents: 1_250_000n, durationMs: 2.25, timestamp: ago(100) },
    { traceId: 'trace_run-e', stepIndex: 5, skillName: 'issue_refund', status: 'failure', costMicrocents: 2_000_000n, durationMs: 10, timestamp: ago(90) },
    { traceId: 'trace_run-e', stepIndex: 7, skillName: 'notify', status: 'skipped', costMicrocents: 500_000n, durationMs: 0.125, timestamp: ago(80) },
  ]);
  await stores.traces.complete(a.tenantId, 'trace_run-e', 'failed');
  await sql(env.db, `UPDATE aos_traces SET violation_step_index = 5, violation_timestamp = $2, violation_policy_id = 'pol-refund', violation_reason = 'refund over limit' WHERE tenant_id = $1 AND trace_id = 'trace_run-e'`, [a.tenantId, ago(90).toISOString()]);
  await sql(env.db, `UPDATE runs SET policy_snapshot_id = 'snap-42', termination_reason = 'policy_block' WHERE tenant_id = $1 AND run_id = 'run-e'`, [a.tenantId]);
  await stores.llmRuns.record(a.tenantId, {
    runId: 'run-e', traceId: 'trace_run-e', provider: 'anthropic', model: 'claude', inputTokens: 1200, outputTokens: 345,
    costMicrocents: 9_000_000n, executionStatus: 'FAILED', startedAt: ago(120), completedAt: ago(80), source: 'SDK',
  });
  // Policies active before the incident: two activations of pol-refund (the later wins) and pol-other.
  await stores.policyActivations.record(a.tenantId, { policyId: 'pol-refund', sourcePatternId: 'pat-1', confidence: 0.7, approvalPath: 'auto', activatedAt: ago(3600) });
  await stores.policyActivations.record(a.tenantId, { policyId: 'pol-refund', sourcePatternId: 'pat-2', confidence: 0.9, approvalPath: 'threshold', activatedAt: ago(1800) });
  await stores.policyActivations.record(a.tenantId, { policyId: 'pol-other', sourcePatternId: 'pat-3', confidence: 0.6, approvalPath: 'auto', activatedAt: ago(600) });
  await stores.policyActivations.record(b.tenantId, { policyId: 'pol-b', sourcePatternId: 'pat-b', confidence: 0.5, approvalPath: 'auto', activatedAt: ago(600) });

  incidentId = await openIncident({
    title: 'Refund over limit', severity: 'CRITICAL', causeType: 'LLM_RUN', triggerType: 'policy_violation', category: 'POLICY_VIOLATION',
    sourceRunId: 'run-e', traceId: 'trace_run-e', policyId: 'pol-refund', policyName: 'Refund limit', violationType: 'LIMIT_BREACH',
    inflectionStepIndex: 4,
  });
  // After the incident: must not count as active at the time.
  await stores.policyActivations.record(a.tenantId, { policyId: 'pol-refund', sourcePatternId: 'pat-9', confidence: 0.99, approvalPath: 'auto', activatedAt: new Date(NOW + 60_000) });
  // A newer trace of the same run: the bundle must still pick the trace linked to the incident.
  await stores.traces.start(a.tenantId, { runId: 'run-e', traceId: 'trace_run-e-retry' });
  await stores.traces.recordSteps(a.tenantId, [{ traceId: 'trace_run-e-retry', stepIndex: 0, skillName: 'retry', status: 'success', costMicrocents: 100_000n }]);
  expect((await gql(env.app, ACK_INCIDENT, { input: { incidentId, actorId: 'oncall-1' } }, a.write)).errors).toBeUndefined();
  // The newest ledger entry is not about the incident: it is the head, not an entry of the bundle.
  await stores.auditLedger.append(a.tenantId, { eventType: 'PolicyRuleCreated', entityType: 'POLICY_RULE', entityId: 'pol-new', actorType: 'SYSTEM' });
});
afterAll(() => env?.close());

describe('exportBundle (evidence)', () => {
  let result: Awaited<ReturnType<typeof exported>>;
  let bundle: Bundle;
  beforeAll(async () => {
    result = await exported({ exportReason: 'quarterly audit' });
    bundle = result.bundle as Bundle;
  });

  it('carries the linked failed trace: stored step indexes, the inflection at stored index 5, exact totals, ledger entries', async () => {
    expect(result.kind).toBe('EVIDENCE');
    expect(bundle.bundle_id).toBe(result.bundleId);
    expect(bundle.bundle_id).toMatch(/^EVD-[0-9a-f]{12}$/);
    const [trace] = await sql<{ root_hash: string }>(env.db, `SELECT root_hash FROM aos_traces WHERE tenant_id = $1 AND trace_id = 'trace_run-e'`, [env.a.tenantId]);
    expect(bundle.trace).toMatchObject({
      trace_id: 'trace_run-e', run_id: 'run-e', root_hash: trace!.root_hash, status: 'failed',
      violation_step_index: 5, violation_timestamp: ago(90).toISOString(), violation_policy_id: 'pol-refund', violation_reason: 'refund over limit',
      step_count: 4, success_count: 1, failure_count: 1, steps_truncated: false,
    });
    expect(bundle.steps.map((s: Bundle) => [s.step_index, s.step_type, s.status, s.is_inflection, s.cost_cents, s.duration_ms, s.tokens])).toEqual([
      [0, 'lookup_order', 'success', false, '0.000001', 1.5, null],
      [1, 'call_llm', 'retry', false, '1.25', 2.25, null],
      [5, 'issue_refund', 'failure', true, '2', 10, null],
      [7, 'notify', 'skipped', false, '0.5', 0.125, null],
    ]);
    expect(bundle.totals).toEqual({ total_steps: 4, total_cost_cents: '3.750001', total_duration_ms: 13.875, total_tokens: 1545 });
    const entries = await sql<{ id: string; entry_hash: string }>(env.db, `SELECT id::text, entry_hash FROM audit_ledger WHERE tenant_id = $1 AND entity_type = 'INCIDENT' AND entity_id = $2 ORDER BY seq`, [env.a.tenantId, incidentId]);
    expect(entries).toHaveLength(1);
    expect(bundle.ledger.entries.map((e: Bundle) => [e.id, e.event_type, e.actor_id, e.entry_hash])).toEqual([[entries[0]!.id, 'IncidentAcknowledged', 'oncall-1', entries[0]!.entry_hash]]);
    const [head] = await sql<{ seq: string; entry_hash: string }>(env.db, `SELECT seq::text, entry_hash FROM audit_ledger WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1`, [env.a.tenantId]);
    expect(bundle.ledger.head).toEqual({ seq: head!.seq, entry_hash: head!.entry_hash });
    expect(bundle.ledger.head.entry_hash).not.toBe(entries[0]!.entry_hash);
  });

  it('B12: incident policy fields, run cost, trace summary and steps come from real columns', async () => {
    expect(bundle.incident).toMatchObject({
      id: incidentId, title: 'Refund over limit', severity: 'critical', lifecycle_state: 'ACKED', cause_type: 'LLM_RUN', category: 'POLICY_VIOLATION',
      policy_id: 'pol-refund', policy_name: 'Refund limit', violation_type: 'LIMIT_BREACH', inflection_step_index: 4,
    });
    // The run's cost is every step of every trace of the run, exactly (the retry trace adds 0.1 cents).
    const [cost] = await sql<{ sum: string }>(env.db, `SELECT sum(s.cost_microcents)::text AS sum FROM aos_trace_steps s JOIN aos_traces t USING (tenant_id, trace_id) WHERE t.tenant_id = $1 AND t.run_id = 'run-e'`, [env.a.tenantId]);
    expect(cost!.sum).toBe('3850001');
    expect(bundle.run).toEqual({
      run_id: 'run-e', agent_id: 'agent-e', goal: 'refund order 17', status: 'failed', policy_snapshot_id: 'snap-42',
      started_at: ago(120).toISOString(), completed_at: expect.any(String), termination_reason: 'policy_block', total_cost_cents: '3.850001',
    });
    const hashes = await sql<{ step_index: number; content_hash: string }>(env.db, `SELECT step_index, content_hash FROM aos_trace_steps WHERE tenant_id = $1 AND trace_id = 'trace_run-e' ORDER BY step_index`, [env.a.tenantId]);
    expect(bundle.steps.map((s: Bundle) => [s.step_index, s.content_hash])).toEqual(hashes.map((h) => [h.step_index, h.content_hash]));
    expect(bundle.llm_run).toMatchObject({ provider: 'anthropic', model: 'claude', input_tokens: 1200, output_tokens: 345, cost_cents: '9' });
  });

  it('states the policy context: snapshot, violated policy, and the latest activation per policy recorded before the incident', () => {
    expect(bundle.policy_context).toMatchObject({
      policy_snapshot_id: 'snap-42', violated_policy_id: 'pol-refund', violated_policy_name: 'Refund limit', violation_type: 'LIMIT_BREACH',
      violation_reason: 'refund over limit',
    });
    expect(bundle.policy_context.active_policies.map((p: Bundle) => [p.policy_id, p.source_pattern_id, p.confidence_at_activation, p.activated_at])).toEqual([
      ['pol-other', 'pat-3', 0.6, ago(600).toISOString()],
      ['pol-refund', 'pat-2', 0.9, ago(1800).toISOString()],
    ]);
  });

  it('hashes the whole document and records it as a COMPLETED log export with checksum sha256:<contentHash>', async () => {
    const { content_hash, ...rest } = bundle;
    expect(result.contentHash).toBe(content_hash);
    expect(content_hash).toBe(sha256Hex(canonicalJson(rest)));
    const [row] = await sql(env.db, `SELECT id::text, status::text, checksum, scope::text, format::text, origin::text, requested_by, run_id, incident_id::text, correlation_id, delivered_at, created_at FROM log_exports WHERE id = $1`, [result.logExport.exportId]);
    expect(row).toMatchObject({
      status: 'completed', checksum: `sha256:${result.contentHash}`, scope: 'compliance', format: 'json', origin: 'SYSTEM',
      requested_by: keyIdOf(env.a.write), run_id: 'run-e', incident_id: incidentId, correlation_id: 'run-e',
    });
    expect(row!.delivered_at).not.toBeNull();
    expect(result.logExport).toMatchObject({ status: 'COMPLETED', checksum: `sha256:${result.contentHash}`, scope: 'COMPLIANCE', format: 'JSON', origin: 'SYSTEM' });
    expect(bundle).toMatchObject({
      log_export_id: result.logExport.exportId, created_at: new Date(row!.created_at as string).toISOString(), tenant_id: env.a.tenantId,
      exported_by: keyIdOf(env.a.write), export_reason: 'quarterly audit', schema_version: '1.0.0', bundle_type: 'evidence',
    });
  });

  it('verifies an untouched bundle and finds its log export; only the owning tenant finds the export', async () => {
    const res = await gql(env.app, VerifyExportBundle, { bundle }, env.a.read);
    expect(res.errors).toBeUndefined();
    expect(res.data!.verifyExportBundle).toEqual({ valid: true, expectedHash: result.contentHash, computedHash: result.contentHash, logExportFound: true });
    const other = await gql(env.app, VerifyExportBundle, { bundle }, env.b.read);
    expect(other.data!.verifyExportBundle).toMatchObject({ valid: true, logExportFound: false });
  });

  it('the content hash covers policy context, totals and run metadata: editing any of them makes verify invalid', async () => {
    const edits: [string, (d: Bundle) => void][] = [
      ['active policy', (d) => (d.policy_context.active_policies[1].confidence_at_activation = 0.1)],
      ['violated policy', (d) => (d.policy_context.violated_policy_name = 'Other')],
      ['totals', (d) => (d.totals.total_cost_cents = '0.000001')],
      ['run agent', (d) => (d.run.agent_id = 'agent-x')],
      ['run goal', (d) => (d.run.goal = 'nothing to see')],
      ['run cost', (d) => (d.run.total_cost_cents = '0')],
      ['tenant', (d) => (d.tenant_id = 'tenant-b')],
      ['ledger head', (d) => (d.ledger.head.entry_hash = '0'.repeat(64))],
      ['inflection flag', (d) => (d.steps[2].is_inflection = false)],
    ];
    for (const [what, edit] of edits) {
      const copy = structuredClone(bundle);
      edit(copy);
      const res = await gql(env.app, VerifyExportBundle, { bundle: copy }, env.a.read);
      expect(res.data!.verifyExportBundle, what).toMatchObject({ valid: false, expectedHash: result.contentHash, logExportFound: false });
      expect(res.data!.verifyExportBundle.computedHash, what).not.toBe(result.contentHash);
    }
  });

  it('leaves steps out when includeRawSteps is false, with the same totals', async () => {
    const b = (await exported({ includeRawSteps: false })).bundle as Bundle;
    expect(b.steps).toBeNull();
    expect(b.totals).toEqual(bundle.totals);
    expect(b.bundle_id).not.toBe(bundle.bundle_id);
  });
});

describe('exportBundle (kinds)', () => {
  it('B13: the bundle path is wired end to end: every kind exports through the API and completes its log export', async () => {
    for (const kind of ['EVIDENCE', 'SOC2', 'EXECUTIVE_DEBRIEF'] as const) {
      const r = await exported({ kind });
      expect(r.kind).toBe(kind);
      expect(r.logExport.status).toBe('COMPLETED');
      expect((r.bundle as Bundle).content_hash).toBe(r.contentHash);
      expect((await gql(env.app, VerifyExportBundle, { bundle: r.bundle }, env.a.read)).data!.verifyExportBundle).toMatchObject({ valid: true, logExportFound: true });
    }
  });

  it('SOC2 adds CC7.2–CC7.4 as DEMONSTRATED, an attestation and a PENDING review to the evidence', async () => {
    const r = await exported({ kind: 'SOC2' });
    const b = r.bundle as Bundle;
    expect(b.bundle_id).toMatch(/^SOC2-[0-9a-f]{12}$/);
    expect(b.controls.map((c: Bundle) => `${c.control_id}:${c.status}`)).toEqual(['CC7.2:DEMONSTRATED', 'CC7.3:DEMONSTRATED', 'CC7.4:DEMONSTRATED']);
    expect(b.criteria_covered).toEqual(['CC7.2', 'CC7.3', 'CC7.4']);
    expect(b.review_status).toBe('PENDING');
    expect(b.attestation).toContain(b.bundle_id);
    expect(b.attestation).toContain(incidentId);
    expect(b.export_reason).toBe('SOC2 compliance export');
    expect(b.steps).toHaveLength(4);
    expect(b.compliance_period_end).toBe(b.created_at);
  });

  it('the executive debrief has the risk level, detection delay from run start, the run cost and no steps', async () => {
    const r = await exported({ kind: 'EXECUTIVE_DEBRIEF', preparedFor: 'Board of directors' });
    const b = r.bundle as Bundle;
    const [times] = await sql<{ seconds: number }>(
      env.db,
      `SELECT floor(extract(epoch FROM i.created_at - r.started_at))::int AS seconds FROM incidents i JOIN runs r ON r.tenant_id = i.tenant_id AND r.run_id = i.source_run_id WHERE i.id = $1`,
      [incidentId],
    );
    expect(b).toMatchObject({
      bundle_type: 'executive_debrief', risk_level: 'high', time_to_detect_seconds: times!.seconds, cost_incurred_cents: '3.850001',
      policy_violated: 'Refund limit', prepared_for: 'Board of directors', classification: 'INTERNAL', remediation_status: 'in_progress',
    });
    expect(b.bundle_id).toMatch(/^EXEC-[0-9a-f]{12}$/);
    expect(times!.seconds).toBeGreaterThanOrEqual(120);
    expect(b).not.toHaveProperty('steps');
    expect(b).not.toHaveProperty('trace');
  });

  it('B22: the executive risk level maps each stored severity (critical/high → high, medium → medium, low → low)', async () => {
    const risk: Record<string, string> = {};
    for (const severity of ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']) {
      const id = await openIncident({ severity });
      const r = await exportBundle({ incidentId: id, kind: 'EXECUTIVE_DEBRIEF' });
      expect(r.errors).toBeUndefined();
      risk[severity] = (r.data!.exportBundle.bundle as Bundle).risk_level;
    }
    expect(risk).toEqual({ CRITICAL: 'high', HIGH: 'high', MEDIUM: 'medium', LOW: 'low' });
  });

  it('exports an incident without a run: no run, trace or steps, and no run id on the export', async () => {
    const id = await openIncident({ title: 'manual' });
    const r = await exported({ incidentId: id });
    expect(r.bundle).toMatchObject({ run: null, trace: null, steps: null, llm_run: null });
    expect(r.logExport).toMatchObject({ runId: null, incidentId: id, correlationId: id, status: 'COMPLETED' });
  });
});

describe('exportBundle (refusals)', () => {
  it("B3: another tenant's incident is NOT_FOUND exactly like an unknown one, and no log export is written", async () => {
    const beforeA = await exportCount(env.a.tenantId);
    const beforeB = await exportCount(env.b.tenantId);
    const theirs = await exportBundle({ incidentId }, env.b.write);
    const unknownId = '00000000-0000-4000-8000-000000000000';
    const unknown = await exportBundle({ incidentId: unknownId }, env.b.write);
    expect(codeOf(theirs)).toBe('NOT_FOUND');
    expect(codeOf(unknown)).toBe('NOT_FOUND');
    expect(theirs.errors![0]!.message.replace(incidentId, 'ID')).toBe(unknown.errors![0]!.message.replace(unknownId, 'ID'));
    expect(theirs.data).toBeNull();
    expect(await exportCount(env.b.tenantId)).toBe(beforeB);
    expect(await exportCount(env.a.tenantId)).toBe(beforeA);
  });

  it('rejects bad input with BAD_USER_INPUT naming the field, and writes nothing', async () => {
    const before = await exportCount(env.a.tenantId);
    for (const [input, field] of [
      [{ incidentId: 'not-a-uuid' }, 'input.incidentId'],
      [{ preparedFor: '' }, 'input.preparedFor'],
      [{ exportReason: 'x'.repeat(2001) }, 'input.exportReason'],
    ] as const) {
      const res = await exportBundle(input);
      expect(codeOf(res), field).toBe('BAD_USER_INPUT');
      expect(res.errors![0]!.extensions!.fields).toContain(field);
    }
    expect(await exportCount(env.a.tenantId)).toBe(before);
  });

  it('needs a write key: a read key is FORBIDDEN and writes nothing', async () => {
    const before = await exportCount(env.a.tenantId);
    expect(codeOf(await exportBundle({}, env.a.read))).toBe('FORBIDDEN');
    expect(await exportCount(env.a.tenantId)).toBe(before);
  });

  it('marks the log export FAILED with the reason when assembly fails, and reports the error', async () => {
    await env.stores.traces.start(env.a.tenantId, { runId: 'run-bad' });
    // A duration no JSON document can carry, written past the API's validation.
    await sql(
      env.db,
      `INSERT INTO aos_trace_steps (tenant_id, trace_id, step_index, skill_id, skill_name, status, level, outcome_category, duration_ms, content_hash, trace_started_at)
       SELECT $1::text, 'trace_run-bad', 0, 's', 's', 'success', 'INFO', 'SUCCESS', 'Infinity', $2, started_at FROM aos_traces WHERE tenant_id = $1::text AND trace_id = 'trace_run-bad'`,
      [env.a.tenantId, '0'.repeat(64)],
    );
    const id = await openIncident({ sourceRunId: 'run-bad', traceId: 'trace_run-bad' });
    const res = await exportBundle({ incidentId: id });
    expect(codeOf(res)).toBe('INTERNAL_SERVER_ERROR'); // unexpected: masked for the client, logged in full
    expect(res.data).toBeNull();
    const rows = await sql<{ status: string; failure_reason: string; checksum: string | null }>(
      env.db, `SELECT status::text, failure_reason, checksum FROM log_exports WHERE tenant_id = $1 AND incident_id = $2`, [env.a.tenantId, id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'failed', checksum: null });
    expect(rows[0]!.failure_reason).toMatch(/^bundle assembly failed: .*Infinity/);
  });

  it('verifyExportBundle refuses a document that is not a JSON object', async () => {
    const res = await gql(env.app, VerifyExportBundle, { bundle: [1, 2] }, env.a.read);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
  });
});
