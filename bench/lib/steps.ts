// Trace steps as the database stores them (column names as keys), generated from a PRNG stream.
// Shared by the data generator and the ingest benchmark, so both write the same shape of rows.
import { prose, type Agent, type Skill } from './catalog.ts';
import type { Rng } from './prng.ts';

export type StepStatus = 'success' | 'failure' | 'retry' | 'skipped';

export interface StepRow {
  id: string;
  tenant_id: string;
  trace_id: string;
  step_index: number;
  skill_id: string;
  skill_name: string;
  params: unknown;
  status: StepStatus;
  level: 'INFO' | 'WARN' | 'ERROR';
  outcome_category: string;
  outcome_code: string | null;
  outcome_data: unknown;
  cost_microcents: number;
  duration_ms: number;
  retry_count: number;
  input_hash: string;
  output_hash: string | null;
  rng_state_before: string | null;
  idempotency_key: string | null;
  replay_behavior: 'execute' | 'skip' | 'check';
  source: 'engine' | 'external' | 'replay';
  timestamp: string;
  is_synthetic: boolean;
  synthetic_scenario_id: string | null;
  content_hash: string;
  recorded_at: string;
  archived_at: null;
  /** The trace's started_at (the partition key, docs/partitions.md): the trace starts with its first step. */
  trace_started_at: string;
}

const LEVEL = { success: 'INFO', skipped: 'INFO', retry: 'WARN', failure: 'ERROR' } as const;
const CATEGORY = { success: 'SUCCESS', failure: 'FAILURE', retry: 'TRANSIENT', skipped: 'SKIPPED' } as const;
const FAILURE_CODES = ['TIMEOUT', 'HTTP_500', 'HTTP_404', 'RATE_LIMITED', 'VALIDATION_ERROR', 'TOOL_CRASH', 'POLICY_BLOCK', 'BUDGET_EXCEEDED'];

/** Step input of a skill: mostly small, a quarter medium, one in twenty large (2–8 KB, TOASTed). */
export function stepParams(rng: Rng, skill: Skill): Record<string, unknown> {
  const size = rng.next();
  const base: Record<string, unknown> =
    skill.kind === 'llm'
      ? { model_hint: rng.pick(['fast', 'smart', 'cheap']), temperature: Math.round(rng.next() * 10) / 10, max_tokens: rng.pick([256, 512, 1024, 4096]) }
      : skill.kind === 'retrieval'
        ? { query: prose(rng, rng.int(20, 80)), top_k: rng.pick([5, 10, 20, 50]) }
        : skill.kind === 'memory'
          ? { key: `mem:${rng.hex(8)}`, namespace: rng.pick(['session', 'user', 'global']) }
          : skill.kind === 'control'
            ? { step_budget: rng.int(5, 50), depth: rng.int(0, 4) }
            : { target: `https://api.example.com/v1/${rng.pick(['orders', 'tickets', 'users', 'invoices'])}/${rng.int(1, 99999)}`, timeout_ms: rng.pick([1000, 5000, 30000]) };
  if (size < 0.7) return base;
  if (size < 0.95) {
    base.context = prose(rng, rng.int(200, 800));
    base.options = Object.fromEntries(Array.from({ length: rng.int(3, 8) }, (_, i) => [`opt_${i}`, rng.chance(0.5) ? rng.int(0, 1000) : rng.hex(6)]));
    return base;
  }
  const messages = Array.from({ length: rng.int(2, 8) }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: prose(rng, rng.int(300, 1000)) }));
  return { ...base, messages };
}

function outcome(rng: Rng, skill: Skill, status: StepStatus, code: string | null, attempt: number): unknown {
  if (status === 'skipped') return null;
  if (status === 'failure') return { error: `${skill.name} failed: ${prose(rng, rng.int(20, 60))}`, code, attempt };
  if (status === 'retry') return { error: code === 'RATE_LIMITED' ? 'rate limited' : 'transient error', retry_after_ms: rng.pick([250, 500, 1000, 2000]) };
  const size = rng.next();
  if (skill.kind === 'llm') {
    const result: Record<string, unknown> = { tokens_in: rng.int(50, 8000), tokens_out: rng.int(10, 2000), finish_reason: 'stop' };
    result.text = prose(rng, size < 0.8 ? rng.int(40, 300) : size < 0.97 ? rng.int(500, 2000) : rng.int(3000, 8000));
    return result;
  }
  if (size < 0.75) return { ok: true, count: rng.int(0, 50) };
  return { ok: true, items: Array.from({ length: rng.int(2, size < 0.97 ? 8 : 40) }, () => ({ id: rng.hex(12), title: prose(rng, rng.int(10, 60)) })) };
}

export interface TraceStepsSpec {
  tenantId: string;
  traceId: string;
  runId: string;
  agent: Agent;
  count: number;
  startMs: number;
  /** The last step fails (a failed trace). */
  failAtEnd: boolean;
  syntheticScenarioId: string | null;
}

/**
 * The steps of one trace, in order: skills drawn from the agent's set, a retried step followed by
 * another attempt of the same skill, timestamps advancing by each step's duration. Returns the
 * time the last step ended.
 */
export function traceSteps(rng: Rng, spec: TraceStepsSpec, into: StepRow[]): number {
  let clock = spec.startMs;
  let retrying: Skill | null = null;
  let attempt = 0;
  for (let i = 0; i < spec.count; i += 1) {
    const skill: Skill = retrying ?? spec.agent.skills[rng.weighted(spec.agent.skillWeights)]!;
    attempt = retrying ? attempt + 1 : 0;
    retrying = null;
    let status: StepStatus = 'success';
    if (i === spec.count - 1 && spec.failAtEnd) status = 'failure';
    else {
      const r = rng.next() / skill.risk;
      if (r < 0.035 && attempt < 3) status = 'retry';
      else if (r < 0.05) status = 'failure';
      else if (r < 0.07) status = 'skipped';
    }
    if (status === 'retry') retrying = skill;
    const code = status === 'failure' || status === 'retry' ? (status === 'retry' ? rng.pick(['RATE_LIMITED', 'TIMEOUT', 'HTTP_503']) : rng.pick(FAILURE_CODES)) : null;
    let duration = status === 'skipped' ? 0 : rng.logNormal(skill.medianMs * spec.agent.speed, skill.sigma);
    if (code === 'TIMEOUT') duration = Math.max(duration, rng.pick([5000, 10000, 30000]));
    duration = Math.round(duration * 1000) / 1000;
    const data = outcome(rng, skill, status, code, attempt);
    const ts = clock;
    clock += duration + rng.int(0, 40);
    into.push({
      id: rng.uuid(),
      tenant_id: spec.tenantId,
      trace_id: spec.traceId,
      step_index: i,
      skill_id: skill.name,
      skill_name: skill.name,
      params: stepParams(rng, skill),
      status,
      level: LEVEL[status],
      outcome_category: CATEGORY[status],
      outcome_code: code,
      outcome_data: data,
      cost_microcents: skill.costMicro && status !== 'skipped' ? Math.round(rng.logNormal(skill.costMicro, 0.8)) : 0,
      duration_ms: duration,
      retry_count: attempt,
      input_hash: rng.hex(16),
      output_hash: data === null ? null : rng.hex(16),
      rng_state_before: rng.chance(0.1) ? rng.hex(32) : null,
      idempotency_key: skill.sideEffect ? `${spec.runId}:${i}` : null,
      replay_behavior: rng.chance(0.92) ? 'execute' : rng.chance(0.6) ? 'check' : 'skip',
      source: rng.chance(0.97) ? 'engine' : 'external',
      timestamp: new Date(ts).toISOString(),
      is_synthetic: spec.syntheticScenarioId !== null,
      synthetic_scenario_id: spec.syntheticScenarioId,
      content_hash: rng.hex(64),
      recorded_at: new Date(clock + rng.int(5, 200)).toISOString(),
      archived_at: null,
      // Rounded as the generator rounds the trace's own started_at (world.ts), so the foreign key matches.
      trace_started_at: new Date(Math.round(spec.startMs)).toISOString(),
    });
  }
  return clock;
}
