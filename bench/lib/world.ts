// Runs and everything hanging off them (traces, steps, LLM run records, system records, audit
// ledger entries, incidents), generated run by run in start-time order. The plan (how many runs,
// which tenant, how many steps per trace) is drawn first from its own PRNG stream, so the row
// stream can be consumed in bounded batches.
import { ledgerEntryHash, LEDGER_GENESIS_HASH } from '../../src/domain/hashes.ts';
import { LARGE_TENANT, LONG_TRACES, MODELS, prose, TENANT_WEIGHTS, TREE_TRACE, type TenantWorld } from './catalog.ts';
import { Rng } from './prng.ts';
import { traceSteps, type StepRow } from './steps.ts';

export const MIN_STEPS = 5;
export const MAX_STEPS = 2000;
/** Pareto tail index of steps per trace: median ~9, mean ~25, about 1 trace in 600 has 1,000+. */
const STEP_TAIL = 1.2;

type Outcome = 'completed' | 'failed' | 'aborted';
const OUTCOMES: Outcome[] = ['completed', 'failed', 'aborted'];

/** Which runs exist: typed arrays, ~10 bytes a run, so 10M steps plan in a few MB. */
export interface Plan {
  runs: number;
  tenant: Uint8Array;
  steps1: Uint16Array;
  outcome1: Uint8Array;
  /** 0: no retry trace. */
  steps2: Uint16Array;
  outcome2: Uint8Array;
  totalSteps: number;
  specials: Special[];
}

interface Special {
  runId: string;
  traceId: string;
  steps: number;
  /** Where in the time span it starts (0..1). */
  at: number;
}

function stepCount(rng: Rng): number {
  return Math.min(MAX_STEPS, Math.floor(rng.pareto(MIN_STEPS, STEP_TAIL)));
}

export function plan(seed: number, targetSteps: number): Plan {
  const rng = new Rng(seed, 1);
  const specials: Special[] = [
    { ...TREE_TRACE, at: 0.5 },
    ...LONG_TRACES.map((t, i) => ({ ...t, at: [0.25, 0.6, 0.75][i]! })),
  ];
  let total = specials.reduce((n, s) => n + s.steps, 0);
  const capacity = Math.ceil(targetSteps / 8) + 1024;
  let tenant = new Uint8Array(capacity);
  let steps1 = new Uint16Array(capacity);
  let outcome1 = new Uint8Array(capacity);
  let steps2 = new Uint16Array(capacity);
  let outcome2 = new Uint8Array(capacity);
  let runs = 0;
  const take = (n: number) => {
    const left = targetSteps - total;
    if (n <= left) return n;
    return left >= MIN_STEPS ? left : 0;
  };
  while (total < targetSteps) {
    if (runs === tenant.length) {
      const grow = <T extends Uint8Array | Uint16Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      [tenant, steps1, outcome1, steps2, outcome2] = [grow(tenant), grow(steps1), grow(outcome1), grow(steps2), grow(outcome2)];
    }
    const first = take(stepCount(rng));
    if (first === 0) break;
    const r = rng.next();
    const out1 = r < 0.86 ? 0 : r < 0.97 ? 1 : 2;
    tenant[runs] = rng.weighted(TENANT_WEIGHTS);
    steps1[runs] = first;
    outcome1[runs] = out1;
    total += first;
    // Half the failed runs are retried with a second trace of the same run.
    if (out1 === 1 && rng.chance(0.5)) {
      const second = take(stepCount(rng));
      steps2[runs] = second;
      outcome2[runs] = rng.chance(0.8) ? 0 : 1;
      total += second;
    }
    runs += 1;
  }
  return { runs, tenant, steps1, outcome1, steps2, outcome2, totalSteps: total, specials };
}

export interface Rows {
  runs: object[];
  traces: object[];
  steps: StepRow[];
  llmRuns: object[];
  systemRecords: object[];
  auditEntries: object[];
  incidents: object[];
}

export const emptyRows = (): Rows => ({ runs: [], traces: [], steps: [], llmRuns: [], systemRecords: [], auditEntries: [], incidents: [] });

const iso = (ms: number) => new Date(Math.round(ms)).toISOString();

const TERMINATION: Record<Outcome, string[]> = {
  completed: ['completed'],
  failed: ['system_failure', 'policy_block', 'budget_exceeded', 'timeout', 'rate_limited'],
  aborted: ['user_abort', 'timeout'],
};
const RUN_STATUS: Record<Outcome, string> = { completed: 'succeeded', failed: 'failed', aborted: 'aborted' };
const SYSTEM_COMPONENTS = ['worker', 'api', 'scheduler', 'db', 'auth'];

/** Generates the rows of runs in start order; `emit` receives each run's rows as they are made. */
export class WorldGenerator {
  private readonly rng: Rng;
  private readonly ledger: { seq: bigint; hash: string; lastMs: number }[];
  private nextSpecial = 0;
  readonly counts = { runs: 0, traces: 0, steps: 0, llmRuns: 0, systemRecords: 0, auditEntries: 0, incidents: 0 };

  constructor(
    seed: number,
    private readonly world: TenantWorld[],
    private readonly plan: Plan,
    private readonly startMs: number,
    private readonly spanMs: number,
  ) {
    this.rng = new Rng(seed, 2);
    this.ledger = world.map(() => ({ seq: 0n, hash: LEDGER_GENESIS_HASH, lastMs: 0 }));
  }

  /** Run `i` of the plan (and any special trace due before it) into `out`. */
  run(i: number, out: Rows): void {
    const p = this.plan;
    const start = this.startMs + ((i + this.rng.next()) * this.spanMs) / p.runs;
    while (this.nextSpecial < p.specials.length && this.startMs + p.specials[this.nextSpecial]!.at * this.spanMs <= start) {
      const s = p.specials[this.nextSpecial++]!;
      const large = this.world.findIndex((w) => w.spec.id === LARGE_TENANT);
      this.makeRun(out, large, s.runId, this.startMs + s.at * this.spanMs, [{ traceId: s.traceId, steps: s.steps, outcome: 'completed' }]);
    }
    const runId = `run-${String(i).padStart(8, '0')}`;
    const traces = [{ traceId: `trace_${runId}`, steps: p.steps1[i]!, outcome: OUTCOMES[p.outcome1[i]!]! }];
    if (p.steps2[i]! > 0) traces.push({ traceId: `trace_${runId}-retry1`, steps: p.steps2[i]!, outcome: OUTCOMES[p.outcome2[i]!]! });
    this.makeRun(out, p.tenant[i]!, runId, start, traces);
  }

  /** Special traces not yet emitted (when the plan ends before their start time). */
  finish(out: Rows): void {
    while (this.nextSpecial < this.plan.specials.length) {
      const s = this.plan.specials[this.nextSpecial++]!;
      const large = this.world.findIndex((w) => w.spec.id === LARGE_TENANT);
      this.makeRun(out, large, s.runId, this.startMs + s.at * this.spanMs, [{ traceId: s.traceId, steps: s.steps, outcome: 'completed' }]);
    }
  }

  private makeRun(out: Rows, t: number, runId: string, startMs: number, traces: { traceId: string; steps: number; outcome: Outcome }[]) {
    const rng = this.rng;
    const w = this.world[t]!;
    const tenantId = w.spec.id;
    const agent = w.agents[rng.weighted(w.agentWeights)]!;
    const scenario = rng.chance(0.02) ? `scenario-${rng.int(1, 12)}` : null;
    let clock = startMs;
    let lastTraceId = '';
    let lastOutcome: Outcome = 'completed';
    for (const tr of traces) {
      const traceStart = clock;
      const firstStep = out.steps.length;
      const end = traceSteps(rng, { tenantId, traceId: tr.traceId, runId, agent, count: tr.steps, startMs: traceStart, failAtEnd: tr.outcome === 'failed', syntheticScenarioId: scenario }, out.steps);
      this.counts.steps += tr.steps;
      const completed = end + rng.int(5, 500);
      let incidentId: string | null = null;
      if (tr.outcome === 'failed' && rng.chance(0.25)) {
        incidentId = this.incident(out, t, runId, agent.id, completed, tr.steps - 1, out.steps[out.steps.length - 1]!, scenario);
      }
      out.traces.push({
        id: rng.uuid(),
        tenant_id: tenantId,
        trace_id: tr.traceId,
        run_id: runId,
        correlation_id: runId,
        agent_id: agent.id,
        plan_id: `plan-${rng.hex(8)}`,
        seed: rng.chance(0.7) ? rng.int(1, 2 ** 31 - 1) : null,
        frozen_timestamp: rng.chance(0.1) ? iso(traceStart) : null,
        root_hash: rng.hex(64),
        plan_hash: rng.chance(0.8) ? rng.hex(64) : null,
        schema_version: '1.1.0',
        plan: out.steps.slice(firstStep, firstStep + Math.min(8, tr.steps)).map((s) => ({ skill: s.skill_name })),
        metadata: { env: rng.pick(['prod', 'prod', 'prod', 'staging']), sdk: `aos-py/${rng.pick(['1.4.2', '1.5.0', '1.5.1'])}`, region: rng.pick(['eu-west-1', 'us-east-1']) },
        status: tr.outcome,
        started_at: iso(traceStart),
        completed_at: iso(completed),
        created_at: iso(traceStart),
        stored_by: null,
        incident_id: incidentId,
        is_synthetic: scenario !== null,
        synthetic_scenario_id: scenario,
        archived_at: null,
        request_digest: rng.hex(64),
      });
      this.counts.traces += 1;
      clock = completed + rng.int(1000, 60_000);
      lastTraceId = tr.traceId;
      lastOutcome = tr.outcome;
    }
    const runEnd = clock;
    out.runs.push({
      id: rng.uuid(),
      tenant_id: tenantId,
      run_id: runId,
      agent_id: agent.id,
      goal: prose(rng, rng.int(30, 160)),
      status: RUN_STATUS[lastOutcome],
      policy_snapshot_id: rng.chance(0.5) ? `snap-${rng.hex(8)}` : null,
      termination_reason: rng.pick(TERMINATION[lastOutcome]),
      is_synthetic: scenario !== null,
      synthetic_scenario_id: scenario,
      started_at: iso(startMs),
      completed_at: iso(runEnd),
      created_at: iso(startMs),
    });
    this.counts.runs += 1;
    if (rng.chance(0.75)) this.llmRun(out, tenantId, runId, lastTraceId, agent.model, startMs, runEnd, lastOutcome, scenario);
    if (rng.chance(0.35) || lastOutcome !== 'completed') this.systemRecords(out, tenantId, runId, startMs, runEnd, lastOutcome);
    if (rng.chance(0.08)) {
      const actor = w.actors[rng.weighted(w.actorWeights)]!;
      const event = rng.pick(['PolicyRuleModified', 'LimitUpdated', 'LimitBreached', 'SignalAcknowledged', 'SignalEscalated', 'PolicyProposalApproved'] as const);
      const entity = event.startsWith('Policy') ? 'POLICY_RULE' : event.startsWith('Limit') ? 'LIMIT' : 'SIGNAL';
      this.audit(out, t, startMs, {
        eventType: event,
        entityType: entity,
        entityId: `${entity.toLowerCase()}-${rng.int(1, 200)}`,
        actorType: actor.type,
        actorId: actor.id,
        actionReason: rng.chance(0.6) ? prose(rng, rng.int(20, 120)) : null,
        beforeState: rng.chance(0.5) ? { run_id: runId, limit_cents: rng.int(100, 100000) } : null,
        afterState: { run_id: runId, limit_cents: rng.int(100, 100000), enabled: rng.chance(0.9) },
        correlationId: rng.chance(0.5) ? runId : null,
      });
    }
  }

  private llmRun(out: Rows, tenantId: string, runId: string, traceId: string, model: number, startMs: number, endMs: number, outcome: Outcome, scenario: string | null) {
    const rng = this.rng;
    const m = rng.chance(0.8) ? MODELS[model]! : rng.pick(MODELS);
    const input = Math.round(rng.logNormal(2500, 1));
    const output = Math.round(rng.logNormal(400, 0.9));
    const status = outcome === 'completed' ? (rng.chance(0.97) ? 'SUCCEEDED' : 'TIMEOUT') : outcome === 'aborted' ? 'ABORTED' : rng.chance(0.7) ? 'FAILED' : 'TIMEOUT';
    const completed = Math.min(endMs, startMs + rng.logNormal(4000, 1));
    out.llmRuns.push({
      id: rng.uuid(),
      tenant_id: tenantId,
      run_id: runId,
      trace_id: traceId,
      provider: m.provider,
      model: m.model,
      prompt_hash: rng.hex(64),
      response_hash: status === 'SUCCEEDED' ? rng.hex(64) : null,
      input_tokens: input,
      output_tokens: output,
      cost_microcents: input * m.inMicro + output * m.outMicro,
      execution_status: status,
      started_at: iso(startMs),
      completed_at: iso(completed),
      source: scenario ? 'SYNTHETIC' : rng.pick(['SDK', 'SDK', 'SDK', 'API', 'WORKER']),
      is_synthetic: scenario !== null,
      synthetic_scenario_id: scenario,
      created_at: iso(completed + rng.int(1, 500)),
    });
    this.counts.llmRuns += 1;
  }

  private systemRecords(out: Rows, tenantId: string, runId: string, startMs: number, endMs: number, outcome: Outcome) {
    const rng = this.rng;
    const n = rng.int(1, 3);
    for (let k = 0; k < n; k += 1) {
      const failed = outcome !== 'completed' && k === n - 1;
      const eventType = failed ? 'ERROR' : rng.pick(['HEALTH_CHECK', 'CONFIG_CHANGE', 'RESTART', 'AUTH_CHANGE']);
      out.systemRecords.push({
        id: rng.uuid(),
        tenant_id: tenantId,
        component: rng.pick(SYSTEM_COMPONENTS),
        event_type: eventType,
        severity: failed ? (rng.chance(0.2) ? 'CRITICAL' : 'WARN') : 'INFO',
        summary: `${eventType.toLowerCase()} during ${runId}: ${prose(rng, rng.int(20, 140))}`,
        details: { run_id: runId, host: `worker-${rng.int(1, 40)}`, attempt: rng.int(1, 3), ...(failed ? { error: prose(rng, rng.int(20, 200)) } : {}) },
        caused_by: rng.pick(['SYSTEM', 'AUTOMATION', 'HUMAN']),
        correlation_id: runId,
        idempotency_key: null,
        created_at: iso(startMs + (endMs - startMs) * rng.next()),
      });
      this.counts.systemRecords += 1;
    }
  }

  private incident(out: Rows, t: number, runId: string, agentId: string, atMs: number, stepIndex: number, step: StepRow, scenario: string | null): string {
    const rng = this.rng;
    const id = rng.uuid();
    const r = rng.next();
    const state = r < 0.7 ? 'RESOLVED' : r < 0.8 ? 'ACKED' : 'ACTIVE';
    const acked = state === 'ACTIVE' ? null : atMs + rng.int(60_000, 3_600_000);
    const resolved = state === 'RESOLVED' ? acked! + rng.int(60_000, 6 * 3_600_000) : null;
    const w = this.world[t]!;
    const human = w.actors.filter((a) => a.type === 'HUMAN');
    const acker = rng.pick(human).id;
    out.incidents.push({
      id,
      tenant_id: w.spec.id,
      title: `${step.skill_name} failed in ${runId}`,
      severity: rng.pick(['critical', 'high', 'medium', 'medium', 'low']),
      lifecycle_state: state,
      cause_type: step.skill_name.startsWith('llm.') ? 'LLM_RUN' : 'SYSTEM',
      trigger_type: rng.pick(['failure_spike', 'budget_breach', 'policy_violation', 'error_rate']),
      trigger_value: String(rng.int(1, 100)),
      category: rng.pick(['reliability', 'cost', 'safety']),
      description: prose(rng, rng.int(50, 400)),
      error_code: step.outcome_code,
      error_message: prose(rng, rng.int(20, 100)),
      source_run_id: runId,
      affected_agent_id: agentId,
      policy_id: rng.chance(0.3) ? `policy-${rng.int(1, 50)}` : null,
      policy_name: null,
      violation_type: null,
      cost_impact_microcents: rng.int(0, 50_000_000),
      inflection_step_index: stepIndex,
      inflection_timestamp: step.timestamp,
      is_synthetic: scenario !== null,
      synthetic_scenario_id: scenario,
      started_at: iso(atMs),
      acknowledged_at: acked === null ? null : iso(acked),
      acknowledged_by: acked === null ? null : acker,
      resolved_at: resolved === null ? null : iso(resolved),
      resolved_by: resolved === null ? null : acker,
      resolution_method: resolved === null ? null : rng.pick(['auto', 'manual', 'rollback']),
      resolution_notes: resolved === null ? null : prose(rng, rng.int(20, 200)),
      created_at: iso(atMs),
      updated_at: iso(resolved ?? acked ?? atMs),
    });
    this.counts.incidents += 1;
    if (acked !== null) {
      this.audit(out, t, atMs, {
        eventType: state === 'RESOLVED' ? 'IncidentResolved' : 'IncidentAcknowledged',
        entityType: 'INCIDENT',
        entityId: id,
        actorType: 'HUMAN',
        actorId: acker,
        actionReason: null,
        beforeState: { lifecycle_state: 'ACTIVE', source_run_id: runId },
        afterState: { lifecycle_state: state, source_run_id: runId },
        correlationId: runId,
      });
    }
    return id;
  }

  /** Appends to the tenant's hash chain exactly as the ledger store does, so the chain verifies. */
  private audit(
    out: Rows,
    t: number,
    atMs: number,
    e: { eventType: string; entityType: string; entityId: string; actorType: string; actorId: string | null; actionReason: string | null; beforeState: unknown; afterState: unknown; correlationId: string | null },
  ) {
    const chain = this.ledger[t]!;
    const tenantId = this.world[t]!.spec.id;
    chain.seq += 1n;
    chain.lastMs = Math.max(chain.lastMs + 1, Math.round(atMs));
    const createdAt = new Date(chain.lastMs);
    const entryHash = ledgerEntryHash(chain.hash, { tenantId, seq: chain.seq, ...e, createdAt });
    out.auditEntries.push({
      id: this.rng.uuid(),
      tenant_id: tenantId,
      seq: chain.seq.toString(),
      event_type: e.eventType,
      entity_type: e.entityType,
      entity_id: e.entityId,
      actor_type: e.actorType,
      actor_id: e.actorId,
      action_reason: e.actionReason,
      before_state: e.beforeState,
      after_state: e.afterState,
      correlation_id: e.correlationId,
      idempotency_key: null,
      prev_hash: chain.hash,
      entry_hash: entryHash,
      created_at: createdAt.toISOString(),
    });
    chain.hash = entryHash;
    this.counts.auditEntries += 1;
  }

  /** System-wide events (global_system_records, no tenant): a health check every 20 minutes, a deploy a day. */
  globalSystemRecords(): object[] {
    const rng = new Rng(1, 3);
    const rows: object[] = [];
    for (let ms = this.startMs; ms < this.startMs + this.spanMs; ms += 20 * 60_000) {
      const deploy = Math.floor((ms - this.startMs) / 86_400_000) !== Math.floor((ms - this.startMs - 20 * 60_000) / 86_400_000);
      const id = `sys-${Math.floor(ms / 60_000)}`;
      rows.push({
        id: rng.uuid(),
        component: deploy ? 'api' : 'scheduler',
        event_type: deploy ? 'DEPLOY' : 'HEALTH_CHECK',
        severity: 'INFO',
        summary: deploy ? `deploy ${id}` : 'all components healthy',
        details: { release: `2026.${Math.floor((ms - this.startMs) / 86_400_000) + 1}`, nodes: rng.int(3, 9) },
        caused_by: deploy ? 'AUTOMATION' : 'SYSTEM',
        correlation_id: id,
        idempotency_key: null,
        created_at: iso(ms),
      });
    }
    return rows;
  }
}
