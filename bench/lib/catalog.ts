// The fixed vocabulary of the generated world: tenants of very different sizes, their agents and
// actors, the skills agents call and the models they use. Changing anything here changes every
// generated dataset, so the benchmark history in BENCHMARKS.md names the generator version.

import { cumulative, Rng, zipfWeights } from './prng.ts';

export const GENERATOR_VERSION = 1;

export interface TenantSpec {
  id: string;
  name: string;
  /** Share of all runs (and so roughly of all steps). */
  weight: number;
  agents: number;
  actors: number;
}

const medium = [1, 2, 3].map((n) => ({ id: `bench-medium-${n}`, name: `Medium tenant ${n}`, weight: 0.08, agents: 8, actors: 12 }));
const small = Array.from({ length: 20 }, (_, i) => {
  const n = String(i + 1).padStart(2, '0');
  return { id: `bench-small-${n}`, name: `Small tenant ${n}`, weight: 0.003, agents: 3, actors: 4 };
});

/** One tenant with 70 % of the data, three with 8 % each, twenty with 0.3 % each. */
export const TENANTS: readonly TenantSpec[] = [
  { id: 'bench-large', name: 'Large tenant', weight: 0.7, agents: 24, actors: 40 },
  ...medium,
  ...small,
];
export const LARGE_TENANT = TENANTS[0]!.id;
export const TENANT_WEIGHTS = cumulative(TENANTS.map((t) => t.weight));

/** The trace the trace-tree benchmark reads: exactly 1,000 steps, in the large tenant. */
export const TREE_TRACE = { runId: 'bench-tree-1000', traceId: 'trace_bench-tree-1000', steps: 1000 };
/** A few more long traces, so the tail reaches the 2,000-step cap at every dataset size. */
export const LONG_TRACES = [1200, 1600, 2000].map((steps, i) => ({ runId: `bench-long-${i + 1}`, traceId: `trace_bench-long-${i + 1}`, steps }));

export interface Skill {
  name: string;
  medianMs: number;
  sigma: number;
  /** Median cost of one call in micro-cents; 0 for free skills. */
  costMicro: number;
  /** Performs a side effect, so it carries an idempotency key. */
  sideEffect: boolean;
  /** Relative chance of failing. */
  risk: number;
  kind: 'llm' | 'tool' | 'retrieval' | 'memory' | 'control';
}

const skill = (name: string, kind: Skill['kind'], medianMs: number, sigma: number, costMicro = 0, sideEffect = false, risk = 1): Skill => ({
  name,
  kind,
  medianMs,
  sigma,
  costMicro,
  sideEffect,
  risk,
});

export const SKILLS: readonly Skill[] = [
  skill('llm.chat', 'llm', 1400, 0.7, 900_000, false, 1.2),
  skill('llm.complete', 'llm', 900, 0.6, 400_000, false, 1.2),
  skill('llm.summarize', 'llm', 2200, 0.5, 1_500_000),
  skill('llm.classify', 'llm', 350, 0.4, 60_000),
  skill('llm.extract_json', 'llm', 800, 0.5, 300_000, false, 1.5),
  skill('llm.embed', 'llm', 120, 0.4, 2_000),
  skill('plan.decompose', 'control', 1800, 0.5, 700_000),
  skill('plan.reflect', 'control', 1200, 0.5, 500_000),
  skill('guardrail.check', 'control', 60, 0.5, 5_000, false, 0.5),
  skill('policy.evaluate', 'control', 8, 0.6, 0, false, 0.3),
  skill('budget.check', 'control', 3, 0.5),
  skill('retriever.vector_search', 'retrieval', 45, 0.6),
  skill('retriever.keyword_search', 'retrieval', 25, 0.6),
  skill('retriever.rerank', 'retrieval', 180, 0.5, 20_000),
  skill('memory.read', 'memory', 6, 0.5),
  skill('memory.write', 'memory', 9, 0.5, 0, true),
  skill('tool.http_get', 'tool', 240, 0.9, 0, false, 2),
  skill('tool.http_post', 'tool', 320, 0.9, 0, true, 2),
  skill('tool.sql_query', 'tool', 40, 1.0, 0, false, 1.5),
  skill('tool.sql_write', 'tool', 30, 0.8, 0, true, 1.5),
  skill('tool.code_exec', 'tool', 900, 1.0, 0, false, 2.5),
  skill('tool.browser_open', 'tool', 2500, 0.8, 0, false, 2),
  skill('tool.file_read', 'tool', 12, 0.6),
  skill('tool.file_write', 'tool', 15, 0.6, 0, true),
  skill('tool.email_send', 'tool', 450, 0.5, 0, true),
  skill('tool.slack_post', 'tool', 280, 0.5, 0, true),
  skill('tool.calendar_lookup', 'tool', 190, 0.5),
  skill('tool.crm_update', 'tool', 380, 0.6, 0, true, 1.5),
  skill('tool.ticket_create', 'tool', 420, 0.5, 0, true),
  skill('tool.payment_refund', 'tool', 650, 0.5, 0, true, 1.5),
  skill('tool.translate', 'tool', 300, 0.5, 30_000),
  skill('tool.ocr', 'tool', 1600, 0.6, 80_000, false, 1.5),
];

export const MODELS: readonly { provider: string; model: string; inMicro: number; outMicro: number }[] = [
  { provider: 'anthropic', model: 'claude-sonnet-4', inMicro: 300, outMicro: 1500 },
  { provider: 'openai', model: 'gpt-4.1', inMicro: 200, outMicro: 800 },
  { provider: 'openai', model: 'gpt-4.1-mini', inMicro: 40, outMicro: 160 },
  { provider: 'anthropic', model: 'claude-haiku-4', inMicro: 80, outMicro: 400 },
  { provider: 'google', model: 'gemini-2.5-pro', inMicro: 125, outMicro: 1000 },
  { provider: 'google', model: 'gemini-2.5-flash', inMicro: 30, outMicro: 250 },
  { provider: 'openai', model: 'o3', inMicro: 200, outMicro: 800 },
  { provider: 'mistral', model: 'mistral-large', inMicro: 200, outMicro: 600 },
];
export const MODEL_WEIGHTS = cumulative(zipfWeights(MODELS.length, 1.1));

const AGENT_ROLES = [
  'support-triage', 'refund-handler', 'sales-researcher', 'code-reviewer', 'data-analyst', 'meeting-scheduler',
  'invoice-reconciler', 'onboarding-guide', 'incident-responder', 'doc-writer', 'lead-qualifier', 'qa-tester',
];

export interface Agent {
  id: string;
  /** Cumulative weights over `skills`. */
  skillWeights: number[];
  skills: Skill[];
  /** Multiplies every step duration: some agents run on slower infrastructure. */
  speed: number;
  model: number;
}

export interface TenantWorld {
  spec: TenantSpec;
  agents: Agent[];
  agentWeights: number[];
  actors: { id: string; type: 'HUMAN' | 'SYSTEM' | 'AGENT' }[];
  actorWeights: number[];
}

/** Agents and actors of every tenant, from their own PRNG stream (independent of the dataset size). */
export function buildWorld(seed: number): TenantWorld[] {
  const rng = new Rng(seed, 7);
  return TENANTS.map((spec, t) => {
    const agents = Array.from({ length: spec.agents }, (_, i): Agent => {
      const pool = [...SKILLS].sort(() => rng.next() - 0.5).slice(0, rng.int(6, 12));
      const weights = zipfWeights(pool.length, 0.8);
      return {
        id: `${AGENT_ROLES[(i + t) % AGENT_ROLES.length]}-${String(i + 1).padStart(2, '0')}`,
        skills: pool,
        skillWeights: cumulative(weights),
        speed: rng.logNormal(1, 0.3),
        model: rng.weighted(MODEL_WEIGHTS),
      };
    });
    const humans = Math.max(1, Math.floor(spec.actors * 0.6));
    const actors = [
      ...Array.from({ length: humans }, (_, i) => ({ id: `user-${String(i + 1).padStart(3, '0')}@${spec.id}`, type: 'HUMAN' as const })),
      { id: 'policy-engine', type: 'SYSTEM' as const },
      { id: 'budget-guard', type: 'SYSTEM' as const },
      ...agents.slice(0, Math.max(1, spec.actors - humans - 2)).map((a) => ({ id: a.id, type: 'AGENT' as const })),
    ];
    return {
      spec,
      agents,
      agentWeights: cumulative(zipfWeights(agents.length, 0.9)),
      actors,
      actorWeights: cumulative(zipfWeights(actors.length, 1)),
    };
  });
}

const WORDS = (
  'the customer asked about an invoice refund order shipping delay account password reset billing cycle plan upgrade ' +
  'quarterly report revenue forecast pipeline meeting agenda summary action items follow up escalation priority ticket ' +
  'contract renewal discount approval policy compliance review document attachment table chart metric latency error ' +
  'retry timeout budget limit token context window prompt response tool result search query index vector embedding ' +
  'rerank score threshold confidence decision audit trail incident root cause mitigation rollback deploy release note ' +
  'migration schema backup restore region cluster node queue worker batch job schedule cron webhook payload header'
).split(' ');

/** 256 KB of word salad drawn once; prose is a slice of it (V8 slices share memory, so no copy). */
const CORPUS = (() => {
  const rng = new Rng(12345, 9);
  const parts: string[] = [];
  for (let n = 0; n < 262_144; ) {
    const w = WORDS[rng.u32() % WORDS.length]!;
    parts.push(w);
    n += w.length + 1;
  }
  return parts.join(' ');
})();

/** Prose of `length` characters from a fixed word list (compressible like real text). */
export function prose(rng: Rng, length: number): string {
  const start = rng.u32() % (CORPUS.length - length - 1);
  return CORPUS.slice(start, start + length).trim();
}
