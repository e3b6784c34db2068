// Export bundles (evidence, SOC2, executive debrief): pure assembly from facts a store read, the
// content hash, and its verification. The reference hashed only run/incident/trace ids, the steps
// and created_at, so policy context, totals, tenant and run metadata could be edited unnoticed;
// here content_hash covers every field of the document except itself.
//
// Every value in a bundle is plain JSON (dates as ISO strings, money as exact Cents strings), so
// a bundle that travels through JSON and comes back hashes to the same value.
import { bundleContentHash, sha256Hex } from './hashes.ts';
import { formatCents } from './money.ts';

export type BundleKind = 'evidence' | 'soc2' | 'executive_debrief';

/** Version of the bundle document layout (not of the reference's, which had none). */
export const BUNDLE_SCHEMA_VERSION = '1.0.0';

const ID_PREFIX: Record<BundleKind, string> = { evidence: 'EVD-', soc2: 'SOC2-', executive_debrief: 'EXEC-' };

// ---------------------------------------------------------------- facts the assembly needs

export interface BundleIncident {
  id: string;
  tenantId: string;
  title: string;
  severity: string;
  lifecycleState: string;
  causeType: string;
  triggerType: string;
  category: string | null;
  description: string | null;
  errorCode: string | null;
  policyId: string | null;
  policyName: string | null;
  violationType: string | null;
  inflectionStepIndex: number | null;
  inflectionTimestamp: Date | null;
  startedAt: Date;
  createdAt: Date;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  resolutionMethod: string | null;
}

export interface BundleRun {
  runId: string;
  agentId: string | null;
  goal: string | null;
  status: string;
  policySnapshotId: string | null;
  startedAt: Date;
  completedAt: Date | null;
  terminationReason: string | null;
}

export interface BundleTrace {
  traceId: string;
  runId: string;
  rootHash: string | null;
  status: string;
  startedAt: Date;
  completedAt: Date | null;
  violationStepIndex: number | null;
  violationTimestamp: Date | null;
  violationPolicyId: string | null;
  violationReason: string | null;
}

export interface BundleStep {
  stepIndex: number;
  timestamp: Date;
  skillName: string;
  status: string;
  costMicrocents: bigint;
  durationMs: number;
  contentHash: string;
}

/** Aggregates over every step of the trace, whether or not the steps themselves are included. */
export interface StepTotals {
  count: number;
  successCount: number;
  failureCount: number;
  costMicrocents: bigint;
  durationMs: number;
}

export interface BundleLlmRun {
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  costMicrocents: bigint;
  executionStatus: string;
}

export interface BundleLedgerEntry {
  id: string;
  seq: bigint;
  eventType: string;
  entityType: string;
  entityId: string;
  actorType: string;
  actorId: string | null;
  actionReason: string | null;
  createdAt: Date;
  prevHash: string;
  entryHash: string;
}

export interface BundleActivation {
  policyId: string;
  sourcePatternId: string;
  confidenceAtActivation: number;
  confidenceVersion: string;
  approvalPath: string;
  activatedAt: Date;
}

export interface BundleSources {
  incident: BundleIncident;
  run: BundleRun | null;
  /** Sum of the step costs of every trace of the run (B12: the reference read a column that does not exist). */
  runCostMicrocents: bigint | null;
  trace: BundleTrace | null;
  stepTotals: StepTotals | null;
  /** null when raw steps were not asked for. */
  steps: BundleStep[] | null;
  stepsTruncated: boolean;
  llmRun: BundleLlmRun | null;
  ledgerEntries: BundleLedgerEntry[];
  ledgerHead: { seq: bigint; entryHash: string } | null;
  activePolicies: BundleActivation[];
}

export interface BundleOptions {
  kind: BundleKind;
  logExportId: string;
  createdAt: Date;
  exportedBy: string;
  exportReason: string | null;
  preparedFor: string | null;
}

export type BundleDocument = Record<string, unknown> & { bundle_id: string; bundle_type: BundleKind; content_hash: string };

// ---------------------------------------------------------------- assembly

/** EVD-/SOC2-/EXEC- and 12 hex chars of SHA-256 of the export id: the same export always names the same bundle. */
export function bundleIdFor(kind: BundleKind, logExportId: string): string {
  return ID_PREFIX[kind] + sha256Hex(logExportId).slice(0, 12);
}

/**
 * B22: case-insensitive, so an upper-case severity is not silently "low". Missing or unrecognised
 * severities count as medium: an unknown risk is not reported as a low one.
 */
export function riskLevel(severity: string | null | undefined): 'high' | 'medium' | 'low' {
  switch (severity?.trim().toLowerCase()) {
    case 'critical':
    case 'high':
      return 'high';
    case 'low':
      return 'low';
    default:
      return 'medium';
  }
}

/** The bundle document with its content_hash over everything else in it. */
export function assembleBundle(sources: BundleSources, options: BundleOptions): BundleDocument {
  const body = options.kind === 'executive_debrief' ? executiveDebrief(sources, options) : evidence(sources, options);
  return withContentHash(body);
}

export function withContentHash(body: Record<string, unknown>): BundleDocument {
  const { content_hash: _ignored, ...rest } = body;
  return { ...rest, content_hash: bundleContentHash(rest) } as BundleDocument;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const cents = (micro: bigint | null | undefined) => (micro === null || micro === undefined ? null : formatCents(micro));

function header(kind: BundleKind, sources: BundleSources, options: BundleOptions) {
  return {
    bundle_id: bundleIdFor(kind, options.logExportId),
    bundle_type: kind,
    schema_version: BUNDLE_SCHEMA_VERSION,
    created_at: options.createdAt.toISOString(),
    log_export_id: options.logExportId,
    tenant_id: sources.incident.tenantId,
    exported_by: options.exportedBy,
    export_reason: options.exportReason,
    prepared_for: options.preparedFor,
  };
}

/** The trace's own violation step, else the incident's inflection step. */
function violationOf(sources: BundleSources): { stepIndex: number | null; timestamp: Date | null } {
  const { trace, incident } = sources;
  if (trace?.violationStepIndex != null) return { stepIndex: trace.violationStepIndex, timestamp: trace.violationTimestamp ?? incident.inflectionTimestamp };
  return { stepIndex: incident.inflectionStepIndex, timestamp: trace?.violationTimestamp ?? incident.inflectionTimestamp };
}

function incidentSection(i: BundleIncident) {
  return {
    id: i.id,
    title: i.title,
    severity: i.severity,
    lifecycle_state: i.lifecycleState,
    cause_type: i.causeType,
    trigger_type: i.triggerType,
    category: i.category,
    description: i.description,
    error_code: i.errorCode,
    policy_id: i.policyId,
    policy_name: i.policyName,
    violation_type: i.violationType,
    inflection_step_index: i.inflectionStepIndex,
    inflection_timestamp: iso(i.inflectionTimestamp),
    started_at: iso(i.startedAt),
    created_at: iso(i.createdAt),
    acknowledged_at: iso(i.acknowledgedAt),
    resolved_at: iso(i.resolvedAt),
    resolution_method: i.resolutionMethod,
  };
}

function runSection(run: BundleRun | null, costMicrocents: bigint | null) {
  if (!run) return null;
  return {
    run_id: run.runId,
    agent_id: run.agentId,
    goal: run.goal,
    status: run.status,
    policy_snapshot_id: run.policySnapshotId,
    started_at: iso(run.startedAt),
    completed_at: iso(run.completedAt),
    termination_reason: run.terminationReason,
    total_cost_cents: cents(costMicrocents ?? 0n),
  };
}

function evidence(sources: BundleSources, options: BundleOptions) {
  const { incident, trace, stepTotals, llmRun } = sources;
  const violation = violationOf(sources);
  const steps =
    sources.steps?.map((s) => ({
      step_index: s.stepIndex, // the stored index (the reference wrote the enumeration position)
      timestamp: s.timestamp.toISOString(),
      step_type: s.skillName,
      // Token counts are recorded per run (LLM run record), not per step; see totals.total_tokens.
      tokens: null,
      cost_cents: formatCents(s.costMicrocents),
      duration_ms: s.durationMs,
      status: s.status,
      is_inflection: violation.stepIndex !== null && s.stepIndex === violation.stepIndex,
      content_hash: s.contentHash,
    })) ?? null;
  const body: Record<string, unknown> = {
    ...header(options.kind, sources, options),
    incident: incidentSection(incident),
    run: runSection(sources.run, sources.runCostMicrocents),
    llm_run: llmRun && {
      provider: llmRun.provider,
      model: llmRun.model,
      input_tokens: llmRun.inputTokens,
      output_tokens: llmRun.outputTokens,
      cost_cents: formatCents(llmRun.costMicrocents),
      execution_status: llmRun.executionStatus,
    },
    trace: trace && {
      trace_id: trace.traceId,
      run_id: trace.runId,
      root_hash: trace.rootHash,
      status: trace.status,
      started_at: iso(trace.startedAt),
      completed_at: iso(trace.completedAt),
      violation_step_index: violation.stepIndex,
      violation_timestamp: iso(violation.timestamp),
      violation_policy_id: trace.violationPolicyId,
      violation_reason: trace.violationReason,
      step_count: stepTotals?.count ?? 0,
      success_count: stepTotals?.successCount ?? 0,
      failure_count: stepTotals?.failureCount ?? 0,
      steps_truncated: sources.stepsTruncated,
    },
    steps,
    totals: {
      total_steps: stepTotals?.count ?? 0,
      total_cost_cents: formatCents(stepTotals?.costMicrocents ?? 0n),
      total_duration_ms: stepTotals?.durationMs ?? 0,
      total_tokens: llmRun ? llmRun.inputTokens + llmRun.outputTokens : null,
    },
    policy_context: {
      policy_snapshot_id: sources.run?.policySnapshotId ?? null,
      violated_policy_id: incident.policyId ?? trace?.violationPolicyId ?? null,
      violated_policy_name: incident.policyName,
      violation_type: incident.violationType,
      violation_reason: trace?.violationReason ?? null,
      active_policies: sources.activePolicies.map((p) => ({
        policy_id: p.policyId,
        source_pattern_id: p.sourcePatternId,
        confidence_at_activation: p.confidenceAtActivation,
        confidence_version: p.confidenceVersion,
        approval_path: p.approvalPath,
        activated_at: p.activatedAt.toISOString(),
      })),
    },
    ledger: {
      entries: sources.ledgerEntries.map((e) => ({
        id: e.id,
        seq: e.seq.toString(),
        event_type: e.eventType,
        entity_type: e.entityType,
        entity_id: e.entityId,
        actor_type: e.actorType,
        actor_id: e.actorId,
        action_reason: e.actionReason,
        created_at: e.createdAt.toISOString(),
        prev_hash: e.prevHash,
        entry_hash: e.entryHash,
      })),
      head: sources.ledgerHead && { seq: sources.ledgerHead.seq.toString(), entry_hash: sources.ledgerHead.entryHash },
    },
  };
  return options.kind === 'soc2' ? { ...body, ...soc2(body, sources, options) } : body;
}

const SOC2_CONTROLS = [
  { control_id: 'CC7.2', name: 'Incident Response', evidence: 'Anomalous agent behaviour was detected and recorded as an incident linked to its run and trace.' },
  { control_id: 'CC7.3', name: 'Incident Management', evidence: 'The incident lifecycle is recorded in the hash-chained audit ledger (entries and ledger head included).' },
  { control_id: 'CC7.4', name: 'Analysis and Remediation', evidence: 'The trace steps, violation point and policy context needed for root-cause analysis are included.' },
];

function soc2(body: Record<string, unknown>, sources: BundleSources, options: BundleOptions) {
  const step = violationOf(sources).stepIndex;
  return {
    export_reason: options.exportReason ?? 'SOC2 compliance export',
    controls: SOC2_CONTROLS.map((c) => ({ ...c, status: 'DEMONSTRATED' })),
    criteria_covered: SOC2_CONTROLS.map((c) => c.control_id),
    // The attestation sits inside the hashed content, so it cannot quote the hash itself (the
    // reference quoted a hash that covered less than the document); it points at the field instead.
    attestation:
      `Bundle ${body.bundle_id as string} documents incident ${sources.incident.id}` +
      ` (violation at step ${step ?? 'N/A'}). Its integrity is attested by content_hash, a SHA-256 over` +
      ` the canonical JSON of every other field of this document, recorded with log export ${options.logExportId}.`,
    // From the incident's start to the export: the period whose controls the bundle evidences.
    compliance_period_start: sources.incident.startedAt.toISOString(),
    compliance_period_end: options.createdAt.toISOString(),
    auditor_notes: null,
    review_status: 'PENDING',
    reviewed_by: null,
    reviewed_at: null,
  };
}

const REMEDIATION: Record<string, string> = { ACTIVE: 'pending', ACKED: 'in_progress', RESOLVED: 'resolved' };

function executiveDebrief(sources: BundleSources, options: BundleOptions) {
  const { incident, run } = sources;
  const violation = violationOf(sources);
  // Detection delay = incident recorded − run started. The reference reported the run's duration,
  // which says nothing about how long the problem went unnoticed.
  const detectMs = run ? incident.createdAt.getTime() - run.startedAt.getTime() : null;
  const risk = riskLevel(incident.severity);
  return {
    ...header('executive_debrief', sources, options),
    incident: {
      id: incident.id,
      title: incident.title,
      severity: incident.severity,
      lifecycle_state: incident.lifecycleState,
      category: incident.category,
      created_at: incident.createdAt.toISOString(),
    },
    run_id: run?.runId ?? null,
    agent_id: run?.agentId ?? null,
    risk_level: risk,
    summary:
      `Incident "${incident.title}" (severity ${incident.severity}) was recorded at ${incident.createdAt.toISOString()}` +
      (run ? ` for run ${run.runId}${run.agentId ? ` of agent ${run.agentId}` : ''}.` : '.'),
    business_impact: `Risk is assessed as ${risk}. Automated agent activity related to this incident should be reviewed before it resumes.`,
    recommended_actions: [
      'Review the policy that was violated and confirm it is still appropriate.',
      'Inspect the trace around the violation step with the evidence bundle.',
      'Confirm that the affected agent is paused or constrained until remediation is complete.',
      'Record the remediation and resolve the incident so the audit ledger is complete.',
    ],
    policy_violated: incident.policyName ?? 'Policy Violation',
    violation_time: iso(violation.timestamp ?? incident.createdAt),
    detection_time: incident.createdAt.toISOString(),
    time_to_detect_seconds: detectMs === null ? null : Math.max(0, Math.floor(detectMs / 1000)),
    cost_incurred_cents: run ? cents(sources.runCostMicrocents ?? 0n) : null,
    remediation_status: REMEDIATION[incident.lifecycleState] ?? 'pending',
    classification: 'INTERNAL',
    prepared_by: options.exportedBy,
  };
}

// ---------------------------------------------------------------- verification

export interface BundleCheck {
  valid: boolean;
  /** The content_hash the document states, or null when it states none. */
  expectedHash: string | null;
  computedHash: string;
}

/** Recomputes the hash of a bundle someone hands back; any edited field makes it invalid. */
export function verifyBundle(bundle: Record<string, unknown>): BundleCheck {
  const { content_hash: stated, ...rest } = bundle;
  const computedHash = bundleContentHash(rest);
  const expectedHash = typeof stated === 'string' ? stated : null;
  return { valid: expectedHash === computedHash, expectedHash, computedHash };
}
